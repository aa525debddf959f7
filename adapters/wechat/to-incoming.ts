import type { Incoming } from '../../src/core/incoming.js'
import { commandToText } from '../shared/slash-commands.js'

/**
 * The pure half of the WeChat adapter: a puppet's message payload (what every wechaty puppet emits, see
 * test/fixtures/wechat/) plus what the adapter knows about the conversation, to an `Incoming` or the
 * reason to stay quiet. No wechaty import, so it runs on recorded payloads.
 */

/** wechaty-puppet's message types, by their numbers (types.Message). */
export const WECHAT_MESSAGE_TYPE = { Unknown: 0, Attachment: 1, Audio: 2, Contact: 3, ChatHistory: 4, Emoticon: 5, Image: 6, Text: 7, Location: 8, MiniProgram: 9, Url: 14, Video: 15 } as const

/** A puppet message payload (payloads.Message), the fields read here. */
export interface WechatMessagePayload {
  id: string
  type: number
  talkerId?: string
  /** Older puppets call it fromId. */
  fromId?: string
  roomId?: string
  listenerId?: string
  toId?: string
  text?: string
  /** Milliseconds (most puppets) or seconds (some) since the epoch. */
  timestamp: number
  mentionIdList?: string[]
}

/** What the adapter knows besides the payload. */
export interface WechatContext {
  /** The logged-in account. */
  self: { id: string; name: string }
  /** The talker, when known: official accounts and the like are never answered. */
  talker?: { name?: string; official?: boolean }
  /** The room's topic, for keyword-free region mapping. */
  roomTopic?: string
  /** Words that address the bot in a room when they start the message (e.g. 科普助手). */
  keywords: readonly string[]
  /** Room topic → region name (WECHAT_ROOM_REGIONS). */
  roomRegions: Readonly<Record<string, string>>
  /** Messages older than this instant (ms) are history replayed at login: skipped. */
  notBefore?: number
}

export type WechatSkipReason = 'self' | 'not-addressed' | 'official' | 'old' | 'unsupported'

export type MappedWechatMessage = { kind: 'incoming'; incoming: Incoming } | { kind: 'skip'; reason: WechatSkipReason }

// WeChat puts U+2005 (four-per-em space) after an @name.
const MENTION_END = '[\\u2005\\u0020\\s]|$'

/** Maps one message. Never throws on odd payloads. */
export function toIncoming(payload: WechatMessagePayload, ctx: WechatContext): MappedWechatMessage {
  const talkerId = payload.talkerId ?? payload.fromId
  if (!payload || typeof payload.id !== 'string' || !talkerId) return { kind: 'skip', reason: 'unsupported' }
  if (talkerId === ctx.self.id) return { kind: 'skip', reason: 'self' }
  if (ctx.talker?.official) return { kind: 'skip', reason: 'official' }
  const ms = payload.timestamp < 1e12 ? payload.timestamp * 1000 : payload.timestamp
  if (ctx.notBefore !== undefined && ms < ctx.notBefore) return { kind: 'skip', reason: 'old' }

  const isGroup = Boolean(payload.roomId)
  const forwarded = payload.type === WECHAT_MESSAGE_TYPE.ChatHistory
  const readable = payload.type === WECHAT_MESSAGE_TYPE.Text || forwarded || payload.type === WECHAT_MESSAGE_TYPE.Url
  const raw = readable ? String(payload.text ?? '') : ''
  if (isGroup && !readable) return { kind: 'skip', reason: 'not-addressed' }

  let text = raw.trim()
  if (isGroup) {
    const byList = payload.mentionIdList?.includes(ctx.self.id) ?? false
    const atName = ctx.self.name ? new RegExp(`@${escapeRegExp(ctx.self.name)}(?:${MENTION_END})`, 'g') : undefined
    const byText = atName ? atName.test(text) : false
    const keyword = ctx.keywords.find((k) => k && text.startsWith(k))
    if (!byList && !byText && !keyword) return { kind: 'skip', reason: 'not-addressed' }
    if (atName) text = text.replace(atName, ' ')
    if (keyword && text.startsWith(keyword)) text = text.slice(keyword.length)
    text = text.replace(/^[\s\u2005,，:：]+/, '').trim()
  }
  let isForwarded = forwarded
  const command = /^\/([A-Za-z_]+)(?:\s+([\s\S]*))?$/.exec(text)
  if (command) {
    const mapped = commandToText(command[1]!, command[2] ?? '')
    text = mapped.text
    isForwarded = isForwarded || mapped.forwarded
  }
  const region = isGroup && ctx.roomTopic ? ctx.roomRegions[ctx.roomTopic] : undefined
  const incoming: Incoming = {
    channel: 'wechat',
    chatId: payload.roomId ?? talkerId,
    userId: talkerId,
    isGroup,
    mentioned: true,
    forwarded: isForwarded,
    text,
    messageId: payload.id,
    ...(region ? { region } : {}),
  }
  return { kind: 'incoming', incoming }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** The longest display name a room reply @-mentions (characters); longer names are cut with 「…」. */
export const MENTION_MAX_CHARS = 20

/**
 * The @-mention that starts a room reply: `@name` + U+2005 (WeChat's separator), the name cleaned of
 * control characters and line breaks and clipped to `max` characters, so a hostile 100,000-character
 * nickname cannot make a 100,000-character message. '' when there is no usable name.
 */
export function mentionPrefix(displayName: string | undefined, max = MENTION_MAX_CHARS): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  const name = (displayName ?? '').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/g, '').replace(/\s+/g, ' ').trim()
  if (!name) return ''
  const chars = Array.from(name)
  const clipped = chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : name
  return `@${clipped}\u2005`
}
