// `npm run bench -- replies`: 500 updates from 200 users through the real Telegram adapter (telegraf) and
// the loopback fake Bot API with Telegram's flood limits enforced (30 msg/s per bot, 1 msg/s per chat).
// Every reply goes through the adapter's one outbound queue. Shows: replies delivered, duplicates, 429s,
// latency from update to accepted reply, and the time against the bound the limits allow.
import { performance } from 'node:perf_hooks'
import { tsImport } from 'tsx/esm/api'
import { createTelegramAdapter } from '../dist/adapters/telegram/telegram-adapter.js'
import { TELEGRAM_LIMITS } from '../dist/src/core/rate-limiter.js'

export const title = 'Replies under Telegram limits (issue 12): 500 updates from 200 users, real time'

const UPDATES = 500
const USERS = 200

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0

export async function run() {
  const { FakeBotApi } = await tsImport('../test/fakes/fake-bot-api.ts', import.meta.url)
  const fake = await FakeBotApi.start({ limits: { perChatPerSecond: 1, perBotPerSecond: 30 } })
  const adapter = createTelegramAdapter({ token: fake.token, apiRoot: fake.apiRoot, setCommands: false, pollTimeoutS: 1 })
  const pushedAt = new Map()
  const latencies = []
  fake.on('sent', (m) => {
    const t = pushedAt.get(m.text)
    if (t !== undefined) latencies.push(performance.now() - t)
  })
  let result
  try {
    await adapter.start(async (incoming) => ({ text: `答：${incoming.text}`, answered: true, intent: 'help' }))
    const t0 = performance.now()
    const perUser = new Map()
    for (let i = 0; i < UPDATES; i++) {
      // 100 users send 3 messages, 100 users send 2: a burst, as after an announcement.
      const user = 1000 + (i % USERS)
      perUser.set(user, (perUser.get(user) ?? 0) + 1)
      const text = `问题${i}`
      pushedAt.set(`答：${text}`, performance.now())
      fake.pushText({ userId: user, text })
    }
    const deadline = Date.now() + 120_000
    while (fake.sent.length < UPDATES && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    const seconds = (performance.now() - t0) / 1000
    const texts = fake.sent.map((m) => m.text)
    const distinct = new Set(texts)
    const rejected = fake.requests.filter((r) => r.method === 'sendMessage' && r.status === 429).length
    const maxPerChat = Math.max(...perUser.values())
    const bound = Math.max(UPDATES / TELEGRAM_LIMITS.perSecond, (maxPerChat - 1) * (TELEGRAM_LIMITS.perChatIntervalMs / 1000))
    const sorted = [...latencies].sort((a, b) => a - b)
    result = { seconds, delivered: distinct.size, duplicates: texts.length - distinct.size, rejected, bound, p50: pct(sorted, 0.5), p99: pct(sorted, 0.99), max: sorted.at(-1) ?? 0, stats: { ...adapter.outboundStats } }
  } finally {
    await adapter.stop()
    await fake.close()
  }
  const r = result
  const ok = r.delivered === UPDATES && r.duplicates === 0 && r.seconds <= r.bound * 1.1
  const lines = [
    `${UPDATES} updates from ${USERS} users at once; budget ${TELEGRAM_LIMITS.perSecond} msg/s and 1 msg/s per chat (bound ${r.bound.toFixed(1)} s); the fake enforces 30 msg/s and 1 msg/s per chat with 429.`,
    '',
    '| replies delivered | duplicates | 429s | time (s) | ÷ bound | latency p50 / p99 / max (s) | stale dropped |',
    '| ---: | ---: | ---: | ---: | ---: | --- | ---: |',
    `| ${r.delivered}/${UPDATES} | ${r.duplicates} | ${r.rejected} | ${r.seconds.toFixed(1)} | ${(r.seconds / r.bound).toFixed(3)} | ${(r.p50 / 1000).toFixed(1)} / ${(r.p99 / 1000).toFixed(1)} / ${(r.max / 1000).toFixed(1)} | ${r.stats.droppedStale} |`,
    '',
    `No reply lost, none doubled, within 1.1× the bound: ${ok ? 'yes' : 'NO'}.`,
  ]
  if (!ok) throw new Error(lines.join('\n'))
  return lines
}
