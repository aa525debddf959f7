import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { mentionPrefix, toIncoming, type WechatContext, type WechatMessagePayload } from '../../../adapters/wechat/to-incoming.js'

const fixture = (name: string): WechatMessagePayload => JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/wechat', `${name}.json`), 'utf8')) as WechatMessagePayload

const ctx: WechatContext = {
  self: { id: 'wxid_kepubot', name: '科普助手' },
  keywords: ['科普助手'],
  roomRegions: { 东营社区科普群: '东营市' },
}
const inRoom: WechatContext = { ...ctx, roomTopic: '东营社区科普群' }

describe('wechat toIncoming (recorded puppet payloads)', () => {
  it('maps a private text', () => {
    expect(toIncoming(fixture('private-text'), ctx)).toEqual({
      kind: 'incoming',
      incoming: { channel: 'wechat', chatId: 'wxid_resident01', userId: 'wxid_resident01', isGroup: false, mentioned: true, forwarded: false, text: '防灾减灾日是哪天？', messageId: '7238861297421367810' },
    })
  })

  it.each([
    ['room-mention', '科技活动周什么时候开始'],
    ['room-mention-no-list', '老年人怎么防诈骗'],
    ['room-keyword', '这条短信是不是诈骗'],
  ])('answers %s in a room, without the mention or keyword, with the room region', (name, text) => {
    expect(toIncoming(fixture(name), inRoom)).toMatchObject({
      kind: 'incoming',
      incoming: { isGroup: true, chatId: '20844123456@chatroom', text, region: '东营市', mentioned: true },
    })
  })

  it('leaves the region out for a room not in the map', () => {
    const out = toIncoming(fixture('room-mention'), { ...ctx, roomTopic: '别的群' })
    expect(out.kind === 'incoming' && 'region' in out.incoming).toBe(false)
  })

  it.each([
    ['room-plain', inRoom, 'not-addressed'],
    ['room-image', inRoom, 'not-addressed'],
    ['private-self', ctx, 'self'],
    ['private-text', { ...ctx, talker: { official: true } }, 'official'],
    ['private-text', { ...ctx, notBefore: 1779436800001 }, 'old'],
    ['private-command-check', { ...ctx, notBefore: 1779437241000 }, 'old'],
  ] as const)('skips %s (%s)', (name, context, reason) => {
    expect(toIncoming(fixture(name), context)).toEqual({ kind: 'skip', reason })
  })

  it('sends forwarded chat records and /check to the scam check (old fromId payloads too)', () => {
    expect(toIncoming(fixture('private-chat-history'), ctx)).toMatchObject({ kind: 'incoming', incoming: { forwarded: true, text: expect.stringContaining('共享屏幕') } })
    expect(toIncoming(fixture('private-command-check'), ctx)).toMatchObject({ kind: 'incoming', incoming: { forwarded: true, text: '您的医保卡已冻结，请点击链接解冻', userId: 'wxid_resident01' } })
  })

  it('gives a private voice message an empty text (the bot asks for words)', () => {
    expect(toIncoming(fixture('private-voice'), ctx)).toMatchObject({ kind: 'incoming', incoming: { text: '' } })
  })

  it('never throws on malformed payloads', () => {
    for (const odd of [{}, { id: 1 }, { id: 'x', type: 7 }, { id: 'x', talkerId: 'a', type: 7, timestamp: 0 }]) {
      expect(() => toIncoming(odd as WechatMessagePayload, ctx)).not.toThrow()
    }
  })

  it('builds a room mention from a clipped, cleaned display name', () => {
    expect(mentionPrefix('老李')).toBe('@老李\u2005')
    expect(mentionPrefix('a'.repeat(20))).toBe(`@${'a'.repeat(20)}\u2005`)
    expect(mentionPrefix('a'.repeat(21))).toBe(`@${'a'.repeat(19)}…\u2005`)
    expect(Array.from(mentionPrefix('😀'.repeat(100_000))).length).toBe(22)
    expect(mentionPrefix('王\n阿姨\u202e')).toBe('@王阿姨\u2005')
    expect(mentionPrefix('')).toBe('')
    expect(mentionPrefix(undefined)).toBe('')
    expect(mentionPrefix(' \u200b ')).toBe('')
  })
})

