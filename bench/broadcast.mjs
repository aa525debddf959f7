// `npm run bench -- broadcast`: a broadcast through the real Telegram adapter (telegraf) to the loopback
// fake Bot API, in real time, at the default budget (25 msg/s), with Telegram's flood limits enforced by
// the fake (429 when over 30/s overall or 1/s per chat). Run twice: on an empty outbox and with 10,000
// other pending rows (5,000 for another channel, 5,000 deferred retries), to show that the cost of the
// queue per message stays flat. KEPU_BENCH_BROADCAST_N changes the size (default 3000: two minutes a run).
// The store is the async one on SQLite; with KEPU_BENCH_DATABASE_URL (postgres://…, a database the bench may
// create schemas in) the first two runs are repeated on PostgreSQL, each in a schema of its own dropped
// afterwards, and the store's cost per message on both databases is shown side by side.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { tsImport } from 'tsx/esm/api'
import { createTelegramAdapter } from '../dist/adapters/telegram/telegram-adapter.js'
import { createAnnouncements } from '../dist/src/announce/announcements.js'
import { createDeliveryWorker } from '../dist/src/announce/delivery-worker.js'
import { TELEGRAM_LIMITS } from '../dist/src/core/rate-limiter.js'
import { emptyTemplateContent } from '../dist/src/announce/template.js'
import { systemClock } from '../dist/src/core/clock.js'
import { silentLogger } from '../dist/src/core/logger.js'
import { openStore } from '../dist/src/store/sql/open-store.js'

export const title = 'Broadcast: outbox → Telegram adapter → fake Bot API, real time'

const N = Number(process.env.KEPU_BENCH_BROADCAST_N ?? 3000)
const BACKGROUND = 10_000
const RATE = TELEGRAM_LIMITS.perSecond
const DATABASE_URL = process.env.KEPU_BENCH_DATABASE_URL?.trim() || undefined

/**
 * Wraps the store methods the worker calls per message, summing the time until each call's promise
 * settles: the outbox steps, and the sender lease it renews while sending.
 */
function timed(store) {
  const samples = []
  const names = new Set(['dueRows', 'claim', 'markSent', 'defer', 'nextDueAt', 'retryLater', 'acquire'])
  const proxy = new Proxy(store, {
    get(target, prop) {
      const v = target[prop]
      if (typeof v !== 'function') return v
      if (!names.has(prop)) return v.bind(target)
      return async (...args) => {
        const t = performance.now()
        try {
          return await v.apply(target, args)
        } finally {
          samples.push(performance.now() - t)
        }
      }
    },
  })
  return { proxy, samples }
}

let schemas = 0

/** A new, empty store: SQLite in a temp data directory, or PostgreSQL in a new schema. */
async function openBenchStore(database) {
  if (database === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'kepu-bench-'))
    const store = await openStore({ dataDir: dir })
    return { store, dispose: async () => rmSync(dir, { recursive: true, force: true }) }
  }
  const schema = `kepu_bench_${process.pid}_${++schemas}`
  const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 1 })
  try {
    await admin.query(`CREATE SCHEMA ${schema}`)
    const store = await openStore({ url: DATABASE_URL, schema })
    return {
      store,
      dispose: async () => {
        await admin.query(`DROP SCHEMA ${schema} CASCADE`)
        await admin.end()
      },
    }
  } catch (err) {
    await admin.end()
    throw err
  }
}

async function scenario(database, name, background, latencyMs = 0) {
  const { FakeBotApi } = await tsImport('../test/fakes/fake-bot-api.ts', import.meta.url)
  const { store, dispose } = await openBenchStore(database)
  const fake = await FakeBotApi.start({ limits: { perChatPerSecond: 1, perBotPerSecond: 30 }, latencyMs })
  try {
    const now = new Date()
    if (background) {
      const bg = await store.addAnnouncement({ name: 'background', cron: null, target: { kind: 'chats', chats: [] }, template: 'x', createdBy: 'bench' }, now)
      const half = BACKGROUND / 2
      await store.recordFiring(bg.id, new Date(now.getTime() - 2), Array.from({ length: half }, (_, i) => ({ channel: 'wechat', chatId: `wx${i}`, text: 'queued for WeChat' })), now)
      const retries = await store.recordFiring(bg.id, new Date(now.getTime() - 1), Array.from({ length: half }, (_, i) => ({ channel: 'telegram', chatId: String(900_000 + i), text: 'waiting to retry' })), now)
      for (const r of await store.rowsOf(retries.id)) await store.defer(r.id, now.getTime() + 86_400_000)
    }
    for (let i = 1; i <= N; i++) await store.subscribe({ channel: 'telegram', chatId: String(i), topic: 'fraud-tip', region: undefined }, now)
    const announcements = createAnnouncements({ store, content: emptyTemplateContent, clock: systemClock })
    const q0 = performance.now()
    const firing = await announcements.broadcast({ kind: 'topic', topic: 'fraud-tip' }, '今日防骗提醒：陌生来电要钱，先挂断再核实。', 'bench')
    const enqueueMs = performance.now() - q0

    const adapter = createTelegramAdapter({ token: fake.token, apiRoot: fake.apiRoot, setCommands: false })
    const { proxy, samples } = timed(store)
    const worker = createDeliveryWorker({ store: proxy, adapters: [adapter], clock: systemClock, logger: silentLogger })
    const t0 = performance.now()
    // As in `kepu serve`: the worker runs until stopped; it is stopped when this firing is settled
    // (the deferred background rows would otherwise keep it waiting until tomorrow).
    await worker.start()
    let report = await store.report(firing.id)
    while (report.pending + report.sending > 0) {
      // Not too often: on SQLite this query waits for the worker's connection, and its turn would count as store time.
      await new Promise((r) => setTimeout(r, 50))
      report = await store.report(firing.id)
    }
    const seconds = (performance.now() - t0) / 1000
    await worker.stop()
    const rejected = fake.requests.filter((r) => r.status === 429).length
    const perMessage = samples.reduce((a, b) => a + b, 0) / report.sent
    const sorted = [...samples].sort((a, b) => a - b)
    const p99 = sorted[Math.floor(sorted.length * 0.99)] ?? 0
    const bound = N / RATE
    return { database, name, seconds, bound, rejected, report, enqueueMs, perMessage, p99, delivered: fake.sent.length, latencyMs }
  } finally {
    await fake.close()
    await store.close()
    await dispose()
  }
}

const DATABASE_NAMES = { sqlite: 'SQLite', postgres: 'PostgreSQL' }

export async function run() {
  const backgroundName = `${BACKGROUND.toLocaleString('en')} other pending rows`
  const sqlite = [
    await scenario('sqlite', 'empty outbox', false),
    await scenario('sqlite', backgroundName, true),
    await scenario('sqlite', 'empty outbox, 100 ms added to every response', false, 100),
  ]
  // The slow link measures the window of sends in flight, not the database: it runs on SQLite only.
  const postgres = DATABASE_URL ? [await scenario('postgres', 'empty outbox', false), await scenario('postgres', backgroundName, true)] : []
  const results = [...sqlite, ...postgres]
  const lines = [
    `${N.toLocaleString('en')} recipients, budget ${RATE} msg/s (bound ${N / RATE} s), fake enforcing 30 msg/s overall and 1 msg/s per chat.`,
    '',
    '| database | outbox | sent | delivered | 429s | time (s) | ÷ bound | enqueue (ms) | store per message (ms) | store call p99 (ms) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ]
  for (const r of results) {
    lines.push(
      `| ${DATABASE_NAMES[r.database]} | ${r.name} | ${r.report.sent} | ${r.delivered} | ${r.rejected} | ${r.seconds.toFixed(1)} | ${(r.seconds / r.bound).toFixed(3)} | ${r.enqueueMs.toFixed(0)} | ${r.perMessage.toFixed(3)} | ${r.p99.toFixed(3)} |`,
    )
  }
  const inBound = (r) => r.report.sent === N && r.delivered === N && r.rejected === 0 && r.seconds <= r.bound * 1.05
  const isFlat = ([a, b]) => b.perMessage <= Math.max(a.perMessage * 2, a.perMessage + 0.05)
  const slow = sqlite[2]
  const ok = [sqlite[0], sqlite[1], ...postgres].every(inBound)
  const slowOk = slow.report.sent === N && slow.delivered === N && slow.rejected === 0 && slow.seconds <= slow.bound * 1.1
  const flat = isFlat(sqlite) && (postgres.length === 0 || isFlat(postgres))
  const queueCost = (name, [a, b]) => `${name} ${(b.perMessage / a.perMessage).toFixed(2)}× the empty outbox (${isFlat([a, b]) ? 'flat' : 'NOT flat'})`
  lines.push(
    '',
    `Within 1.05× the bound with no 429: ${ok ? 'yes' : 'NO'}. On the 100 ms link (a window of sends in flight): within 1.1× the bound with no 429: ${slowOk ? 'yes' : 'NO'}. Queue cost with ${BACKGROUND.toLocaleString('en')} other pending rows: ${[queueCost('SQLite', sqlite), ...(postgres.length ? [queueCost('PostgreSQL', postgres)] : [])].join('; ')}.`,
    postgres.length
      ? `Store per message, empty outbox: SQLite ${sqlite[0].perMessage.toFixed(3)} ms, PostgreSQL ${postgres[0].perMessage.toFixed(3)} ms (${(postgres[0].perMessage / sqlite[0].perMessage).toFixed(1)}×); with ${BACKGROUND.toLocaleString('en')} other pending rows: SQLite ${sqlite[1].perMessage.toFixed(3)} ms, PostgreSQL ${postgres[1].perMessage.toFixed(3)} ms.`
      : 'PostgreSQL not measured: set KEPU_BENCH_DATABASE_URL=postgres://… (a database the bench may create schemas in) to run the first two rows on it too.',
  )
  if (!ok || !flat || !slowOk) throw new Error(lines.join('\n'))
  return lines
}
