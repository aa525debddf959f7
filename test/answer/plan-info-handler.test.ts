import { describe, expect, it } from 'vitest'
import { incoming, testApp } from '../helpers/app.js'

describe('questions about the plans themselves', () => {
  const { bot } = testApp()

  it('gives a plan\'s title, number and date', async () => {
    const r = await bot.handle(incoming('这个方案是什么时候发布的', { region: '东营市', userId: 'info1' }))
    expect(r.text).toContain('东政发〔2022〕10号')
    expect(r.text).toContain('2022年9月8日')
    const n = await bot.handle(incoming('东营的方案文号是多少', { userId: 'info2' }))
    expect(n.text).toContain('东政发〔2022〕10号')
  })

  it('says when a plan is a draft for comment', async () => {
    const r = await bot.handle(incoming('我们区的方案是正式文件吗', { region: '汕尾市城区', userId: 'info3' }))
    expect(r.text).toContain('征求意见稿')
  })

  it('lists the plans when no region is known', async () => {
    const r = await bot.handle(incoming('收录了哪些地区的方案', { userId: 'info4' }))
    for (const region of ['东营市', '乌海市', '高平市', '神木市', '汕尾市城区']) expect(r.text).toContain(region)
    expect(r.text.replace(/\s/g, '').length).toBeLessThanOrEqual(500)
  })
})
