import { sql, type Kysely } from 'kysely'
import type { Store } from './async-store.js'
import { StoreError } from './store-error.js'

/**
 * The tables copied, parents before children. Leases, seen update ids, console sessions and login links
 * are left behind: they are short-lived, and a copied lease would lock the new store for its holder.
 */
const TABLES = [
  'store_meta',
  'users',
  'subscriptions',
  'blocked_chats',
  'announcements',
  'firings',
  'outbox',
  'unanswered',
  'unanswered_askers',
  'kv',
  'service_request_counters',
  'service_requests',
  'service_request_history',
  'volunteers',
  'audit_log',
  'staff_events',
  'announcement_drafts',
  'unanswered_handled',
  'question_stats',
  'feedback_counts',
  'staff_content',
] as const

/** Tables whose `id` is generated: the new store's counter continues after the copied ids. */
const SERIAL = new Set(['announcements', 'firings', 'outbox', 'unanswered', 'service_requests', 'service_request_history', 'audit_log', 'staff_events', 'announcement_drafts', 'staff_content'])

const BATCH = 500

/** How many rows each table had. */
export type CopyCounts = Record<string, number>

function kyselyOf(store: Store): Kysely<Record<string, Record<string, unknown>>> {
  const k = (store as unknown as { kysely?: Kysely<Record<string, Record<string, unknown>>> }).kysely
  if (!k) throw new StoreError('E_STORE_OPEN', 'store: this store cannot be copied (not an SQL store)')
  return k
}

async function tablesOf(store: Store, db: Kysely<Record<string, Record<string, unknown>>>): Promise<Set<string>> {
  const rows =
    store.dialect === 'postgres'
      ? await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(db)
      : await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)
  return new Set(rows.rows.map((r) => r.name))
}

/**
 * Copies everything a store keeps into another, empty one of the same schema version (SQLite →
 * PostgreSQL when moving to replicas). Refuses a target that already holds data, so nothing is merged by
 * accident. Generated ids keep their values, and the target's counters continue after them.
 */
export async function copyStore(from: Store, to: Store, onTable?: (table: string, rows: number) => void): Promise<CopyCounts> {
  const src = kyselyOf(from)
  const dst = kyselyOf(to)
  const have = await tablesOf(from, src)
  const want = await tablesOf(to, dst)
  for (const table of TABLES) {
    if (table === 'store_meta' || !want.has(table)) continue
    const row = await dst.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirst()
    if (Number(row?.n ?? 0) > 0) throw new StoreError('E_STORE_MIGRATE', `store: the target already holds data (table ${table}); migrate into an empty database`)
  }
  const counts: CopyCounts = {}
  await dst.transaction().execute(async (trx) => {
    for (const table of TABLES) {
      if (!have.has(table) || !want.has(table)) continue
      // The new store made its own meta (the asker salt): the old one's must win, or residents are not recognised.
      if (table === 'store_meta') await trx.deleteFrom(table).execute()
      let n = 0
      for (let offset = 0; ; offset += BATCH) {
        const rows = await src.selectFrom(table).selectAll().orderBy(sql`1`).limit(BATCH).offset(offset).execute()
        if (!rows.length) break
        await trx.insertInto(table).values(rows).execute()
        n += rows.length
      }
      counts[table] = n
      onTable?.(table, n)
      if (to.dialect === 'postgres' && SERIAL.has(table) && n > 0) {
        await sql`select setval(pg_get_serial_sequence(${table}, 'id'), (select max(id) from ${sql.table(table)}))`.execute(trx)
      }
    }
  })
  return counts
}
