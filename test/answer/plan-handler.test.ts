import { describe, expect, it } from 'vitest'
import { incoming, testApp } from '../helpers/app.js'

describe('plan answers', () => {
  const { bot } = testApp()

  it('answers with the sentence, the source and 「更多」, short', async () => {
    const r = await bot.handle(incoming('我们市2025年科学素质要达到多少？', { region: '东营市', userId: 'p1' }))
    expect(r.answered).toBe(true)
    expect(r.intent).toBe('plan')
    expect(r.text).toContain('16-17%')
    expect(r.text).toMatch(/来源：《东营市全民科学素质行动规划纲要实施方案（2021—2025年）》 二、（三）/)
    expect(r.text.replace(/\s/g, '').length).toBeLessThanOrEqual(300)
    expect(r.sources?.[0]).toMatchObject({ region: '东营市', ref: '二、（三）' })
    const more = await bot.handle(incoming('更多', { userId: 'p1' }))
    expect(more.intent).toBe('more')
    expect(more.text).toContain('城乡、区域、人群科学素质发展不均衡明显改善')
    const again = await bot.handle(incoming('更多', { userId: 'p1' }))
    expect(again.text).toContain('没有更多')
  })

  it('uses the region named in the question over the remembered one', async () => {
    const r = await bot.handle(incoming('神木的科普志愿者队伍有多少人？', { region: '东营市' }))
    expect(r.sources?.[0]?.region).toBe('神木市')
    expect(r.text).toContain('1000人')
  })

  it('answers per region, labelled, when the region is unknown and the plans differ', async () => {
    const r = await bot.handle(incoming('2025年公民科学素质比例目标是多少', { userId: 'nobody' }))
    expect(r.answered).toBe(true)
    expect(r.text).toMatch(/各地方案/)
    expect((r.text.match(/· /g) ?? []).length).toBeGreaterThanOrEqual(2)
    expect(r.choices?.[0]?.value).toMatch(/^我在/)
  })

  it.each(['帮我订一张明天去北京的机票', '今天股票会涨吗', '明天天气怎么样', 'asdf qwer', '😀😀😀', '推荐一部好看的电影', '孩子发烧了怎么办', '我的快递到哪了', '养老金什么时候涨', '手机没电了怎么办', '你觉得人工智能会取代人类吗', '科学是什么'])('declines %s politely', async (q) => {
    const r = await bot.handle(incoming(q))
    expect(r.answered).toBe(false)
    expect(r.text).toMatch(/抱歉|没有输入|请用中文/)
    expect(r.sources ?? []).toHaveLength(0)
  })

  it('asks for Chinese when the question has none', async () => {
    const r = await bot.handle(incoming('what is the science literacy target of dongying'))
    expect(r).toMatchObject({ answered: false, intent: 'none' })
    expect(r.text).toContain('请用中文提问')
  })
})

describe('department answers', () => {
  const { bot } = testApp()

  it('names the lead units of an action', async () => {
    const r = await bot.handle(incoming('农民科学素质提升行动由哪些单位牵头？', { region: '神木市' }))
    expect(r.intent).toBe('department')
    for (const u of ['市农业农村局', '市乡村振兴局', '市妇联']) expect(r.text).toContain(u)
    expect(r.sources?.[0]?.region).toBe('神木市')
  })

  it('lists each region when no region is known', async () => {
    const r = await bot.handle(incoming('老年人科学素质提升行动谁牵头', { userId: 'anyone' }))
    expect(r.text).toContain('东营市：市民政局')
    expect(r.text).toContain('汕尾市城区：区卫生健康局')
  })

  it('lists what a unit leads and takes part in', async () => {
    const r = await bot.handle(incoming('市科协牵头哪些任务', { region: '东营市' }))
    expect(r.text).toContain('牵头：')
    expect(r.text).toContain('科技资源科普化工程')
    const short = await bot.handle(incoming('神木市教体局负责什么'))
    expect(short.text).toContain('青少年科学素质提升行动')
  })
})

describe('vague questions', () => {
  const { bot } = testApp()
  it('declines a question of only common words unless a sentence defines them', async () => {
    expect((await bot.handle(incoming('科学是什么'))).answered).toBe(false)
    const defined = await bot.handle(incoming('科学素质是啥'))
    expect(defined.answered).toBe(true)
    expect(defined.text).toContain('崇尚科学精神')
  })
})

describe('plan answers in 长辈模式', () => {
  it('are shorter and carry no follow-up list', async () => {
    const { bot } = testApp()
    const q = '高平市2025年科学素质要达到多少？'
    const normal = await bot.handle(incoming(q, { userId: 'plain-reader' }))
    await bot.handle(incoming('长辈模式', { userId: 'elder-reader' }))
    const elder = await bot.handle(incoming(q, { userId: 'elder-reader' }))
    expect(elder.text).toContain('14.5%')
    expect(elder.text.length).toBeLessThan(normal.text.length)
    expect(elder.text).not.toContain('您还可以问')
  })
})
