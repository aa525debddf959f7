import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import type { Store } from '../../src/store/async-store.js'
import { migratePostgres } from '../../src/store/sql/migrate.js'
import { openStore } from '../../src/store/sql/open-store.js'
import { NEWEST_SCHEMA_VERSION, SCHEMA_STEPS } from '../../src/store/sql/schema-steps.js'
import { StoreError } from '../../src/store/store-error.js'
import { storeSuite, type StoreHarness, type TestDatabase } from './store-suite.js'

/**
 * The store suite on PostgreSQL, when KEPU_TEST_DATABASE_URL names a database this test may create schemas
 * in (`.ci/run` starts a throwaway server and sets it). Each database of the suite is a new schema, named
 * after this file's run, dropped at the end.
 */
const url = process.env.KEPU_TEST_DATABASE_URL?.trim() || undefined
if (!url) {
  process.stdout.write('store: PostgreSQL suite skipped: KEPU_TEST_DATABASE_URL is not set (.ci/run starts a local server and sets it)\n')
}

function postgresHarness(url: string): StoreHarness {
  const prefix = `kepu_t${process.pid}_${randomBytes(3).toString('hex')}`
  const admin = new pg.Pool({ connectionString: url, max: 2 })
  const schemas: string[] = []
  const open: Store[] = []
  let n = 0
  return {
    dialect: 'postgres',
    async database(): Promise<TestDatabase> {
      const schema = `${prefix}_${++n}`
      await admin.query(`CREATE SCHEMA ${schema}`)
      schemas.push(schema)
      return {
        async open() {
          const s = await openStore({ url, schema, pool: 4 })
          open.push(s)
          return s
        },
        async schemaVersion() {
          const { rows } = await admin.query<{ v: string | null }>(
            `SELECT CASE WHEN to_regclass('${schema}.kepu_schema_migrations') IS NULL THEN NULL ELSE 1 END AS v`,
          )
          if (rows[0]?.v === null) return 0
          const res = await admin.query<{ v: number }>(`SELECT coalesce(max(version), 0)::int AS v FROM ${schema}.kepu_schema_migrations`)
          return res.rows[0]!.v
        },
        async setSchemaVersion(version) {
          await admin.query(`INSERT INTO ${schema}.kepu_schema_migrations (version, name, applied_at) VALUES ($1, 'from the future', 0)`, [version])
        },
      }
    },
    async cleanup() {
      for (const s of open.splice(0)) await s.close()
    },
    async dispose() {
      for (const s of schemas.splice(0)) await admin.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`)
      await admin.end()
    },
  }
}

describe.skipIf(!url)('PostgreSQL store', () => {
  storeSuite(postgresHarness(url!))
})

async function failure(p: Promise<unknown>): Promise<StoreError> {
  const err = await p.then(
    (s) => {
      void (s as Store | undefined)?.close()
      return undefined
    },
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(StoreError)
  return err as StoreError
}

// These need no server: a wrong URL or an unreachable host must be one line naming the host, never the password.
describe('PostgreSQL store: a wrong URL or an unreachable server', () => {
  it('refuses a URL that cannot be parsed without echoing it', async () => {
    const err = await failure(openStore({ url: 'postgres://kepu:s3cret-pw@db host:5432/kepu' }))
    expect(err.code).toBe('E_STORE_URL')
    expect(err.message).not.toContain('s3cret-pw')
    expect(err.message).not.toContain('\n')
  })

  it('refuses a schema that is not a plain name', async () => {
    const err = await failure(openStore({ url: 'postgres://kepu@127.0.0.1:1/kepu', schema: 'x; DROP TABLE users' }))
    expect(err.code).toBe('E_STORE_URL')
  })

  it('names the host and port of a server that refuses connections, and not the password', async () => {
    const err = await failure(openStore({ url: 'postgres://kepu:s3cret-pw@127.0.0.1:1/kepu', connectTimeoutMs: 2000 }))
    expect(err.code).toBe('E_STORE_CONNECT')
    expect(err.message).toMatch(/^store: cannot reach PostgreSQL at 127\.0\.0\.1:1\/kepu \(.*ECONNREFUSED/)
    expect(err.message).not.toContain('s3cret-pw')
    expect(err.message).not.toContain('\n')
  })

  it('names a host that does not resolve', async () => {
    const err = await failure(openStore({ url: 'postgresql://kepu:s3cret-pw@kepu-db.invalid/kepu', connectTimeoutMs: 2000 }))
    expect(err.code).toBe('E_STORE_CONNECT')
    expect(err.message).toMatch(/^store: cannot reach PostgreSQL at kepu-db\.invalid:5432\/kepu \(/)
    expect(err.message).not.toContain('s3cret-pw')
  })
})

describe.skipIf(!url)('PostgreSQL store: on a server', () => {
  const admin = url ? new pg.Pool({ connectionString: url, max: 2 }) : undefined
  const schema = `kepu_t${process.pid}_${randomBytes(3).toString('hex')}_x`
  afterAll(async () => {
    await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await admin?.end()
  })

  it('names the database that does not exist, and the host', async () => {
    const u = new URL(url!)
    u.pathname = '/kepu_no_such_database'
    u.password = 's3cret-pw'
    const err = await failure(openStore({ url: u.toString() }))
    expect(err.code).toBe('E_STORE_CONNECT')
    expect(err.message).toContain(`${u.hostname}:${u.port || 5432}/kepu_no_such_database`)
    expect(err.message).toContain('does not exist')
    expect(err.message).not.toContain('s3cret-pw')
  })

  it('names the host when TLS is asked of a server without it', async () => {
    const u = new URL(url!)
    if (u.searchParams.has('sslmode')) return
    const err = await failure(openStore({ url: url!, ssl: true }))
    expect(err.code).toBe('E_STORE_CONNECT')
    expect(err.message).toMatch(new RegExp(`^store: PostgreSQL at ${u.hostname.replace(/\./g, '\\.')}:${u.port || 5432}/`))
    expect(err.message).toMatch(/SSL/)
  })

  it('runs a migration step in one transaction: a failing step leaves the version and the tables as they were', async () => {
    await admin!.query(`CREATE SCHEMA ${schema}`)
    const pool = new pg.Pool({ connectionString: url, max: 2, options: `-c search_path=${schema}` })
    try {
      const at = new Date('2026-09-14T01:00:00Z')
      expect(await migratePostgres(pool, at)).toEqual({ from: 0, to: NEWEST_SCHEMA_VERSION, applied: SCHEMA_STEPS.map((s) => s.version) })
      const broken = { version: NEWEST_SCHEMA_VERSION + 1, name: 'broken', sqlite: '', postgres: 'CREATE TABLE extra (x INTEGER); CREATE TABLE extra (y INTEGER);' }
      await expect(migratePostgres(pool, at, [...SCHEMA_STEPS, broken])).rejects.toThrow(new RegExp(`schema step ${NEWEST_SCHEMA_VERSION + 1} \\(broken\\) failed: relation "extra" already exists`))
      expect((await pool.query(`SELECT to_regclass('extra') AS t`)).rows[0].t).toBeNull()
      expect(await migratePostgres(pool, at)).toEqual({ from: NEWEST_SCHEMA_VERSION, to: NEWEST_SCHEMA_VERSION, applied: [] })
      const { rows } = await pool.query<{ version: number; applied_at: string }>('SELECT version, applied_at FROM kepu_schema_migrations ORDER BY version')
      expect(rows.map((r) => [r.version, Number(r.applied_at)])).toEqual(SCHEMA_STEPS.map((s) => [s.version, at.getTime()]))
    } finally {
      await pool.end()
    }
  })
})
