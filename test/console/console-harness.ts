import { createTelegramAdapter } from '../../adapters/telegram/telegram-adapter.js'
import { ManualCronFactory } from '../../src/announce/cron-factory.js'
import { realSleep, type Sleep } from '../../src/announce/delivery-worker.js'
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
import type { SkillRun } from '../../src/skills/skill-env.js'
import type { Undo } from '../../src/core/skill.js'
import type { Store } from '../../src/store/async-store.js'
import type { ConsoleStore } from '../../src/store/console-store.js'
import { consoleStoreOf } from '../../src/store/sql/console-store-sql.js'
import { openStore } from '../../src/store/sql/open-store.js'
import { FakeClock } from '../fakes/fake-clock.js'
import { virtualSleep } from '../fakes/virtual-sleep.js'

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
  /** What the console sent through the recording Telegram adapter (empty with the `telegram` option: see the Bot API's). */
  sent: Outgoing[]
  /** A fresh one-time login URL for a user. */
  link(userKey: string): Promise<string>
  /**
   * The scheduler's once-a-minute tick, now (only with the `telegram` option): firings due at the fake clock's
   * time are queued and the delivery worker woken. It does not wait for the sends.
   */
  tick(): void
  /** Undoes the skills' starts, stops the adapter, the HTTP server and the store. */
  close(): Promise<void>
}

/** Wednesday 2 December 2026, 10:00 in Shanghai: 「这周末」 is 5–6 December. */
export const NOW = fromLocal(2026, 12, 2, 10, 0)

/** Where a harness keeps its store (default a new in-memory SQLite) and how its console's loops wait (default real time). */
export interface HarnessOptions {
  /** A SQLite file two harnesses may share, as two replicas share one database. */
  file?: string
  sleep?: Sleep
  /**
   * Serve as `kepu serve` does with Telegram: the real adapter (telegraf) polling and sending through this Bot
   * API (the loopback fake), then every skill's start, so the subscriptions skill's scheduler (ticked by
   * `tick()`) and delivery worker run beside the console. Without it only the console starts, with a
   * recording adapter (`sent`).
   */
  telegram?: { apiRoot: string; token: string }
}

/** The delivery worker's idle look at the outbox (its default poll): anything shorter is pacing between sends. */
const WORKER_POLL_MS = 1000

/**
 * Waits for background loops on a harness serving Telegram: pacing between sends moves the fake clock (the
 * rate limiter runs on it, so real waiting would never satisfy it), while an idle loop waits in real time or
 * until woken (the scheduler wakes the worker when it queues a firing), so the fake clock stays where the
 * test put it instead of racing ahead with every idle round.
 */
export function pacedSleep(clock: FakeClock): Sleep {
  const virtual = virtualSleep(clock)
  return (ms, signal) => (ms < WORKER_POLL_MS ? virtual(ms) : realSleep(ms, signal))
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
  const undos: Undo[] = []
  const cron = new ManualCronFactory()
  let telegram: Adapter
  if (options.telegram) {
    // Fast limits and a short poll, as the other telegraf tests on the fake use; replies and sends are real Bot API calls.
    telegram = createTelegramAdapter({ token: options.telegram.token, apiRoot: options.telegram.apiRoot, pollTimeoutS: 1, sendTimeoutMs: 2000, setCommands: false, limits: { perSecond: 1000, perChatIntervalMs: 0, perGroupPerMinute: 20 } })
    await telegram.start((incoming) => app.bot.handle(incoming))
    undos.push(() => telegram.stop())
  } else {
    telegram = { name: 'telegram', start: async () => {}, stop: async () => {}, send: async (m) => (sent.push(m), { messageId: String(sent.length) }) }
  }
  // As serve does after the adapters started: the skills' start gets them (the console's loads stored events).
  const run: SkillRun = { config, clock, logger: new MemoryLogger(), store, adapters: new Map([['telegram', telegram]]), cron: cron.create }
  const sleep = options.sleep ?? (options.telegram ? pacedSleep(clock) : undefined)
  if (sleep) run.sleep = sleep
  const starting = options.telegram ? app.skills : app.skills.filter((s) => s.skill === 'console')
  for (const s of starting) {
    const undo = await s.start?.(run)
    if (undo) undos.push(undo)
  }
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
    tick: () => {
      if (!options.telegram) throw new Error('tick: only a harness started with the telegram option runs the scheduler')
      cron.tick()
    },
    close: async () => {
      // The skills' undos in reverse (the console stops polling the store for other processes' cards and
      // synonyms; the scheduler and the worker stop), then the adapter.
      for (const undo of undos.reverse()) await undo()
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

/** fetch helpers for route tests: GET and form POST without following redirects, and a logged-in admin's cookie. */
export function consoleClient(harness: () => Harness): {
  get: (path: string, cookie?: string) => Promise<Response>
  post: (path: string, fields: Record<string, string | string[]>, cookie?: string) => Promise<Response>
  session: (user?: string) => Promise<string>
} {
  return {
    get: (path, cookie) => fetch(`${harness().base}${path}`, { redirect: 'manual', ...(cookie ? { headers: { cookie } } : {}) }),
    post: (path, fields, cookie) => {
      const body = new URLSearchParams()
      for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x)
      return fetch(`${harness().base}${path}`, { method: 'POST', body, redirect: 'manual', ...(cookie ? { headers: { cookie } } : {}) })
    },
    session: async (user = ADMIN_A) => {
      const { cookie } = await loginWith(await harness().link(user))
      if (!cookie) throw new Error(`console test: ${user} could not log in`)
      return cookie
    },
  }
}

/** A page's CSRF token (the first form's). */
export function csrfOf(html: string): string {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? ''
}
