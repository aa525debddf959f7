import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadFraudKnowledge, type FraudKnowledge } from '../../src/fraud/fraud-knowledge.js'
import { checkMessage } from '../../src/fraud/scam-check.js'
import { CONTENT_DIR, readLabelledSet } from './labelled-set.js'

let k: FraudKnowledge
beforeAll(() => {
  k = loadFraudKnowledge(CONTENT_DIR)
})

describe('checkMessage on the labelled set', () => {
  const set = readLabelledSet()

  it('has at least 80 messages, both halves, every scam type in each half', () => {
    expect(set.length).toBeGreaterThanOrEqual(80)
    const kk = loadFraudKnowledge(CONTENT_DIR)
    for (const half of ['tune', 'holdout'] as const) {
      const types = new Set(set.filter((m) => m.half === half && m.label === 'scam').map((m) => m.type))
      for (const t of kk.types) expect(types, `${half} lacks ${t.id}`).toContain(t.id)
      expect(set.filter((m) => m.half === half && m.label === 'benign').length).toBeGreaterThanOrEqual(15)
    }
  })

  for (const half of ['tune', 'holdout', 'holdout2'] as const) {
    it(`${half}: scams rated high or medium ≥ 90 %, benign kept low ≥ 90 %`, () => {
      const rows = set.filter((m) => m.half === half)
      const scams = rows.filter((m) => m.label === 'scam')
      const benign = rows.filter((m) => m.label === 'benign')
      const caught = scams.filter((m) => checkMessage(m.text, k).risk !== 'low')
      const kept = benign.filter((m) => checkMessage(m.text, k).risk === 'low')
      expect(caught.length / scams.length).toBeGreaterThanOrEqual(0.9)
      expect(kept.length / benign.length).toBeGreaterThanOrEqual(0.9)
    })
  }

  it('names the right scam type for most caught scams', () => {
    const scams = set.filter((m) => m.label === 'scam')
    const right = scams.filter((m) => checkMessage(m.text, k).type === m.type)
    expect(right.length / scams.length).toBeGreaterThanOrEqual(0.8)
  })
})

describe('checkMessage signals', () => {
  const ids = (text: string): string[] => checkMessage(text, k).hits.map((h) => h.id)

  it.each([
    ['请把手机收到的验证码告诉我', 'ask-code'],
    ['验证码发给我一下，马上给您退款', 'ask-code'],
    ['请配合把资金转入安全账户', 'safe-account'],
    ['打开屏幕共享，我教您操作', 'screen-share'],
    ['领奖需先缴纳个人所得税', 'fee-before-payout'],
    ['这事要保密，不要告诉家人', 'secrecy'],
    ['奶奶，我出车祸了急需手术费', 'family-emergency'],
    ['稳赚不赔，日赚500', 'too-good-returns'],
    ['您的医保卡已被冻结', 'account-problem'],
    ['借你手机号接个验证码', 'ask-code'],
    ['需要您的银行卡和密码', 'ask-secret-info'],
    ['需缴纳保证金1000元解除封号', 'fee-before-payout'],
    ['我是你弟的朋友，他在外面出了点事，让我找你先转五千应急', 'family-emergency'],
    ['要关闭需要您在借呗里借出额度转给我们验证', 'borrow-to-transfer'],
    ['您有一张传票，请按9键转人工', 'ivr-press-key'],
  ])('%s → %s', (text, id) => {
    expect(ids(text)).toContain(id)
  })

  it('does not read a warning as a request: 「切勿将验证码告知他人」 is not 「向您要验证码」', () => {
    expect(ids('您的验证码为 123456，切勿将验证码告知他人。')).not.toContain('ask-code')
    expect(ids('社区提醒：没有所谓的安全账户')).not.toContain('safe-account')
    expect(ids('医保部门不会让您转账')).not.toContain('transfer-ask')
  })

  it('money sent to the resident is not a request for money', () => {
    expect(ids('妈，我这个月工资发了，给你转了两千块，记得查收。')).not.toContain('transfer-ask')
    expect(checkMessage('妈，我这个月工资发了，给你转了两千块，记得查收。', k).risk).toBe('low')
  })

  it('a sentence that warns against a trick is not the trick', () => {
    const notice = '【国家反诈中心】提醒您：凡是让您扫码、共享屏幕、转账到安全账户的都是诈骗，如有疑问拨打96110。'
    expect(checkMessage(notice, k).risk).toBe('low')
    expect(checkMessage('谨防诈骗。请立即把钱转到安全账户，不要告诉家人。', k).risk).toBe('high')
  })

  it('a negation in an earlier clause does not cancel a later request', () => {
    expect(ids('别担心，把验证码告诉我就行')).toContain('ask-code')
  })

  it('names odd and look-alike link hosts, and leaves official ones alone', () => {
    const v = checkMessage('【医保局】您的医保卡已冻结，请点击 http://yb-gov.cc 解冻', k)
    expect(v.risk).toBe('high')
    expect(v.signals.join()).toContain('yb-gov.cc')
    expect(v.type).toBe('medical-social-card')
    expect(ids('详情请见 https://www.nhsa.gov.cn/ 国家医保局官网')).not.toContain('link-odd')
  })

  it('calming signals step aside next to a hard red flag', () => {
    const genuine = checkMessage('【某银行】验证码 123456，5分钟内有效，如非本人操作请忽略。', k)
    expect(genuine.risk).toBe('low')
    expect(genuine.hits.map((h) => h.id)).toContain('code-notice')
    const trap = checkMessage('验证码 123456，5分钟内有效，请把验证码发给客服完成退款 http://tb-tk.top', k)
    expect(trap.hits.map((h) => h.id)).not.toContain('code-notice')
    expect(trap.risk).toBe('high')
  })

  it('explains itself: score is the sum of the hits, signals are the positive labels strongest first', () => {
    const v = checkMessage('我是公安局的，你涉嫌洗钱，马上把钱转到安全账户，不要告诉家人', k)
    expect(v.score).toBe(v.hits.reduce((s, h) => s + h.weight, 0))
    expect(v.signals).toEqual(v.hits.filter((h) => h.weight > 0).map((h) => h.label))
    const weights = v.hits.map((h) => h.weight)
    expect([...weights].sort((a, b) => b - a)).toEqual(weights)
  })

  it('low never says safe: no type is claimed for a low message', () => {
    const v = checkMessage('爸，我明天下午回家吃饭，不用等我', k)
    expect(v.risk).toBe('low')
    expect(v.type).toBeUndefined()
  })

  it('never throws and always gives a level, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const v = checkMessage(s, k)
        expect(['high', 'medium', 'low']).toContain(v.risk)
        expect(Number.isFinite(v.score)).toBe(true)
      }),
      { numRuns: 300 },
    )
  })

  it('adding a hard red flag to any message never lowers its score', () => {
    const flags = ['请把验证码告诉我', '请转入安全账户', '请打开屏幕共享', '点击 http://x-gov.top 登录']
    const bases = readLabelledSet().map((m) => m.text)
    fc.assert(
      fc.property(fc.constantFrom(...bases), fc.constantFrom(...flags), (base, flag) => {
        expect(checkMessage(`${base}${flag}`, k).score).toBeGreaterThanOrEqual(checkMessage(base, k).score)
      }),
      { numRuns: 200 },
    )
  })
})
