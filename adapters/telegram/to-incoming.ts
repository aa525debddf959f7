import type { Incoming } from '../../src/core/incoming.js'
import { commandToText } from '../shared/slash-commands.js'
import { readFeedbackData } from './feedback-buttons.js'

/**
 * The pure half of the Telegram adapter: a Bot API update in, an `Incoming` (or the reason to ignore it)
 * out. No I/O, so that recorded updates (test/fixtures/telegram/) pin the behaviour down.
 */

/** The parts of a Bot API user/chat/message this mapper reads (the payload has more). */
export interface TgUser {
  id: number
  is_bot?: boolean
  username?: string
}
export interface TgChat {
  id: number
  type: 'private' | 'group' | 'supergroup' | 'channel' | string
}
export interface TgEntity {
  type: string
  offset: number
  length: number
  user?: TgUser
}
export interface TgMessage {
  message_id: number
  message_thread_id?: number
  is_topic_message?: boolean
  from?: TgUser
  sender_chat?: TgChat
  chat: TgChat
  text?: string
  caption?: string
  entities?: TgEntity[]
  caption_entities?: TgEntity[]
  reply_to_message?: { from?: TgUser }
  forward_origin?: unknown
  forward_date?: number
  forward_from?: unknown
  forward_from_chat?: unknown
  forward_sender_name?: string
  is_automatic_forward?: boolean
}
export interface TgCallbackQuery {
  id: string
  from: TgUser
  data?: string
  message?: { message_id: number; chat: TgChat }
}
export interface TgUpdate {
  update_id: number
  message?: TgMessage
  edited_message?: TgMessage
  callback_query?: TgCallbackQuery
  my_chat_member?: { chat: TgChat; from: TgUser; new_chat_member?: { status?: string } }
  [other: string]: unknown
}

/** The bot's own identity, from getMe. */
export interface BotIdentity {
  id: number
  username: string
}

/** Why an update is not passed to the bot. */
export type SkipReason =
  | 'not-addressed' // a group message without mention, reply or command for this bot
  | 'other-bot-command' // /cmd@someone_else
  | 'from-bot' // written by a bot (this one included)
  | 'edited'
  | 'channel'
  | 'blocked' // my_chat_member: the user blocked the bot (status kicked)
  | 'unblocked'
  | 'unsupported'

/** The mapper's verdict on one update. */
export type MappedUpdate =
  | { kind: 'incoming'; incoming: Incoming; callbackQueryId?: string }
  | { kind: 'skip'; reason: SkipReason; chatId?: string; callbackQueryId?: string }

const CHANNEL = 'telegram'

/** Maps one update. Never throws on odd payloads: anything it cannot read is `unsupported`. */
export function toIncoming(update: TgUpdate, me: BotIdentity): MappedUpdate {
  if (update.message) return fromMessage(update.message, me)
  if (update.callback_query) return fromCallback(update.callback_query, me)
  if (update.edited_message) return { kind: 'skip', reason: 'edited' }
  if (update.my_chat_member) {
    const status = update.my_chat_member.new_chat_member?.status
    const chatId = String(update.my_chat_member.chat.id)
    if (status === 'kicked') return { kind: 'skip', reason: 'blocked', chatId }
    if (status === 'member') return { kind: 'skip', reason: 'unblocked', chatId }
  }
  if (update.channel_post || update.edited_channel_post) return { kind: 'skip', reason: 'channel' }
  return { kind: 'skip', reason: 'unsupported' }
}

/** A Bot API user id: a positive integer (JSON number). A string, a fraction or a negative id is forged. */
function isUserId(id: unknown): id is number {
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0
}

/** A Bot API chat id: a non-zero integer (groups are negative). */
function isChatId(id: unknown): id is number {
  return typeof id === 'number' && Number.isSafeInteger(id) && id !== 0
}

function fromMessage(m: TgMessage, me: BotIdentity): MappedUpdate {
  if (!m.chat || !isChatId(m.chat.id)) return { kind: 'skip', reason: 'unsupported' }
  if (m.chat.type === 'channel') return { kind: 'skip', reason: 'channel' }
  // Who wrote it must be stated and well-formed: a message without `from` (and without the sender_chat
  // Telegram sets for anonymous admins and channels), or with an id that is not a positive number, is
  // not taken on someone's behalf, least of all the chat's.
  if (m.from !== undefined && (typeof m.from !== 'object' || m.from === null || !isUserId(m.from.id))) return { kind: 'skip', reason: 'unsupported' }
  if (m.sender_chat !== undefined && (typeof m.sender_chat !== 'object' || m.sender_chat === null || !isChatId(m.sender_chat.id))) return { kind: 'skip', reason: 'unsupported' }
  if (!m.from && !m.sender_chat) return { kind: 'skip', reason: 'unsupported' }
  const sender = m.sender_chat && !m.from ? undefined : m.from
  if (sender?.is_bot && sender.username !== 'GroupAnonymousBot') return { kind: 'skip', reason: 'from-bot' }
  const isGroup = m.chat.type === 'group' || m.chat.type === 'supergroup'
  const raw = m.text ?? m.caption ?? ''
  const entities = (m.text !== undefined ? m.entities : m.caption_entities) ?? []
  const forwarded = isForwarded(m)

  let text: string
  let commandForwarded = false
  let addressed = !isGroup
  const command = leadingCommand(raw, entities)
  if (command) {
    if (command.target && command.target.toLowerCase() !== me.username.toLowerCase()) return { kind: 'skip', reason: 'other-bot-command' }
    const mapped = commandToText(command.name, raw.slice(command.length))
    text = mapped.text
    commandForwarded = mapped.forwarded
    addressed = true
  } else {
    if (mentions(raw, entities, me) || m.reply_to_message?.from?.id === me.id) addressed = true
    text = stripMention(raw, entities, me)
  }
  if (!addressed) return { kind: 'skip', reason: 'not-addressed' }
  // In a group the sender may be a channel or an anonymous admin: sender_chat identifies them.
  const userId = String(m.sender_chat && (!m.from || m.from.username === 'GroupAnonymousBot') ? m.sender_chat.id : m.from!.id)
  const incoming: Incoming = {
    channel: CHANNEL,
    chatId: String(m.chat.id),
    userId,
    isGroup,
    mentioned: true,
    forwarded: forwarded || commandForwarded,
    text,
    messageId: `${m.chat.id}:${m.message_id}`,
    ...(m.is_topic_message && m.message_thread_id !== undefined ? { threadId: String(m.message_thread_id) } : {}),
  }
  return { kind: 'incoming', incoming }
}

function fromCallback(q: TgCallbackQuery, me: BotIdentity): MappedUpdate {
  if (!q.from || typeof q.from !== 'object' || !isUserId(q.from.id)) return { kind: 'skip', reason: 'unsupported', callbackQueryId: q.id }
  if (q.message?.chat !== undefined && !isChatId(q.message.chat?.id)) return { kind: 'skip', reason: 'unsupported', callbackQueryId: q.id }
  if (q.from.id === me.id) return { kind: 'skip', reason: 'from-bot', callbackQueryId: q.id }
  const chat = q.message?.chat
  if (typeof q.data !== 'string' || !q.data) return { kind: 'skip', reason: 'unsupported', callbackQueryId: q.id }
  const isGroup = chat?.type === 'group' || chat?.type === 'supergroup'
  // 👍/👎 under an answer: the verdict as data; the text says it in words for the log and for a bot without the skill.
  const feedback = readFeedbackData(q.data)
  const incoming: Incoming = {
    channel: CHANNEL,
    chatId: String(chat?.id ?? q.from.id),
    userId: String(q.from.id),
    isGroup,
    mentioned: true,
    forwarded: false,
    text: feedback ? (feedback.verdict === 'useful' ? '有用' : '没用') : q.data,
    messageId: `cb:${q.id}`,
    ...(feedback ? { feedback } : {}),
  }
  return { kind: 'incoming', incoming, callbackQueryId: q.id }
}

/** Bot API 7.0 marks forwards with forward_origin; older servers with forward_date/forward_from…. */
function isForwarded(m: TgMessage): boolean {
  if (m.is_automatic_forward) return false
  return Boolean(m.forward_origin || m.forward_date || m.forward_from || m.forward_from_chat || m.forward_sender_name)
}

/** `/cmd@target args` at the very start, as a bot_command entity says (or by pattern when entities are absent). */
function leadingCommand(text: string, entities: TgEntity[]): { name: string; target?: string; length: number } | undefined {
  const entity = entities.find((e) => e.type === 'bot_command' && e.offset === 0)
  const raw = entity ? text.slice(0, entity.length) : /^\/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,32})?(?=\s|$)/.exec(text)?.[0]
  if (!raw) return undefined
  const at = raw.indexOf('@')
  const name = (at < 0 ? raw : raw.slice(0, at)).slice(1)
  if (!name) return undefined
  return at < 0 ? { name, length: raw.length } : { name, target: raw.slice(at + 1), length: raw.length }
}

function mentions(text: string, entities: TgEntity[], me: BotIdentity): boolean {
  const handle = `@${me.username}`.toLowerCase()
  for (const e of entities) {
    if (e.type === 'mention' && text.slice(e.offset, e.offset + e.length).toLowerCase() === handle) return true
    if (e.type === 'text_mention' && e.user?.id === me.id) return true
  }
  // Some clients send no entities for a typed mention.
  return entities.length === 0 && new RegExp(`(^|\\s)${escapeRegExp(handle)}(?![A-Za-z0-9_])`, 'i').test(text)
}

/** Removes the mentions of this bot (by entity span, else by pattern) so the core sees only the question. */
function stripMention(text: string, entities: TgEntity[], me: BotIdentity): string {
  const handle = `@${me.username}`.toLowerCase()
  const spans = entities
    .filter((e) => (e.type === 'mention' && text.slice(e.offset, e.offset + e.length).toLowerCase() === handle) || (e.type === 'text_mention' && e.user?.id === me.id))
    .sort((a, b) => b.offset - a.offset)
  let out = text
  for (const e of spans) out = `${out.slice(0, e.offset)} ${out.slice(e.offset + e.length)}`
  if (!spans.length) out = out.replace(new RegExp(`(^|\\s)${escapeRegExp(handle)}(?![A-Za-z0-9_])`, 'gi'), '$1')
  return out.replace(/^[\s,，:：]+/, '').trim()
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
