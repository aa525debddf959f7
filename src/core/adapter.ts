import type { Incoming } from './incoming.js'
import type { Reply } from './reply.js'
import type { HttpRoute } from './skill.js'

/** What an adapter calls for every message it receives; the bot's `handle`. */
export type IncomingHandler = (incoming: Incoming) => Promise<Reply>

/** An outgoing message not tied to an incoming one (announcements, digests). */
export interface Outgoing {
  chatId: string
  text: string
  isGroup?: boolean
  /** Emergency alerts go before announcements in the adapter's outbound queue (replies go first of all). */
  priority?: 'alert' | 'announcement'
  /** The subscription topic it was sent for, when it has one (WeChat Official Account: the template to use). */
  topic?: string
}

/** Where a message was delivered, for the delivery report. */
export interface SendReceipt {
  /** The platform's id of the sent message, when it tells. */
  messageId?: string
  /** How it went when a platform has more than one way (WeChat Official Account: `custom` or `template`). */
  route?: string
}

/**
 * A messaging platform. Adapters are small: a pure mapper from the platform's raw message to
 * `Incoming`, plus thin I/O. `start` begins taking messages and resolves when the adapter is ready;
 * `stop` stops taking new messages, lets replies in flight finish and releases every resource.
 * `send` throws a `DeliveryError` (see errors.ts) whose `kind` tells the delivery worker what to do.
 */
export interface Adapter {
  readonly name: string
  start(handler: IncomingHandler): Promise<void>
  stop(): Promise<void>
  send(message: Outgoing): Promise<SendReceipt>
  /** Routes the adapter needs on the HTTP server (a webhook); mounted by `serve` before `start`. */
  routes?(): HttpRoute[]
  /**
   * Whether a user is an administrator (or the creator) of a group, asked of the platform (Telegram
   * getChatMember). Resolves false when it cannot tell; never rejects. Absent: the platform cannot say.
   */
  isGroupAdmin?(chatId: string, userId: string): Promise<boolean>
}
