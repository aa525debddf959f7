import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type App } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { cacheDir } from '../../src/core/cache-dir.js'
import type { Incoming } from '../../src/core/incoming.js'
import { MemoryLogger } from '../../src/core/logger.js'
import type { Reply } from '../../src/core/reply.js'
import { fromLocal } from '../../src/core/shanghai-time.js'
import { OFFER_EVERY } from '../../src/feedback/feedback-offer.js'
import { SKILLS } from '../../src/skills.js'
import type { Store } from '../../src/store/async-store.js'
import { openStore } from '../../src/store/sql/open-store.js'
import { renderReply } from '../../adapters/shared/render-text.js'
import { FakeClock } from '../fakes/fake-clock.js'

let store: Store
let app: App
const clock = new FakeClock(fromLocal(2026, 5, 5, 10, 0))
const logger = new MemoryLogger()

beforeAll(async () => {
  store = await openStore({ file: ':memory:' })
  const config = loadConfig({ envFile: false, env: { KEPU_USER_BURST: '1000', KEPU_USER_SUSTAINED: '100000' } })
  app = createApp({ clock, logger, store, config, cacheDir: cacheDir(), skills: SKILLS })
})
afterAll(async () => {
  await store.close()
})

let nextUser = 100
/** A new resident in a private chat (a fresh user: the first answer carries the offer). */
function resident(channel = 'wechat') {
  const userId = String(nextUser++)
  const say = async (text: string, extra: Partial<Incoming> = {}): Promise<Reply> => {
    clock.advance(1000)
    return app.bot.handle({ channel, chatId: userId, userId, isGroup: false, mentioned: true, forwarded: false, text, ...extra })
  }
  return { say, userKey: `${channel}:${userId}` }
}

const since = () => new Date(clock.now().getTime() - 86_400_000)
const day = '2026-05-05'

describe('feedback skill: 有用 / 没用 on answers', () => {
  it('answer → 2 → comment: counted, and the question, the answer shown and the comment land in 未回答', async () => {
    const { say } = resident()
    const answer = await say('防灾减灾日是哪天')
    expect(answer.answered).toBe(true)
    expect(answer.feedback?.answerId).toMatch(/^[A-Za-z0-9_-]{8}$/)
    // The text platforms' line is the adapters' rendering, never part of the text (the batch contract).
    expect(answer.text).not.toContain('有用')
    expect(renderReply(answer)).toBe(`${answer.text}\n回复 1 有用，2 没用`)
    const ask = await say('2')
    expect(ask).toMatchObject({ intent: 'feedback', answered: true })
    expect(ask.text).toContain('哪里不对或缺了什么')
    expect(ask.feedback).toBeUndefined()
    const noted = await say('没说具体几点开始，电话13812345678')
    expect(noted.text).toContain('已转给工作人员')
    const rows = (await store.unansweredSince(since())).filter((r) => r.answer)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ channel: 'wechat', text: '防灾减灾日是哪天', answer: answer.text })
    expect(rows[0]!.comment).toContain('没说具体几点开始')
    expect(rows[0]!.comment).not.toContain('13812345678')
    expect(await store.feedbackCounts(day)).toContainEqual({ day, verdict: 'useless', count: 1 })
    // The comment step is over: the next message is a question again.
    expect((await say('世界地球日是哪天')).intent).toBe('event')
  })

  it('answer → 1: thanks and counted; a second 1 means what it meant before', async () => {
    const before = (await store.feedbackCounts(day)).find((c) => c.verdict === 'useful')?.count ?? 0
    const { say } = resident()
    expect((await say('防灾减灾日是哪天')).feedback).toBeDefined()
    const thanks = await say('1')
    expect(thanks).toMatchObject({ intent: 'feedback', text: '谢谢您的反馈！' })
    expect((await store.feedbackCounts(day)).find((c) => c.verdict === 'useful')?.count).toBe(before + 1)
    expect((await say('1')).intent).not.toBe('feedback')
  })

  it('0 skips the comment; a new question in its place is answered and nothing is stored as a comment', async () => {
    const a = resident()
    await a.say('防灾减灾日是哪天')
    await a.say('2')
    expect((await a.say('0')).text).toBe('好的，谢谢您的反馈。')
    const b = resident()
    await b.say('防灾减灾日是哪天')
    await b.say('2')
    const next = await b.say('东营2025年科学素质目标是多少')
    expect(next.intent).toBe('plan')
    expect(next.text).toContain('16')
    const rows = (await store.unansweredSince(since())).filter((r) => r.answer)
    expect(rows.filter((r) => r.comment?.includes('科学素质'))).toHaveLength(0)
  })

  it('a correction in place of the comment is kept as the comment and answered as the question it is', async () => {
    const { say } = resident()
    const answer = await say('东营2025年科学素质目标是多少')
    await say('2')
    const again = await say('不对，我想问的是东营重点工程有哪些')
    expect(again.text.startsWith('（您的意见已转给工作人员。）\n')).toBe(true)
    expect(again.text).toContain('科技资源科普化工程')
    const row = (await store.unansweredSince(since())).find((r) => r.answer === answer.text)
    expect(row?.comment).toMatch(/^不对.我想问的是东营重点工程有哪些$/u)
  })

  it('offers on the first answer, then once in every OFFER_EVERY answers', async () => {
    const { say } = resident()
    const offered: boolean[] = []
    for (let i = 0; i < 2 * OFFER_EVERY + 1; i++) offered.push((await say(i % 2 ? '世界地球日是哪天' : '防灾减灾日是哪天')).feedback !== undefined)
    expect(offered.map((o, i) => (o ? i : -1)).filter((i) => i >= 0)).toEqual([0, OFFER_EVERY, 2 * OFFER_EVERY])
  })

  it('a Telegram press rates the answer it names, even after later messages; twice is thanked, not counted', async () => {
    const { say } = resident('telegram')
    const first = await say('防灾减灾日是哪天')
    const id = first.feedback!.answerId
    await say('世界地球日是哪天')
    const before = (await store.feedbackCounts(day)).find((c) => c.verdict === 'useless')?.count ?? 0
    const press = await say('没用', { feedback: { answerId: id, verdict: 'useless' } })
    expect(press.text).toContain('哪里不对')
    expect((await say('有用', { feedback: { answerId: id, verdict: 'useful' } })).text).toBe('这条回答您已经评价过了，谢谢！')
    expect((await store.feedbackCounts(day)).find((c) => c.verdict === 'useless')?.count).toBe(before + 1)
    const rows = (await store.unansweredSince(since())).filter((r) => r.answer === first.text)
    expect(rows.at(-1)).toMatchObject({ channel: 'telegram', text: '防灾减灾日是哪天' })
  })

  it('is never offered in a group, nor without a store (ask, chat: batch answers are unchanged)', async () => {
    clock.advance(1000)
    const group = await app.bot.handle({ channel: 'telegram', chatId: '-100', userId: '77', isGroup: true, mentioned: true, forwarded: false, text: '防灾减灾日是哪天' })
    expect(group.answered).toBe(true)
    expect(group.feedback).toBeUndefined()
    const bare = createApp({ clock, cacheDir: cacheDir(), skills: SKILLS })
    expect(bare.chain.map((h) => h.name)).not.toContain('feedback')
    const reply = await bare.bot.handle({ channel: 'batch', chatId: 'x', userId: 'x', isGroup: false, mentioned: true, forwarded: false, text: '防灾减灾日是哪天' })
    expect(reply.feedback).toBeUndefined()
  })
})

/**
 * What a bare 「1」 means after each kind of reply. The feedback offer is made only where a number means
 * nothing else, and withdrawn by any other reply: digits after a menu, a list or a dialogue prompt keep
 * their meaning; after a plain answer they are the verdict.
 */
describe('precedence of a bare 1', () => {
  const cases: { after: string; setup: string[]; offered: boolean; check: (r: Reply) => void }[] = [
    { after: 'a plain answer', setup: ['防灾减灾日是哪天'], offered: true, check: (r) => expect(r).toMatchObject({ intent: 'feedback', text: '谢谢您的反馈！' }) },
    {
      after: 'a plan answer with an unnumbered follow-up (「您还可以问」)',
      setup: ['东营2025年科学素质目标是多少'],
      offered: true,
      check: (r) => expect(r.intent).toBe('feedback'),
    },
    { after: 'a numbered list (item 1 opens)', setup: ['东营重点工程有哪些'], offered: false, check: (r) => expect(r).toMatchObject({ intent: 'plan', text: expect.stringMatching(/^1\. /u) }) },
    { after: 'item 2 opened from a list (the list is still live)', setup: ['东营重点工程有哪些', '第二条'], offered: false, check: (r) => expect(r.text).toMatch(/^1\. /u) },
    { after: 'a decline with numbered suggestions', setup: ['火星上有外星人吗'], offered: false, check: (r) => expect(r.intent).toBe('event') },
    { after: 'the 长辈模式 menu', setup: ['长辈模式'], offered: false, check: (r) => expect(r.intent).not.toBe('feedback') },
    { after: 'a 长辈模式 card with its 「回复 1」 menu', setup: ['长辈模式', '被狗咬了怎么办'], offered: false, check: (r) => expect(r.intent).toBe('more') },
    { after: 'a plain answer in 长辈模式', setup: ['长辈模式', '防灾减灾日是哪天'], offered: true, check: (r) => expect(r).toMatchObject({ intent: 'feedback', text: '谢谢您！' }) },
    { after: 'the 群众点单 service menu', setup: ['我在东营', '点单'], offered: false, check: (r) => expect(r.intent).toBe('request') },
    { after: 'an offer withdrawn by small talk', setup: ['防灾减灾日是哪天', '谢谢'], offered: false, check: (r) => expect(r.intent).not.toBe('feedback') },
  ]
  it.each(cases)('after $after', async ({ setup, offered, check }) => {
    const { say } = resident()
    let last: Reply | undefined
    for (const t of setup) last = await say(t)
    expect(last!.feedback !== undefined).toBe(offered)
    if (last!.feedback) expect(renderReply(last!)).toMatch(last!.feedback.elder ? /有用回 1，没用回 2$/u : /回复 1 有用，2 没用$/u)
    check(await say('1'))
  })

  it('a 科技志愿服务 request closed after the offer asked for a 1–5 rating since: 2 is that rating', async () => {
    const { say, userKey } = resident()
    expect((await say('防灾减灾日是哪天')).feedback).toBeDefined()
    const r = await store.createRequest({ channel: 'wechat', chatId: userKey.split(':')[1]!, userKey, region: '东营市', serviceId: 'farm-tech', place: '村委会', preferredDate: '下周', contact: '13800000000' }, clock.now())
    clock.advance(1000)
    await store.updateRequestStatus(r.number, { status: 'closed', by: 'telegram:1', at: clock.now() })
    const rated = await say('2')
    expect(rated.intent).toBe('request')
    expect((await store.getRequest(r.number))!.rating).toBe(2)
  })
})
