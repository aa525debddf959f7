import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hazardByName } from '../../src/alerts/hazards.js'
import { createDeliveryWorker } from '../../src/announce/delivery-worker.js'
import { escapeHtml } from '../../src/console/html.js'
import type { Adapter, Outgoing } from '../../src/core/adapter.js'
import { MemoryLogger } from '../../src/core/logger.js'
import { virtualSleep } from '../fakes/virtual-sleep.js'
import { ADMIN_A, consoleClient, csrfOf, type Harness, startHarness } from './console-harness.js'

let t: Harness
beforeAll(async () => {
  t = await startHarness()
  for (const chatId of ['501', '502']) await t.store.subscribe({ channel: 'telegram', chatId, topic: 'alert', region: '东营市' }, t.clock.now())
  await t.store.subscribe({ channel: 'telegram', chatId: '601', topic: 'alert', region: '乌海市' }, t.clock.now())
})
afterAll(async () => {
  await t.close()
})

const { get, post, session } = consoleClient(() => t)

/** The value of a hidden field of a page. */
const field = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? ''
/** A <pre data-testid=…>'s text as the page shows it (escaped). */
const pre = (html: string, id: string) => new RegExp(`<pre class="preview" data-testid="${id}">([^<]*)</pre>`).exec(html)?.[1]
const redirected = (res: Response) => {
  const q = new URL(res.headers.get('location') ?? '', t.base).searchParams
  return q.get('notice') ?? q.get('error') ?? ''
}

/** What the delivery worker sends through a fake Telegram adapter once the outbox is drained. */
async function deliver(): Promise<Outgoing[]> {
  const out: Outgoing[] = []
  const telegram: Adapter = { name: 'telegram', start: async () => {}, stop: async () => {}, send: async (m) => (out.push(m), { messageId: String(out.length) }) }
  await createDeliveryWorker({ store: t.store, adapters: [telegram], clock: t.clock, sleep: virtualSleep(t.clock), logger: new MemoryLogger() }).drain()
  return out
}

const alertsQueued = async () => (await t.store.listAnnouncements(true)).filter((a) => a.target.kind === 'topic' && a.target.topic === 'alert')

describe('console 应急: access', () => {
  it('needs a session, and the CSRF token on preview and send (403, nothing queued)', async () => {
    for (const path of ['/admin/alerts', '/admin/alerts/new']) expect((await get(path)).status, path).toBe(303)
    const cookie = await session()
    const fields = { region: '东营市', hazard: '台风', text: '今晚台风过境，请减少外出。', digest: 'x', nonce: 'n'.repeat(43) }
    expect((await post('/admin/alerts/preview', fields, cookie)).status).toBe(403)
    expect((await post('/admin/alerts/send', fields, cookie)).status).toBe(403)
    expect((await post('/admin/alerts/send', { ...fields, _csrf: 'wrong' }, cookie)).status).toBe(403)
    expect(await alertsQueued()).toEqual([])
  })
})

describe('console 应急: compose, confirm, send, watch', () => {
  it('prefills the hazard\'s template, refuses its blanks, shows the exact message and recipients, sends once on 「确认发送」, and counts deliveries', async () => {
    const cookie = await session()
    const choose = await (await get('/admin/alerts/new', cookie)).text()
    expect(choose).toContain('<option>东营市</option>')
    expect(choose).toContain('<option>森林火灾</option>')

    const write = await (await get(`/admin/alerts/new?${new URLSearchParams({ region: '东营市', hazard: '台风' })}`, cookie)).text()
    expect(pre(write, 'template-before')).toBe('【应急提醒·东营市】台风预警')
    expect(pre(write, 'template-after')).toContain('防范要点：\n1. ')
    const starter = hazardByName('台风')!.starter
    expect(write).toContain(`>${starter}</textarea>`)
    const csrf = csrfOf(write)

    // The starter text as it is: its 「××」 blanks are refused, and what was typed stays in the form.
    const blank = await post('/admin/alerts/preview', { _csrf: csrf, region: '东营市', hazard: '台风', text: starter }, cookie)
    expect(blank.status).toBe(400)
    const blankHtml = await blank.text()
    expect(blankHtml).toContain('还有「××」')
    expect(blankHtml).toContain(`>${starter}</textarea>`)

    const text = '受今年第7号台风影响，今晚20时至明天8时我市有<b>大风</b>和强降雨，沿海阵风10级。\r\n请减少外出，渔船回港避风。'
    const preview = await post('/admin/alerts/preview', { _csrf: csrf, region: '东营市', hazard: '台风', text }, cookie)
    expect(preview.status).toBe(200)
    const confirm = await preview.text()
    expect(confirm).toContain('<strong data-testid="recipients">2</strong>')
    const shown = pre(confirm, 'alert-message')!
    expect(shown).not.toContain('<b>')
    // Exactly what /alert in chat composes for the same region, hazard and text.
    const chat = await t.app.bot.handle({ channel: 'telegram', chatId: '1001', userId: '1001', isGroup: false, mentioned: true, forwarded: false, text: `/alert 东营 台风 ${text.replace(/\r\n/, '')}` })
    await t.app.bot.handle({ channel: 'telegram', chatId: '1001', userId: '1001', isGroup: false, mentioned: true, forwarded: false, text: '取消' })
    const message = shown.replace('&lt;b&gt;大风&lt;/b&gt;', '<b>大风</b>')
    expect(escapeHtml(message)).toBe(shown)
    expect(message.split('\n').slice(0, 4)).toEqual(['【应急提醒·东营市】台风预警', '受今年第7号台风影响，今晚20时至明天8时我市有<b>大风</b>和强降雨，沿海阵风10级。', '请减少外出，渔船回港避风。', '防范要点：'])
    // Chat folds full-width punctuation and has no line breaks in a command; otherwise the same message.
    expect(chat.text.normalize('NFKC')).toContain(message.replace('。\n请', '。请').normalize('NFKC'))
    expect(await alertsQueued()).toEqual([])
    // 「返回修改」 goes back to the form (a GET: no token in the address) with the text as typed.
    expect(confirm).toMatch(/<form method="get" action="\/admin\/alerts\/new" class="inline"><input type="hidden" name="region" value="东营市"><input type="hidden" name="hazard" value="台风"><input type="hidden" name="text" value="[^"]+"><button class="secondary" type="submit">返回修改<\/button><\/form>/)
    const back = await (await get(`/admin/alerts/new?${new URLSearchParams({ region: '东营市', hazard: '台风', text: text.replace(/\r\n/, '\n') })}`, cookie)).text()
    expect(back).toContain(`>${escapeHtml(text.replace(/\r\n/, '\n'))}</textarea>`)

    const send = { _csrf: csrfOf(confirm), region: field(confirm, 'region'), hazard: field(confirm, 'hazard'), text: text.replace(/\r\n/, '\n'), digest: field(confirm, 'digest'), nonce: field(confirm, 'nonce') }
    const sent = await post('/admin/alerts/send', send, cookie)
    expect(sent.status).toBe(303)
    expect(sent.headers.get('location')).toMatch(/^\/admin\/alerts\?live=1&/)
    const [alert] = await alertsQueued()
    expect(alert).toMatchObject({ name: '应急提醒 东营市 台风', template: message, createdBy: ADMIN_A })
    const report = (await t.store.reports(new Date(0))).find((r) => r.announcementId === alert!.id)!
    expect(redirected(sent)).toBe(`已排队发给东营市 2 个聊天（批次 #${report.firingId}），排在所有公告之前。`)
    // Ahead of every queued announcement, as the chat command queues it.
    expect((await t.store.rowsOf(report.firingId)).map((r) => [r.chatId, r.nextAttemptAt])).toEqual([
      ['501', 0],
      ['502', 0],
    ])
    const entry = (await t.consoleStore.auditLog(5)).find((e) => e.action === 'alert.send')!
    expect(entry).toMatchObject({ actor: ADMIN_A, subject: `alert:${report.firingId}` })
    expect(JSON.parse(entry.after!)).toMatchObject({ region: '东营市', hazard: '台风', recipients: 2 })

    // The same confirmation again (a double click, the back button): nothing more is queued.
    const twice = await post('/admin/alerts/send', send, cookie)
    expect(redirected(twice)).toContain(`已经发出过了（批次 #${report.firingId}）`)
    expect(await alertsQueued()).toHaveLength(1)

    // Live while pending: a meta refresh (no script) when asked for, counts on every load.
    const live = await (await get('/admin/alerts?live=1', cookie)).text()
    expect(live).toContain('<meta http-equiv="refresh" content="5">')
    expect(live).toMatch(new RegExp(`<tr data-testid="alert-${report.firingId}"><td>#${report.firingId}</td><td>应急提醒 东营市 台风</td><td>[^<]+</td><td>2</td><td>0</td><td>2</td><td>0</td><td>0</td>`))
    const calm = await (await get('/admin/alerts', cookie)).text()
    expect(calm).not.toContain('http-equiv="refresh"')
    expect(calm).toContain('href="/admin/alerts?live=1"')

    const out = await deliver()
    expect(out.filter((m) => m.text === message).map((m) => m.chatId).sort()).toEqual(['501', '502'])
    const done = await (await get('/admin/alerts?live=1', cookie)).text()
    expect(done).not.toContain('http-equiv="refresh"')
    expect(done).toMatch(new RegExp(`<tr data-testid="alert-${report.firingId}">(?:<td>[^<]*</td>){3}<td>2</td><td>2</td><td>0</td><td>0</td><td>0</td>`))
  })

  it('sends nothing when the fields no longer match what the confirmation showed', async () => {
    const cookie = await session()
    const csrf = csrfOf(await (await get('/admin/alerts', cookie)).text())
    const confirm = await (await post('/admin/alerts/preview', { _csrf: csrf, region: '乌海市', hazard: '沙尘暴', text: '明天白天我市有沙尘暴，请减少外出。' }, cookie)).text()
    const before = (await alertsQueued()).length
    const tampered = await post('/admin/alerts/send', { _csrf: csrf, region: '乌海市', hazard: '沙尘暴', text: '明天白天我市有强沙尘暴，请减少外出。', digest: field(confirm, 'digest'), nonce: field(confirm, 'nonce') }, cookie)
    expect(tampered.status).toBe(409)
    expect(await tampered.text()).toContain('请再核对一次')
    expect((await post('/admin/alerts/send', { _csrf: csrf, region: '乌海市', hazard: '沙尘暴', text: '明天白天我市有沙尘暴，请减少外出。', digest: field(confirm, 'digest'), nonce: 'short' }, cookie)).status).toBe(303)
    expect(await alertsQueued()).toHaveLength(before)
  })

  it('names a wrong region, hazard or text in Chinese and keeps the text', async () => {
    const cookie = await session()
    const csrf = csrfOf(await (await get('/admin/alerts', cookie)).text())
    const region = await post('/admin/alerts/preview', { _csrf: csrf, region: '火星', hazard: '台风', text: '今晚台风过境，请减少外出。' }, cookie)
    expect(region.status).toBe(400)
    expect(await region.text()).toContain('不认识地区「火星」')
    expect(await (await get(`/admin/alerts/new?${new URLSearchParams({ region: '东营市', hazard: '海啸怪兽' })}`, cookie)).text()).toContain('不认识灾种「海啸怪兽」')
    const long = '风'.repeat(301)
    const tooLong = await post('/admin/alerts/preview', { _csrf: csrf, region: '东营市', hazard: '台风', text: long }, cookie)
    expect(tooLong.status).toBe(400)
    const html = await tooLong.text()
    expect(html).toContain('301 字，最多 300 字')
    expect(html).toContain(`>${long}</textarea>`)
  })
})
