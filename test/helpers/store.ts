import type { Store } from '../../src/store/async-store.js'
import { openStore } from '../../src/store/sql/open-store.js'

/** A fresh private SQLite store in memory, migrated to the newest schema. */
export function memoryStore(): Promise<Store> {
  return openStore({ file: ':memory:' })
}

/**
 * Lets work started without being awaited (a cron tick, an adapter's handler) run to its end. The
 * in-memory SQLite store answers in microtasks, so one turn of the event loop drains them all.
 */
export async function settle(turns = 3): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}
