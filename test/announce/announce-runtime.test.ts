import { afterEach, describe, expect, it } from 'vitest'
import { AdminList } from '../../src/announce/admins.js'
import { createAnnounceRuntime } from '../../src/announce/announce-runtime.js'
import { ManualCronFactory } from '../../src/announce/cron-factory.js'
import { readDeliveryConfig } from '../../src/announce/delivery-config.js'
import { virtualSleep } from '../fakes/virtual-sleep.js'
import { FakeClock } from '../fakes/fake-clock.js'
import { ConfigError } from '../../src/core/errors.js'
import { silentLogger } from '../../src/core/logger.js'
import { fromLocal } from '../../src/core/shanghai-time.js'
import type { Store } from '../../src/store/async-store.js'
import { memoryStore } from '../helpers/store.js'
import { fakeContent, MemoryAdapter } from './memory-adapter.js'

const stores: Store[] = []
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close()
})

async function setup(env: Record<string, string> = {}) {
  const store = await memoryStore()
  stores.push(store)
  const clock = new FakeClock(fromLocal(2026, 9, 14, 7, 59))
  const cron = new ManualCronFactory()
  const telegram = new MemoryAdapter('telegram', clock)
  const make = () =>
    createAnnounceRuntime({
      store,
      adapters: [telegram],
      content: fakeContent(),
      admins: AdminList.parse('telegram:42'),
      config: readDeliveryConfig(env),
      clock,
      logger: silentLogger,
      cron: cron.create,
      sleep: virtualSleep(clock),
    })
  return { store, clock, cron, telegram, make }
}

describe('announce runtime', () => {
  it('creates the default announcements once and respects their removal', async () => {
    const { store, make } = await setup()
    const rt = make()
    await rt.start()
    await rt.stop()
    expect((await store.listAnnouncements()).map((a) => a.target.kind === 'topic' && a.target.topic)).toEqual(['weekly', 'events', 'fraud-tip', 'daily-kepu'])
    await store.removeAnnouncement(3)
    const again = make()
    await again.start()
    await again.stop()
    expect(await store.listAnnouncements()).toHaveLength(3)
  })

  it('a subscriber gets the daily tip at 08:00 through the worker, once across a restart', async () => {
    const { store, clock, cron, telegram, make } = await setup()
    await store.subscribe({ channel: 'telegram', chatId: '7', topic: 'fraud-tip', region: undefined }, clock.now())
    let rt = make()
    await rt.start()
    clock.set(fromLocal(2026, 9, 14, 8, 0))
    cron.tick()
    for (let i = 0; i < 50 && telegram.sent.length === 0; i++) await new Promise((r) => setImmediate(r))
    await rt.stop()
    rt = make()
    await rt.start()
    cron.tick()
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r))
    await rt.stop()
    expect(telegram.sent.map((s) => s.text)).toEqual(['【每日防骗提醒】陌生来电要钱，先挂断再核实。\n回复「退订」可取消推送。'])
  })

  it('adds the weekly digest of unanswered questions for admins when asked to', async () => {
    const { store, make } = await setup({ KEPU_UNANSWERED_DIGEST: 'on', KEPU_DEFAULT_ANNOUNCEMENTS: 'off' })
    await make().start()
    const [digest] = await store.listAnnouncements()
    expect(digest).toMatchObject({ name: '未答问题周报', cron: '0 9 * * 1', target: { kind: 'chats', chats: [{ channel: 'telegram', chatId: '42' }] } })
  })
})

describe('readDeliveryConfig', () => {
  it('has safe defaults and names a bad variable', () => {
    const c = readDeliveryConfig({})
    expect(c.limits.telegram!.perSecond).toBe(25)
    expect(c.inDoubtPolicy).toBe('report')
    expect(c.catchUpMs).toBe(6 * 3600_000)
    expect(() => readDeliveryConfig({ KEPU_TELEGRAM_RATE: '40' })).toThrow(ConfigError)
    expect(() => readDeliveryConfig({ KEPU_IN_DOUBT: 'retry' })).toThrow(/KEPU_IN_DOUBT/)
    expect(readDeliveryConfig({ KEPU_WECHAT_DAILY_CAP: '200', KEPU_IN_DOUBT: 'resend' })).toMatchObject({ inDoubtPolicy: 'resend', limits: { wechat: { dailyCap: 200 } } })
  })
})

describe('AdminList', () => {
  it('reads KEPU_ADMINS and refuses an entry without a channel', () => {
    const a = AdminList.parse('telegram:123, wechat:wxid_x')
    expect(a.has('telegram', '123')).toBe(true)
    expect(a.has('wechat', '123')).toBe(false)
    expect(() => AdminList.parse('123')).toThrow(/KEPU_ADMINS/)
  })
})
