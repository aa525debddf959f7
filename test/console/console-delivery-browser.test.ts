import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { FakeBotApi } from '../fakes/fake-bot-api.js'
import { CHROMIUM, check, contextFor, HAVE_CHROMIUM, launchChromium, login } from './console-browser-harness.js'
import { ADMIN_A, ADMIN_B, startHarness, type Harness } from './console-harness.js'

/**
 * Issue 15's measure, end to end: an announcement drafted by one admin in Chromium and approved by a second is
 * delivered by the subscriptions skill's scheduler and delivery worker through the real Telegram adapter
 * (telegraf) to the loopback fake Bot API, and the console's 公告 page reports the firing as sent. The firing
 * time is a minute ahead; the test moves the fake clock and ticks the scheduler rather than waiting.
 */
if (!HAVE_CHROMIUM) console.log(`console delivery browser test skipped: ${CHROMIUM} is missing (apt-get install chromium; .ci/run installs it)`)

const NAME = '国际志愿者日提醒'
const TEMPLATE = '【{region}科协】12 月 5 日是国际志愿者日，欢迎参加社区科普志愿服务。\n回复「退订」可取消推送。'
/** Subscribers of 活动提醒 (the announcement's topic) by chat and region, and one of another topic. */
const SUBSCRIBERS = [
  { chatId: '3001', topic: 'events', region: '东营市' },
  { chatId: '3002', topic: 'events', region: '东营市' },
  { chatId: '3003', topic: 'events', region: '乌海市' },
  { chatId: '3004', topic: 'fraud-tip', region: '东营市' },
] as const

let fake: FakeBotApi
let t: Harness
let browser: Browser

beforeAll(async () => {
  if (!HAVE_CHROMIUM) return
  fake = await FakeBotApi.start()
  t = await startHarness({}, { telegram: { apiRoot: fake.apiRoot, token: fake.token } })
  for (const s of SUBSCRIBERS) await t.store.subscribe({ channel: 'telegram', ...s }, t.clock.now())
  browser = await launchChromium()
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await t?.close()
  await fake?.close()
})

describe.skipIf(!HAVE_CHROMIUM)('console announcement delivered through Telegram, in Chromium', () => {
  it('drafted by admin A, approved by admin B, fired a minute later: each subscriber gets its text and the report says sent', { timeout: 60_000 }, async () => {
    const ctxA = await contextFor(browser)
    const a = await ctxA.newPage()
    await login(t, a, ADMIN_A)
    await a.getByRole('link', { name: '公告' }).click()
    await a.getByLabel('名称（只给工作人员看）').fill(NAME)
    await a.getByLabel('发给哪个订阅').selectOption({ label: '活动提醒' })
    await a.getByLabel('多久发一次').selectOption({ label: '每天' })
    // The harness's clock reads 10:00 in Shanghai: the first firing is a minute ahead.
    await a.getByLabel('几点（北京时间）').fill('10:01')
    await a.getByLabel(/^内容/).fill(TEMPLATE)
    await a.getByRole('button', { name: '保存草稿并预览' }).click()
    await expect(a.getByRole('status').textContent()).resolves.toContain(`草稿已保存：${NAME}`)
    await ctxA.close()

    const ctxB = await contextFor(browser)
    const b = await ctxB.newPage()
    await login(t, b, ADMIN_B)
    await b.getByRole('link', { name: '公告' }).click()
    await b.getByRole('button', { name: '批准并排期' }).click()
    await expect(b.getByRole('status').textContent()).resolves.toContain(`已批准：${NAME}，每天 10:01发送`)
    await expect(b.locator('main').textContent()).resolves.toContain('接下来发送：2026-12-02 10:01；2026-12-03 10:01；2026-12-04 10:01')
    await expect(b.locator('main').textContent()).resolves.toContain('近 7 天没有发送。')

    const before = fake.sent.length
    t.clock.advance(60_000)
    t.tick()
    const delivered = new Map<string, string>()
    for (const chatId of ['3001', '3002', '3003']) {
      const r = await fake.waitFor((x) => x.method === 'sendMessage' && String(x.payload['chat_id']) === chatId && x.status === 200, { from: 0, timeoutMs: 10_000 })
      delivered.set(chatId, String(r.payload['text']))
    }
    expect(Object.fromEntries(delivered)).toEqual({
      '3001': '【东营市科协】12 月 5 日是国际志愿者日，欢迎参加社区科普志愿服务。\n回复「退订」可取消推送。',
      '3002': '【东营市科协】12 月 5 日是国际志愿者日，欢迎参加社区科普志愿服务。\n回复「退订」可取消推送。',
      '3003': '【乌海市科协】12 月 5 日是国际志愿者日，欢迎参加社区科普志愿服务。\n回复「退订」可取消推送。',
    })
    // The worker records each outcome just after the Bot API answers: wait for the three to be written.
    const since = new Date(t.clock.now().getTime() - 86_400_000)
    await vi.waitFor(async () => expect((await t.store.reports(since)).find((r) => r.name === NAME)).toMatchObject({ total: 3, sent: 3 }), { timeout: 10_000 })
    // Once each, and nothing to the subscriber of another topic.
    const ours = fake.sent.slice(before).filter((m) => SUBSCRIBERS.some((s) => s.chatId === String(m.chatId)))
    expect(ours.map((m) => String(m.chatId)).sort()).toEqual(['3001', '3002', '3003'])

    await b.reload()
    const row = b.getByRole('row').filter({ hasText: NAME })
    await expect(row.getByRole('cell').allTextContents()).resolves.toEqual([NAME, '2026-12-02 10:01', '3', '3', '0', '0', '0'])
    await check(b, 'announcement-delivered')
    await ctxB.close()
  })
})
