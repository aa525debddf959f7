import { describe, expect, it } from 'vitest'
import { incoming, testApp } from '../helpers/app.js'

/**
 * Plan questions written apart from the public sample, with what the answer must contain: a table test of
 * the mechanism (tokenizer, synonyms, shapes, ranking), not of particular questions.
 */
const TABLE: { q: string; region?: string; has: string[]; src: string }[] = [
  { q: '东营2020年公民科学素质比例是多少', has: ['12%'], src: '东营市' },
  { q: '高平十四五开展几项提升行动', has: ['5 项', '5项'], src: '高平市' },
  { q: '汕尾城区要实施几大重点工程', has: ['6项', '六大'], src: '汕尾市城区' },
  { q: '神木每年开展科普志愿服务活动多少次', has: ['10次'], src: '神木市' },
  { q: '乌海市级科普教育基地要建多少个', has: ['40个'], src: '乌海市' },
  { q: '神木要建几个中小学德育工作示范基地', has: ['5个中小学德育'], src: '神木市' },
  { q: '乌海科普场馆面积多大', has: ['1000平米'], src: '乌海市' },
  { q: '十四五期间东营培育多少高素质农民', has: ['4000'], src: '东营市' },
  { q: '高平老年人健康科普服务怎么开展', has: ['老年健康宣传周', '科普健康大讲堂'], src: '高平市' },
  { q: '汕尾城区科技志愿者队伍怎么建设', has: ['群众点单'], src: '汕尾市城区' },
  { q: '乌海农区居民科学素质行动的牵头部门', has: ['农牧局'], src: '乌海市' },
  { q: '東營科普信息化提升工程由哪些部門牽頭', has: ['市工业和信息化局', '市科协'], src: '东营市' },
  { q: '老人怎么学用智能手机', region: '东营市', has: ['智能技术', '智能手机'], src: '东营市' },
  { q: '我们区到2025年建几个科普教育基地', region: '汕尾市城区', has: ['5个'], src: '汕尾市城区' },
  { q: '咱们东营对老人有啥科普安排', has: ['老年'], src: '东营市' },
  { q: '汕尾城区的科普经费怎么保障', has: ['科普经费'], src: '汕尾市城区' },
  { q: '科技馆要建多大', region: '乌海市', has: ['1000平米'], src: '乌海市' },
  { q: '我们这儿有多少科普志愿者', region: '神木市', has: ['1000人'], src: '神木市' },
]

describe('plan questions beyond the public sample', () => {
  const { bot } = testApp()
  it.each(TABLE)('$q', async ({ q, region, has, src }) => {
    const r = await bot.handle(incoming(q, region ? { region, userId: `t-${q}` } : { userId: `t-${q}` }))
    expect(r.answered).toBe(true)
    expect(has.some((h) => r.text.includes(h)), r.text).toBe(true)
    expect(r.sources?.[0]?.region).toBe(src)
    expect(r.text.replace(/\s/g, '').length).toBeLessThanOrEqual(300)
  })
})
