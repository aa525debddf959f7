import { join, resolve } from 'node:path'
import type { Store } from '../async-store.js'
import { StoreError } from '../store-error.js'
import { isPostgresUrl, openPostgres, type PostgresOptions } from './open-postgres.js'
import { openSqlite } from './open-sqlite.js'
import { SqlStore } from './sql-store.js'
import { postgresTransact, sqliteTransact } from './transact.js'

/** The SQLite file inside the data directory: the same name as the old synchronous store's, so a data directory keeps working. */
export const SQLITE_FILE = 'kepu.sqlite'

/** Where the store lives (`KEPU_DATABASE_URL`, `KEPU_DATA_DIR` and the pool settings from config). */
export interface OpenStoreOptions extends Omit<PostgresOptions, 'url'> {
  /** `postgres://…` or `postgresql://…` selects PostgreSQL; absent or empty, SQLite. Any other scheme is refused. */
  url?: string
  /** SQLite: the data directory; the file is `<dataDir>/kepu.sqlite` (default `./data`). Created when missing. */
  dataDir?: string
  /** SQLite: a file path instead of `dataDir`, or `:memory:` for tests. */
  file?: string
  /** The time migrations are recorded at (PostgreSQL keeps it per step); now by default. */
  now?: Date
}

/**
 * Opens the store: PostgreSQL for a `postgres://` URL, else SQLite in the data directory. Either way the
 * schema is brought up to date first, under a lock, so replicas starting together migrate once. Fails
 * with a `StoreError` whose message is one line naming the host or the file — never the password.
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const url = options.url?.trim()
  if (url) {
    if (!isPostgresUrl(url)) {
      const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]
      // Never fall back to SQLite on a typo: replicas each on their own file would each send everything.
      throw new StoreError('E_STORE_URL', `store: the database URL must start with postgres:// (${scheme ? `it starts with ${scheme}://` : 'it has no scheme'})`)
    }
    // The PostgreSQL settings (pool, TLS, timeouts, schema, pool errors) pass through as given.
    const { url: _url, dataDir: _dataDir, file: _file, now, ...postgres } = options
    const h = await openPostgres({ ...postgres, url }, now ?? new Date())
    return new SqlStore(h.db, { name: 'postgres', transact: postgresTransact(h.db), release: () => h.release() })
  }
  const file = options.file === ':memory:' ? ':memory:' : resolve(options.file ?? join(options.dataDir ?? './data', SQLITE_FILE))
  const h = openSqlite(file)
  return new SqlStore(h.db, { name: 'sqlite', transact: sqliteTransact(h.db), release: () => h.release() })
}
