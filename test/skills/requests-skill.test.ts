import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type App } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { cacheDir } from '../../src/core/cache-dir.js'
import type { Incoming } from '../../src/core/incoming.js'
import { MemoryLogger } from '../../src/core/logger.js'
import { fromLocal } from '../../src/core/shanghai-time.js'
import { SKILLS } from '../../src/skills.js'
import type { Store } from '../../src/store/async-store.js'
import { openStore } from '../../src/store/sql/open-store.js'
import { FakeClock } from '../fakes/fake-clock.js'

const ADMIN = '42'
const PHONE = '13800138000'

let store: Store
let app: App
const clock = new FakeClock(fromLocal(2026, 11, 20, 10, 0))
const logger = new MemoryLogger()

beforeAll(async () => {
  store = await openStore({ file: ':memory:' })
  const config = loadConfig({ envFile: false, env: { KEPU_ADMINS: `telegram:${ADMIN}`, KEPU_ADMIN_CONTACT: '科协 0477-1234567', KEPU_USER_BURST: '1000', KEPU_USER_SUSTAINED: '100000' } })
  app = createApp({ clock, logger, store, config, cacheDir: cacheDir(), skills: SKILLS })
})
afterAll(async () => {
  await store.close()
})

function from(userId: string) {
  return async (text: string, extra: Partial<Incoming> = {}) => {
    clock.advance(1000)
    return app.bot.handle({ channel: 'telegram', chatId: userId, userId, isGroup: false, mentioned: true, forwarded: false, text, ...extra })
  }
}

/** The messages queued (not sent inline) to a chat, oldest first. */
async function queuedTo(chatId: string): Promise<string[]> {
  const out: string[] = []
  for (const r of [...(await store.reports(new Date(0)))].reverse()) for (const row of await store.rowsOf(r.firingId)) if (row.chatId === chatId) out.push(row.text)
  return out
}

describe('requests skill: ordering a service', () => {
  it('offers the order dialogue naming the matching service, then asks step by step; a bare 50 is the audience size', async () => {
    const say = from('7')
    await say('我在乌海')
    const offer = await say('村里想请专家来讲葡萄种植，找谁')
    expect(offer.intent).toBe('request')
    expect(offer.text).toContain('农业技术讲座')
    expect(offer.text).toContain('1. 开始点单')
    expect((await say('1')).text).toContain('在哪里办')
    expect((await say('海南区某某村村委会')).text).toContain('什么时候')
    const bad = await say('12')
    expect(bad.text).toContain('没太看懂')
    expect(bad.text).toContain('什么时候')
    expect((await say('下个月中旬')).text).toContain('多少人')
    const size = await say('50')
    expect(size.text).toContain('联系电话')
    expect(size.text).not.toContain('没有第')
    const confirm = await say(`王老师 ${PHONE}`)
    expect(confirm.text).toContain('人数：约50人')
    expect(confirm.text).toContain('138****8000')
    const done = await say('1')
    expect(done.text).toContain('编号 KP-2026-0001')
    const [r] = await store.listRequests({ userKey: 'telegram:7' })
    expect(r).toMatchObject({ number: 'KP-2026-0001', serviceId: 'farm-tech', region: '乌海市', place: '海南区某某村村委会', preferredDate: '下个月中旬', audienceSize: 50, contact: `王老师 ${PHONE}`, status: 'new' })
  })

  it('numbers requests in order; 「点单」 starts with the menu; the dialogue ends and the bot answers as usual after', async () => {
    const say = from('8')
    await say('我在东营')
    expect((await say('点单')).text).toContain('1. 农业技术讲座')
    for (const t of ['3', '垦利区胜利街道社区活动室', '12月20日下午', '不确定', '13900000000']) await say(t)
    expect((await say('提交')).text).toContain('KP-2026-0002')
    const after = await say('防灾减灾日是哪天')
    expect(after.intent).not.toBe('request')
    expect(after.text).toContain('防灾减灾日')
  })

  it('is cancelled at any step and keeps nothing', async () => {
    const say = from('9')
    await say('我在东营')
    await say('点单')
    await say('1')
    const bye = await say('算了')
    expect(bye.text).toContain('已取消')
    expect(await store.listRequests({ userKey: 'telegram:9' })).toEqual([])
    expect((await say('50')).text).not.toContain('联系电话')
  })

  it('uses short texts and numbered menus in 长辈模式', async () => {
    const say = from('10')
    await say('长辈模式')
    const menu = await say('点单')
    expect(menu.text.split('\n')[0]).toBe('想请哪种服务？回数字：')
    expect(menu.text).toContain('12. 法律科普咨询')
    expect((await say('1')).text).toContain('在哪里办？写村或社区名。')
    expect((await say('0')).intent).toBe('settings') // 长辈模式's menu word ends the dialogue and brings the menu back
  })
})

describe('requests skill: staff', () => {
  it('refuses non-admins', async () => {
    for (const cmd of ['/requests', '/assign KP-2026-0001 农技志愿服务队', '/close KP-2026-0001']) {
      const r = await from('7')(cmd)
      expect(r.text).toContain('只有管理员')
    }
    expect((await store.getRequest('KP-2026-0001'))?.status).toBe('new')
    expect(logger.records.some((x) => (x.obj as { code?: string }).code === 'E_PERMISSION')).toBe(true)
  })

  it('lists, assigns, schedules and closes; the resident is told each time through the outbox and rates 1–5', async () => {
    const staff = from(ADMIN)
    // Staff heard of each new request through the outbox, without the resident's contact.
    const notes = await queuedTo(ADMIN)
    expect(notes.slice(0, 2)).toEqual(['新的科技志愿服务点单 KP-2026-0001：农业技术讲座（乌海市）。查看：/requests KP-2026-0001', '新的科技志愿服务点单 KP-2026-0002：应急救护培训（东营市）。查看：/requests KP-2026-0002'])
    const list = await staff('/requests')
    expect(list.text).toContain('KP-2026-0002')
    expect(list.text).toContain('KP-2026-0001 [待接单] 乌海市 农业技术讲座')
    expect(list.text).not.toContain(PHONE)
    expect((await staff('/requests KP-2026-0001')).text).toContain(`联系：王老师 ${PHONE}`)
    expect((await staff('/assign KP-2026-0001 没有这队')).text).toContain('没有「没有这队」这支服务队')
    expect((await staff('/assign KP-2026-0001 农技志愿服务队')).text).toContain('已通知居民')
    expect((await staff('/schedule KP-2026-0001 2026-12-20 14:00')).text).toContain('排期')
    expect((await staff('/close KP-2026-0001')).text).toContain('已完成')
    const told = await queuedTo('7')
    expect(told).toHaveLength(3)
    expect(told[0]).toContain('已由「农技志愿服务队」接单')
    expect(told[1]).toContain('2026-12-20')
    expect(told[1]).toContain('14:00')
    expect(told[2]).toContain('回复 1 到 5')
    expect((await staff('/close KP-2026-0001')).text).toContain('不能改为')
    const r = await store.getRequest('KP-2026-0001')
    expect(r?.history.map((h) => h.status)).toEqual(['new', 'assigned', 'scheduled', 'closed'])
    expect(r?.history.at(-1)?.by).toBe(`telegram:${ADMIN}`)
    // In the middle of a new order, 「5」 is the audience size, not a rating of the closed one.
    const say7 = from('7')
    await say7('点单')
    await say7('2')
    await say7('社区活动室')
    await say7('下周')
    expect((await say7('5')).text).toContain('联系电话')
    expect((await store.getRequest('KP-2026-0001'))?.rating).toBeUndefined()
    await say7('取消')
    const thanks = await from('7')('5')
    expect(thanks.text).toContain('5 分')
    expect((await store.getRequest('KP-2026-0001'))?.rating).toBe(5)
    // Rated once: a later 「5」 is not a rating again.
    expect((await from('7')('5')).text).not.toContain('评分')
  })

  it('never logs a contact or a place', () => {
    const all = JSON.stringify(logger.records)
    expect(all).not.toContain(PHONE)
    expect(all).not.toContain('13900000000')
    expect(all).not.toContain('某某村')
  })
})

describe('requests skill: volunteers and erasure', () => {
  it('registers a volunteer through the same kind of dialogue, skills kept from 「我是医生」', async () => {
    const say = from('11')
    const first = await say('我是医生，能参加科技志愿服务吗')
    expect(first.text).toContain('志愿')
    expect(first.text).toContain('怎么称呼')
    await say('李医生')
    await say('东营市垦利区')
    await say('好')
    await say('13700000000')
    expect((await say('1')).text).toContain('报名已登记')
    expect(await store.listVolunteers()).toMatchObject([{ userKey: 'telegram:11', name: '李医生', area: '东营市垦利区', skills: ['医疗卫生'], contact: '13700000000' }])
    expect((await from(ADMIN)('/volunteers')).text).toContain('李医生')
  })

  it('「删除我的信息」 asks first, then removes the contacts of the requests and the registration', async () => {
    const say = from('11')
    const ask = await say('删除我的信息')
    expect(ask.text).toContain('1. 确认删除')
    expect((await say('1')).text).toContain('已删除')
    expect(await store.listVolunteers()).toEqual([])
    const say7 = from('7')
    await say7('删除我的信息')
    await say7('确认删除')
    const r = await store.getRequest('KP-2026-0001')
    expect(r).toMatchObject({ number: 'KP-2026-0001', contact: '', place: '', rating: 5 })
  })
})

describe('requests skill without a store', () => {
  it('says how to reach staff and keeps nothing', async () => {
    const config = loadConfig({ envFile: false, env: { KEPU_ADMIN_CONTACT: '科协 0477-1234567' } })
    const bare = createApp({ clock, config, cacheDir: cacheDir() })
    const handle = (text: string) => bare.bot.handle({ channel: 'test', chatId: 'c', userId: 'u', isGroup: false, mentioned: true, forwarded: false, text })
    const v = await handle('我想报名当志愿者')
    expect(v.text).toContain('请联系工作人员：科协 0477-1234567')
    const o = await handle('村里想请志愿者来讲讲葡萄种植技术，找哪个部门')
    expect(o.text).toContain('群众点单')
    expect(o.text).toContain('农业技术讲座')
    expect((await handle('点单')).intent).not.toBe('request')
  })
})

describe('requests skill in a group', () => {
  it('never asks for a phone number in a group; staff handle requests in private', async () => {
    const group = { chatId: '-100777', isGroup: true, mentioned: true }
    const order = await from('7')('点单', group)
    expect(order.text).toContain('请私聊我')
    const offer = await from('7')('村里想请专家来讲葡萄种植，找谁', group)
    expect(offer.text).toContain('请私聊我')
    expect((await from(ADMIN)('/requests', group)).text).toContain('私聊')
  })

  it('「报名志愿者」 alone starts the registration in private', async () => {
    expect((await from('12')('报名志愿者')).text).toContain('怎么称呼')
    expect((await from('12')('取消')).text).toContain('已取消')
  })
})
