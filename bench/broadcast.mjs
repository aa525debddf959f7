// `npm run bench -- broadcast`: a broadcast through the real Telegram adapter (telegraf) to the loopback
// fake Bot API, in real time, at the default budget (25 msg/s), with Telegram's flood limits enforced by
// the fake (429 when over 30/s overall or 1/s per chat). Run twice: on an empty outbox and with 10,000
// other pending rows (5,000 for another channel, 5,000 deferred retries), to show that the cost of the
// queue per message stays flat. KEPU_BENCH_BROADCAST_N changes the size (default 3000: two minutes a run).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { tsImport } from 'tsx/esm/api'
import { createTelegramAdapter } from '../dist/adapters/telegram/telegram-adapter.js'
import { createAnnouncements } from '../dist/src/announce/announcements.js'
import { createDeliveryWorker } from '../dist/src/announce/delivery-worker.js'
import { TELEGRAM_LIMITS } from '../dist/src/core/rate-limiter.js'
import { emptyTemplateContent } from '../dist/src/announce/template.js'
import { systemClock } from '../dist/src/core/clock.js'
import { silentLogger } from '../dist/src/core/logger.js'
import { openSqliteStore } from '../dist/src/store/sqlite-store.js'

export const title = 'Broadcast: outbox → Telegram adapter → fake Bot API, real time'

const N = Number(process.env.KEPU_BENCH_BROADCAST_N ?? 3000)
const BACKGROUND = 10_000
const RATE = TELEGRAM_LIMITS.perSecond

/** Wraps the store's outbox methods the worker calls, summing the time spent in each call. */
function timed(store) {
  const samples = []
  const names = new Set(['dueRows', 'claim', 'markSent', 'defer', 'nextDueAt', 'retryLater'])
  const proxy = new Proxy(store, {
    get(target, prop) {
      const v = target[prop]
      if (typeof v !== 'function') return v
      if (!names.has(prop)) return v.bind(target)
      return (...args) => {
        const t = performance.now()
        try {
          return v.apply(target, args)
        } finally {
          samples.push(performance.now() - t)
        }
      }
    },
  })
  return { proxy, samples }
}

async function scenario(name, background, latencyMs = 0) {
  const { FakeBotApi } = await tsImport('../test/fakes/fake-bot-api.ts', import.meta.url)
  const dir = mkdtempSync(join(tmpdir(), 'kepu-bench-'))
  const store = openSqliteStore({ dataDir: dir })
  const fake = await FakeBotApi.start({ limits: { perChatPerSecond: 1, perBotPerSecond: 30 }, latencyMs })
  try {
    const now = new Date()
    if (background) {
      const bg = store.addAnnouncement({ name: 'background', cron: null, target: { kind: 'chats', chats: [] }, template: 'x', createdBy: 'bench' }, now)
      const half = BACKGROUND / 2
      store.recordFiring(bg.id, new Date(now.getTime() - 2), Array.from({ length: half }, (_, i) => ({ channel: 'wechat', chatId: `wx${i}`, text: 'queued for WeChat' })), now)
      const retries = store.recordFiring(bg.id, new Date(now.getTime() - 1), Array.from({ length: half }, (_, i) => ({ channel: 'telegram', chatId: String(900_000 + i), text: 'waiting to retry' })), now)
      for (const r of store.rowsOf(retries.id)) store.defer(r.id, now.getTime() + 86_400_000)
    }
    for (let i = 1; i <= N; i++) store.subscribe({ channel: 'telegram', chatId: String(i), topic: 'fraud-tip', region: undefined }, now)
    const announcements = createAnnouncements({ store, content: emptyTemplateContent, clock: systemClock })
    const q0 = performance.now()
    const firing = announcements.broadcast({ kind: 'topic', topic: 'fraud-tip' }, '今日防骗提醒：陌生来电要钱，先挂断再核实。', 'bench')
    const enqueueMs = performance.now() - q0

    const adapter = createTelegramAdapter({ token: fake.token, apiRoot: fake.apiRoot, setCommands: false })
    const { proxy, samples } = timed(store)
    const worker = createDeliveryWorker({ store: proxy, adapters: [adapter], clock: systemClock, logger: silentLogger })
    const t0 = performance.now()
    // As in `kepu serve`: the worker runs until stopped; it is stopped when this firing is settled
    // (the deferred background rows would otherwise keep it waiting until tomorrow).
    await worker.start()
    let report = store.report(firing.id)
    while (report.pending + report.sending > 0) {
      await new Promise((r) => setTimeout(r, 5))
      report = store.report(firing.id)
    }
    const seconds = (performance.now() - t0) / 1000
    await worker.stop()
    const rejected = fake.requests.filter((r) => r.status === 429).length
    const perMessage = samples.reduce((a, b) => a + b, 0) / report.sent
    const sorted = [...samples].sort((a, b) => a - b)
    const p99 = sorted[Math.floor(sorted.length * 0.99)] ?? 0
    const bound = N / RATE
    return { name, seconds, bound, rejected, report, enqueueMs, perMessage, p99, delivered: fake.sent.length, latencyMs }
  } finally {
    await fake.close()
    store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

export async function run() {
  const results = [await scenario('empty outbox', false), await scenario(`${BACKGROUND.toLocaleString('en')} other pending rows`, true), await scenario('empty outbox, 100 ms added to every response', false, 100)]
  const lines = [
    `${N.toLocaleString('en')} recipients, budget ${RATE} msg/s (bound ${N / RATE} s), fake enforcing 30 msg/s overall and 1 msg/s per chat.`,
    '',
    '| outbox | sent | delivered | 429s | time (s) | ÷ bound | enqueue (ms) | store per message (ms) | store call p99 (ms) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ]
  for (const r of results) {
    lines.push(
      `| ${r.name} | ${r.report.sent} | ${r.delivered} | ${r.rejected} | ${r.seconds.toFixed(1)} | ${(r.seconds / r.bound).toFixed(3)} | ${r.enqueueMs.toFixed(0)} | ${r.perMessage.toFixed(3)} | ${r.p99.toFixed(3)} |`,
    )
  }
  const [a, b, slow] = results
  const ok = [a, b].every((r) => r.report.sent === N && r.delivered === N && r.rejected === 0 && r.seconds <= r.bound * 1.05)
  const slowOk = slow.report.sent === N && slow.delivered === N && slow.rejected === 0 && slow.seconds <= slow.bound * 1.1
  const flat = b.perMessage <= Math.max(a.perMessage * 2, a.perMessage + 0.05)
  lines.push(
    '',
    `Within 1.05× the bound with no 429: ${ok ? 'yes' : 'NO'}. On the 100 ms link (a window of sends in flight): within 1.1× the bound with no 429: ${slowOk ? 'yes' : 'NO'}. Queue cost with ${BACKGROUND.toLocaleString('en')} other pending rows: ${(b.perMessage / a.perMessage).toFixed(2)}× the empty outbox (${flat ? 'flat' : 'NOT flat'}).`,
  )
  if (!ok || !flat || !slowOk) throw new Error(lines.join('\n'))
  return lines
}
