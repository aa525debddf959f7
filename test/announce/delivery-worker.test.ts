import { afterEach, describe, expect, it } from 'vitest'
import { createDeliveryWorker, type DeliveryWorkerDeps } from '../../src/announce/delivery-worker.js'
import { virtualSleep } from '../fakes/virtual-sleep.js'
import { TELEGRAM_LIMITS, WECHAT_LIMITS } from '../../src/core/rate-limiter.js'
import { FakeClock } from '../fakes/fake-clock.js'
import { DeliveryError } from '../../src/core/errors.js'
import { MemoryLogger } from '../../src/core/logger.js'
import { fromLocal } from '../../src/core/shanghai-time.js'
import type { ChatRef, Store } from '../../src/store/async-store.js'
import { memoryStore } from '../helpers/store.js'
import { MemoryAdapter } from './memory-adapter.js'

const stores: Store[] = []
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close()
})

async function setup() {
  const store = await memoryStore()
  stores.push(store)
  const clock = new FakeClock(fromLocal(2026, 9, 14, 9, 0))
  const logger = new MemoryLogger()
  const telegram = new MemoryAdapter('telegram', clock)
  const wechat = new MemoryAdapter('wechat', clock)
  const a = await store.addAnnouncement({ name: 'b', cron: null, target: { kind: 'chats', chats: [] }, template: 't', createdBy: 'cli' }, clock.now())
  let n = 0
  const queue = async (chats: ChatRef[]) => (await store.recordFiring(a.id, new Date(clock.now().getTime() + n++), chats.map((c) => ({ ...c, text: `hi ${c.chatId}` })), clock.now()))!
  const worker = (over: Partial<DeliveryWorkerDeps> = {}) =>
    createDeliveryWorker({ store, adapters: [telegram, wechat], clock, sleep: virtualSleep(clock), logger, ...over })
  return { store, clock, logger, telegram, wechat, queue, worker }
}

const users = (n: number, channel = 'telegram'): ChatRef[] => Array.from({ length: n }, (_, i) => ({ channel, chatId: String(1000 + i) }))

/** The most sends inside any window of `ms`. */
function maxInWindow(times: number[], ms: number): number {
  let best = 0
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= ms) j++
    best = Math.max(best, i - j + 1)
  }
  return best
}

describe('delivery worker', () => {
  it('sends every row once at the configured budget (25/s: 500 messages in about 20 s)', async () => {
    const { store, clock, telegram, queue, worker } = await setup()
    const start = clock.now().getTime()
    const f = await queue(users(500))
    await worker().drain()
    expect(telegram.sent).toHaveLength(500)
    expect(new Set(telegram.sent.map((s) => s.chatId)).size).toBe(500)
    const elapsed = clock.now().getTime() - start
    expect(elapsed).toBeGreaterThanOrEqual(19_000)
    expect(elapsed).toBeLessThanOrEqual(20_000 * 1.05)
    expect(maxInWindow(telegram.sent.map((s) => s.at), 1000)).toBeLessThanOrEqual(TELEGRAM_LIMITS.perSecond + 1)
    expect(await store.report(f.id)).toMatchObject({ total: 500, sent: 500 })
  })

  it('keeps one message a second per chat and twenty a minute per group', async () => {
    const { telegram, queue, worker } = await setup()
    for (let i = 0; i < 30; i++) await queue([{ channel: 'telegram', chatId: '-100', isGroup: true }, { channel: 'telegram', chatId: '7' }])
    await worker().drain()
    const group = telegram.sent.filter((s) => s.chatId === '-100').map((s) => s.at)
    const user = telegram.sent.filter((s) => s.chatId === '7').map((s) => s.at)
    expect(group).toHaveLength(30)
    expect(maxInWindow(group, 60_000)).toBeLessThanOrEqual(20)
    expect(maxInWindow(user, 1000)).toBe(1)
    // The private chat is not held up by the group's minute limit.
    expect(user.at(-1)! - user[0]!).toBeLessThan(40_000)
  })

  it('honours retry_after on 429 for the whole channel, then delivers', async () => {
    const { store, clock, telegram, queue, worker } = await setup()
    telegram.fail('1000', new DeliveryError('rate_limited', '429', { retryAfterMs: 7000 }))
    const t0 = clock.now().getTime()
    const f = await queue(users(3))
    await worker().drain()
    expect(telegram.sent.map((s) => s.chatId).sort()).toEqual(['1000', '1001', '1002'])
    expect(Math.min(...telegram.sent.map((s) => s.at))).toBeGreaterThanOrEqual(t0 + 7000)
    expect(await store.report(f.id)).toMatchObject({ sent: 3 })
  })

  it('retries transient failures with growing backoff and gives up after the limit', async () => {
    const { store, clock, telegram, queue, worker } = await setup()
    const t = () => new DeliveryError('transient', '502')
    telegram.fail('1000', t(), t())
    telegram.fail('1001', t(), t(), t())
    const t0 = clock.now().getTime()
    const f = await queue(users(2))
    await worker({ retry: { maxAttempts: 3, baseMs: 1000, maxMs: 60_000 } }).drain()
    expect(telegram.sent.map((s) => s.chatId)).toEqual(['1000'])
    // Two waits of about 1 s and 2 s (±25 %).
    expect(telegram.sent[0]!.at - t0).toBeGreaterThanOrEqual(2250)
    expect(await store.report(f.id)).toMatchObject({ sent: 1, failed: 1 })
  })

  it('marks blocked chats, skips their other messages and leaves them out of later firings', async () => {
    const { store, telegram, queue, worker } = await setup()
    await store.subscribe({ channel: 'telegram', chatId: '1000', topic: 'fraud-tip', region: undefined }, new Date())
    telegram.fail('1000', new DeliveryError('blocked', '403'))
    const f = await queue(users(2))
    const g = await queue(users(2))
    await worker().drain()
    expect(telegram.countTo('1000')).toBe(0)
    expect(telegram.countTo('1001')).toBe(2)
    expect(await store.report(f.id)).toMatchObject({ blocked: 1, sent: 1 })
    expect(await store.report(g.id)).toMatchObject({ blocked: 1, sent: 1 })
    expect(await store.subscribers('fraud-tip')).toEqual([])
  })

  it('a send that times out (in doubt) or is refused is not retried', async () => {
    const { store, telegram, queue, worker } = await setup()
    telegram.fail('1000', new DeliveryError('in_doubt', 'timeout'))
    telegram.fail('1001', new DeliveryError('permanent', '400'))
    const f = await queue(users(3))
    await worker().drain()
    expect(telegram.sent.map((s) => s.chatId)).toEqual(['1002'])
    expect(await store.report(f.id)).toMatchObject({ inDoubt: 1, failed: 1, sent: 1 })
  })

  it('after a crash, the message in flight is in doubt and not resent; the rest go once', async () => {
    const { store, clock, telegram, logger, queue, worker } = await setup()
    const f = await queue(users(5))
    // The crashed run claimed the first row (committed "sending") and died before recording the outcome.
    const [first] = await store.dueRows('telegram', clock.now(), 1)
    await store.claim(first!.id, clock.now())
    await worker().drain()
    expect(telegram.sent.map((s) => s.chatId)).toEqual(['1001', '1002', '1003', '1004'])
    expect(await store.report(f.id)).toMatchObject({ total: 5, sent: 4, inDoubt: 1 })
    expect(logger.records.some((r) => r.msg?.includes('in doubt'))).toBe(true)
  })

  it('the resend policy sends an in-flight message again, as documented', async () => {
    const { store, clock, telegram, queue, worker } = await setup()
    await queue(users(2))
    const [first] = await store.dueRows('telegram', clock.now(), 1)
    await store.claim(first!.id, clock.now())
    await worker({ inDoubtPolicy: 'resend' }).drain()
    expect(telegram.sent).toHaveLength(2)
  })

  it('an unsubscribe while a broadcast drains stops the rest for that chat at once', async () => {
    const { store, telegram, worker, clock } = await setup()
    const a = await store.addAnnouncement({ name: 'x', cron: null, target: { kind: 'topic', topic: 'fraud-tip' }, template: 't', createdBy: 'cli' }, clock.now())
    await store.recordFiring(a.id, clock.now(), users(3).map((u) => ({ ...u, text: 't', topic: 'fraud-tip' })), clock.now())
    await store.unsubscribe('telegram', '1001', 'fraud-tip')
    await worker().drain()
    expect(telegram.sent.map((s) => s.chatId)).toEqual(['1000', '1002'])
  })

  it('WeChat is paced slowly with a daily cap that survives restarts, while Telegram, in its own loop, is done', async () => {
    const { clock, telegram, wechat, queue, worker } = await setup()
    const limits = { telegram: TELEGRAM_LIMITS, wechat: { ...WECHAT_LIMITS, dailyCap: 3 } }
    await queue([...users(5, 'wechat'), ...users(5, 'telegram')])
    const runFor = async (ms: number) => {
      const w = worker({ limits, pollMs: 60_000 })
      await w.start()
      const until = clock.now().getTime() + ms
      while (clock.now().getTime() < until) await new Promise((r) => setImmediate(r))
      await w.stop()
    }
    await runFor(3600_000)
    expect(telegram.sent).toHaveLength(5)
    expect(wechat.sent).toHaveLength(3)
    const gaps = wechat.sent.slice(1).map((s, i) => s.at - wechat.sent[i]!.at)
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000 / WECHAT_LIMITS.perSecond - 100)
    // A restart the same day does not reset the count.
    await runFor(3600_000)
    expect(wechat.sent).toHaveLength(3)
    // The next day (from 00:00 Asia/Shanghai) the rest go out.
    clock.set(fromLocal(2026, 9, 15, 0, 0))
    await runFor(60_000)
    expect(wechat.sent).toHaveLength(5)
  })

  it('start/stop: runs in the background, wakes on new rows and stops cleanly', async () => {
    const { telegram, queue, worker } = await setup()
    const w = worker({ pollMs: 50 })
    await w.start()
    await queue(users(3))
    w.wake()
    for (let i = 0; i < 100 && telegram.sent.length < 3; i++) await new Promise((r) => setImmediate(r))
    await w.stop()
    expect(telegram.sent).toHaveLength(3)
  })
})
