import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import type { Store } from '../../src/store/async-store.js'
import { migrateSqlite } from '../../src/store/sql/migrate.js'
import { openStore, SQLITE_FILE } from '../../src/store/sql/open-store.js'
import { NEWEST_SCHEMA_VERSION, SCHEMA_STEPS } from '../../src/store/sql/schema-steps.js'
import { StoreError } from '../../src/store/store-error.js'
import { createOldDatabase, OLD_ADDITIVE_SCHEMA, OLD_SCHEMA_V1, OLD_SCHEMA_VERSION } from './fixtures/old-sqlite-schema.js'
import { storeSuite, type StoreHarness, type TestDatabase } from './store-suite.js'

const root = mkdtempSync(join(tmpdir(), 'kepu-async-store-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
let n = 0
const at = new Date('2026-09-14T01:00:00Z')

/** SQLite: every database a file of its own in a temp dir (a replica on it shares this process's connection). */
function sqliteHarness(): StoreHarness {
  const open: Store[] = []
  return {
    dialect: 'sqlite',
    async database(): Promise<TestDatabase> {
      const dataDir = join(root, `db-${++n}`)
      const file = join(dataDir, SQLITE_FILE)
      return {
        async open() {
          const s = await openStore({ dataDir })
          open.push(s)
          return s
        },
        async schemaVersion() {
          if (!existsSync(file)) return 0
          const db = new Database(file, { readonly: true })
          try {
            return db.pragma('user_version', { simple: true }) as number
          } finally {
            db.close()
          }
        },
        async setSchemaVersion(version) {
          const db = new Database(file)
          db.pragma(`user_version = ${version}`)
          db.close()
        },
      }
    },
    async cleanup() {
      for (const s of open.splice(0)) await s.close()
    },
    async dispose() {},
  }
}

describe('SQLite store', () => {
  storeSuite(sqliteHarness())
})

/** The sqlite_master of a database: its tables and indexes, as SQL text. */
function schemaOf(db: Database.Database): { type: string; name: string; sql: string | null }[] {
  return db.prepare(`SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { type: string; name: string; sql: string | null }[]
}

describe('SQLite store: the database of the old synchronous store', () => {
  it('steps 1 and 2 are exactly the old schema: its numbered step and what it adds at every open', () => {
    const old = new Database(':memory:')
    old.exec(OLD_SCHEMA_V1)
    const step1 = new Database(':memory:')
    step1.exec(SCHEMA_STEPS[0]!.sqlite)
    expect(schemaOf(step1)).toEqual(schemaOf(old))
    expect(SCHEMA_STEPS[0]!.version).toBe(OLD_SCHEMA_VERSION)
    old.exec(OLD_ADDITIVE_SCHEMA)
    step1.exec(SCHEMA_STEPS[1]!.sqlite)
    expect(schemaOf(step1)).toEqual(schemaOf(old))
    old.close()
    step1.close()
  })

  it('opens a data directory the old store created, keeps its data, adds the new tables', async () => {
    const dataDir = join(root, 'old-store')
    // The rows as the old store wrote them (its statements, its JSON and its salted asker hash).
    const old = createOldDatabase(join(dataDir, SQLITE_FILE))
    const t = at.getTime()
    old.prepare('INSERT INTO users (key, state, updated_at) VALUES (?, ?, ?)').run('telegram:1', JSON.stringify({ region: '东营市', elder: true }), t)
    old.prepare('INSERT INTO subscriptions (channel, chat_id, is_group, topic, region, created_at) VALUES (?, ?, ?, ?, ?, ?)').run('telegram', '1', 0, 'fraud-tip', '', t)
    const a = {
      id: Number(
        old
          .prepare('INSERT INTO announcements (name, cron, target, template, lead_days, observance, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
          .run('tip', '0 8 * * *', JSON.stringify({ kind: 'topic', topic: 'fraud-tip' }), 't', JSON.stringify([1]), null, 'cli', t).lastInsertRowid,
      ),
    }
    const f = { id: Number(old.prepare('INSERT INTO firings (announcement_id, fire_at, created_at, recipients) VALUES (?, ?, ?, ?)').run(a.id, t, t, 2).lastInsertRowid) }
    const insertRow = old.prepare(
      `INSERT INTO outbox (firing_id, channel, chat_id, is_group, topic, text, status, next_attempt_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
    )
    const row = Number(insertRow.run(f.id, 'telegram', '1', 0, 'fraud-tip', 't', t, t).lastInsertRowid)
    insertRow.run(f.id, 'telegram', '2', 0, null, 't', t, t)
    old.prepare('UPDATE announcements SET last_firing_at = ? WHERE id = ?').run(t, a.id)
    // The old process claimed the first row and died with it in flight.
    old.prepare(`UPDATE outbox SET status = 'sending', attempts = attempts + 1, updated_at = ? WHERE id = ? AND status = 'pending'`).run(t, row)
    const salt = 'a'.repeat(64)
    old.prepare('INSERT INTO store_meta (key, value) VALUES (?, ?)').run('asker_salt', salt)
    const asker = createHash('sha256').update(`${salt}\ntelegram:1`).digest('hex')
    const question = Number(old.prepare('INSERT INTO unanswered (channel, region, text, normalized, at) VALUES (?, ?, ?, ?, ?)').run('telegram', '东营市', '问题', '问题', t).lastInsertRowid)
    old.prepare('INSERT INTO unanswered_askers (unanswered_id, asker, at) VALUES (?, ?, ?)').run(question, asker, t)
    const oldQuestion = { channel: 'telegram', region: '东营市', text: '问题', normalized: '问题', at, asker }
    old.close()

    const s = await openStore({ dataDir })
    try {
      expect(await s.users.get('telegram:1')).toEqual({ region: '东营市', elder: true })
      expect(await s.subscribers('fraud-tip')).toHaveLength(1)
      expect(await s.getAnnouncement(a.id)).toMatchObject({ name: 'tip', leadDays: [1], lastFiringAt: at })
      // The old process died with a row in flight: the new store recovers it as the old one would.
      expect(await s.recoverSending('report', at)).toBe(1)
      expect(await s.report(f.id)).toMatchObject({ total: 2, inDoubt: 1, pending: 1 })
      expect(await s.recordFiring(a.id, at, [], at)).toBeUndefined()
      expect(await s.unansweredSince(at)).toEqual([oldQuestion])
      // The install's salt came along: the same resident is the same asker.
      expect(await s.recordUnanswered({ channel: 'telegram', region: '东营市', text: '问题', normalized: '问题', at, userKey: 'telegram:1' }, { since: at, maxPerAsker: 20 })).toBe('duplicate')
      expect(await s.seen('telegram:1', '1', at, 1000)).toBe(false)
      expect((await s.createRequest({ channel: 'telegram', chatId: '1', userKey: 'telegram:1', region: '东营市', serviceId: 'x', place: 'p', preferredDate: 'd', contact: 'c' }, at)).number).toBe('KP-2026-0001')
    } finally {
      await s.close()
    }
    const raw = new Database(join(dataDir, SQLITE_FILE))
    expect(raw.pragma('user_version', { simple: true })).toBe(NEWEST_SCHEMA_VERSION)
    raw.close()
  })
})

describe('SQLite store: opening', () => {
  async function failure(p: Promise<unknown>): Promise<StoreError> {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(StoreError)
    return err as StoreError
  }

  it('names a file that is not a database', async () => {
    const file = join(root, 'corrupt', 'kepu.sqlite')
    mkdirSync(join(root, 'corrupt'))
    writeFileSync(file, 'this is not a database, just some text that is long enough to look like a header '.repeat(100))
    const err = await failure(openStore({ file }))
    expect(err.code).toBe('E_STORE_CORRUPT')
    expect(err.message).toContain(file)
    expect(err.message).not.toContain('\n')
  })

  it('names a file that cannot be opened', async () => {
    const dir = join(root, 'in-the-way')
    mkdirSync(join(dir, SQLITE_FILE), { recursive: true })
    const err = await failure(openStore({ dataDir: dir }))
    expect(err.code).toBe('E_STORE_OPEN')
    expect(err.message).toContain(join(dir, SQLITE_FILE))
  })

  it('refuses a URL that is neither empty nor PostgreSQL, rather than fall back to SQLite', async () => {
    const err = await failure(openStore({ url: 'mysql://kepu:secret@db.example:3306/kepu', dataDir: join(root, 'never') }))
    expect(err.code).toBe('E_STORE_URL')
    expect(err.message).toContain('mysql://')
    expect(err.message).not.toContain('secret')
    expect(existsSync(join(root, 'never'))).toBe(false)
    const s = await openStore({ url: '  ', file: ':memory:' })
    expect(s.dialect).toBe('sqlite')
    await s.close()
  })

  it('keeps :memory: stores apart, and stores of one file in one process share it', async () => {
    const m1 = await openStore({ file: ':memory:' })
    const m2 = await openStore({ file: ':memory:' })
    await m1.setValue('k', 'v', at)
    expect(await m2.getValue('k', at)).toBeUndefined()
    await Promise.all([m1.close(), m2.close()])

    const dataDir = join(root, 'shared')
    const a = await openStore({ dataDir })
    const b = await openStore({ dataDir })
    await a.setValue('k', 'v', at)
    await a.close()
    await a.close()
    expect(await b.getValue('k', at)).toBe('v')
    await b.close()
    const c = await openStore({ dataDir })
    expect(await c.getValue('k', at)).toBe('v')
    await c.close()
  })

  it('runs a migration step in one transaction: a failing step leaves the version and the tables as they were', () => {
    const db = new Database(':memory:')
    const steps = [...SCHEMA_STEPS, { version: NEWEST_SCHEMA_VERSION + 1, name: 'broken', sqlite: 'CREATE TABLE extra (x INTEGER); CREATE TABLE extra (y INTEGER);', postgres: '' }]
    expect(() => migrateSqlite(db, steps)).toThrow(new RegExp(`schema step ${NEWEST_SCHEMA_VERSION + 1} \\(broken\\) failed`))
    expect(db.pragma('user_version', { simple: true })).toBe(NEWEST_SCHEMA_VERSION)
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'extra'`).get()).toBeUndefined()
    expect(migrateSqlite(db)).toEqual({ from: NEWEST_SCHEMA_VERSION, to: NEWEST_SCHEMA_VERSION, applied: [] })
    db.close()
  })
})

const CHILD = join(import.meta.dirname, 'fixtures', 'store-child.ts')

/** Starts children on one file, lets them go at the same moment, and collects their one-line results. */
async function together<T>(file: string, mode: 'migrate' | 'claim', count: number): Promise<T[]> {
  const children = Array.from({ length: count }, () => spawn(process.execPath, ['--import', 'tsx', CHILD, file, mode], { stdio: ['pipe', 'pipe', 'pipe'] }))
  const outputs = children.map((child) => {
    let out = ''
    let err = ''
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    const ready = new Promise<void>((resolve) =>
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        if (out.startsWith('ready\n')) resolve()
      }),
    )
    const done = new Promise<T>((resolve, reject) =>
      child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.slice('ready\n'.length)) as T) : reject(new Error(`store-child exited ${code}: ${err}`)))),
    )
    return { child, ready, done }
  })
  await Promise.all(outputs.map((o) => o.ready))
  for (const o of outputs) o.child.stdin.end('go\n')
  return Promise.all(outputs.map((o) => o.done))
}

describe('SQLite store: two processes on one file', () => {
  it('migrate a new file once between them', async () => {
    const file = join(root, 'two-processes', 'migrate.sqlite')
    const results = await together<{ applied: number[] }>(file, 'migrate', 2)
    expect(results.flatMap((r) => r.applied).sort()).toEqual(SCHEMA_STEPS.map((s) => s.version))
    const db = new Database(file, { readonly: true })
    expect(db.pragma('user_version', { simple: true })).toBe(NEWEST_SCHEMA_VERSION)
    db.close()
  })

  it('never claim the same row, and together claim every row', async () => {
    const file = join(root, 'two-processes', 'claim.sqlite')
    const s = await openStore({ file })
    const a = await s.addAnnouncement({ name: 'b', cron: null, target: { kind: 'chats', chats: [] }, template: 't', createdBy: 'cli' }, at)
    await s.recordFiring(a.id, at, Array.from({ length: 300 }, (_, i) => ({ channel: 'telegram', chatId: String(i), text: 't' })), at)
    await s.close()
    const results = await together<{ ids: number[] }>(file, 'claim', 2)
    const all = results.flatMap((r) => r.ids)
    expect(all).toHaveLength(300)
    expect(new Set(all).size).toBe(300)
  })
})
