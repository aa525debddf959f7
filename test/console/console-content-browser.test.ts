import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM, check, contextFor, HAVE_CHROMIUM, launchChromium, login } from './console-browser-harness.js'
import { ADMIN_A, startHarness, type Harness } from './console-harness.js'

/**
 * 未回答 → 添加知识卡片 / 添加同义词 in real Chromium, without JavaScript: a refused card keeps what was typed
 * and says which field; the saved card and synonym answer the next resident; 知识卡片 lists and withdraws.
 * Axe and a screenshot of each page.
 */
if (!HAVE_CHROMIUM) console.log(`console content browser tests skipped: ${CHROMIUM} is missing (apt-get install chromium; .ci/run installs it)`)

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

let chat = 9000
const ask = (text: string) => t.app.bot.handle({ channel: 'telegram', chatId: String(++chat), userId: String(chat), isGroup: false, mentioned: true, forwarded: false, text })

describe.skipIf(!HAVE_CHROMIUM)('console 知识卡片和同义词 in Chromium', () => {
  it('a card from an unanswered question: refused with the field named and the input kept, then saved, handled and answered', { timeout: 60_000 }, async () => {
    const question = '家里的绿萝叶子发黄是咋回事'
    expect((await ask(question)).answered).toBe(false)
    expect((await ask('被汪星人咬了怎么办')).answered).toBe(false)
    // A resident's first answer offers feedback: 2 (没用), then what was missing, with a phone number in it.
    const resident = { channel: 'telegram', chatId: '9500', userId: '9500', isGroup: false, mentioned: true, forwarded: false }
    const shown = await t.app.bot.handle({ ...resident, text: '防灾减灾日是哪天' })
    expect(shown.answered).toBe(true)
    expect(shown.feedback).toBeDefined()
    expect((await t.app.bot.handle({ ...resident, text: '2' })).text).toContain('哪里不对或缺了什么')
    await t.app.bot.handle({ ...resident, text: '没说今年有什么活动，我电话13812345678' })
    const ctx = await contextFor(browser)
    const page = await ctx.newPage()
    await login(t, page, ADMIN_A)
    await page.getByRole('link', { name: '未回答' }).click()
    // The 没用 answer is collapsed under its question: staff open it to see what the resident was shown and said.
    const unhelpful = page.locator('details.unhelpful')
    await expect(unhelpful.count()).resolves.toBe(1)
    await expect(unhelpful.getAttribute('open')).resolves.toBeNull()
    await page.getByText('居民说没用的回答（1）').click()
    await expect(unhelpful.getAttribute('open')).resolves.toBe('')
    const items = await unhelpful.locator('li').allInnerTexts()
    expect(items).toHaveLength(1)
    expect(items[0]).toContain(`机器人的回答：${shown.text.slice(0, 20)}`)
    // Kept as cleaned for staff: the phone number masked.
    expect(items[0]).toContain('居民说：没说今年有什么活动,我电话＊＊＊')
    expect(items[0]).not.toContain('13812345678')
    await check(page, 'unanswered-actions')
    await page.getByRole('link', { name: `添加知识卡片：${question}` }).click()
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('添加知识卡片')
    await expect(page.getByLabel(/^居民会怎么问/).inputValue()).resolves.toBe(question)
    await expect(page.getByLabel('同时标为已处理').isChecked()).resolves.toBe(true)

    // A 辟谣 card without its claim: the server refuses it and names the fields.
    await page.getByLabel('分类').selectOption('辟谣')
    await page.getByLabel(/^主题/).fill('绿萝养护')
    await page.getByLabel(/^居民会怎么问/).fill(`${question}\n绿萝多久浇一次水`)
    await page.getByLabel(/^关键词/).fill('绿萝、黄叶')
    await page.getByLabel(/^回答/).fill('绿萝叶子发黄多半是浇水太勤、盆土积水烂根，也可能是长期晒不到散射光。等盆土表面干了再浇透，盆底要能排水；放在明亮但不直晒的地方，剪掉黄叶。')
    await page.getByLabel(/^长辈模式的回答/).fill('绿萝黄叶多是水浇多了，土干了再浇，放亮堂但不晒的地方。')
    await page.getByLabel(/^来源：发布机构/).fill('中国科学院植物研究所')
    await page.getByLabel(/^来源：文件或页面标题/).fill('《室内观叶植物养护常识》')
    await page.getByLabel(/^来源：年份/).fill('2022')
    await page.getByRole('button', { name: '添加知识卡片' }).click()
    await expect(page.getByRole('alert').textContent()).resolves.toBe('没有保存：谣言的说法：辟谣卡片要写谣言的说法；结论：辟谣卡片要选结论（谣言、不准确或部分正确）')
    await expect(page.getByLabel(/^来源：发布机构/).inputValue()).resolves.toBe('中国科学院植物研究所')
    await expect(page.getByLabel('同时标为已处理').isChecked()).resolves.toBe(true)
    await check(page, 'content-card-error')

    await page.getByLabel('分类').selectOption('科学常识')
    await page.getByRole('button', { name: '添加知识卡片' }).click()
    await page.waitForURL(/\/admin\/unanswered/)
    await expect(page.getByRole('status').textContent()).resolves.toContain('已添加知识卡片：绿萝养护；问题已标为已处理')
    await expect(page.getByRole('link', { name: `添加知识卡片：${question}` }).count()).resolves.toBe(0)
    expect((await ask(question)).text).toContain('（来源：中国科学院植物研究所《室内观叶植物养护常识》（2022））')

    // A synonym for the other question, from its words.
    await page.getByRole('link', { name: '添加同义词：被汪星人咬了怎么办' }).click()
    await expect(page.getByLabel(/^居民的说法/).inputValue()).resolves.toBe('汪星人咬')
    await page.getByLabel(/^居民的说法/).fill('汪星人')
    await page.getByLabel(/^标准说法/).fill('狗')
    await check(page, 'content-synonym')
    await page.getByRole('button', { name: '添加同义词' }).click()
    await page.waitForURL(/\/admin\/unanswered/)
    await expect(page.getByRole('status').textContent()).resolves.toContain('已添加同义词：汪星人 → 狗')
    expect((await ask('被汪星人咬了怎么办')).text).toContain('狂犬')

    // 知识卡片: both listed; withdrawing the card takes it out of the answers.
    await page.getByRole('link', { name: '知识卡片', exact: true }).click()
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('知识卡片和同义词')
    await expect(page.getByRole('cell', { name: '汪星人 → 狗', exact: true }).count()).resolves.toBe(1)
    await check(page, 'content')
    await page.getByRole('button', { name: '撤下卡片：绿萝养护' }).click()
    await expect(page.getByRole('status').textContent()).resolves.toContain('已撤下知识卡片：绿萝养护')
    expect((await ask('绿萝叶子发黄怎么办')).text).not.toContain('中国科学院植物研究所')
    await ctx.close()
  })

  it('the card form on a phone: one column, every field reachable', { timeout: 60_000 }, async () => {
    const ctx = await contextFor(browser, true)
    const page = await ctx.newPage()
    await login(t, page, ADMIN_A)
    await page.goto(`${t.base}/admin/content/card`)
    const width = await page.evaluate('document.documentElement.scrollWidth')
    expect(width).toBeLessThanOrEqual(390)
    await check(page, 'content-card-phone')
    await ctx.close()
  })
})
