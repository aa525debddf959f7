import { describe, expect, it } from 'vitest'
import { incoming, testApp } from '../helpers/app.js'

describe('commands', () => {
  const { bot } = testApp()

  it.each(['你好', '你好！', '/start', '你能做什么？', '帮助', '能查什么', '你都能干啥', '这个机器人有什么用', '怎么使用', '您好，请问'])('%s shows what the bot can do', async (q) => {
    const r = await bot.handle(incoming(q))
    expect(r.intent).toBe('help')
    expect(r.text).toContain('活动')
    expect(r.text).toContain('科普')
  })

  it('sets the region and remembers it for the next question', async () => {
    const set = await bot.handle(incoming('我在神木', { userId: 'r1' }))
    expect(set.intent).toBe('region')
    expect(set.text).toContain('神木市')
    const r = await bot.handle(incoming('每年要开展多少场科学实验秀？', { userId: 'r1' }))
    expect(r.sources?.[0]?.region).toBe('神木市')
    expect(r.text).toContain('10场')
  })

  it('offers the known regions for an unknown one, and a number picks one', async () => {
    const r = await bot.handle(incoming('/region 北京', { userId: 'r2' }))
    expect(r.text).toContain('暂时没有「北京」')
    expect(r.choices?.length).toBeGreaterThanOrEqual(5)
    const picked = await bot.handle(incoming('1', { userId: 'r2' }))
    expect(picked.intent).toBe('region')
    expect(picked.text).toContain(r.choices![0]!.label)
  })

  it('answers empty and invisible input with a prompt, never a crash', async () => {
    for (const q of ['', '   ', '\u200b\u200b', '\u0000\u0007']) {
      const r = await bot.handle(incoming(q))
      expect(r.answered).toBe(false)
      expect(r.text).toContain('没有输入')
    }
  })

  it('reads a 100 KB paste on a cut question and says so', async () => {
    const r = await bot.handle(incoming(`东营每年培训科技辅导员多少人次？${'啊'.repeat(100_000)}`))
    expect(r.text).toContain('太长')
    expect(r.text).toContain('150')
  })
})

describe('commands in 长辈模式', () => {
  it('「菜单」 shows the elder menu rather than the general help', async () => {
    const { bot } = testApp()
    await bot.handle(incoming('长辈模式', { userId: 'elder-menu' }))
    const r = await bot.handle(incoming('菜单', { userId: 'elder-menu' }))
    expect(r.text).toMatch(/回复 ?1/)
    expect(r.intent).not.toBe('help')
  })
})

describe('small talk', () => {
  const { bot } = testApp()
  it.each([
    ['谢谢', '不客气'],
    ['再见', '随时'],
    ['你是机器人吗', '不是真人'],
    ['你是谁？', '科普助手'],
  ])('%s', async (q, has) => {
    const r = await bot.handle(incoming(q, { userId: 'small-talk' }))
    expect(r.intent).toBe('help')
    expect(r.answered).toBe(true)
    expect(r.text).toContain(has)
  })
})
