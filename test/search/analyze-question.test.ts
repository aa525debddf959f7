import { describe, expect, it } from 'vitest'
import { testApp } from '../helpers/app.js'

describe('analyzeQuestion', () => {
  const kb = testApp().knowledge
  it.each([
    ['到2025年全市比例要达到多少？', 'number'],
    ['老年人科学素质提升行动由哪个部门牵头？', 'lead'],
    ['公民具备科学素质是什么意思？', 'definition'],
    ['乌海的科技志愿服务采用什么订单模式', 'general'],
  ])('%s is a %s question', (q, shape) => {
    expect(kb.analyze(q).shape).toBe(shape)
  })

  it('drops question words and region words, keeps topic words whole', () => {
    const a = kb.analyze('我们区2025年公民科学素质的目标是多少')
    expect(a.mentionsOwnRegion).toBe(true)
    expect(a.topic).not.toMatch(/我们区|多少/)
    expect(a.topic).toContain('科学素质')
    expect(kb.analyze('东营每年培训多少人').topic).not.toContain('东营')
    expect(kb.analyze('如何有效开展活动').topic).toContain('有效')
  })

  it('adds plan wording for colloquial words', () => {
    expect(kb.analyze('老人怎么学用手机').expansions).toEqual(expect.arrayContaining(['老年人', '智慧助老']))
  })
})
