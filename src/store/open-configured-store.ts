import type { Store } from './async-store.js'
import { openStore } from './sql/open-store.js'

/** The store settings of the one configuration. */
export interface StoreConfig {
  KEPU_DATA_DIR: string
  KEPU_DATABASE_URL?: string | undefined
  KEPU_DATABASE_POOL: number
  KEPU_DATABASE_TLS: boolean
  KEPU_DATABASE_STATEMENT_TIMEOUT_MS: number
}

/**
 * Opens the store the configuration names: PostgreSQL when KEPU_DATABASE_URL is set (pool size, TLS and
 * statement timeout from config), else SQLite in KEPU_DATA_DIR. A wrong URL or an unreachable server throws
 * a StoreError of one line naming the host, never the password.
 */
export function openConfiguredStore(config: StoreConfig): Promise<Store> {
  if (config.KEPU_DATABASE_URL) {
    return openStore({
      url: config.KEPU_DATABASE_URL,
      pool: config.KEPU_DATABASE_POOL,
      ...(config.KEPU_DATABASE_TLS ? { ssl: true } : {}),
      ...(config.KEPU_DATABASE_STATEMENT_TIMEOUT_MS ? { statementTimeoutMs: config.KEPU_DATABASE_STATEMENT_TIMEOUT_MS } : {}),
    })
  }
  return openStore({ dataDir: config.KEPU_DATA_DIR })
}
