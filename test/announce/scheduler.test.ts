import { afterEach, describe, expect, it } from 'vitest'
import { createAnnouncements } from '../../src/announce/announcements.js'
import { ManualCronFactory } from '../../src/announce/cron-factory.js'
import { createScheduler } from '../../src/announce/scheduler.js'
import { FakeClock } from '../fakes/fake-clock.js'
import { MemoryLogger } from '../../src/core/logger.js'
import { fromLocal } from '../../src/core/shanghai-time.js'
import type { Store } from '../../src/store/async-store.js'
import { memoryStore, settle } from '../helpers/store.js'
import { fakeContent } from './memory-adapter.js'

const HOUR = 3600_000
const stores: Store[] = []
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close()
})

async function setup(start = fromLocal(2026, 9, 13, 12, 0), catchUpMs = 6 * HOUR, observances: { name: string; date: string }[] = []) {
  const store = await memoryStore()
  stores.push(store)
  const clock = new FakeClock(start)
  const logger = new MemoryLogger()
  const cron = new ManualCronFactory()
  const announcements = createAnnouncements({ store, content: fakeContent(observances), clock })
  const make = () => createScheduler({ store, announcements, clock, logger, cron: cron.create, catchUpMs })
  for (const id of ['1', '2', '3']) await store.subscribe({ channel: 'telegram', chatId: id, topic: 'weekly', region: id === '3' ? '乌海市' : '东营市' }, clock.now())
  return { store, clock, logger, cron, announcements, make }
}

describe('scheduler', () => {
  it('fires at the scheduled minute, once, to the target region only, with live content', async () => {
    const { store, clock, cron, announcements, make } = await setup()
    const { announcement } = await announcements.add({ cron: '0 9 * * 1', target: { kind: 'topic', topic: 'weekly', region: '东营市' }, template: '本周活动：{week_events}' }, 'cli')
    const scheduler = make()
    scheduler.start()
    expect(cron.size).toBe(1)
    cron.tick()
    await settle()
    expect(await store.reports(new Date(0))).toEqual([])
    clock.set(fromLocal(2026, 9, 14, 9, 0))
    cron.tick()
    cron.tick()
    await settle()
    const reports = await store.reports(new Date(0))
    expect(reports).toHaveLength(1)
    expect(reports[0]).toMatchObject({ announcementId: announcement.id, total: 2, pending: 2 })
    const rows = await store.rowsOf(reports[0]!.firingId)
    expect(rows.map((r) => r.chatId)).toEqual(['1', '2'])
    expect(rows[0]!.text).toBe('本周活动：东营市本周：科普讲座')
    scheduler.stop()
    expect(cron.size).toBe(0)
  })

  it('a restarted scheduler does not fire again what was fired', async () => {
    const { store, clock, announcements, make } = await setup()
    await announcements.add({ cron: '0 9 * * 1', target: { kind: 'topic', topic: 'weekly' }, template: '{week_events}' }, 'cli')
    clock.set(fromLocal(2026, 9, 14, 9, 0))
    expect(await make().runDue()).toHaveLength(1)
    clock.advance(30_000)
    expect(await make().runDue()).toHaveLength(0)
    expect(await store.reports(new Date(0))).toHaveLength(1)
  })

  it('catches up firings missed within the window, each once', async () => {
    const { clock, announcements, make } = await setup(fromLocal(2026, 9, 14, 7, 0))
    await announcements.add({ cron: '0 8,9,10 * * *', target: { kind: 'topic', topic: 'weekly' }, template: '{week_events}' }, 'cli')
    // Down from 07:00 until 10:30: three firings missed, all within six hours.
    clock.set(fromLocal(2026, 9, 14, 10, 30))
    const fired = await make().runDue()
    expect(fired.map((f) => f.fireAt)).toEqual([fromLocal(2026, 9, 14, 8), fromLocal(2026, 9, 14, 9), fromLocal(2026, 9, 14, 10)])
  })

  it('skips and logs firings older than the window, and remembers that it did', async () => {
    const { store, clock, logger, announcements, make } = await setup(fromLocal(2026, 9, 1, 7, 0), 2 * HOUR)
    const { announcement } = await announcements.add({ cron: '0 9 * * *', target: { kind: 'topic', topic: 'weekly' }, template: '{week_events}' }, 'cli')
    clock.set(fromLocal(2026, 9, 14, 10, 0))
    const fired = await make().runDue()
    expect(fired.map((f) => f.fireAt)).toEqual([fromLocal(2026, 9, 14, 9)])
    const warn = logger.records.find((r) => r.level === 'warn')
    expect(warn?.obj).toMatchObject({ announcement: announcement.id, missed: 13 })
    expect((await store.getAnnouncement(announcement.id))!.lastFiringAt).toEqual(fromLocal(2026, 9, 14, 9))
    clock.set(fromLocal(2026, 9, 14, 13, 0))
    expect(await make().runDue()).toEqual([])
  })

  it('skips a long outage of an every-minute announcement in one step', async () => {
    const { clock, logger, announcements, make } = await setup(fromLocal(2026, 9, 1, 0, 0), 10 * 60_000)
    await announcements.add({ cron: '* * * * *', target: { kind: 'topic', topic: 'weekly' }, template: '{week_events}' }, 'cli')
    clock.set(fromLocal(2026, 9, 14, 10, 0))
    expect(await make().runDue()).toHaveLength(11) // 09:50 … 10:00
    expect(logger.records.find((r) => r.level === 'warn')?.obj).toMatchObject({ missed: '1000+' })
    clock.advance(60_000)
    expect(await make().runDue()).toHaveLength(1)
  })

  it('sends observance reminders only on the lead days, for the named observance', async () => {
    const obs = [{ name: '全国科普日', date: '2026-09-20' }, { name: '国际减灾日', date: '2026-10-13' }]
    const { store, clock, announcements, make } = await setup(fromLocal(2026, 9, 15, 12, 0), 6 * HOUR, obs)
    await store.subscribe({ channel: 'telegram', chatId: '9', topic: 'events', region: '东营市' }, clock.now())
    await announcements.add({ cron: '0 9 * * *', target: { kind: 'topic', topic: 'events' }, template: '科普提醒：{reminders}', leadDays: [3, 1], observance: '科普日' }, 'cli')
    const s = make()
    const sent: string[] = []
    for (let d = 16; d <= 21; d++) {
      clock.set(fromLocal(2026, 9, d, 9, 1))
      for (const f of await s.runDue()) for (const r of await store.rowsOf(f.id)) sent.push(`${d}:${r.text}`)
    }
    expect(sent).toEqual(['17:科普提醒：全国科普日还有 3 天（9月20日）', '19:科普提醒：全国科普日还有 1 天（9月20日）'])
  })

  it('picks up announcements added and removed while it runs', async () => {
    const { store, clock, cron, announcements, make } = await setup()
    make().start()
    const { announcement } = await announcements.add({ cron: '*/10 * * * *', target: { kind: 'topic', topic: 'weekly' }, template: 'x {week_events}' }, 'cli')
    clock.set(fromLocal(2026, 9, 13, 12, 10))
    cron.tick()
    await settle()
    await announcements.remove(announcement.id)
    clock.set(fromLocal(2026, 9, 13, 12, 20))
    cron.tick()
    await settle()
    expect(await store.reports(new Date(0))).toHaveLength(1)
  })

  it('one broken announcement does not stop the others', async () => {
    const { store, clock, logger, announcements } = await setup()
    const content = fakeContent()
    const broken = createAnnouncements({ store, clock, content: { ...content, dailyTip: () => { throw new Error('boom') } } })
    await broken.add({ cron: '0 13 * * *', target: { kind: 'topic', topic: 'weekly' }, template: '{daily_tip}' }, 'cli')
    await announcements.add({ cron: '0 13 * * *', target: { kind: 'topic', topic: 'weekly' }, template: '{week_events}' }, 'cli')
    clock.set(fromLocal(2026, 9, 13, 13, 0))
    const s = createScheduler({ store, announcements: broken, clock, logger, cron: new ManualCronFactory().create, catchUpMs: HOUR })
    expect(await s.runDue()).toHaveLength(1)
    expect(logger.records.some((r) => r.level === 'error')).toBe(true)
  })
})
