import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_A, ADMIN_B, startHarness, type Harness } from './console-harness.js'

/**
 * The console in real Chromium (Debian's package; .ci/run installs it): log in through a one-time link,
 * add an event and see the bot answer with it, draft an announcement and approve it as a second admin,
 * mark an unanswered question handled; axe on every page; screenshots in test-artifacts/.
 */
const CHROMIUM = process.env['KEPU_CHROMIUM'] ?? '/usr/bin/chromium'
const HAVE_CHROMIUM = existsSync(CHROMIUM)
if (!HAVE_CHROMIUM) console.log(`console browser tests skipped: ${CHROMIUM} is missing (apt-get install chromium; .ci/run installs it)`)

const ARTIFACTS = join(process.cwd(), 'test-artifacts')
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

let t: Harness
let browser: Browser

beforeAll(async () => {
  if (!HAVE_CHROMIUM) return
  mkdirSync(ARTIFACTS, { recursive: true })
  t = await startHarness()
  const { chromium } = await import('playwright-core')
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] })
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await t?.close()
})

/** A browser context of its own (cookies) for one admin; CSP bypassed only so that axe can be injected. */
async function contextFor(phone = false): Promise<BrowserContext> {
  return browser.newContext({ bypassCSP: true, locale: 'zh-CN', ...(phone ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 } : { viewport: { width: 1000, height: 800 } }) })
}

async function login(page: Page, user: string): Promise<void> {
  await page.goto(await t.link(user))
  await page.getByRole('button', { name: '登录管理台' }).click()
  await page.waitForURL(/\/admin\/$/)
}

interface AxeViolation {
  id: string
  impact: string | null
  nodes: { target: string[] }[]
}

/** Runs axe on the page; returns the serious and critical violations. */
async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: AXE })
  const result = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as { violations: AxeViolation[] }
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}

async function check(page: Page, shot: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${shot}.png`), fullPage: true })
  const violations = await seriousViolations(page)
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), shot).toEqual([])
}

describe.skipIf(!HAVE_CHROMIUM)('console in Chromium', () => {
  it('login page: a one-time link, one click, then 概览', { timeout: 60_000 }, async () => {
    const ctx = await contextFor()
    const page = await ctx.newPage()
    await page.goto(await t.link(ADMIN_A))
    await check(page, 'login')
    await page.getByRole('button', { name: '登录管理台' }).click()
    await page.waitForURL(/\/admin\/$/)
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('概览')
    await check(page, 'overview')
    await ctx.close()
  })

  it('活动: an event added in the form is in the bot\'s answer to 「这周末有什么活动」 at once', { timeout: 60_000 }, async () => {
    const ctx = await contextFor()
    const page = await ctx.newPage()
    await login(page, ADMIN_A)
    await page.getByRole('link', { name: '活动' }).click()
    await page.getByLabel('地区').selectOption('东营市')
    await page.getByLabel('活动名称').fill('黄河口湿地观鸟科普行')
    await page.getByLabel('开始时间（北京时间）').fill('2026-12-05T09:30')
    await page.getByLabel('结束时间（北京时间）').fill('2026-12-05T11:30')
    await page.getByLabel('地点（场馆）').fill('黄河口生态旅游区')
    await page.getByLabel('主办单位').fill('东营市科协')
    await page.getByLabel('青少年').check()
    await page.getByLabel('家长').check()
    await page.getByLabel('简介（120 字以内，可不填）').fill('跟着讲解员认识湿地鸟类，适合亲子参加。')
    await page.getByRole('button', { name: '添加活动' }).click()
    await expect(page.getByRole('status').textContent()).resolves.toContain('已保存：黄河口湿地观鸟科普行')
    await check(page, 'events')

    const ask = (text: string) => t.app.bot.handle({ channel: 'telegram', chatId: '5005', userId: '5005', isGroup: false, mentioned: true, forwarded: false, text })
    await ask('我在东营')
    const reply = await ask('这周末有什么活动')
    expect(reply.text).toContain('黄河口湿地观鸟科普行')

    await page.getByRole('link', { name: '修改' }).first().click()
    await check(page, 'event-edit')
    await ctx.close()
  })

  it('公告: drafted by one admin, refused for self-approval, approved by a second admin, scheduled', { timeout: 60_000 }, async () => {
    const ctxA = await contextFor()
    const a = await ctxA.newPage()
    await login(a, ADMIN_A)
    await a.getByRole('link', { name: '公告' }).click()
    await a.getByLabel('名称（只给工作人员看）').fill('东营周末活动提醒')
    await a.getByLabel('发给哪个订阅').selectOption({ label: '本地区活动周报' })
    await a.getByLabel('地区（不选：所有地区）').selectOption('东营市')
    await a.getByLabel('多久发一次').selectOption({ label: '每周五' })
    await a.getByLabel('几点（北京时间）').fill('18:00')
    await a.getByLabel(/^内容/).fill('周末去哪儿：\n{week_events}\n活动以主办方通知为准。')
    await a.getByRole('button', { name: '保存草稿并预览' }).click()
    await expect(a.getByRole('status').textContent()).resolves.toContain('草稿已保存')
    await expect(a.locator('pre.preview').first().textContent()).resolves.toBe('周末去哪儿：\n{week_events}\n活动以主办方通知为准。')
    await expect(a.getByText('需要另一位管理员批准后才会发送。').count()).resolves.toBe(1)
    // The preview fills {week_events} with this week's 东营 events, as the firing would.
    await expect(a.getByTestId('rendered').textContent()).resolves.toMatch(/^周末去哪儿：\n· .+\n活动以主办方通知为准。$/s)
    await check(a, 'announcement-draft')
    await ctxA.close()

    const ctxB = await contextFor(true)
    const b = await ctxB.newPage()
    await login(b, ADMIN_B)
    await b.getByRole('link', { name: '公告' }).click()
    await b.getByRole('button', { name: '批准并排期' }).click()
    await expect(b.getByRole('status').textContent()).resolves.toContain('已批准：东营周末活动提醒')
    await check(b, 'announcement-approved-phone')
    const draft = (await t.consoleStore.listDrafts())[0]!
    expect(draft).toMatchObject({ status: 'approved', createdBy: ADMIN_A, approvedBy: ADMIN_B })
    expect((await t.store.getAnnouncement(draft.announcementId!))?.cron).toBe('0 18 * * 5')
    await ctxB.close()
  })

  it('未回答 and 操作记录: mark a question handled; every action is in the log', { timeout: 60_000 }, async () => {
    const declined = await t.app.bot.handle({ channel: 'telegram', chatId: '6006', userId: '6006', isGroup: false, mentioned: true, forwarded: false, text: '墨子号量子卫星的第三颗叫什么名字' })
    expect(declined.answered).toBe(false)
    const ctx = await contextFor()
    const page = await ctx.newPage()
    await login(page, ADMIN_A)
    await page.getByRole('link', { name: '未回答' }).click()
    await check(page, 'unanswered')
    await page.getByRole('button', { name: /标为已处理：墨子号量子卫星/ }).click()
    await expect(page.getByRole('status').textContent()).resolves.toContain('已标为已处理')
    await page.getByRole('link', { name: '操作记录' }).click()
    await expect(page.locator('table').textContent()).resolves.toContain('unanswered.handle')
    await check(page, 'audit')
    await ctx.close()
  })

  it('概览: questions per day and region, share answered, subscribers per topic, drawn from the counts', { timeout: 60_000 }, async () => {
    const say = (user: string, text: string) => t.app.bot.handle({ channel: 'telegram', chatId: user, userId: user, isGroup: false, mentioned: true, forwarded: false, text })
    for (const [user, region] of [['7001', '我在东营'], ['7002', '我在乌海'], ['7003', '我在高平']] as const) {
      await say(user, region)
      await say(user, '我们市2025年科学素质目标是多少')
      await say(user, '这周末有什么活动')
      await say(user, '订阅活动周报')
    }
    await say('7001', '防灾减灾日是哪天')
    // A first answer offers feedback (「回复 1 有用，2 没用」): 有用.
    await say('7004', '防灾减灾日是哪天')
    await say('7004', '1')
    t.clock.advance(-86_400_000)
    await say('7002', '帮我看看：【医保局】您的医保卡已冻结，请点击 http://yb-gov.cc 解冻')
    t.clock.advance(86_400_000)
    const ctx = await contextFor()
    const page = await ctx.newPage()
    await login(page, ADMIN_A)
    const body = await page.locator('main').textContent()
    expect(body).toMatch(/近 14 天共 \d+ 个问题/)
    await expect(page.locator('svg[role=img]').count()).resolves.toBe(5)
    expect(body).toContain('近 14 天居民对回答的反馈：有用 1 次，没用 0 次')
    await expect(page.locator('svg[aria-label^="各订阅的人数"]').getAttribute('aria-label')).resolves.toContain('本地区活动周报：3')
    await check(page, 'overview-data')
    await ctx.close()
  })

  it('人工: a resident\'s 「转人工」 lands in the inbox; a reply typed there reaches them', { timeout: 60_000 }, async () => {
    const say = (text: string) => t.app.bot.handle({ channel: 'telegram', chatId: '8008', userId: '8008', isGroup: false, mentioned: true, forwarded: false, text })
    await say('转人工')
    await say('我们社区想办一场防诈骗讲座，能请人来讲吗？')
    const ctx = await contextFor()
    const page = await ctx.newPage()
    await login(page, ADMIN_A)
    await page.getByRole('link', { name: '人工' }).click()
    await expect(page.locator('main').textContent()).resolves.toContain('我们社区想办一场防诈骗讲座')
    await page.getByLabel('回复（居民在自己的聊天里收到）').fill('可以的，请留下联系电话，我们安排志愿者。')
    await page.getByRole('button', { name: '发送' }).click()
    await expect(page.getByRole('status').textContent()).resolves.toContain('已发送')
    expect(t.sent.at(-1)).toEqual({ chatId: '8008', text: '【工作人员】可以的，请留下联系电话，我们安排志愿者。' })
    await check(page, 'handoff')
    await ctx.close()
  })
})
