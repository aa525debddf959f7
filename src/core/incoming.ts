import type { FeedbackVerdict } from './reply.js'

/**
 * One message from a resident, normalised by an adapter. The core never sees a platform's raw payload.
 */
export interface Incoming {
  /** Adapter name: `console`, `telegram`, `wechat`, `batch`, … */
  channel: string
  /** Where the reply goes (a private chat, a group, a room), unique within the channel. */
  chatId: string
  /** Who wrote it, unique within the channel; the key of per-user context (region, elder mode). */
  userId: string
  /** True in a group or room, false in a private chat. */
  isGroup: boolean
  /** True when the bot was @-mentioned, replied to or commanded (always true in private chats). */
  mentioned: boolean
  /** True when the platform marks the text as forwarded from someone else: it goes to the scam check. */
  forwarded: boolean
  /** The text as typed (the core cleans it). */
  text: string
  /** A region the channel already knows (the batch contract's `region`, a room mapped to a region). */
  region?: string
  /** The time to answer at (the batch contract's `now`); absent means the injected clock. */
  now?: Date
  /** Platform message id, for logs and de-duplication only. */
  messageId?: string
  /** A thread or topic inside the chat (Telegram forum topics): every piece of the reply goes there too. */
  threadId?: string
  /**
   * A press of a feedback button (Telegram's 👍/👎 under an answer): which answer and what the resident said.
   * `text` then holds 有用 or 没用, for the log and for a bot without the feedback skill.
   */
  feedback?: { answerId: string; verdict: FeedbackVerdict }
}

/** The key under which per-user context is kept: `channel:userId`. */
export function userKey(incoming: Pick<Incoming, 'channel' | 'userId'>): string {
  return `${incoming.channel}:${incoming.userId}`
}
