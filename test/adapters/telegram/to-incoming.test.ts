import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { toIncoming, type TgUpdate } from '../../../adapters/telegram/to-incoming.js'

const me = { id: 123456, username: 'kepu_test_bot' }
const fixture = (name: string): TgUpdate => JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/telegram', `${name}.json`), 'utf8')) as TgUpdate

describe('telegram toIncoming (recorded updates)', () => {
  it('maps a private text to an addressed Incoming', () => {
    expect(toIncoming(fixture('private-text'), me)).toEqual({
      kind: 'incoming',
      incoming: { channel: 'telegram', chatId: '5012345678', userId: '5012345678', isGroup: false, mentioned: true, forwarded: false, text: '防灾减灾日是哪天？', messageId: '5012345678:311' },
    })
  })

  it.each([
    ['group-unmentioned', 'not-addressed'],
    ['group-mention-other', 'not-addressed'],
    ['group-command-other-bot', 'other-bot-command'],
    ['group-from-bot', 'from-bot'],
    ['edited-message', 'edited'],
    ['my-chat-member-kicked', 'blocked'],
  ])('skips %s (%s)', (name, reason) => {
    const out = toIncoming(fixture(name), me)
    expect(out).toMatchObject({ kind: 'skip', reason })
  })

  it('records which chat blocked the bot', () => {
    expect(toIncoming(fixture('my-chat-member-kicked'), me)).toEqual({ kind: 'skip', reason: 'blocked', chatId: '5012345678' })
  })

  it.each([
    ['group-mention', '科技活动周什么时候开始'],
    ['group-reply-to-bot', '那东营有什么活动？'],
    ['group-text-mention', '这条是不是诈骗'],
  ])('answers %s in a group, without the mention', (name, text) => {
    const out = toIncoming(fixture(name), me)
    expect(out.kind).toBe('incoming')
    if (out.kind !== 'incoming') return
    expect(out.incoming).toMatchObject({ isGroup: true, mentioned: true, forwarded: false, chatId: '-1002233445566', text })
  })

  it('turns a command addressed to this bot into the phrase it stands for', () => {
    const out = toIncoming(fixture('group-command'), me)
    expect(out).toMatchObject({ kind: 'incoming', incoming: { text: '我在东营', isGroup: true, userId: '5098765432' } })
  })

  it('answers an anonymous admin command, keyed by the group as sender', () => {
    expect(toIncoming(fixture('group-anonymous-admin'), me)).toMatchObject({ kind: 'incoming', incoming: { text: '最近有什么科普活动', userId: '-1002233445566' } })
  })

  it('sends /check <text> and forwarded messages (new and legacy fields) to the scam check', () => {
    expect(toIncoming(fixture('private-command-check'), me)).toMatchObject({ kind: 'incoming', incoming: { forwarded: true, text: '您的医保卡已冻结，请点击链接解冻' } })
    expect(toIncoming(fixture('forwarded-private'), me)).toMatchObject({ kind: 'incoming', incoming: { forwarded: true, text: expect.stringContaining('养老金') } })
    expect(toIncoming(fixture('forwarded-hidden-legacy'), me)).toMatchObject({ kind: 'incoming', incoming: { forwarded: true } })
  })

  it('reads a caption as the text, and gives a sticker an empty text in private', () => {
    expect(toIncoming(fixture('photo-caption-private'), me)).toMatchObject({ kind: 'incoming', incoming: { text: '这个短信是真的吗' } })
    expect(toIncoming(fixture('sticker-private'), me)).toMatchObject({ kind: 'incoming', incoming: { text: '' } })
  })

  it('feeds a button press back as text and keeps the callback id', () => {
    expect(toIncoming(fixture('callback-query'), me)).toEqual({
      kind: 'incoming',
      callbackQueryId: '2153125683412345678',
      incoming: { channel: 'telegram', chatId: '5012345678', userId: '5012345678', isGroup: false, mentioned: true, forwarded: false, text: '我在东营', messageId: 'cb:2153125683412345678' },
    })
  })

  it('maps a 👎 press to the verdict on the answer it names, with 没用 as the text', () => {
    expect(toIncoming(fixture('callback-feedback'), me)).toEqual({
      kind: 'incoming',
      callbackQueryId: '2153125683412345679',
      incoming: {
        channel: 'telegram',
        chatId: '5012345678',
        userId: '5012345678',
        isGroup: false,
        mentioned: true,
        forwarded: false,
        text: '没用',
        messageId: 'cb:2153125683412345679',
        feedback: { answerId: 'Xk3_9aQ-', verdict: 'useless' },
      },
    })
    const cb = fixture('callback-feedback')
    const up = toIncoming({ ...cb, callback_query: { ...cb.callback_query!, data: 'fb:+:Xk3_9aQ-' } }, me)
    expect(up).toMatchObject({ kind: 'incoming', incoming: { text: '有用', feedback: { answerId: 'Xk3_9aQ-', verdict: 'useful' } } })
    // Anything else that starts alike is a plain button value, passed on as text.
    for (const data of ['fb:x:Xk3', 'fb:+:', 'fb:+:a b', `fb:+:${'a'.repeat(41)}`]) {
      const out = toIncoming({ ...cb, callback_query: { ...cb.callback_query!, data } }, me)
      expect(out).toMatchObject({ kind: 'incoming', incoming: { text: data } })
      expect(out.kind === 'incoming' && 'feedback' in out.incoming).toBe(false)
    }
  })

  it('never throws on malformed updates', () => {
    const odd: unknown[] = [{ update_id: 1 }, { update_id: 2, message: {} }, { update_id: 3, message: { chat: { id: 'x' } } }, { update_id: 4, callback_query: { id: 'q' } }, { update_id: 5, poll: {} }]
    for (const u of odd) expect(toIncoming(u as TgUpdate, me).kind).toBe('skip')
  })

  it('never takes a message on behalf of someone it does not name: no from, or a from.id that is not a positive number', () => {
    const base = fixture('private-text')
    const message = base.message!
    const chatId = message.chat.id
    const variants: unknown[] = [
      { ...message, from: undefined },
      { ...message, from: { id: String(chatId), is_bot: false } },
      { ...message, from: { id: `${chatId}abc`, is_bot: false } },
      { ...message, from: { id: -chatId, is_bot: false } },
      { ...message, from: { id: 1.5, is_bot: false } },
      { ...message, from: { id: 0, is_bot: false } },
      { ...message, from: null },
      { ...message, from: 'admin' },
      { ...message, chat: { ...message.chat, id: String(chatId) } },
    ]
    for (const m of variants) expect(toIncoming({ update_id: 1, message: m } as TgUpdate, me)).toEqual({ kind: 'skip', reason: 'unsupported' })
    // A button press with a string id is refused the same way.
    const cb = fixture('callback-query')
    expect(toIncoming({ ...cb, callback_query: { ...cb.callback_query!, from: { id: '5012345678' } } } as unknown as TgUpdate, me)).toMatchObject({ kind: 'skip', reason: 'unsupported' })
    // The valid message still maps, keyed by its sender's digits.
    expect(toIncoming(base, me)).toMatchObject({ kind: 'incoming', incoming: { userId: String(message.from!.id) } })
  })
})

