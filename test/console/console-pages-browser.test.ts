import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hazardByName } from '../../src/alerts/hazards.js'
import { createDeliveryWorker } from '../../src/announce/delivery-worker.js'
import type { Adapter, Outgoing } from '../../src/core/adapter.js'
import { MemoryLogger } from '../../src/core/logger.js'
import { virtualSleep } from '../fakes/virtual-sleep.js'
import { CHROMIUM, check, contextFor, HAVE_CHROMIUM, launchChromium, login, seriousViolations } from './console-browser-harness.js'
import { ADMIN_A, ADMIN_B, startHarness, type Harness } from './console-harness.js'

/**
 * 应急 and 服务单 in real Chromium: an alert written from the hazard's template, confirmed and counted as it
 * is delivered; a service request assigned, scheduled and closed; axe and a screenshot of each page.
 */
if (!HAVE_CHROMIUM) console.log(`console page browser tests skipped: ${CHROMIUM} is missing (apt-get install chromium; .ci/run installs it)`)

let t: Harness
let browser: Browser

beforeAll(async () => {
  if (!HAVE_CHROMIUM) return
  t = await startHarness()
  browser = await launchChromium()
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await t?.close()
})

/** Drains the outbox through a fake Telegram adapter, as the delivery worker under serve would. */
async function deliver(): Promise<Outgoing[]> {
  const out: Outgoing[] = []
  const telegram: Adapter = { name: 'telegram', start: async () => {}, stop: async () => {}, send: async (m) => (out.push(m), { messageId: String(out.length) }) }
  await createDeliveryWorker({ store: t.store, adapters: [telegram], clock: t.clock, sleep: virtualSleep(t.clock), logger: new MemoryLogger() }).drain()
  return out
}

describe.skipIf(!HAVE_CHROMIUM)('console pages in Chromium', () => {
  it('应急: an alert from the 台风 template, confirmed with its recipients, then counted as it is delivered', { timeout: 60_000 }, async () => {
    for (const chatId of ['801', '802', '803']) await t.store.subscribe({ channel: 'telegram', chatId, topic: 'alert', region: '东营市' }, t.clock.now())
    const ctx = await contextFor(browser)
    const page = await ctx.newPage()
    await login(t, page, ADMIN_A)
    await page.getByRole('link', { name: '应急' }).click()
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('应急提醒')
    await page.getByRole('link', { name: '发一条应急提醒' }).click()
    await page.getByLabel('地区').selectOption('东营市')
    await page.getByLabel('灾种').selectOption('台风')
    await page.getByRole('button', { name: '下一步：填写内容' }).click()
    const text = page.getByLabel(/^提醒内容/)
    await expect(text.inputValue()).resolves.toBe(hazardByName('台风')!.starter)
    await check(page, 'alert-write')
    await text.fill('受今年第7号台风影响，今晚20时至明天8时我市有大风和强降雨，沿海阵风可达10级。请减少外出，渔船回港避风。')
    await page.getByRole('button', { name: '预览' }).click()
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('确认发送应急提醒')
    await expect(page.getByTestId('recipients').textContent()).resolves.toBe('3')
    const message = await page.getByTestId('alert-message').textContent()
    expect(message).toMatch(/^【应急提醒·东营市】台风预警\n受今年第7号台风影响，.+渔船回港避风。\n防范要点：\n1\. /s)
    await check(page, 'alert-confirm')
    await page.getByRole('button', { name: '确认发送' }).click()
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('已排队发给东营市 3 个聊天')
    const firing = (await t.store.reports(new Date(0))).find((r) => r.name === '应急提醒 东营市 台风')!
    const row = page.getByTestId(`alert-${firing.firingId}`)
    // Queued: the page reloads itself every 5 seconds (meta refresh, no script) and says how to stop it.
    await expect(row.locator('td').nth(5).textContent()).resolves.toBe('3')
    await expect(page.locator('meta[http-equiv="refresh"]').getAttribute('content')).resolves.toBe('5')
    await expect(page.getByRole('link', { name: '停止自动刷新' }).count()).resolves.toBe(1)
    // axe knows no exception for a refresh staff can stop (WCAG 2.2.1 allows turning it off): the only serious finding while live.
    expect((await seriousViolations(page)).map((v) => v.id)).toEqual(['meta-refresh'])

    const out = await deliver()
    expect(out.filter((m) => m.text === message).map((m) => m.chatId).sort()).toEqual(['801', '802', '803'])
    // The next reload (the meta refresh's, here at once) shows them sent and stops refreshing.
    await page.reload()
    await expect(row.locator('td').nth(4).textContent()).resolves.toBe('3')
    await expect(row.locator('td').nth(5).textContent()).resolves.toBe('0')
    await expect(page.locator('meta[http-equiv="refresh"]').count()).resolves.toBe(0)
    await check(page, 'alerts')
    await ctx.close()
  })

  it('服务单: a request assigned to a team, scheduled and closed; the resident told each time', { timeout: 60_000 }, async () => {
    const r = await t.store.createRequest(
      { channel: 'telegram', chatId: '9301', userKey: 'telegram:9301', region: '东营市', serviceId: 'anti-fraud', place: '垦利区胜坨镇<b>敬老院</b>', preferredDate: '下周六上午', audienceSize: 60, contact: '13812345678' },
      t.clock.now(),
    )
    await t.store.createRequest(
      { channel: 'wechat', chatId: 'wxid_9302', userKey: 'wechat:wxid_9302', region: '乌海市', serviceId: 'smartphone', place: '海勃湾区新华街道社区活动室', preferredDate: '月底前的周末', audienceSize: 25, contact: '13700001234' },
      t.clock.now(),
    )
    await t.store.registerVolunteer({ userKey: 'telegram:9401', name: '李老师', area: '东营垦利', skills: ['教育教学', '科普讲解'], contact: '13900002222' }, t.clock.now())
    await t.store.registerVolunteer({ userKey: 'telegram:9402', name: '王医生', area: '乌海', skills: ['医疗卫生'], contact: '13900003333' }, t.clock.now())
    // At a desk: the new request with its three forms (the guide's screenshot).
    const desk = await contextFor(browser)
    const wide = await desk.newPage()
    await login(t, wide, ADMIN_A)
    await wide.getByRole('link', { name: '服务单' }).click()
    await wide.getByRole('link', { name: r.number }).click()
    await check(wide, 'request')

    // On a phone, a second admin assigns and schedules it.
    const ctx = await contextFor(browser, true)
    const page = await ctx.newPage()
    await login(t, page, ADMIN_B)
    await page.getByRole('link', { name: '服务单' }).click()
    await expect(page.locator('main').textContent()).resolves.toContain('垦利区胜坨镇<b>敬老院</b>')
    await expect(page.locator('main').textContent()).resolves.toContain('138****5678')
    await check(page, 'requests-phone')
    await page.getByRole('link', { name: r.number }).click()
    await page.getByLabel('派给服务队（只列出服务东营市的队）').selectOption('反诈宣传志愿服务队')
    await page.getByRole('button', { name: '派单并通知居民' }).click()
    await expect(page.getByRole('status').textContent()).resolves.toContain(`已把 ${r.number} 派给「反诈宣传志愿服务队」`)
    await page.getByLabel('服务时间（北京时间）').fill('2026-12-19T09:30')
    await page.getByRole('button', { name: '排期并通知居民' }).click()
    await expect(page.getByRole('status').textContent()).resolves.toContain('已为')
    await expect(page.getByLabel('服务时间（北京时间）').inputValue()).resolves.toBe('2026-12-19T09:30')
    await check(page, 'request-phone')
    await ctx.close()

    // Back at the desk: closed with a note.
    await wide.reload()
    await expect(wide.getByTestId('request').textContent()).resolves.toContain('已排期')
    await wide.getByLabel(/^结单备注/).fill('讲了冒充客服退款和保健品骗局，老人们很认真。')
    await wide.getByRole('button', { name: '结单并请居民打分' }).click()
    await expect(wide.getByRole('status').textContent()).resolves.toContain(`已结单 ${r.number}`)
    await expect(wide.locator('main').textContent()).resolves.toContain('这张服务单已完成，不能再修改。')
    expect(await t.store.getRequest(r.number)).toMatchObject({ status: 'closed', team: '反诈宣传志愿服务队', scheduledAt: new Date('2026-12-19T01:30:00Z') })
    const told = (await deliver()).filter((m) => m.chatId === '9301').map((m) => m.text)
    expect(told).toHaveLength(3)
    expect(told[1]).toContain('已安排在 2026-12-19 周六 09:30，由「反诈宣传志愿服务队」提供服务')
    expect((await t.consoleStore.auditLog(5)).filter((e) => e.subject === r.number).map((e) => e.action)).toEqual(['request.close', 'request.schedule', 'request.assign'])
    await wide.getByRole('link', { name: '服务单', exact: true }).click()
    await wide.getByRole('link', { name: '全部' }).click()
    await check(wide, 'requests')
    await desk.close()
  })
})
