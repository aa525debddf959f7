import type Database from 'better-sqlite3'
import type pg from 'pg'
import { StoreError } from '../store-error.js'
import { SCHEMA_STEPS, type SchemaStep } from './schema-steps.js'

/** What a migration run did: the version found, the version left, and the steps this run applied. */
export interface MigrationResult {
  from: number
  to: number
  applied: number[]
}

function newestOf(steps: readonly SchemaStep[]): number {
  return steps.reduce((max, s) => Math.max(max, s.version), 0)
}

function tooNew(current: number, newest: number): StoreError {
  return new StoreError('E_STORE_VERSION', `store: the database is at schema version ${current}, newer than this kepu knows (${newest}); upgrade kepu`)
}

function stepFailed(step: SchemaStep, err: unknown): StoreError {
  const reason = err instanceof Error ? err.message : String(err)
  return new StoreError('E_STORE_MIGRATE', `store: schema step ${step.version} (${step.name}) failed: ${reason}`, { cause: err })
}

/**
 * Brings a SQLite database up to the newest schema, one step per transaction. The version lives in
 * `PRAGMA user_version`, as the old synchronous store kept it, so a file that store created (version 1)
 * only gets the later steps — and the old code refuses a file migrated here rather than misread it.
 *
 * Each step runs under `BEGIN IMMEDIATE`, which takes the write lock before the version is read: of two
 * processes opening a new file together, one applies the step and the other waits (busy_timeout), then
 * finds it done. Synchronous on purpose — no other work of this process can interleave with a step.
 */
export function migrateSqlite(db: Database.Database, steps: readonly SchemaStep[] = SCHEMA_STEPS): MigrationResult {
  const newest = newestOf(steps)
  const sorted = [...steps].sort((a, b) => a.version - b.version)
  const from = db.pragma('user_version', { simple: true }) as number
  if (from > newest) throw tooNew(from, newest)
  const applied: number[] = []
  // Up to date (every start but the first): no write lock is taken at all.
  if (from === newest) return { from, to: from, applied }
  for (;;) {
    db.exec('BEGIN IMMEDIATE')
    let step: SchemaStep | undefined
    try {
      const current = db.pragma('user_version', { simple: true }) as number
      if (current > newest) throw tooNew(current, newest)
      step = sorted.find((s) => s.version > current)
      if (!step) {
        db.exec('COMMIT')
        return { from, to: current, applied }
      }
      db.exec(step.sqlite)
      db.pragma(`user_version = ${step.version}`)
      db.exec('COMMIT')
      applied.push(step.version)
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK')
      if (err instanceof StoreError || !step) throw err
      throw stepFailed(step, err)
    }
  }
}

/** The table that records applied steps on PostgreSQL (SQLite uses `user_version`). */
export const POSTGRES_VERSION_TABLE = 'kepu_schema_migrations'

/**
 * Brings a PostgreSQL schema (the connection's `current_schema()`) up to the newest version, one step per
 * transaction. Each transaction first takes `pg_advisory_xact_lock` on a key derived from the schema name,
 * then reads the version: two replicas starting together queue on the lock, and the second finds the
 * steps applied. DDL is transactional in PostgreSQL, so a failed step leaves nothing behind.
 */
export async function migratePostgres(pool: pg.Pool, at: Date, steps: readonly SchemaStep[] = SCHEMA_STEPS): Promise<MigrationResult> {
  const newest = newestOf(steps)
  const sorted = [...steps].sort((a, b) => a.version - b.version)
  const client = await pool.connect()
  try {
    const from = await postgresVersion(client)
    if (from > newest) throw tooNew(from, newest)
    const applied: number[] = []
    if (from === newest) return { from, to: from, applied }
    for (;;) {
      await client.query('BEGIN')
      let step: SchemaStep | undefined
      try {
        // A configured statement timeout is for queries, not for waiting on another replica's migration
        // or building an index on a large table.
        await client.query('SET LOCAL statement_timeout = 0')
        await client.query(`SELECT pg_advisory_xact_lock(hashtext('kepu:migrate:' || coalesce(current_schema(), '')))`)
        await client.query(
          `CREATE TABLE IF NOT EXISTS ${POSTGRES_VERSION_TABLE} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`,
        )
        const current = await postgresVersion(client)
        if (current > newest) throw tooNew(current, newest)
        step = sorted.find((s) => s.version > current)
        if (!step) {
          await client.query('COMMIT')
          return { from, to: current, applied }
        }
        await client.query(step.postgres)
        await client.query(`INSERT INTO ${POSTGRES_VERSION_TABLE} (version, name, applied_at) VALUES ($1, $2, $3)`, [step.version, step.name, at.getTime()])
        await client.query('COMMIT')
        applied.push(step.version)
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined)
        if (err instanceof StoreError || !step) throw err
        throw stepFailed(step, err)
      }
    }
  } finally {
    client.release()
  }
}

/** The applied version, 0 for an empty schema. Reads without a lock: safe, since steps commit whole. */
async function postgresVersion(client: pg.PoolClient): Promise<number> {
  const { rows } = await client.query<{ v: number | null }>(
    `SELECT CASE WHEN to_regclass('${POSTGRES_VERSION_TABLE}') IS NULL THEN 0 END AS v`,
  )
  if (rows[0]?.v === 0) return 0
  const res = await client.query<{ v: string | number | null }>(`SELECT max(version) AS v FROM ${POSTGRES_VERSION_TABLE}`)
  return Number(res.rows[0]?.v ?? 0)
}
