import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { normaliseQuestion } from '../../src/announce/unanswered-recorder.js'
import { ADMIN_A, consoleClient, csrfOf, type Harness, startHarness } from './console-harness.js'

let t: Harness
beforeAll(async () => {
  t = await startHarness()
})
afterAll(async () => {
  await t.close()
})

const { get, post, session } = consoleClient(() => t)

let chat = 5000
/** A resident's question through the real bot (a chat of its own each time, so no dialogue carries over). */
const ask = (text: string) => t.app.bot.handle({ channel: 'telegram', chatId: String(++chat), userId: String(chat), isGroup: false, mentioned: true, forwarded: false, text })

/** The fields of a valid card (as the form sends them). */
const POTHOS = {
  category: '科学常识',
  topic: '绿萝养护',
  questions: '绿萝叶子发黄怎么办\n绿萝多久浇一次水',
  keywords: '绿萝、黄叶',
  answer: '绿萝叶子发黄多半是浇水太勤、盆土积水烂根，也可能是长期晒不到散射光。等盆土表面干了再浇透，盆底要能排水；放在明亮但不直晒的地方，剪掉黄叶。',
  elder: '绿萝黄叶多是水浇多了，土干了再浇，放亮堂但不晒的地方。',
  steps: '',
  claim: '',
  verdict: '',
  org: '中国科学院植物研究所',
  title: '《室内观叶植物养护常识》',
  year: '2022',
  reviewed: '2026-12-01',
}

const auditActions = async () => (await t.consoleStore.auditLog(50)).map((a) => a.action)

describe('console 知识卡片和同义词: guarded like every page', () => {
  it('needs a session for the pages and the forms; a POST needs the CSRF token', async () => {
    for (const path of ['/admin/content', '/admin/content/card', '/admin/content/synonym', '/admin/content/cards.yaml']) {
      const res = await get(path)
      expect(res.status, path).toBe(303)
      expect(res.headers.get('location')).toBe('/admin/login')
    }
    expect((await post('/admin/content/card', POTHOS)).status).toBe(403)
    const cookie = await session()
    const res = await post('/admin/content/card', { ...POTHOS, _csrf: 'forged' }, cookie)
    expect(res.status).toBe(403)
    expect(await res.text()).toContain('表单已失效')
    expect((await post('/admin/content/synonym', { _csrf: 'forged', kind: 'say', say: '汪星人', means: '狗' }, cookie)).status).toBe(403)
    expect(await t.consoleStore.listStaffContent('card')).toEqual([])
    expect(await t.consoleStore.listStaffContent('synonym')).toEqual([])
  })
})

describe('console: a knowledge card from an unanswered question', () => {
  it('is offered on the row, prefilled, validated in Chinese naming the field, and answers the next resident at once', async () => {
    const question = '家里的绿萝叶子发黄是咋回事'
    const before = await ask(question)
    expect(before.answered).toBe(false)
    const cookie = await session()
    const list = await (await get('/admin/unanswered', cookie)).text()
    const key = normaliseQuestion(question)
    const link = `/admin/content/card?${new URLSearchParams({ key })}`
    expect(list).toContain(link.replace('&', '&amp;'))
    expect(list).toContain(`aria-label="添加知识卡片：${question}"`)
    const form = await (await get(link, cookie)).text()
    expect(form).toContain(`居民的问题：<strong>${question}</strong>`)
    expect(form).toMatch(/<textarea id="c-questions" name="questions" required>家里的绿萝叶子发黄是咋回事<\/textarea>/)
    expect(form).toMatch(/name="handled" value="1" checked/)
    const csrf = csrfOf(form)

    // The files' rules: the answer at most 200 characters, a source with a year; errors on one line, values kept.
    const long = '绿'.repeat(201)
    const bad = await post('/admin/content/card', { ...POTHOS, _csrf: csrf, key, text: question, handled: '1', answer: long, year: '去年', questions: '' }, cookie)
    expect(bad.status).toBe(400)
    const page = await bad.text()
    const error = /<p class="error" role="alert">([^<]*)<\/p>/.exec(page)?.[1]
    expect(error).toBe('没有保存：居民的问法：至少写一条；回答：201 字，最多 200 字；来源：年份：请写四位年份，如 2024')
    expect(page).toContain(`>${long}</textarea>`)
    expect(page).toContain('value="中国科学院植物研究所"')
    expect(page).toMatch(/name="handled" value="1" checked/)
    expect(await t.consoleStore.listStaffContent('card')).toEqual([])

    const res = await post('/admin/content/card', { ...POTHOS, _csrf: csrf, key, text: question, handled: '1' }, cookie)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toMatch(/^\/admin\/unanswered\?notice=/)
    // No restart: the next resident asking gets the card, its source named.
    const after = await ask(question)
    expect(after.answered).toBe(true)
    expect(after.text).toContain('盆土表面干了再浇透')
    expect(after.text).toContain('中国科学院植物研究所《室内观叶植物养护常识》（2022）')
    // Marked handled in the same step, and both steps audited.
    expect((await t.consoleStore.handled()).get(key)?.by).toBe(ADMIN_A)
    const log = await t.consoleStore.auditLog(5)
    expect(log.map((a) => a.action).slice(0, 2)).toEqual(['unanswered.handle', 'content.card.add'])
    expect(JSON.parse(log[1]!.after!)).toMatchObject({ topic: '绿萝养护', source: { org: '中国科学院植物研究所', year: 2022 } })
    expect(log[1]!.before).toBeNull()
  })

  it('lists the card, edits it (before → after audited) and withdraws it: the bot stops using it at once', async () => {
    const cookie = await session()
    const row = (await t.consoleStore.listStaffContent('card')).find((r) => r.body.includes('绿萝养护'))!
    const listing = await (await get('/admin/content', cookie)).text()
    expect(listing).toContain('绿萝养护')
    expect(listing).toContain('aria-label="撤下卡片：绿萝养护"')
    const edit = await (await get(`/admin/content/card?id=${row.id}`, cookie)).text()
    expect(edit).toContain('value="绿萝养护"')
    const csrf = csrfOf(edit)
    expect((await post('/admin/content/card', { ...POTHOS, _csrf: csrf, id: String(row.id), elder: '绿萝黄叶，多半是水浇多了。' }, cookie)).status).toBe(303)
    const [entry] = await t.consoleStore.auditLog(1)
    expect(entry).toMatchObject({ action: 'content.card.edit', subject: row.itemId })
    expect(JSON.parse(entry!.before!).elder).toBe(POTHOS.elder)
    expect(JSON.parse(entry!.after!).elder).toBe('绿萝黄叶，多半是水浇多了。')

    const yaml = await get('/admin/content/cards.yaml', cookie)
    expect(yaml.headers.get('content-disposition')).toContain('attachment')
    expect(await yaml.text()).toContain('topic: 绿萝养护')

    expect((await post('/admin/content/card/withdraw', { _csrf: csrf, id: String(row.id) }, cookie)).status).toBe(303)
    expect((await ask('绿萝叶子发黄怎么办')).text).not.toContain('盆土表面干了再浇透')
    expect((await post('/admin/content/card/withdraw', { _csrf: csrf, id: String(row.id) }, cookie)).headers.get('location')).toContain('error=')
    expect(await auditActions()).toContain('content.card.withdraw')
    expect(await (await get('/admin/content/cards.yaml', cookie)).text()).not.toContain('绿萝养护')
  })

  it('a 辟谣 card needs its claim and verdict; a card may be added without a question and without marking anything', async () => {
    const cookie = await session()
    const csrf = csrfOf(await (await get('/admin/content/card', cookie)).text())
    const res = await post('/admin/content/card', { ...POTHOS, _csrf: csrf, category: '辟谣' }, cookie)
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('没有保存：谣言的说法：辟谣卡片要写谣言的说法；结论：辟谣卡片要选结论（谣言、不准确或部分正确）')
    const wrongRegion = await post('/admin/content/card', { ...POTHOS, _csrf: csrf, regions: '火星市' }, cookie)
    expect(await wrongRegion.text()).toContain('适用地区：「火星市」不在地区列表里')
  })

  it('escapes what staff type, on the form kept after an error and on the list', async () => {
    const cookie = await session()
    const csrf = csrfOf(await (await get('/admin/content/card', cookie)).text())
    const evil = '<script>alert(1)</script>'
    const bad = await (await post('/admin/content/card', { ...POTHOS, _csrf: csrf, topic: evil, answer: '' }, cookie)).text()
    expect(bad).not.toContain(evil)
    expect(bad).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect((await post('/admin/content/card', { ...POTHOS, _csrf: csrf, topic: '<b>x</b>', questions: '<img src=x>绿萝怎么养' }, cookie)).status).toBe(303)
    const listing = await (await get('/admin/content', cookie)).text()
    expect(listing).not.toContain('<b>x</b>')
    expect(listing).not.toContain('<img src=x>')
    expect(listing).toContain('&lt;b&gt;x&lt;/b&gt;')
    const row = (await t.consoleStore.listStaffContent('card')).find((r) => r.body.includes('<b>x</b>'))!
    await post('/admin/content/card/withdraw', { _csrf: csrf, id: String(row.id) }, cookie)
  })
})

describe('console: a synonym from an unanswered question', () => {
  it('is prefilled with the words of the question, validated, and understood by the next resident at once', async () => {
    const question = '被汪星人咬了怎么办'
    expect((await ask(question)).answered).toBe(false)
    const cookie = await session()
    const key = normaliseQuestion(question)
    const form = await (await get(`/admin/content/synonym?${new URLSearchParams({ key })}`, cookie)).text()
    expect(form).toContain('id="s-say" name="say" value="汪星人咬"')
    expect(form).toContain('比赛、竞赛、大赛（意思相同）')
    const csrf = csrfOf(form)

    const empty = await post('/admin/content/synonym', { _csrf: csrf, key, text: question, handled: '1', kind: 'say', say: '汪星人', means: ' 、 ' }, cookie)
    expect(empty.status).toBe(400)
    const page = await empty.text()
    expect(/<p class="error" role="alert">([^<]*)<\/p>/.exec(page)?.[1]).toBe('没有保存：标准说法：至少写一个词')
    expect(page).toContain('id="s-say" name="say" value="汪星人"')
    const one = await post('/admin/content/synonym', { _csrf: csrf, kind: 'same', same: '汪星人' }, cookie)
    expect(await one.text()).toContain('没有保存：意思相同的词：至少写两个词')
    const dup = await post('/admin/content/synonym', { _csrf: csrf, kind: 'same', same: '大赛 比赛 竞赛' }, cookie)
    expect(await dup.text()).toContain('没有保存：这组同义词已经有了')

    const res = await post('/admin/content/synonym', { _csrf: csrf, key, text: question, handled: '1', kind: 'say', say: '汪星人', means: '狗' }, cookie)
    expect(res.status).toBe(303)
    const reply = await ask(question)
    expect(reply.answered).toBe(true)
    expect(reply.text).toContain('狂犬')
    expect((await t.consoleStore.handled()).has(key)).toBe(true)
    const log = await t.consoleStore.auditLog(2)
    expect(log.map((a) => a.action)).toEqual(['unanswered.handle', 'content.synonym.add'])
    expect(JSON.parse(log[1]!.after!)).toEqual({ say: ['汪星人'], means: ['狗'] })
  })

  it('adds a word to a group (its own group changes in place, before → after audited), and withdraws it', async () => {
    const cookie = await session()
    const row = (await t.consoleStore.listStaffContent('synonym')).find((r) => r.body.includes('汪星人'))!
    const csrf = csrfOf(await (await get('/admin/content/synonym', cookie)).text())
    const res = await post('/admin/content/synonym', { _csrf: csrf, kind: 'extend', group: `staff:${row.id}`, words: '狗狗 汪星人' }, cookie)
    expect(await res.text()).toContain('没有保存：要加的词：「汪星人」已在这一组里')
    expect((await post('/admin/content/synonym', { _csrf: csrf, kind: 'extend', group: `staff:${row.id}`, words: '汪汪队员' }, cookie)).status).toBe(303)
    const [entry] = await t.consoleStore.auditLog(1)
    expect(entry).toMatchObject({ action: 'content.synonym.edit', subject: row.itemId })
    expect(JSON.parse(entry!.before!)).toEqual({ say: ['汪星人'], means: ['狗'] })
    expect(JSON.parse(entry!.after!)).toEqual({ say: ['汪星人', '汪汪队员'], means: ['狗'] })
    expect((await ask('被汪汪队员咬了怎么办')).text).toContain('狂犬')

    // A file's group is left as it is: the stored one holds it with the new word.
    expect((await post('/admin/content/synonym', { _csrf: csrf, kind: 'extend', group: 'file:2', words: '赛事' }, cookie)).status).toBe(303)
    expect(await (await get('/admin/content/synonyms.yaml', cookie)).text()).toContain('- same: [比赛, 竞赛, 大赛, 赛事]')

    expect((await post('/admin/content/synonym/withdraw', { _csrf: csrf, id: String(row.id) }, cookie)).status).toBe(303)
    expect((await ask('被汪星人咬了怎么办')).answered).toBe(false)
    expect(await auditActions()).toContain('content.synonym.withdraw')
  })
})
