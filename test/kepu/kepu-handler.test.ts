import { describe, expect, it } from 'vitest'
import { incoming, testApp } from '../helpers/app.js'

const ask = (text: string, extra: Parameters<typeof incoming>[1] = {}) => testApp().bot.handle(incoming(text, extra))
const size = (s: string): number => Array.from(s.replace(/\s/g, '')).length

describe('knowledge cards through the bot', () => {
  it.each([
    ['emergency', '家里燃气泄漏了怎么办', /燃气|煤气/],
    ['health', '高血压病人每天吃多少盐合适', /盐/],
    ['digital', '手机字太小了怎么调大', /字体|字号|大字/],
    ['rumour', '隔夜菜都不能吃，会致癌吗', /谣言|不准确|只对了一部分/],
  ])('%s: 「%s」 is answered by a card with its source named', async (_kind, question, want) => {
    const r = await ask(question, { userId: `card-${question}` })
    expect(r.answered).toBe(true)
    expect(r.intent).toBe('kepu')
    expect(r.text).toMatch(want)
    expect(r.text).toMatch(/（来源：.+《.+》（\d{4}）/)
    // Never mixed with plan passages.
    expect(r.sources ?? []).toEqual([])
    expect(size(r.text)).toBeLessThanOrEqual(500)
  })

  it('steps come as a short numbered list', async () => {
    const r = await ask('油锅着火了怎么灭', { userId: 'steps' })
    expect(r.text).toMatch(/\n1\. /)
  })

  it('长辈模式 gets the elder form and a numbered menu', async () => {
    const user = 'elder-card'
    await ask('长辈模式', { userId: user })
    const r = await ask('油锅着火了怎么灭', { userId: user })
    expect(r.intent).toBe('kepu')
    expect(size(r.text)).toBeLessThan(160)
    expect(r.text).toContain('回复 1')
    expect(r.choices?.length).toBeGreaterThan(0)
    const more = await ask('更多', { userId: user })
    expect(more.text.length).toBeGreaterThan(20)
  })

  it('「有哪些应急知识」 gets a numbered menu of topics', async () => {
    const r = await ask('有哪些应急知识', { userId: 'menu' })
    expect(r.choices?.length).toBeGreaterThan(2)
    const first = await ask('1', { userId: 'menu' })
    expect(first.intent).toBe('kepu')
  })

  it.each(['今晚福彩3D开什么号', '这个月买哪只基金收益最高', '我最近老失眠心慌，你帮我诊断下是不是甲亢', '帮我算算命', '离婚了孩子抚养权一般判给谁', '今天天气怎么样'])('declines 「%s」', async (q) => {
    const r = await ask(q, { userId: `no-${q}` })
    expect(r.answered).toBe(false)
  })

  it('leaves plan questions to the plans', async () => {
    const r = await ask('老年人科学素质提升行动由哪个部门牵头', { region: '东营市', userId: 'plan' })
    expect(r.intent).not.toBe('kepu')
  })
})

describe('rumour check through the bot', () => {
  it('a forwarded rumour is answered 「这是谣言」 with the source, and the scam check is kept', async () => {
    const r = await ask('【转给家人】微波炉热过的饭菜有辐射，吃了会致癌！千万别再用了！', { forwarded: true, userId: 'fw1' })
    expect(r.text).toMatch(/谣言|不准确/)
    expect(r.text).toContain('来源')
    expect(r.fraud?.risk).toBe('low')
    expect(r.text).not.toMatch(/【低风险】/)
  })

  it('「…是真的吗」 about a rumour gets the card', async () => {
    const r = await ask('听说喝醋能软化血管，是真的吗', { userId: 'q1' })
    expect(r.text).toMatch(/谣言|不准确|只对了一部分/)
  })

  it('a health claim no card covers cannot be verified, points to the 辟谣 platforms and counts as unanswered', async () => {
    const r = await ask('转给家人：研究发现每天早上空腹喝一杯淘米水，能让白头发变黑、预防肿瘤，赶紧告诉家里老人！', { forwarded: true, userId: 'fw2' })
    expect(r.answered).toBe(false)
    expect(r.text).toMatch(/没法核实/)
    expect(r.text).toMatch(/科学辟谣平台|中国互联网联合辟谣平台/)
    expect(r.fraud?.risk).toBe('low')
  })

  it('a message that is neither scam nor rumour is never called safe', async () => {
    const r = await ask('【自来水公司】因管网维修，本周三上午8点至下午6点城区部分小区停水，请居民提前储水。', { forwarded: true, userId: 'fw3' })
    expect(r.fraud?.risk).toBe('low')
    expect(r.text).toMatch(/不代表/)
    expect(r.text).not.toMatch(/安全|放心|是真的/)
  })
})
