import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LOGIN_LINK_TTL_MS, SESSION_IDLE_MS } from '../../src/console/auth.js'
import { shanghaiTime } from '../../src/console/html.js'
import { ADMIN_A, ADMIN_B, consoleClient, csrfOf, type Harness, loginWith, RESIDENT, startHarness } from './console-harness.js'
import type { LocalEvent } from '../../src/calendar/event-schema.js'

let t: Harness
beforeAll(async () => {
  t = await startHarness()
})
afterAll(async () => {
  await t.close()
})

const { get, post, session } = consoleClient(() => t)

describe('console: login and sessions', () => {
  it('sends a request without a session to the login page', async () => {
    for (const path of ['/admin/', '/admin/events', '/admin/announcements', '/admin/unanswered', '/admin/audit']) {
      const res = await get(path)
      expect(res.status, path).toBe(303)
      expect(res.headers.get('location')).toBe('/admin/login')
    }
  })

  it('logs in once through a link (the page asks for a click), with a hardened session cookie and security headers', async () => {
    const url = await t.link(ADMIN_A)
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/admin\/login\?token=[A-Za-z0-9_-]{43}$/)
    const landing = await get(new URL(url).pathname + new URL(url).search)
    expect(landing.status).toBe(200)
    expect(await landing.text()).toContain('登录管理台')
    const res = await fetch(`${t.base}/admin/login`, { method: 'POST', body: new URLSearchParams({ token: new URL(url).searchParams.get('token')! }), redirect: 'manual' })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/admin/')
    const cookie = res.headers.get('set-cookie')!
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    expect(cookie).toMatch(/Path=\/admin/)
    const page = await get('/admin/', /^[^;]+/.exec(cookie)![0])
    expect(page.status).toBe(200)
    expect(page.headers.get('x-frame-options')).toBe('DENY')
    expect(page.headers.get('x-content-type-options')).toBe('nosniff')
    expect(page.headers.get('referrer-policy')).toBe('no-referrer')
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(await page.text()).toContain('概览')
  })

  it('refuses a link used twice', async () => {
    const url = await t.link(ADMIN_A)
    expect((await loginWith(url)).status).toBe(303)
    const again = await loginWith(url)
    expect(again.status).toBe(403)
    expect(again.cookie).toBeUndefined()
  })

  it('refuses an expired link (10 minutes)', async () => {
    const url = await t.link(ADMIN_A)
    t.clock.advance(LOGIN_LINK_TTL_MS + 1000)
    expect((await loginWith(url)).status).toBe(403)
  })

  it("refuses a non-admin's link, and `kepu admin link` never makes one", async () => {
    const res = await loginWith(await t.link(RESIDENT))
    expect(res.status).toBe(403)
    expect(res.cookie).toBeUndefined()
  })

  it('refuses a made-up token', async () => {
    expect((await loginWith(`${t.base}/admin/login?token=xyz`)).status).toBe(403)
  })

  it('rotates the session at login: the old cookie no longer works', async () => {
    const first = await session()
    const res = await fetch(`${t.base}/admin/login`, { method: 'POST', headers: { cookie: first }, body: new URLSearchParams({ token: new URL(await t.link(ADMIN_A)).searchParams.get('token')! }), redirect: 'manual' })
    const second = /^[^;]+/.exec(res.headers.get('set-cookie')!)![0]
    expect(second).not.toBe(first)
    expect((await get('/admin/', first)).status).toBe(303)
    expect((await get('/admin/', second)).status).toBe(200)
  })

  it('ends a session after 30 idle minutes', async () => {
    const cookie = await session()
    t.clock.advance(SESSION_IDLE_MS - 60_000)
    expect((await get('/admin/', cookie)).status).toBe(200)
    t.clock.advance(SESSION_IDLE_MS + 1000)
    expect((await get('/admin/', cookie)).status).toBe(303)
  })

  it('logs out', async () => {
    const cookie = await session()
    const csrf = csrfOf(await (await get('/admin/', cookie)).text())
    expect((await post('/admin/logout', { _csrf: csrf }, cookie)).status).toBe(303)
    expect((await get('/admin/', cookie)).status).toBe(303)
  })
})

describe('console: CSRF and escaping', () => {
  const event = {
    region: '东营市',
    title: '<script>alert(1)</script>科普讲座',
    start: '2026-12-05T09:30',
    end: '2026-12-05T11:30',
    place: '东营市科技馆"><img src=x>',
    organiser: '东营市科协',
    audiences: ['公众', '家长'],
    signup: '无需报名',
  }

  it('answers 403 to a form without the CSRF token, or with a wrong one, and changes nothing', async () => {
    const cookie = await session()
    expect((await post('/admin/events/save', event, cookie)).status).toBe(403)
    expect((await post('/admin/events/save', { ...event, _csrf: 'wrong' }, cookie)).status).toBe(403)
    expect(await t.consoleStore.listStaffEvents()).toHaveLength(0)
  })

  it('escapes HTML in event titles and places, everywhere they are shown', async () => {
    const cookie = await session()
    const csrf = csrfOf(await (await get('/admin/events', cookie)).text())
    const saved = await post('/admin/events/save', { ...event, _csrf: csrf }, cookie)
    expect(saved.status).toBe(303)
    const html = await (await get('/admin/events', cookie)).text()
    expect(html).not.toContain('<script>alert(1)</script>')
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;科普讲座')
    expect(html).not.toContain('<img src=x>')
    const audit = await (await get('/admin/audit', cookie)).text()
    expect(audit).not.toContain('<script>alert(1)')
    expect(audit).toContain('event.add')
  })

  it('shows a notice only when the console itself redirected with it (a crafted link cannot put words on a page)', async () => {
    const cookie = await session()
    const crafted = await (await get(`/admin/events?error=${encodeURIComponent('请拨打 400-000-0000 核实')}`, cookie)).text()
    expect(crafted).not.toContain('400-000-0000')
    const csrf = csrfOf(await (await get('/admin/events', cookie)).text())
    const res = await post('/admin/events/cancel', { _csrf: csrf, id: '999999' }, cookie)
    const location = res.headers.get('location')!
    expect(location).toMatch(/[?&]sig=/)
    expect(await (await get(location, cookie)).text()).toContain('没有这个活动')
  })

  it("escapes residents' unanswered questions", async () => {
    await t.app.bot.handle({ channel: 'telegram', chatId: '2002', userId: '2002', isGroup: false, mentioned: true, forwarded: false, text: '<b onmouseover=alert(1)>火星上能种土豆吗</b>' })
    const cookie = await session()
    const html = await (await get('/admin/unanswered', cookie)).text()
    expect(html).not.toContain('<b onmouseover')
    expect(html).toContain('&lt;b onmouseover=alert(1)&gt;')
  })

  it('shows under a question, collapsed, the answers residents called 没用 and their comments, newest first and escaped', async () => {
    const question = '家里的猫能吃巧克力吗'
    const base = { channel: 'telegram', region: '东营市', text: question, normalized: question }
    const [hourAgo, now] = [new Date(t.clock.now().getTime() - 3_600_000), t.clock.now()]
    const older = await t.store.recordUnhelpful({ ...base, at: hourAgo, userKey: 'telegram:4101', answer: '巧克力含<img src=x onerror=alert(1)>可可碱。' })
    await t.store.recordUnhelpful({ ...base, at: now, userKey: 'telegram:4102', answer: '狗不能吃巧克力。' })
    expect(await t.store.commentUnanswered(older!, '<script>alert(2)</script>没说猫')).toBe(true)
    const cookie = await session()
    const html = await (await get('/admin/unanswered', cookie)).text()
    const row = html.slice(html.indexOf(`<tr><td>${question}`), html.indexOf('</tr>', html.indexOf(`<tr><td>${question}`)))
    expect(row).toContain('<details class="unhelpful"><summary>居民说没用的回答（2）</summary>')
    expect(row).not.toContain('<details class="unhelpful" open')
    expect(row).not.toMatch(/<img|<script/)
    const items = [...row.matchAll(/<li>(.*?)<\/li>/gs)].map((m) => m[1]!.replace(/<[^>]+>/g, ''))
    expect(items).toEqual([
      `${shanghaiTime(now)}机器人的回答：狗不能吃巧克力。（居民没有留言）`,
      `${shanghaiTime(hourAgo)}机器人的回答：巧克力含&lt;img src=x onerror=alert(1)&gt;可可碱。居民说：&lt;script&gt;alert(2)&lt;/script&gt;没说猫`,
    ])
    // Two residents, so it counts two in 人数; a question nobody called 没用 has no list.
    expect(row).toMatch(/<td>2<\/td><td>2<\/td>/)
    expect(html.match(/<details/g)).toHaveLength(1)
  })
})

describe('console: events reach the bot at once', () => {
  it('an added event answers 「这周末有什么活动」, a cancelled one no longer does', async () => {
    const cookie = await session()
    const csrf = csrfOf(await (await get('/admin/events', cookie)).text())
    const res = await post(
      '/admin/events/save',
      { _csrf: csrf, region: '乌海市', title: '乌海机器人体验日', start: '2026-12-05T09:30', end: '2026-12-05T16:00', place: '乌海市科技馆', organiser: '乌海市科协', audiences: ['青少年', '家长'], signup: '无需报名' },
      cookie,
    )
    expect(res.status).toBe(303)
    const ask = (text: string) => t.app.bot.handle({ channel: 'telegram', chatId: '3003', userId: '3003', isGroup: false, mentioned: true, forwarded: false, text })
    await ask('我在乌海')
    expect((await ask('这周末有什么活动')).text).toContain('乌海机器人体验日')
    const row = (await t.consoleStore.listStaffEvents()).find((r) => r.event.includes('乌海机器人体验日'))!
    expect((await post('/admin/events/cancel', { _csrf: csrf, id: String(row.id) }, cookie)).status).toBe(303)
    expect((await ask('这周末有什么活动')).text).not.toContain('乌海机器人体验日')
    const yaml = await (await get('/admin/events.yaml', cookie)).text()
    expect(yaml).toContain('region: 东营市')
    expect(yaml).not.toContain('乌海机器人体验日')
  })

  it('refuses a form whose end is before its start, in Chinese, keeping what was typed', async () => {
    const cookie = await session()
    const csrf = csrfOf(await (await get('/admin/events', cookie)).text())
    const res = await post('/admin/events/save', { _csrf: csrf, region: '东营市', title: '时间写反的活动', start: '2026-12-05T12:00', end: '2026-12-05T09:00', place: '东营市科技馆', organiser: '东营市科协', audiences: '公众' }, cookie)
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toContain('结束时间早于开始时间')
    expect(html).toContain('value="时间写反的活动"')
  })
})

describe('console: announcements need a second admin', () => {
  it('drafts, refuses the author approving alone, approves as the second admin, schedules it and records both', async () => {
    const a = await session(ADMIN_A)
    const csrfA = csrfOf(await (await get('/admin/announcements', a)).text())
    const template = '本周活动：\n{week_events}\n详情：请咨询科协。'
    expect((await post('/admin/announcements/draft', { _csrf: csrfA, name: '周报测试', topic: 'weekly', region: '东营市', frequency: 'weekly-1', time: '08:30', template }, a)).status).toBe(303)
    const draft = (await t.consoleStore.listDrafts())[0]!
    expect(draft.template).toBe(template)
    expect(draft.cron).toBe('30 8 * * 1')
    const self = await post('/admin/announcements/approve', { _csrf: csrfA, id: String(draft.id) }, a)
    expect(decodeURIComponent(self.headers.get('location')!)).toContain('不能批准自己的公告')
    expect((await t.consoleStore.getDraft(draft.id))!.status).toBe('draft')

    const b = await session(ADMIN_B)
    const csrfB = csrfOf(await (await get('/admin/announcements', b)).text())
    expect((await post('/admin/announcements/approve', { _csrf: csrfB, id: String(draft.id) }, b)).status).toBe(303)
    const approved = (await t.consoleStore.getDraft(draft.id))!
    expect(approved).toMatchObject({ status: 'approved', approvedBy: ADMIN_B, selfApproved: false })
    const announcement = await t.store.getAnnouncement(approved.announcementId!)
    expect(announcement).toMatchObject({ name: '周报测试', cron: '30 8 * * 1', template, createdBy: ADMIN_A, active: true })
    const log = await t.consoleStore.auditLog(10)
    expect(log.map((e) => e.action)).toEqual(expect.arrayContaining(['draft.add', 'draft.approve']))

    expect((await post('/admin/announcements/cancel', { _csrf: csrfB, id: String(draft.id) }, b)).status).toBe(303)
    expect((await t.store.getAnnouncement(approved.announcementId!))!.active).toBe(false)
  })
})

describe('console: /console in chat', () => {
  const say = (userId: string, text: string, isGroup = false) =>
    t.app.bot.handle({ channel: 'telegram', chatId: isGroup ? '-100500' : userId, userId, isGroup, mentioned: true, forwarded: false, text })

  it('gives an admin a working one-time link in a private chat', async () => {
    const reply = await say('1001', '/console')
    const url = /http:\/\/\S+/.exec(reply.text)?.[0]
    expect(url).toMatch(/\/admin\/login\?token=/)
    expect(reply.text).toContain('10 分钟')
    const token = new URL(url!).searchParams.get('token')!
    expect((await loginWith(`${t.base}/admin/login?token=${token}`)).status).toBe(303)
  })

  it('never posts a link in a group, and gives a resident none', async () => {
    const group = await say('1001', '/console', true)
    expect(group.text).not.toMatch(/token=/)
    expect(group.text).toContain('私聊')
    const resident = await say('2002', '/console')
    expect(resident.text).not.toMatch(/token=/)
  })
})

describe('console: 人工 (handoff inbox)', () => {
  const say = (text: string) => t.app.bot.handle({ channel: 'telegram', chatId: '4004', userId: '4004', isGroup: false, mentioned: true, forwarded: false, text })

  it('「转人工」 opens a thread; later messages go to staff, escaped; a staff reply reaches the resident; 「结束人工」 returns them to the bot', async () => {
    const first = await say('转人工')
    expect(first.handoff).toBe(true)
    expect(first.text).toContain('结束人工')
    // Both admins are told in their private chats, without the resident's words.
    expect(t.sent.filter((m) => m.text.includes('有居民请求人工（telegram:4004）')).map((m) => m.chatId).sort()).toEqual(['1001', '1002'])
    const held = await say('<img src=x onerror=alert(1)>我家门口的科普栏坏了')
    expect(held.text).toContain('已转给工作人员')
    expect(held.intent).toBe('help')

    const cookie = await session()
    const html = await (await get('/admin/handoff', cookie)).text()
    expect(html).toContain('telegram:4004')
    expect(html).not.toContain('<img src=x')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;我家门口的科普栏坏了')
    const thread = (await t.consoleStore.listHandoffs('open')).find((x) => x.userKey === 'telegram:4004')!
    const csrf = csrfOf(html)
    expect((await post('/admin/handoff/reply', { id: String(thread.id), text: '您好，我们明天派人去修。' }, cookie)).status).toBe(403)
    expect((await post('/admin/handoff/reply', { _csrf: csrf, id: String(thread.id), text: '您好，我们明天派人去修。' }, cookie)).status).toBe(303)
    expect(t.sent.at(-1)).toEqual({ chatId: '4004', text: '【工作人员】您好，我们明天派人去修。' })
    expect((await t.consoleStore.handoffMessages(thread.id)).map((m) => m.fromStaff)).toEqual([false, false, true])

    expect((await say('结束人工')).text).toContain('已结束人工服务')
    expect((await say('防灾减灾日是哪天')).text).toContain('防灾减灾日')
  })

  it('a thread ends after a quiet day, and a staff member can end it', async () => {
    await say('转人工')
    t.clock.advance(25 * 3_600_000)
    expect((await say('防灾减灾日是哪天')).text).toContain('防灾减灾日')
    await say('人工客服')
    const thread = (await t.consoleStore.listHandoffs('open')).find((x) => x.userKey === 'telegram:4004')!
    const cookie = await session()
    const csrf = csrfOf(await (await get('/admin/handoff', cookie)).text())
    expect((await post('/admin/handoff/close', { _csrf: csrf, id: String(thread.id) }, cookie)).status).toBe(303)
    expect(t.sent.at(-1)?.text).toContain('人工服务已结束')
    expect((await say('防灾减灾日是哪天')).text).toContain('防灾减灾日')
  })
})

describe('console: editing an event', () => {
  it('changes the stored event, the calendar and the audit log (before → after)', async () => {
    const cookie = await session()
    const csrf = csrfOf(await (await get('/admin/events', cookie)).text())
    const fields = { _csrf: csrf, region: '高平市', title: '高平市青少年科技节', start: '2026-12-06T09:00', end: '2026-12-06T12:00', place: '高平市科技馆', organiser: '高平市科协', audiences: ['青少年'], signup: '无需报名' }
    await post('/admin/events/save', fields, cookie)
    const row = (await t.consoleStore.listStaffEvents()).find((r) => r.event.includes('高平市青少年科技节'))!
    const form = await (await get(`/admin/events/edit?id=${row.id}`, cookie)).text()
    expect(form).toContain('value="高平市青少年科技节"')
    expect(form).toContain('value="2026-12-06T09:00"')
    expect((await post('/admin/events/save', { ...fields, id: String(row.id), title: '高平市青少年科技节（改期）', start: '2026-12-13T09:00', end: '2026-12-13T12:00' }, cookie)).status).toBe(303)
    const changed = JSON.parse((await t.consoleStore.getStaffEvent(row.id))!.event) as LocalEvent
    expect(changed).toMatchObject({ id: row.eventId, title: '高平市青少年科技节（改期）', start: '2026-12-13T09:00' })
    expect(t.app.calendar.events.find((e) => e.id === row.eventId)?.title).toBe('高平市青少年科技节（改期）')
    const entry = (await t.consoleStore.auditLog(5)).find((e) => e.action === 'event.edit')!
    expect(JSON.parse(entry.before!)).toMatchObject({ title: '高平市青少年科技节' })
    expect(JSON.parse(entry.after!)).toMatchObject({ title: '高平市青少年科技节（改期）' })
  })
})

describe('console: KEPU_APPROVALS=1 and the login limit', () => {
  it('lets the author approve alone, recorded as such', async () => {
    const one = await startHarness({ KEPU_APPROVALS: '1' })
    try {
      const { cookie } = await loginWith(await one.link(ADMIN_A))
      const page = await (await fetch(`${one.base}/admin/announcements`, { headers: { cookie: cookie! } })).text()
      const csrf = csrfOf(page)
      const body = (f: Record<string, string>) => ({ method: 'POST', body: new URLSearchParams(f), redirect: 'manual' as const, headers: { cookie: cookie! } })
      await fetch(`${one.base}/admin/announcements/draft`, body({ _csrf: csrf, name: '每日防骗', topic: 'fraud-tip', region: '', frequency: 'daily', time: '07:30', template: '{daily_tip}' }))
      const d = (await one.consoleStore.listDrafts())[0]!
      expect((await fetch(`${one.base}/admin/announcements/approve`, body({ _csrf: csrf, id: String(d.id) }))).status).toBe(303)
      expect(await one.consoleStore.getDraft(d.id)).toMatchObject({ status: 'approved', approvedBy: ADMIN_A, selfApproved: true })
      expect((await one.consoleStore.auditLog(1))[0]!.action).toBe('draft.approve-alone')
    } finally {
      await one.close()
    }
  })

  it('refuses logins for a minute after 20 failures, even with a good link', async () => {
    const limited = await startHarness()
    try {
      for (let i = 0; i < 20; i++) expect((await loginWith(`${limited.base}/admin/login?token=bad${i}`)).status).toBe(403)
      expect((await loginWith(await limited.link(ADMIN_A))).status).toBe(429)
      limited.clock.advance(61_000)
      expect((await loginWith(await limited.link(ADMIN_A))).status).toBe(303)
    } finally {
      await limited.close()
    }
  })
})
