import { afterEach, describe, expect, it } from 'vitest'
import { AdminList } from '../../src/announce/admins.js'
import { createAnnouncements } from '../../src/announce/announcements.js'
import { createSubscriptionHandler, GROUP_ADMIN_ONLY } from '../../src/announce/subscription-handler.js'
import { createBot, type RegionResolver } from '../../src/core/bot.js'
import { FakeClock } from '../fakes/fake-clock.js'
import type { Incoming } from '../../src/core/incoming.js'
import { MemoryLogger } from '../../src/core/logger.js'
import { fromLocal } from '../../src/core/shanghai-time.js'
import type { Store } from '../../src/store/async-store.js'
import { memoryStore } from '../helpers/store.js'
import { fakeContent } from './memory-adapter.js'

const REGIONS = [{ name: '东营市', short: '东营' }, { name: '乌海市', short: '乌海' }]
const regions: RegionResolver = {
  byName: (n) => REGIONS.find((r) => r.name === n || r.short === n),
  findIn: (t) => REGIONS.find((r) => t.includes(r.short)),
}
const stores: Store[] = []
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close()
})

async function setup(groupAdmins: (chatId: string, userId: string) => Promise<boolean> = async () => false) {
  const store = await memoryStore()
  stores.push(store)
  const clock = new FakeClock(fromLocal(2026, 9, 13, 12))
  const logger = new MemoryLogger()
  const announcements = createAnnouncements({ store, content: fakeContent(), clock, regions })
  let woken = 0
  const handler = createSubscriptionHandler({
    store,
    isGroupAdmin: (channel, chatId, userId) => (channel === 'telegram' ? groupAdmins(chatId, userId) : Promise.resolve(false)),
    staff: { announcements, admins: AdminList.parse('telegram:42'), onQueued: () => woken++ },
  })
  const bot = createBot({ handlers: [handler], clock, logger, users: store.users, regions })
  const say = (text: string, over: Partial<Incoming> = {}) =>
    bot.handle({ channel: 'telegram', chatId: '7', userId: '7', isGroup: false, mentioned: true, forwarded: false, text, ...over })
  return { store, logger, say, woken: () => woken }
}

describe('subscriptions', () => {
  it('「订阅」 offers a numbered menu whose choices subscribe', async () => {
    const { say } = await setup()
    const r = await say('订阅')
    expect(r.intent).toBe('subscribe')
    expect(r.choices?.map((c) => c.label)).toEqual(['本地区活动周报', '活动提醒', '每日防骗提醒', '每日科普', '应急提醒'])
    expect(r.text).toContain('1. 本地区活动周报')
  })

  it('subscribes to a topic, confirms, and says so again without a duplicate', async () => {
    const { say, store } = await setup()
    const r = await say('订阅每日防骗提醒')
    expect(r.text).toMatch(/^已为您订阅「每日防骗提醒」/)
    expect(r.text).toContain('退订')
    expect((await say('/subscribe 防骗')).text).toMatch(/^您已订阅/)
    expect(await store.subscriptionsOf('telegram', '7')).toHaveLength(1)
  })

  it('a regional topic needs the region: asks for it, then uses the remembered or named one', async () => {
    const { say, store } = await setup()
    expect((await say('订阅本地区活动周报')).text).toContain('我在东营')
    expect(await store.subscriptionsOf('telegram', '7')).toEqual([])
    const r = await say('订阅东营的活动周报')
    expect(r.text).toContain('（东营市）')
    expect((await store.subscribers('weekly', '东营市')).map((s) => s.chatId)).toEqual(['7'])
  })

  it('「退订」 with one subscription removes it at once and cancels queued messages', async () => {
    const { say, store } = await setup()
    await say('订阅每日防骗提醒')
    const a = await store.addAnnouncement({ name: 't', cron: '0 8 * * *', target: { kind: 'topic', topic: 'fraud-tip' }, template: '{daily_tip}', createdBy: 'x' }, new Date())
    const f = (await store.recordFiring(a.id, new Date(), [{ channel: 'telegram', chatId: '7', text: 'tip', topic: 'fraud-tip' }], new Date()))!
    const r = await say('退订')
    expect(r.text).toContain('已为您退订')
    expect(await store.subscriptionsOf('telegram', '7')).toEqual([])
    expect(await store.report(f.id)).toMatchObject({ cancelled: 1, pending: 0 })
    expect((await say('退订')).text).toContain('没有订阅')
  })

  it('with several subscriptions, 「退订」 asks which; a named one or 「全部退订」 settles it', async () => {
    const { say, store } = await setup()
    await say('订阅每日防骗提醒')
    await say('订阅东营活动提醒')
    const menu = await say('退订')
    expect(menu.choices?.map((c) => c.value)).toEqual(['退订活动提醒', '退订每日防骗提醒', '全部退订'])
    expect((await say('退订活动提醒')).text).toContain('已退订「活动提醒」')
    expect((await say('我的订阅')).text).toContain('每日防骗提醒')
    await say('全部退订')
    expect(await store.subscriptionsOf('telegram', '7')).toEqual([])
  })

  it('leaves other messages, forwarded texts and unmentioned group chatter to the next handler', async () => {
    const { say } = await setup()
    expect((await say('防灾减灾日是哪天')).answered).toBe(false)
    expect((await say('【银行】您的账户异常，回复TD退订', { forwarded: true })).answered).toBe(false)
    expect((await say('订阅', { isGroup: true, mentioned: false, chatId: '-5' })).answered).toBe(false)
  })
})

describe('staff commands in chat', () => {
  it('refuses a non-admin and logs the attempt without the text', async () => {
    const { say, logger, store } = await setup()
    const r = await say('/announce add 0 9 * * 1 weekly@东营 本周：{week_events}')
    expect(r.text).toContain('只有管理员')
    expect(await store.listAnnouncements()).toEqual([])
    const rec = logger.records.find((x) => x.level === 'warn')
    expect(rec?.obj).toMatchObject({ code: 'E_PERMISSION', user: 'telegram:7', command: 'announce' })
    expect(JSON.stringify(rec)).not.toContain('week_events')
    expect((await say('/broadcast fraud-tip 测试')).text).toContain('只有管理员')
  })

  it('lets an admin add (with the next five firings), list, preview and remove', async () => {
    const { say, store } = await setup()
    const admin = { userId: '42', chatId: '42' }
    await store.subscribe({ channel: 'telegram', chatId: '7', topic: 'weekly', region: '东营市' }, new Date())
    const added = await say('/announce add 0 9 * * 1 weekly@东营 本周科普活动：{week_events}', admin)
    expect(added.text).toContain('已添加公告 #1')
    expect(added.text).toContain('2026-09-14 周一 09:00')
    expect(added.text.match(/周一 09:00/g)).toHaveLength(5)
    expect((await say('/announce list', admin)).text).toContain('#1')
    expect((await say('/announce preview 1', admin)).text).toContain('东营市本周：科普讲座')
    expect((await say('/announce remove 1', admin)).text).toContain('已删除')
    expect(await store.listAnnouncements()).toEqual([])
  })

  it('tells an admin what is wrong with a bad cron, target or template', async () => {
    const { say } = await setup()
    const admin = { userId: '42' }
    expect((await say('/announce add 0 25 * * 1 weekly 本周', admin)).text).toContain('无效')
    expect((await say('/announce add 0 9 * * 1 nosuch 本周', admin)).text).toContain('看不懂目标')
    expect((await say('/announce add 0 9 * * 1 weekly {nope}', admin)).text).toContain('{nope}')
    expect((await say('/announce preview 99', admin)).text).toContain('没有编号为 99')
  })

  it('queues an admin broadcast to a topic and wakes the worker', async () => {
    const { say, store, woken } = await setup()
    await store.subscribe({ channel: 'telegram', chatId: '7', topic: 'fraud-tip', region: undefined }, new Date())
    await store.subscribe({ channel: 'wechat', chatId: 'w1', topic: 'fraud-tip', region: undefined }, new Date())
    const r = await say('/broadcast fraud-tip 近期有冒充客服的退款骗局，请勿点链接。', { userId: '42' })
    expect(r.text).toContain('2 个聊天')
    expect(woken()).toBe(1)
    expect((await store.reports(new Date(0)))[0]).toMatchObject({ total: 2, pending: 2 })
  })

  it('in a group, only a group admin or a bot admin may unsubscribe the group', async () => {
    const checked: string[] = []
    const { say, store } = await setup(async (chatId, userId) => {
      checked.push(`${chatId}/${userId}`)
      if (userId === 'boom') throw new Error('network')
      return chatId === '-100' && userId === '8'
    })
    const inGroup = (userId: string) => ({ chatId: '-100', userId, isGroup: true })
    const sub = () => store.subscribe({ channel: 'telegram', chatId: '-100', isGroup: true, topic: 'fraud-tip', region: undefined }, new Date())
    await sub()
    for (const userId of ['7', '', 'boom', '-100']) {
      expect((await say('全部退订', inGroup(userId))).text).toBe(GROUP_ADMIN_ONLY)
      expect((await say('退订', inGroup(userId))).text).toBe(GROUP_ADMIN_ONLY)
    }
    expect(await store.subscriptionsOf('telegram', '-100')).toHaveLength(1)
    expect(checked).not.toContain('-100/')
    expect((await say('全部退订', inGroup('8'))).text).toContain('已为您退订全部推送')
    await sub()
    expect((await say('退订', inGroup('42'))).text).toContain('已为您退订全部推送')
    expect(await store.subscriptionsOf('telegram', '-100')).toEqual([])
    // Anyone may still list the group's subscriptions; a private chat needs no admin.
    await sub()
    expect((await say('我的订阅', inGroup('7'))).text).toContain('每日防骗提醒')
    await store.subscribe({ channel: 'telegram', chatId: '7', topic: 'fraud-tip', region: undefined }, new Date())
    expect((await say('退订')).text).toContain('已为您退订全部推送')
  })
})

describe('AdminList', () => {
  it('compares validated ids as strings: a malformed or missing id is never an admin', () => {
    const admins = AdminList.parse('telegram:42, wechat:wxid_abc')
    expect(admins.has('telegram', '42')).toBe(true)
    for (const id of ['042', '42 ', ' 42', '+42', '-42', '42.0', '4e1', '', undefined]) expect(admins.has('telegram', id)).toBe(false)
    expect(admins.has('wechat', 'wxid_abc')).toBe(true)
    expect(admins.has('wechat', 'wxid_abc ')).toBe(false)
    expect(admins.has('console', '42')).toBe(false)
    expect(() => AdminList.parse('telegram:abc')).toThrow(/KEPU_ADMINS: "telegram:abc": a Telegram user id is a positive number/)
    expect(() => AdminList.parse('telegram:-5')).toThrow(/KEPU_ADMINS/)
    expect(() => AdminList.parse('42')).toThrow(/channel:userId/)
  })
})

