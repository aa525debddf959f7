import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadDialogueWords, smallTalkKind } from '../../src/answer/dialogue-words.js'
import { createIntentRouter } from '../../src/answer/intent-router.js'
import type { RouterInput } from '../../src/core/bot.js'
import { packageRoot } from '../../src/core/package-root.js'
import type { DialogueState, UserState } from '../../src/core/user-state.js'
import { RegionRegistry } from '../../src/knowledge/region-registry.js'

const content = join(packageRoot(), 'content')
const regions = RegionRegistry.load(join(content, 'regions.yaml'))
const words = loadDialogueWords(join(content, 'question-words.yaml'))
const route = createIntentRouter({ regions, words, ownRegionWords: ['咱市', '俺们市', '我们市', '咱区'] })
const now = new Date('2026-05-28T11:00:00Z')

function input(text: string, dialogue?: Partial<DialogueState>, user: UserState = {}): RouterInput {
  return {
    incoming: { channel: 'test', chatId: 'c', userId: 'u', isGroup: false, mentioned: true, forwarded: false, text },
    text,
    now,
    user,
    dialogue: dialogue ? { at: now.toISOString(), ...dialogue } : undefined,
    regionInQuestion: regions.findIn(text),
    region: regions.findIn(text),
  }
}

const planTalk: Partial<DialogueState> = { intent: 'plan', question: '咱市应急科普这块是怎么安排的', region: '东营市', passages: ['dongying#42'], cursor: 'dongying#42', list: [{ label: 'a', passage: 'dongying#42' }] }
const eventTalk: Partial<DialogueState> = { intent: 'event', question: '本周末科普活动有哪些', events: { from: '2026-05-30', to: '2026-05-31', label: '本周末' } }

describe('intent router: follow-up kinds', () => {
  it.each([
    ['那高平呢', 'region'],
    ['换成神木呢', 'region'],
    ['乌海那边是咋弄的', 'region'],
    ['那垦利呢', 'region'],
    ['接着说', 'next'],
    ['再多说点', 'next'],
    ['还有呢', 'next'],
    ['第三条展开讲讲', 'item'],
    ['展开讲讲第三条', 'item'],
    ['第二个', 'item'],
    ['2', 'item'],
    ['这个归谁管', 'units'],
    ['牵头的是哪个单位', 'units'],
    ['这事归谁管', 'units'],
    ['还有哪些单位配合', 'units'],
    ['不对，我想问的是青少年那块谁牵头', 'correction'],
    ['我不是问这个，是问农民的', 'correction'],
    ['我问的是青少年那块', 'correction'],
    ['最后一个', 'item'],
    ['负责单位是哪个', 'units'],
    ['换个地方，高平呢', 'region'],
    ['神木是怎么写的', 'region'],
  ])('「%s」 after a plan answer → %s', (text, kind) => {
    expect(route(input(text, planTalk)).followUp?.kind).toBe(kind)
  })

  it.each([
    ['九月份呢', 'window'],
    ['这周呢', 'window'],
    ['下个月呢', 'window'],
    ['带孩子能去的有吗', 'audience'],
    ['适合老人的有吗', 'audience'],
    ['那东营呢', 'region'],
  ])('「%s」 after an events answer → %s', (text, kind) => {
    const u = route(input(text, eventTalk))
    expect(u.followUp?.kind).toBe(kind)
    expect(u.intent).toBe('event')
  })

  it('resolves the other region to the last question there', () => {
    const u = route(input('那高平呢', planTalk))
    expect(u.text).toBe(planTalk.question)
    expect(u.region?.name).toBe('高平市')
  })

  it('keeps the asking part of the last question for a bare corrected topic', () => {
    const u = route(input('不是，我想问农民那块', { ...planTalk, intent: 'department', question: '青少年科学素质提升行动谁牵头' }))
    expect(u.text).toBe('农民那块谁牵头')
    expect(u.region?.name).toBe('东营市')
  })

  it('「那我该怎么办」 after a scam check is advice, not a search', () => {
    expect(route(input('那我该怎么办', { intent: 'fraud', scam: { risk: 'high', type: 'fake-customer-service' } })).followUp?.kind).toBe('advice')
  })

  it('a question with nothing to lean on is no follow-up', () => {
    expect(route(input('那高平呢')).followUp).toBeUndefined()
    expect(route(input('防灾减灾日是哪天', planTalk)).followUp).toBeUndefined()
    expect(route(input('高平的科普志愿者有多少人', planTalk)).followUp).toBeUndefined()
  })
})

describe('intent router: precedence', () => {
  it.each([
    ['谢谢，回头见', 'smalltalk'],
    ['【医保局】您的医保卡已冻结，请点击 http://yb-gov.cc 解冻', 'check'],
    ['我家在利津', 'region'],
    ['有没有适合老年人的科普活动', 'event'],
    ['适合孩子的活动', 'event'],
    ['咱市在乡村振兴科技支撑上有啥做法', 'plan'],
    ['老年人科学素质提升行动由哪个部门牵头', 'plan'],
    ['给老年人办了啥', 'plan'],
    ['乡村振兴有啥安排', 'plan'],
  ])('「%s」 → %s', (text, intent) => {
    expect(route(input(text)).intent).toBe(intent)
  })

  it('a forwarded message is checked before anything else, even small talk', () => {
    const i = input('谢谢')
    expect(route({ ...i, incoming: { ...i.incoming, forwarded: true } }).intent).toBe('check')
  })

  it('group chatter not addressed to the bot is left alone', () => {
    const i = input('谢谢，回头见', planTalk)
    expect(route({ ...i, incoming: { ...i.incoming, isGroup: true, mentioned: false } })).toEqual({})
  })

  it('in 长辈模式 numbers and menu words belong to the menu', () => {
    expect(route(input('20', planTalk, { elder: true })).intent).toBe('mode')
    expect(route(input('返回', undefined, { elder: true })).intent).toBe('mode')
  })

  it('a statement with a question sets the region and asks the question', () => {
    const u = route(input('我在东营，防灾减灾日是哪天'))
    expect(u.setRegion?.region.name).toBe('东营市')
    expect(u.text).toBe('防灾减灾日是哪天')
  })

  it('an audience word alone is not an events question (「离婚了孩子抚养权一般判给谁」)', () => {
    expect(route(input('离婚了孩子抚养权一般判给谁')).intent).toBeUndefined()
  })
})

describe('small talk', () => {
  it.each([
    ['好嘞', 'okay'],
    ['知道啦，多谢', 'thanks'],
    ['回头见', 'bye'],
    ['谢谢你帮我看', 'thanks'],
    ['好，多谢', 'thanks'],
    ['谢谢，拜拜', 'bye'],
    ['OK', 'okay'],
    ['没事了，谢谢您嘞', 'thanks'],
  ])('「%s」 → %s', (text, kind) => {
    expect(smallTalkKind(text, words)).toBe(kind)
  })

  it.each(['你好', '好多科普活动', '谢谢你，防灾减灾日是哪天', '帮我看看', '你'])('「%s」 is not small talk', (text) => {
    expect(smallTalkKind(text, words)).toBeUndefined()
  })
})
