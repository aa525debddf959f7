import { sql, type Kysely } from 'kysely'
import type { KepuDatabase } from './database.js'

/** Runs `fn` in one write transaction and resolves to its result; any error rolls everything back. */
export type Transact = <T>(fn: (trx: Kysely<KepuDatabase>) => Promise<T>) => Promise<T>

/**
 * SQLite: `BEGIN IMMEDIATE` on the one connection. Kysely's own transactions start with a plain (deferred)
 * `BEGIN`, which reads first and asks for the write lock later — in WAL mode that upgrade fails at once
 * with SQLITE_BUSY, without waiting, when another process wrote in between. Taking the write lock up front
 * makes a second process wait its turn (busy_timeout) instead.
 */
export function sqliteTransact(db: Kysely<KepuDatabase>): Transact {
  return (fn) =>
    db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn)
      try {
        const result = await fn(conn)
        await sql`commit`.execute(conn)
        return result
      } catch (err) {
        // SQLite may already have rolled back (SQLITE_FULL, SQLITE_IOERR): then there is nothing to undo.
        await sql`rollback`.execute(conn).catch(() => undefined)
        throw err
      }
    })
}

/**
 * PostgreSQL: a READ COMMITTED transaction on one pooled connection. The store's races are settled by
 * unique keys (`ON CONFLICT`), row locks (`FOR UPDATE`, `SKIP LOCKED`) and single-statement upserts, which
 * is what READ COMMITTED is made for; nothing retries on serialization failures.
 */
export function postgresTransact(db: Kysely<KepuDatabase>): Transact {
  return (fn) => db.transaction().execute((trx) => fn(trx))
}
