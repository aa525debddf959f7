import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { StoreError } from '../store-error.js'
import type { KepuDatabase } from './database.js'
import { migrateSqlite, type MigrationResult } from './migrate.js'

/** One open SQLite database, possibly shared by several stores of this process. */
export interface SqliteHandle {
  readonly db: Kysely<KepuDatabase>
  readonly file: string
  /** What opening it migrated (the first opener's run when shared). */
  readonly migration: MigrationResult
  /** Drops this store's share; the last one closes the file. */
  release(): Promise<void>
}

interface Shared {
  db: Kysely<KepuDatabase>
  migration: MigrationResult
  refs: number
}

/**
 * Files open in this process. better-sqlite3 is synchronous: if two connections of one process shared a
 * file, one holding a write transaction across an `await` and the other starting to write, the second
 * would block the whole event loop in SQLite's busy handler — and the first could never commit. So every
 * store of this process on one file shares one connection, and Kysely's connection mutex queues their
 * transactions. Other processes (`kepu announce` beside `kepu serve`) wait up to busy_timeout instead.
 */
const openFiles = new Map<string, Shared>()

const CORRUPT = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT'])

/**
 * Opens (creating and migrating as needed) a SQLite database file, or a private `:memory:` database.
 * WAL mode lets the CLI write while `serve` runs; with `synchronous = NORMAL` a commit survives a crash of
 * the process (SIGKILL), which exactly-once delivery relies on.
 */
export function openSqlite(file: string): SqliteHandle {
  const existing = file === ':memory:' ? undefined : openFiles.get(file)
  if (existing) {
    existing.refs++
    return handle(file, existing)
  }
  if (file !== ':memory:') {
    try {
      mkdirSync(dirname(file), { recursive: true })
    } catch (err) {
      throw new StoreError('E_STORE_OPEN', `store: cannot create the directory of ${file}: ${reason(err)}`, { cause: err })
    }
  }
  let raw: Database.Database | undefined
  let migration: MigrationResult
  try {
    raw = new Database(file)
    // First, so that everything after it — switching a new file to WAL included — waits for another
    // process (a replica migrating the same new file) instead of failing at once with SQLITE_BUSY.
    raw.pragma('busy_timeout = 5000')
    switchToWal(raw)
    raw.pragma('synchronous = NORMAL')
    raw.pragma('foreign_keys = ON')
    migration = migrateSqlite(raw)
  } catch (err) {
    raw?.close()
    if (err instanceof StoreError && err.code !== 'E_STORE_MIGRATE') throw err
    const code = sqliteCode(err)
    if (code && CORRUPT.has(code)) {
      throw new StoreError('E_STORE_CORRUPT', `store: ${file} is not a SQLite database or is damaged (${reason(err)}); restore it from a backup or move it away`, { cause: err })
    }
    if (err instanceof StoreError) throw err
    throw new StoreError('E_STORE_OPEN', `store: cannot open ${file}: ${reason(err)}`, { cause: err })
  }
  const shared: Shared = { db: new Kysely<KepuDatabase>({ dialect: new SqliteDialect({ database: raw }) }), migration, refs: 1 }
  if (file !== ':memory:') openFiles.set(file, shared)
  return handle(file, shared)
}

/**
 * `journal_mode = WAL` on a new file takes an exclusive lock from a shared one. Two processes doing it at
 * once is the one case where SQLite answers SQLITE_BUSY at once instead of waiting (waiting could deadlock):
 * the loser tries again, and then finds the file in WAL mode already or waits its turn like any writer.
 */
function switchToWal(db: Database.Database): void {
  for (let attempt = 1; ; attempt++) {
    try {
      db.pragma('journal_mode = WAL')
      return
    } catch (err) {
      if (sqliteCode(err) !== 'SQLITE_BUSY' || attempt >= 5) throw err
    }
  }
}

function handle(file: string, shared: Shared): SqliteHandle {
  let released = false
  return {
    db: shared.db,
    file,
    migration: shared.migration,
    async release() {
      if (released) return
      released = true
      if (--shared.refs > 0) return
      if (openFiles.get(file) === shared) openFiles.delete(file)
      await shared.db.destroy()
    },
  }
}

function sqliteCode(err: unknown): string | undefined {
  // A failed step wraps the driver's error; look through it.
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && code.startsWith('SQLITE_')) return code
  }
  return undefined
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
