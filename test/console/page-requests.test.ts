import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDeliveryWorker } from '../../src/announce/delivery-worker.js'
import { volunteersNear } from '../../src/console/page-requests.js'
import type { Adapter, Outgoing } from '../../src/core/adapter.js'
import { MemoryLogger } from '../../src/core/logger.js'
import type { ServiceRequest, Volunteer } from '../../src/store/async-store.js'
import { virtualSleep } from '../fakes/virtual-sleep.js'
import { ADMIN_B, consoleClient, csrfOf, type Harness, startHarness } from './console-harness.js'

let t: Harness
beforeAll(async () => {
  t = await startHarness()
})
afterAll(async () => {
  await t.close()
})

const { get, post, session } = consoleClient(() => t)

let nextChat = 9100
/** A request as the resident dialogue stores it; the place is the resident's own words. */
async function request(place = '黄河口镇文化广场', region = '东营市'): Promise<ServiceRequest> {
  const chat = String(nextChat++)
  return t.store.createRequest({ channel: 'telegram', chatId: chat, userKey: `telegram:${chat}`, region, serviceId: 'farm-tech', place, preferredDate: '下周六上午', audienceSize: 40, contact: '13812345678' }, t.clock.now())
}

/** What the delivery worker sends through a fake Telegram adapter once the outbox is drained. */
async function deliver(): Promise<Outgoing[]> {
  const out: Outgoing[] = []
  const telegram: Adapter = { name: 'telegram', start: async () => {}, stop: async () => {}, send: async (m) => (out.push(m), { messageId: String(out.length) }) }
  await createDeliveryWorker({ store: t.store, adapters: [telegram], clock: t.clock, sleep: virtualSleep(t.clock), logger: new MemoryLogger() }).drain()
  return out
}

const view = (number: string) => `/admin/requests/view?number=${number}`
/** The notice or error a redirect carries to the page it leads to. */
const located = (res: Response) => {
  const q = new URL(res.headers.get('location') ?? '', t.base).searchParams
  return q.get('notice') ?? q.get('error') ?? ''
}

describe('console 服务单: access', () => {
  it('needs a session, and the CSRF token on every action (403, nothing changes)', async () => {
    const r = await request()
    for (const path of ['/admin/requests', view(r.number)]) {
      const res = await get(path)
      expect(res.status, path).toBe(303)
      expect(res.headers.get('location')).toBe('/admin/login')
    }
    expect((await post('/admin/requests/assign', { number: r.number, team: '农技志愿服务队' })).status).toBe(403)
    const cookie = await session()
    expect((await post('/admin/requests/assign', { number: r.number, team: '农技志愿服务队' }, cookie)).status).toBe(403)
    expect((await post('/admin/requests/close', { _csrf: 'wrong', number: r.number }, cookie)).status).toBe(403)
    expect((await t.store.getRequest(r.number))!.status).toBe('new')
  })
})

describe('console 服务单: list, detail, volunteers', () => {
  it('lists open requests with the contact masked, filters by status, and escapes what residents wrote', async () => {
    const r = await request('<script>alert(1)</script>村委会"><img src=x>')
    await t.store.registerVolunteer({ userKey: 'telegram:9901', name: '<b>王医生</b>', area: '东营垦利', skills: ['医疗卫生'], contact: '13900001111' }, t.clock.now())
    const cookie = await session()
    const list = await (await get('/admin/requests', cookie)).text()
    expect(list).toContain(r.number)
    expect(list).toContain('138****5678')
    expect(list).not.toContain('13812345678')
    expect(list).not.toContain('<script>alert(1)')
    expect(list).toContain('&lt;script&gt;alert(1)&lt;/script&gt;村委会&quot;&gt;&lt;img src=x&gt;')
    // The volunteers who registered, from the store the sign-up dialogue writes.
    expect(list).toContain('&lt;b&gt;王医生&lt;/b&gt;')
    expect(list).toContain('13900001111')

    const closed = await (await get('/admin/requests?status=closed', cookie)).text()
    expect(closed).not.toContain(r.number)
    expect(closed).toMatch(/aria-current="page">已完成</)
    const odd = await (await get('/admin/requests?status=nonsense', cookie)).text()
    expect(odd).toContain('没有这个筛选条件')
    expect(odd).toContain(r.number)

    const detail = await (await get(view(r.number), cookie)).text()
    expect(detail).toContain('13812345678')
    expect(detail).not.toContain('<img src=x>')
    expect(detail).toContain('派单并通知居民')
    expect(detail).toContain('<option>农技志愿服务队</option>')
  })

  it('says so in Chinese for a number that does not exist or is malformed', async () => {
    const cookie = await session()
    expect(located(await get(view('KP-2026-9999'), cookie))).toContain('没有编号为 KP-2026-9999 的点单')
    expect(located(await get(view('abc'), cookie))).toContain('应写成 KP-2026-0012')
  })

  it('puts volunteers of the request\'s region first', () => {
    const v = (name: string, area: string): Volunteer => ({ userKey: `x:${name}`, name, area, skills: [], contact: '', createdAt: new Date(0), updatedAt: new Date(0) })
    expect(volunteersNear([v('甲', '乌海'), v('乙', '东营市垦利区'), v('丙', ''), v('丁', '东营')], '东营市').map((x) => x.name)).toEqual(['乙', '丁', '甲', '丙'])
  })
})

describe('console 服务单: assign, schedule, close', () => {
  it('moves a request through the desk, tells the resident the same words the chat commands do, and audits each step', async () => {
    const r = await request()
    const cookie = await session(ADMIN_B)
    const csrf = csrfOf(await (await get(view(r.number), cookie)).text())

    const assigned = await post('/admin/requests/assign', { _csrf: csrf, number: r.number, team: '农技志愿服务队' }, cookie)
    expect(assigned.status).toBe(303)
    expect(located(assigned)).toContain(`已把 ${r.number} 派给「农技志愿服务队」，已通知居民。`)
    expect(await t.store.getRequest(r.number)).toMatchObject({ status: 'assigned', team: '农技志愿服务队' })

    const scheduled = await post('/admin/requests/schedule', { _csrf: csrf, number: r.number, when: '2026-12-20T14:00' }, cookie)
    expect(scheduled.status).toBe(303)
    const s = (await t.store.getRequest(r.number))!
    expect(s.status).toBe('scheduled')
    // Interpreted in Asia/Shanghai: 14:00 there is 06:00 UTC.
    expect(s.scheduledAt?.toISOString()).toBe('2026-12-20T06:00:00.000Z')

    const closed = await post('/admin/requests/close', { _csrf: csrf, number: r.number, note: '讲了葡萄冬剪，村民反映很好' }, cookie)
    expect(closed.status).toBe(303)
    const c = (await t.store.getRequest(r.number))!
    expect(c.status).toBe('closed')
    expect(c.history.map((x) => [x.status, x.by])).toEqual([
      ['new', r.userKey],
      ['assigned', ADMIN_B],
      ['scheduled', ADMIN_B],
      ['closed', ADMIN_B],
    ])
    expect(c.history.at(-1)?.note).toBe('讲了葡萄冬剪，村民反映很好')

    // The same three steps through the chat commands, for another resident: the same notices.
    const viaChat = await request()
    const say = (text: string) => t.app.bot.handle({ channel: 'telegram', chatId: '1001', userId: '1001', isGroup: false, mentioned: true, forwarded: false, text })
    expect((await say(`/assign ${viaChat.number} 农技志愿服务队`)).text).toContain('已通知居民')
    expect((await say(`/schedule ${viaChat.number} 2026-12-20 14:00`)).text).toContain('已通知居民')
    expect((await say(`/close ${viaChat.number}`)).text).toContain('已请居民打分')

    const out = await deliver()
    const told = out.filter((m) => m.chatId === r.chatId).map((m) => m.text)
    expect(told).toHaveLength(3)
    expect(told[0]).toBe(`您的科技志愿服务点单 ${r.number}（农业技术讲座）已由「农技志愿服务队」接单，工作人员会尽快和您联系商定时间。`)
    expect(told[1]).toContain('已安排在 2026-12-20 周日 14:00')
    expect(told[2]).toContain('回复 1 到 5 的数字')
    expect(told).toEqual(out.filter((m) => m.chatId === viaChat.chatId).map((m) => m.text.replace(viaChat.number, r.number)))
    // The staff note stays with the staff.
    expect(told.join('')).not.toContain('葡萄冬剪')

    const audit = (await t.consoleStore.auditLog(10)).filter((e) => e.subject === r.number)
    expect(audit.map((e) => [e.action, e.actor])).toEqual([
      ['request.close', ADMIN_B],
      ['request.schedule', ADMIN_B],
      ['request.assign', ADMIN_B],
    ])
    expect(JSON.parse(audit[1]!.after!)).toMatchObject({ status: 'scheduled', scheduledAt: '2026-12-20 14:00' })
    expect(JSON.parse(audit[0]!.after!)).toMatchObject({ status: 'closed', note: '讲了葡萄冬剪，村民反映很好' })
    // No contact in the audit log.
    expect(JSON.stringify(audit)).not.toContain('13812345678')

    const page = await (await get(view(r.number), cookie)).text()
    expect(page).toContain('这张服务单已完成，不能再修改。')
    expect(page).not.toContain('派单并通知居民')
  })

  it('refuses a wrong transition or input in Chinese, keeps what was typed, and changes nothing', async () => {
    const r = await request()
    const cookie = await session()
    const csrf = csrfOf(await (await get(view(r.number), cookie)).text())

    const past = await post('/admin/requests/schedule', { _csrf: csrf, number: r.number, when: '2026-11-01T09:00' }, cookie)
    expect(past.status).toBe(400)
    const pastHtml = await past.text()
    expect(pastHtml).toContain('已经过去了')
    expect(pastHtml).toContain('value="2026-11-01T09:00"')

    expect(await (await post('/admin/requests/schedule', { _csrf: csrf, number: r.number, when: '2026-02-30T09:00' }, cookie)).text()).toContain('不是有效的日期时间')
    expect(await (await post('/admin/requests/schedule', { _csrf: csrf, number: r.number, when: '' }, cookie)).text()).toContain('请选择服务时间')
    expect(await (await post('/admin/requests/assign', { _csrf: csrf, number: r.number, team: '不存在的队' }, cookie)).text()).toContain('没有「不存在的队」这支服务队')

    const long = '很'.repeat(201)
    const tooLong = await post('/admin/requests/close', { _csrf: csrf, number: r.number, note: long }, cookie)
    expect(tooLong.status).toBe(400)
    const tooLongHtml = await tooLong.text()
    expect(tooLongHtml).toContain('备注 201 字，最多 200 字')
    expect(tooLongHtml).toContain(long)
    expect((await t.store.getRequest(r.number))!.status).toBe('new')

    expect((await post('/admin/requests/close', { _csrf: csrf, number: r.number }, cookie)).status).toBe(303)
    const again = await post('/admin/requests/assign', { _csrf: csrf, number: r.number, team: '农技志愿服务队' }, cookie)
    expect(again.status).toBe(400)
    expect(await again.text()).toContain('现在是「已完成」，不能改为「已接单」')
    expect(await t.store.getRequest(r.number)).toMatchObject({ status: 'closed', team: undefined })

    expect(located(await post('/admin/requests/close', { _csrf: csrf, number: 'KP-2026-9999' }, cookie))).toContain('没有编号为 KP-2026-9999 的点单')
    expect((await t.consoleStore.auditLog(50)).filter((e) => e.subject === r.number).map((e) => e.action)).toEqual(['request.close'])
  })
})
