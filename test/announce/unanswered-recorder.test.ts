import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { cleanForStaff, CONTACT_MARK, createUnansweredRecorder, LINK_MARK, maskPersonal, normaliseQuestion } from '../../src/announce/unanswered-recorder.js'
import { formatUnansweredDigest, groupUnanswered } from '../../src/announce/unanswered-report.js'
import { createBot, type Handler } from '../../src/core/bot.js'
import { FakeClock } from '../fakes/fake-clock.js'
import { silentLogger } from '../../src/core/logger.js'
import { silentReply } from '../../src/core/reply.js'
import type { Store } from '../../src/store/async-store.js'
import { memoryStore } from '../helpers/store.js'

const stores: Store[] = []
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close()
})

async function setup(answer: Handler, maxPerUserPerDay?: number) {
  const store = await memoryStore()
  stores.push(store)
  const clock = new FakeClock('2026-09-14T01:00:00Z')
  const bot = createBot({
    handlers: [createUnansweredRecorder({ store, ...(maxPerUserPerDay ? { maxPerUserPerDay } : {}) }), answer],
    clock,
    logger: silentLogger,
    users: store.users,
    regions: { byName: () => undefined, findIn: () => undefined },
  })
  const ask = (text: string, isGroup = false, userId = '1') => bot.handle({ channel: 'telegram', chatId: userId, userId, isGroup, mentioned: !isGroup, forwarded: false, text })
  return { store, ask, clock }
}

const decline: Handler = async (_ctx, next) => next()

describe('unanswered recorder', () => {
  it('records declined questions, masking numbers, and nothing else', async () => {
    const { store, ask } = await setup(async (ctx, next) => (ctx.text.includes('科普日') ? { text: '9月', answered: true, intent: 'event' } : next()))
    await ask('全国科普日是哪天')
    await ask('医保卡怎么补办？我电话13812345678')
    await ask('   ')
    const rows = await store.unansweredSince(new Date(0))
    expect(rows.map((r) => r.text)).toEqual(['医保卡怎么补办?我电话＊＊＊'])
  })

  it('ignores silent replies', async () => {
    const { store, ask } = await setup(async () => silentReply())
    await ask('随便聊聊', true)
    expect(await store.unansweredSince(new Date(0))).toEqual([])
  })

  it('groups the same question asked in different words of punctuation and particles', () => {
    const at = new Date('2026-09-14T01:00:00Z')
    const rows = ['医保卡怎么补办', '医保卡怎么补办？', '医保卡 怎么补办呢', '天气怎么样'].map((text, i) => ({
      channel: 'telegram',
      region: i === 2 ? '乌海市' : '东营市',
      text,
      normalized: normaliseQuestion(text),
      at: new Date(at.getTime() + i * 1000),
    }))
    const groups = groupUnanswered(rows)
    expect(groups.map((g) => [g.count, g.regions])).toEqual([[3, ['东营市', '乌海市']], [1, ['东营市']]])
    expect(formatUnansweredDigest(groups)).toContain('4 个问题')
    expect(formatUnansweredDigest([])).toBe('')
  })

  it('masks phone, ID and card numbers and e-mail addresses but keeps years and counts', () => {
    expect(maskPersonal('身份证 370502199001011234 邮箱 a.b@qq.com')).toBe('身份证 ＊＊＊ 邮箱 ＊＊＊')
    expect(maskPersonal('2026年有3场活动')).toBe('2026年有3场活动')
  })

  it('keeps at most N questions per resident per day, one per distinct question, and a new day starts afresh', async () => {
    const { store, ask, clock } = await setup(decline, 3)
    for (let i = 0; i < 10; i++) await ask('点击 http://yb-gov.cc 领取补贴')
    for (let i = 0; i < 10; i++) await ask(`第${'一二三四五六七八九十'[i]}个问题`)
    await ask('医保卡怎么补办', false, '2')
    let rows = await store.unansweredSince(new Date(0))
    expect(rows.filter((r) => r.asker === rows[0]!.asker)).toHaveLength(3)
    expect(rows.map((r) => r.text)).toEqual([`点击 ${LINK_MARK} 领取补贴`, '第一个问题', '第二个问题', '医保卡怎么补办'])
    expect(new Set(rows.map((r) => r.asker)).size).toBe(2)
    // 16:00 UTC is midnight in Shanghai: the next day has its own share.
    clock.set(new Date('2026-09-14T16:00:00Z'))
    await ask('第三个问题')
    rows = await store.unansweredSince(new Date(0))
    expect(rows).toHaveLength(5)
  })

  it('stores the asker only as a salted hash', async () => {
    const { store, ask } = await setup(decline)
    await ask('医保卡怎么补办', false, '123456789')
    const [row] = await store.unansweredSince(new Date(0))
    expect(row!.asker).toMatch(/^[0-9a-f]{64}$/)
    expect(row!.asker).not.toContain('123456789')
  })
})

describe('ranking the unanswered report', () => {
  const at = new Date('2026-09-14T01:00:00Z')
  const row = (text: string, asker: string | undefined, i: number) => ({
    channel: 'telegram',
    region: '东营市',
    text,
    normalized: normaliseQuestion(text),
    at: new Date(at.getTime() + i * 1000),
    ...(asker ? { asker } : {}),
  })

  it('ranks by distinct residents, not by count, and cleans the text staff see', () => {
    const rows = [
      ...Array.from({ length: 50 }, (_, i) => row('加微信 abc_12345 领补贴 www.x.com', 'spammer', i)),
      row('医保卡怎么补办', 'a', 60),
      row('医保卡怎么补办？', 'b', 61),
      row('医保卡怎么补办', 'c', 62),
      row('天气怎么样', undefined, 63),
      row('天气怎么样', undefined, 64),
    ]
    const groups = groupUnanswered(rows)
    expect(groups.map((g) => [g.users, g.count])).toEqual([
      [3, 3],
      [2, 2],
      [1, 50],
    ])
    expect(groups[2]!.text).toBe(`加微信 ${CONTACT_MARK} 领补贴 ${LINK_MARK}`)
    expect(formatUnansweredDigest(groups)).toMatch(/1\. 医保卡怎么补办（3 人，3 次/)
  })
})

describe('cleanForStaff', () => {
  it.each([
    ['点击 http://yb-gov.cc/a?b=1 解冻', `点击 ${LINK_MARK} 解冻`],
    ['点击yb-gov.cc解冻', `点击${LINK_MARK}解冻`],
    ['访问www.abc.com看看', `访问${LINK_MARK}看看`],
    ['详见 HTTPS://Example.COM/path', `详见 ${LINK_MARK}`],
    ['abc.com.cn/x 里有', `${LINK_MARK} 里有`],
    ['加我微信abc_12345详聊', `加我微信${CONTACT_MARK}详聊`],
    ['我的QQ：12345', `我的QQ：${CONTACT_MARK}`],
    ['vx号 xyz999', `vx号 ${CONTACT_MARK}`],
    ['加V: ab12cd', `加V: ${CONTACT_MARK}`],
    ['电话 0546-8331234', '电话 ＊＊＊'],
    ['微信怎么用', '微信怎么用'],
    ['QQ音乐怎么下载', 'QQ音乐怎么下载'],
    ['3.14是圆周率', '3.14是圆周率'],
    ['科技活动周在5月', '科技活动周在5月'],
  ])('%s → %s', (text, cleaned) => {
    expect(cleanForStaff(text)).toBe(cleaned)
  })
})

/** Digit-like characters in every script the masking knows; the property below is stated over them. */
const SCRIPTS = {
  arabic: '0123456789',
  fullWidth: '０１２３４５６７８９',
  chinese: '零一二三四五六七八九',
  spoken: '洞幺两三四五六拐八勾'.replace(/[洞拐勾]/g, '零'),
  financial: '零壹贰叁肆伍陆柒捌玖',
  arabicIndic: '٠١٢٣٤٥٦٧٨٩',
  devanagari: '०१२३४५६७८९',
}
const DIGIT_LIKE = new RegExp(`[\\p{N}${[...new Set(Object.values(SCRIPTS).join('') + '〇兩貳參陸')].join('')}]`, 'u')
const longestRun = (text: string): number => {
  let best = 0
  let run = 0
  for (const c of text) {
    run = DIGIT_LIKE.test(c) ? run + 1 : 0
    best = Math.max(best, run)
  }
  return best
}

describe('maskPersonal', () => {
  it.each([
    ['我电话13812345678', '我电话＊＊＊'],
    ['一三八零零一三八零零零', '＊＊＊'],
    ['幺三八 零零一三 八零零零', '＊＊＊'],
    ['壹贰叁肆伍陆柒捌玖', '＊＊＊'],
    ['１３８－００１３－８０００', '＊＊＊'],
    ['138-0013-8000', '＊＊＊'],
    ['138 0013 8000', '＊＊＊'],
    ['+86 138.0013.8000', '+＊＊＊'],
    ['身份证37050219900101123X号', '身份证＊＊＊号'],
    ['验证码 123456', '验证码 ＊＊＊'],
    ['邮箱 a.b@qq.com', '邮箱 ＊＊＊'],
    ['2026-05-12有活动吗', '2026-05-12有活动吗'],
    ['2026年有3场活动', '2026年有3场活动'],
    ['星期一二三四五六', '星期一二三四五六'],
    ['一二三四五六七', '＊＊＊'],
    ['第1、2、3、4、5、6、7条', '第1、2、3、4、5、6、7条'],
  ])('%s → %s', (text, masked) => {
    expect(maskPersonal(text)).toBe(masked)
  })

  const digitChar = fc.constantFrom(...Object.values(SCRIPTS).flatMap((s) => Array.from(s)), '〇', 'X')
  const otherChar = fc.constantFrom(...'的是我电话号码请打给身份证年月日 -.．/·　\u00a0abcXx@:：，。'.split(''))
  const text = fc.array(fc.oneof({ weight: 3, arbitrary: digitChar }, { weight: 2, arbitrary: otherChar }), { maxLength: 80 }).map((a) => a.join(''))

  it('property: a masked text holds no run of seven digit-like characters, in any script', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(longestRun(maskPersonal(t))).toBeLessThan(7)
      }),
      { numRuns: 2000 },
    )
  })

  it('property: a phone number written in any mix of scripts and separators is masked', () => {
    const script = fc.constantFrom(...Object.values(SCRIPTS))
    const sep = fc.constantFrom('', '', ' ', '-', '　', '\u00a0', '.', '－')
    const phone = fc.tuple(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 11, maxLength: 11 }), fc.array(script, { minLength: 11, maxLength: 11 }), fc.array(sep, { minLength: 11, maxLength: 11 }))
    fc.assert(
      fc.property(phone, fc.constantFrom('我的电话是', '打', ''), fc.constantFrom('，谢谢', '', '吗'), ([digits, scripts, seps], before, after) => {
        const written = digits.map((d, i) => `${Array.from(scripts[i]!)[d]}${i === 3 || i === 7 ? seps[i] : ''}`).join('')
        const masked = maskPersonal(`${before}${written}${after}`)
        expect(masked).toBe(`${before}＊＊＊${after}`)
      }),
      { numRuns: 1000 },
    )
  })

  it('property: masking is idempotent', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(maskPersonal(maskPersonal(t))).toBe(maskPersonal(t))
      }),
      { numRuns: 1000 },
    )
  })
})
