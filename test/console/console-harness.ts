import type { Sleep } from '../../src/announce/delivery-worker.js'
import { createApp, type App } from '../../src/app.js'
import type { Adapter, Outgoing } from '../../src/core/adapter.js'
import { createLoginLink } from '../../src/console/auth.js'
import { loadConfig } from '../../src/config.js'
import { cacheDir } from '../../src/core/cache-dir.js'
import { MemoryLogger } from '../../src/core/logger.js'
import { fromLocal } from '../../src/core/shanghai-time.js'
import { healthRoutes } from '../../src/http/health-routes.js'
import { startHttpServer, type HttpServer } from '../../src/http/http-server.js'
import { SKILLS } from '../../src/skills.js'
import type { Store } from '../../src/store/async-store.js'
import type { ConsoleStore } from '../../src/store/console-store.js'
import { consoleStoreOf } from '../../src/store/sql/console-store-sql.js'
import { openStore } from '../../src/store/sql/open-store.js'
import { FakeClock } from '../fakes/fake-clock.js'

export const ADMIN_A = 'telegram:1001'
export const ADMIN_B = 'telegram:1002'
export const RESIDENT = 'telegram:2002'

/** The bot with its store and the real HTTP server on port 0, the console mounted as serve mounts it. */
export interface Harness {
  app: App
  store: Store
  consoleStore: ConsoleStore
  clock: FakeClock
  http: HttpServer
  base: string
  /** What the console sent through the (fake) Telegram adapter. */
  sent: Outgoing[]
  /** A fresh one-time login URL for a user. */
  link(userKey: string): Promise<string>
  /** Runs the skills' start (loads stored events into the calendar). */
  close(): Promise<void>
}

/** Wednesday 2 December 2026, 10:00 in Shanghai: 「这周末」 is 5–6 December. */
export const NOW = fromLocal(2026, 12, 2, 10, 0)

/** Where a harness keeps its store (default a new in-memory SQLite) and how its console's loops wait (default real time). */
export interface HarnessOptions {
  /** A SQLite file two harnesses may share, as two replicas share one database. */
  file?: string
  sleep?: Sleep
}

export async function startHarness(env: Record<string, string> = {}, options: HarnessOptions = {}): Promise<Harness> {
  const store = await openStore({ file: options.file ?? ':memory:' })
  const clock = new FakeClock(NOW)
  const config = loadConfig({ envFile: false, env: { KEPU_ADMINS: `${ADMIN_A},${ADMIN_B}`, KEPU_USER_BURST: '1000', KEPU_USER_SUSTAINED: '100000', ...env } })
  const app = createApp({ clock, logger: new MemoryLogger(), store, config, cacheDir: cacheDir(), skills: SKILLS })
  const routes = app.skills.flatMap((s) => s.routes ?? [])
  const http = await startHttpServer({ host: '127.0.0.1', port: 0, routes: [...healthRoutes({ checks: () => ({ store: true }) }), ...routes], logger: new MemoryLogger() })
  const consoleStore = consoleStoreOf(store)!
  const sent: Outgoing[] = []
  const telegram: Adapter = { name: 'telegram', start: async () => {}, stop: async () => {}, send: async (m) => (sent.push(m), { messageId: String(sent.length) }) }
  // As serve does after the adapters started: the console's start gets them (and loads stored events).
  const stop = await app.skills.find((s) => s.skill === 'console')!.start!({ config, clock, logger: new MemoryLogger(), store, adapters: new Map([['telegram', telegram]]), ...(options.sleep ? { sleep: options.sleep } : {}) })
  const base = `http://127.0.0.1:${http.port}`
  return {
    app,
    store,
    consoleStore,
    clock,
    http,
    base,
    sent,
    link: (userKey) => createLoginLink(consoleStore, userKey, base, clock.now()),
    close: async () => {
      // The console's undo: it stops polling the store for other processes' cards and synonyms.
      if (stop) await stop()
      await http.close()
      await store.close()
    },
  }
}

/** Logs in through a link with fetch: the session cookie, or the refusal's status. */
export async function loginWith(url: string): Promise<{ status: number; cookie?: string }> {
  const token = new URL(url).searchParams.get('token') ?? ''
  const res = await fetch(new URL('/admin/login', url), { method: 'POST', body: new URLSearchParams({ token }), redirect: 'manual' })
  const setCookie = res.headers.get('set-cookie') ?? ''
  const cookie = /^(kepu_console=[^;]+)/.exec(setCookie)?.[1]
  await res.text()
  return { status: res.status, ...(cookie ? { cookie } : {}) }
}

/** A page's CSRF token (the first form's). */
export function csrfOf(html: string): string {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? ''
}
