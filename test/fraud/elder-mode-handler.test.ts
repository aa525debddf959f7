import { beforeAll, describe, expect, it } from 'vitest'
import { createBot, type Bot, type Handler } from '../../src/core/bot.js'
import { silentLogger } from '../../src/core/logger.js'
import { MemoryUserStateStore } from '../../src/core/user-state.js'
import { createElderModeHandler } from '../../src/fraud/elder-mode-handler.js'
import { createFraudHandler } from '../../src/fraud/fraud-handler.js'
import { loadFraudKnowledge, type FraudKnowledge } from '../../src/fraud/fraud-knowledge.js'
import { CONTENT_DIR } from './labelled-set.js'

const rest: Handler = async () => ({ text: 'REST', answered: false, intent: 'none' })
let k: FraudKnowledge
let users: MemoryUserStateStore
let bot: Bot
beforeAll(() => {
  k = loadFraudKnowledge(CONTENT_DIR)
  users = new MemoryUserStateStore()
  bot = createBot({
    handlers: [createElderModeHandler({ fraud: k }), createFraudHandler({ fraud: k }), rest],
    clock: { now: () => new Date('2026-05-05T01:00:00Z') },
    logger: silentLogger,
    users,
    regions: { byName: () => undefined, findIn: () => undefined },
  })
})

const say = (text: string, userId = 'u1') => bot.handle({ channel: 't', chatId: userId, userId, isGroup: false, mentioned: true, forwarded: false, text })

describe('elder mode', () => {
  it('「长辈模式」 switches it on for this user only, stores it and shows the numbered menu', async () => {
    const r = await say('长辈模式', 'a')
    expect(r.intent).toBe('settings')
    expect(users.get('t:a')?.elder).toBe(true)
    expect(users.get('t:b')?.elder).toBeUndefined()
    expect(r.text).toContain('回复 1 查看防骗提醒')
    expect(r.choices?.map((c) => c.value)).toEqual(k.elder.menu.map((c) => c.value))
  })

  it('each menu number leads to an answer with the hotline', async () => {
    for (let i = 1; i <= k.elder.menu.length - 1; i++) {
      await say('菜单', 'm')
      await say('长辈模式', 'm')
      const r = await say(String(i), 'm')
      expect(r.intent, `menu ${i}`).toBe('fraud')
      expect(r.text, `menu ${i}`).toMatch(/96110|110/)
    }
  })

  it('the last menu item, 「关闭长辈模式」 and /elder off switch it off', async () => {
    await say('长辈模式', 'c')
    const r = await say(String(k.elder.menu.length), 'c')
    expect(r.text).toContain('关闭')
    expect(users.get('t:c')?.elder).toBeUndefined()
    await say('/elder on', 'c')
    expect(users.get('t:c')?.elder).toBe(true)
    await say('/elder off', 'c')
    expect(users.get('t:c')?.elder).toBeUndefined()
    await say('打开长辈模式', 'c')
    await say('关闭长辈模式', 'c')
    expect(users.get('t:c')?.elder).toBeUndefined()
  })

  it('/elder alone toggles', async () => {
    await say('/elder', 'd')
    expect(users.get('t:d')?.elder).toBe(true)
    await say('/elder', 'd')
    expect(users.get('t:d')?.elder).toBeUndefined()
  })

  it('is suggested, never forced, when the user finds answers hard to read', async () => {
    const r = await say('字太多了，看不懂', 'e')
    expect(r.text).toContain('长辈模式')
    expect(users.get('t:e')?.elder).toBeUndefined()
    const yes = await say('1', 'e')
    expect(yes.intent).toBe('settings')
    expect(users.get('t:e')?.elder).toBe(true)
    await say('关闭长辈模式', 'e')
    await say('字太多了，看不懂', 'e')
    const no = await say('2', 'e')
    expect(no.text).toContain('普通模式')
    expect(users.get('t:e')?.elder).toBeUndefined()
  })

  it('「菜单」 outside elder mode is not ours; 「长辈菜单」 always shows the menu', async () => {
    expect((await say('菜单', 'f')).text).toBe('REST')
    expect((await say('长辈菜单', 'f')).choices?.map((c) => c.value)).toEqual(k.elder.menu.map((c) => c.value))
  })

  it('「回到菜单」 in a 长辈模式 answer leads back to the elder menu, not to the general help', async () => {
    await say('长辈模式', 'g')
    const tip = await say('防骗提醒', 'g')
    const back = tip.choices?.find((c) => c.label === '回到菜单')
    expect(back?.value).toBe('长辈菜单')
    const menu = await say(String((tip.choices ?? []).indexOf(back!) + 1), 'g')
    expect(menu.intent).toBe('settings')
    expect(menu.text).toContain('回复 1 查看防骗提醒')
  })
})

describe('elder mode menus never dead-end', () => {
  it.each(['20', '9', '99'])('an off-menu number 「%s」 shows the menu again', async (n) => {
    await say('长辈模式', `off-${n}`)
    const r = await say(n, `off-${n}`)
    expect(r.text).toContain(`没有第${n}项`)
    expect(r.text).toContain('回复 1 ')
    expect(r.choices?.length).toBe(k.elder.menu.length)
  })

  it.each(['菜单', '主菜单', '回主菜单', '返回', '返回菜单', '0'])('「%s」 brings the menu back', async (word) => {
    await say('长辈模式', `menu-${word}`)
    await say('1', `menu-${word}`)
    const r = await say(word, `menu-${word}`)
    expect(r.text).toContain('回复 1 ')
  })
})
