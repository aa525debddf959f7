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

describe('analyzeQuestion: everyday phrasing', () => {
  const kb = testApp().knowledge
  it.each([
    ['俺们市领导干部科学素质提升都有啥', ['俺们', '都有啥', '啥']],
    ['咱市应急科普这块是怎么安排的', ['咱市', '这块']],
    ['那个老年人科普一共有几项', ['那个', '一共']],
    ['咱这儿乡村振兴有啥做法', ['咱这', '做法']],
  ])('「%s」 keeps filler out of the topic', (q, filler) => {
    const topic = kb.analyze(q).topic
    for (const f of filler) expect(topic).not.toContain(f)
    expect(topic.replace(/\s/g, '').length).toBeGreaterThan(1)
  })

  it.each([
    ['都有哪些提升行动', 'list'],
    ['俺们市领导干部科学素质提升都有啥', 'list'],
    ['农村科普有啥设施建设', 'list'],
    ['重点工程有几个', 'number'],
  ])('%s is a %s question', (q, shape) => {
    expect(kb.analyze(q).shape).toBe(shape)
  })

  it('expands synonym groups both ways', () => {
    expect(kb.analyze('有什么科技比赛').expansions).toEqual(expect.arrayContaining(['竞赛', '大赛']))
    expect(kb.analyze('有什么科技竞赛').expansions).toEqual(expect.arrayContaining(['比赛', '大赛']))
    expect(kb.analyze('娃能参加啥').expansions).toContain('青少年')
    expect(kb.analyze('工匠评选怎么搞').expansions).toContain('选树')
  })

  it.each([
    ['重点公程有几个', '公程', '工程'],
    ['科技管在哪', '科技管', '科技馆'],
    ['科技志原服务怎么参加', '志原', '志愿'],
    ['青少年科学素质提升行动由哪个部门千头', '千头', '牵头'],
  ])('corrects a one-character IME slip in 「%s」 (%s → %s)', (q, typed, meant) => {
    const a = kb.analyze(q)
    expect(a.corrected).toContainEqual([typed, meant])
    expect(a.folded).toContain(meant)
  })

  it.each(['重点工程有几个', '老年人科学素质提升行动由哪个部门牵头', '东营的科普志愿者有多少人', '乌海海南区有什么活动', '我是医生'])('leaves a correct question alone: %s', (q) => {
    expect(kb.analyze(q).corrected).toEqual([])
  })
})
