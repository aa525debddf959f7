import { Telegram } from 'telegraf'
import type { Adapter, IncomingHandler, Outgoing, SendReceipt } from '../../src/core/adapter.js'
import { ConfigError, DeliveryError, KepuError, errorCode } from '../../src/core/errors.js'
import type { Incoming } from '../../src/core/incoming.js'
import { silentLogger, type Logger } from '../../src/core/logger.js'
import { msg } from '../../src/core/messages-zh.js'
import type { Reply } from '../../src/core/reply.js'
import type { HttpRoute } from '../../src/core/skill.js'
import { TELEGRAM_LIMITS, type ChannelLimits } from '../../src/core/rate-limiter.js'
import { ChatQueue } from '../shared/chat-queue.js'
import { OutboundQueue } from '../shared/outbound-queue.js'
import { SLASH_COMMANDS } from '../shared/slash-commands.js'
import { splitMessage } from '../shared/split-message.js'
import { abortableSleep } from '../shared/wait.js'
import { Keyboards } from './keyboard.js'
import { toDeliveryError } from './to-delivery-error.js'
import { isTelegramGroupAdmin } from './group-admin.js'
import { toIncoming, type BotIdentity, type MappedUpdate, type TgUpdate } from './to-incoming.js'
import { telegramWebhookRoute } from './webhook-route.js'

/**
 * Webhook mode: Telegram POSTs updates to `url`; the adapter's route (`routes()`) answers on `path` of
 * the one HTTP server `serve` runs, which must be reachable at that URL (through a reverse proxy).
 */
export interface TelegramWebhookOptions {
  /** The public https URL registered with setWebhook. */
  url: string
  /** Sent back by Telegram in X-Telegram-Bot-Api-Secret-Token; requests without it are refused. */
  secret: string
  /** The path the route answers on (default: the URL's path). */
  path?: string
}

export interface TelegramAdapterOptions {
  token: string
  /** The Bot API server (default https://api.telegram.org; a self-hosted server or a test fake). */
  apiRoot?: string
  logger?: Logger
  /** Absent: long polling. */
  webhook?: TelegramWebhookOptions
  /** Long-poll timeout in seconds (default 30). */
  pollTimeoutS?: number
  /** How long a send may take before it counts as in doubt (default 15 000 ms). */
  sendTimeoutMs?: number
  /** The account's sending limits, shared by replies, alerts and announcements (default TELEGRAM_LIMITS). */
  limits?: ChannelLimits
  /** A reply that could not be sent for this long is dropped and counted, not sent stale (default 10 min). */
  maxReplyAgeMs?: number
  /** How long `stop` waits for replies in flight (default 4000 ms). */
  stopGraceMs?: number
  /** Registers the slash commands with setMyCommands on start (default true). */
  setCommands?: boolean
  /** Called when a user blocks the bot (a 403 on send or a my_chat_member update). */
  onBlocked?: (chatId: string) => void
  /**
   * Remembers update ids across restarts and replicas (the store's `seen`, 24 h), so a webhook retry that
   * lands on another replica, or a replay after a restart, is answered once. Default: memory only.
   */
  dedup?: { seen(source: string, id: string, now: Date, ttlMs: number): Promise<boolean> }
  /** Waits; injected so that unit tests need not sleep. Must resolve early when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>
}

/** Updates the bot asks for: messages, button presses, and membership changes (to notice blocks). */
export const ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const

const SEEN_UPDATES = 2048

/**
 * Telegram through the real telegraf client (its `Telegram` API class): long polling or a webhook route
 * (webhook-route.ts) with secret-token verification, slash commands, inline keyboards for choices, long replies split on sentence
 * boundaries, 429 waited out, blocks recorded, duplicate updates dropped. One failing update or chat never
 * stops the others: each chat's replies run in their own queue.
 */
export class TelegramAdapter implements Adapter {
  readonly name = 'telegram'
  /** Chats whose user blocked the bot, seen since start. */
  readonly blocked = new Set<string>()

  private readonly telegram: Telegram
  private readonly log: Logger
  private readonly opts: TelegramAdapterOptions
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>
  private handler: IncomingHandler | undefined
  private me: BotIdentity | undefined
  private running = false
  private stopping = false
  private offset = 0
  private pollAbort: AbortController | undefined
  private pollLoop: Promise<void> | undefined
  /** Aborted when stop's grace period is over: retry waits end at once. */
  private readonly hardStop = new AbortController()
  private readonly seen = new Set<number>()
  private readonly queue: ChatQueue
  private readonly keyboards = new Keyboards()
  /** Every request that sends a message goes through here: one budget for the account. */
  private readonly outbound: OutboundQueue

  constructor(options: TelegramAdapterOptions) {
    this.opts = options
    this.log = (options.logger ?? silentLogger).child({ adapter: 'telegram' })
    this.sleep = options.sleep ?? abortableSleep
    this.telegram = new Telegram(options.token, { apiRoot: options.apiRoot ?? 'https://api.telegram.org' })
    // A failed job must not poison the chat's queue: it is logged and the next message goes ahead.
    this.queue = new ChatQueue((err, chatId) => this.log.error({ code: errorCode(err), chatId }, 'reply failed'))
    this.outbound = new OutboundQueue({
      limits: options.limits ?? TELEGRAM_LIMITS,
      classify: (err) => (err instanceof DeliveryError ? err : toDeliveryError(err)),
      // Pacing runs on real time, like the platform's limits (the injected sleep is for start-up retries).
      sleep: abortableSleep,
      logger: this.log,
      ...(options.maxReplyAgeMs !== undefined ? { maxReplyAgeMs: options.maxReplyAgeMs } : {}),
    })
  }

  /** What the outbound queue did (sent, 429s, retries, stale replies dropped). */
  get outboundStats(): OutboundQueue['stats'] {
    return this.outbound.stats
  }

  /** In webhook mode, the route Telegram posts updates to; serve mounts it on its HTTP server before start. */
  routes(): HttpRoute[] {
    const hook = this.opts.webhook
    if (!hook) return []
    return [
      telegramWebhookRoute({
        path: hook.path ?? (new URL(hook.url).pathname || '/'),
        secret: hook.secret,
        accept: (update) => this.accept(update),
        // Before start and while stopping Telegram gets 503 and retries: the next instance takes it.
        closed: () => !this.running || this.stopping,
        logger: this.log,
      }),
    ]
  }

  /** Whether a user is the creator or an administrator of a group (getChatMember, group-admin.ts); false when unsure. */
  isGroupAdmin(chatId: string, userId: string): Promise<boolean> {
    return isTelegramGroupAdmin((method, payload) => this.callWithTimeout(method, payload), chatId, userId, this.log)
  }

  /** The bot's identity (after start). */
  get identity(): BotIdentity | undefined {
    return this.me
  }

  async start(handler: IncomingHandler): Promise<void> {
    if (this.running) throw new KepuError('E_ADAPTER_STATE', 'telegram: already started')
    this.handler = handler
    let me: { id: number; username?: string } | undefined
    // A Bot API outage at boot is waited out a little; a refused token is not.
    for (let attempt = 1; !me; attempt++) {
      try {
        me = await this.telegram.getMe()
      } catch (err) {
        const code = (err as { code?: unknown }).code
        if (code === 401 || code === 404) throw new ConfigError('config: TELEGRAM_BOT_TOKEN: the Bot API refused this token (401)')
        const de = toDeliveryError(err, 'getMe')
        if (attempt >= 3 || de.kind === 'permanent' || de.kind === 'blocked') {
          throw new KepuError('E_TELEGRAM_START', `telegram: getMe failed: ${de.message}`, { cause: err })
        }
        this.log.warn({ code: de.code, attempt }, 'getMe failed, retrying')
        await this.sleep(de.retryAfterMs ?? 1000 * attempt, this.hardStop.signal)
      }
    }
    this.me = { id: me.id, username: me.username ?? '' }
    if (this.opts.setCommands !== false) {
      try {
        await this.telegram.setMyCommands(SLASH_COMMANDS.map((c) => ({ command: c.command, description: c.description })))
      } catch (err) {
        this.log.warn({ code: toDeliveryError(err, 'setMyCommands').code }, 'commands not registered')
      }
    }
    this.running = true
    this.stopping = false
    if (this.opts.webhook) await this.telegram.setWebhook(this.opts.webhook.url, { secret_token: this.opts.webhook.secret, allowed_updates: [...ALLOWED_UPDATES] })
    else {
      // getUpdates is refused while a webhook is set; a server without deleteWebhook still polls fine.
      await this.telegram.deleteWebhook({ drop_pending_updates: false }).catch((err: unknown) => {
        this.log.warn({ code: toDeliveryError(err, 'deleteWebhook').code }, 'deleteWebhook failed')
      })
      this.pollLoop = this.poll()
    }
    this.log.info({ mode: this.opts.webhook ? 'webhook' : 'polling', bot: this.me.username }, 'telegram started')
  }

  async stop(): Promise<void> {
    if (!this.running) return
    this.stopping = true
    this.pollAbort?.abort()
    await this.pollLoop?.catch(() => {})
    const grace = this.opts.stopGraceMs ?? 4000
    const drained = await this.queue.drain(grace)
    if (!drained) {
      this.log.warn({ code: 'E_SHUTDOWN_TIMEOUT', pending: this.queue.size }, 'replies still in flight at shutdown')
      this.hardStop.abort()
      await this.outbound.close()
      await this.queue.drain(500)
    }
    await this.outbound.close()
    if (!this.opts.webhook && this.offset > 0) {
      // Confirm what was handled, so that a restart does not answer it again.
      await this.telegram.callApi('getUpdates', { offset: this.offset, limit: 1, timeout: 0 } as never).catch(() => {})
    }
    this.running = false
    this.log.info({}, 'telegram stopped')
  }

  /**
   * Sends one message (announcements). Long texts are split like replies; the receipt names the last
   * piece. Throws `DeliveryError`: rate_limited (with retryAfterMs), blocked, transient, in_doubt, permanent.
   */
  async send(message: Outgoing): Promise<SendReceipt> {
    const pieces = splitMessage(message.text)
    if (!pieces.length) throw new DeliveryError('permanent', 'telegram: sendMessage: empty text')
    let messageId: string | undefined
    for (const text of pieces) {
      try {
        const sent = await this.outbound.push({
          chatId: message.chatId,
          isGroup: message.isGroup === true,
          priority: message.priority ?? 'announcement',
          send: () => this.callWithTimeout('sendMessage', { chat_id: message.chatId, text }),
        })
        messageId = String((sent as { message_id?: number }).message_id ?? '')
      } catch (err) {
        const de = err instanceof DeliveryError ? err : toDeliveryError(err)
        if (de.kind === 'blocked') this.recordBlocked(message.chatId)
        throw de
      }
    }
    return messageId ? { messageId } : {}
  }

  // ---- receiving ---------------------------------------------------------------------------------

  private async poll(): Promise<void> {
    let failures = 0
    while (!this.stopping) {
      let updates: TgUpdate[]
      const abort = new AbortController()
      this.pollAbort = abort
      try {
        updates = (await this.telegram.callApi(
          'getUpdates',
          { timeout: this.opts.pollTimeoutS ?? 30, offset: this.offset, allowed_updates: [...ALLOWED_UPDATES] } as never,
          { signal: abort.signal as never },
        )) as unknown as TgUpdate[]
        failures = 0
      } catch (err) {
        if (this.stopping) break
        failures++
        const de = toDeliveryError(err, 'getUpdates')
        const status = (err as { code?: unknown }).code
        // 409: another instance polls or a webhook is set; 401: the token was revoked. Keep trying, slowly.
        const waitMs = de.retryAfterMs ?? Math.min(30_000, 500 * 2 ** Math.min(failures, 6))
        this.log.warn({ code: de.code, status: typeof status === 'number' ? status : undefined, waitMs }, 'getUpdates failed')
        await this.sleep(waitMs, abort.signal)
        continue
      }
      if (!Array.isArray(updates)) continue
      for (const update of updates) {
        if (typeof update?.update_id !== 'number') continue
        if (update.update_id >= this.offset) this.offset = update.update_id + 1
        this.accept(update)
      }
    }
  }

  /** Takes one update: de-duplicates, maps, and queues the reply behind the chat's earlier ones. */
  private accept(update: TgUpdate): void {
    if (this.seen.has(update.update_id)) {
      this.log.debug({ updateId: update.update_id }, 'duplicate update dropped')
      return
    }
    this.seen.add(update.update_id)
    if (this.seen.size > SEEN_UPDATES) this.seen.delete(this.seen.values().next().value!)
    let mapped: MappedUpdate
    try {
      mapped = toIncoming(update, this.me!)
    } catch (err) {
      this.log.warn({ code: errorCode(err), updateId: update.update_id }, 'update not understood')
      return
    }
    if (mapped.kind === 'skip') {
      if (mapped.callbackQueryId) this.answerCallback(mapped.callbackQueryId)
      if (mapped.reason === 'blocked' && mapped.chatId) this.recordBlocked(mapped.chatId)
      if (mapped.reason === 'unblocked' && mapped.chatId) this.blocked.delete(mapped.chatId)
      return
    }
    const incoming = mapped.incoming
    if (mapped.callbackQueryId) {
      this.answerCallback(mapped.callbackQueryId)
      incoming.text = this.keyboards.valueOf(incoming.text)
    }
    const dedup = this.opts.dedup
    this.queue.push(incoming.chatId, async () => {
      // In the chat's queue, so the chat's order holds while the store is asked.
      if (dedup) {
        let dup = false
        try {
          dup = await dedup.seen('telegram', `${this.me!.id}:${update.update_id}`, new Date(), 24 * 3_600_000)
        } catch (err) {
          // The store is away: answering twice is better than not at all.
          this.log.warn({ code: errorCode(err) }, 'update de-duplication failed; answering')
        }
        if (dup) {
          this.log.debug({ updateId: update.update_id }, 'duplicate update dropped (seen by the store)')
          return
        }
      }
      await this.respond(incoming)
    })
  }

  private answerCallback(id: string): void {
    this.telegram.answerCbQuery(id).catch((err: unknown) => {
      this.log.debug({ code: toDeliveryError(err, 'answerCallbackQuery').code }, 'callback not answered')
    })
  }

  private async respond(incoming: Incoming): Promise<void> {
    let reply: Reply
    try {
      reply = await this.handler!(incoming)
    } catch (err) {
      this.log.error({ code: errorCode(err), chatId: incoming.chatId }, 'bot failed on a message')
      reply = { text: msg('error'), answered: false, intent: 'none' }
    }
    if (reply.silent || !reply.text.trim()) return
    await this.deliver(incoming, reply)
  }

  // ---- sending -----------------------------------------------------------------------------------

  private async deliver(incoming: Incoming, reply: Reply): Promise<void> {
    const pieces = splitMessage(reply.text)
    const keyboard = this.keyboards.of(reply)
    const replyTo = incoming.isGroup ? /:(\d+)$/.exec(incoming.messageId ?? '')?.[1] : undefined
    for (let i = 0; i < pieces.length; i++) {
      const payload: Record<string, unknown> = { chat_id: incoming.chatId, text: pieces[i] }
      // In a forum topic every piece stays in the topic, not only the first (which replies to the question).
      if (incoming.threadId) payload.message_thread_id = Number(incoming.threadId)
      if (i === 0 && replyTo) payload.reply_parameters = { message_id: Number(replyTo), allow_sending_without_reply: true }
      if (i === pieces.length - 1 && keyboard) payload.reply_markup = keyboard
      const ok = await this.sendWithRetry(payload, incoming.chatId, incoming.isGroup)
      if (!ok) return
    }
  }

  /**
   * Sends one piece of a reply through the outbound queue, which waits out 429s and retries transient
   * failures while the process lives; false when the reply was given up (blocked, refused, too old).
   */
  private async sendWithRetry(payload: Record<string, unknown>, chatId: string, isGroup: boolean): Promise<boolean> {
    try {
      await this.outbound.push({ chatId, isGroup, priority: 'reply', send: () => this.callWithTimeout('sendMessage', payload) })
      return true
    } catch (err) {
      const de = err instanceof DeliveryError ? err : toDeliveryError(err)
      if (de.kind === 'blocked') this.recordBlocked(chatId)
      else this.log.warn({ code: de.code, chatId }, 'reply not delivered')
      return false
    }
  }

  private async callWithTimeout(method: 'sendMessage' | 'getChatMember', payload: Record<string, unknown>): Promise<unknown> {
    const abort = new AbortController()
    const timer = setTimeout(() => abort.abort(), this.opts.sendTimeoutMs ?? 15_000)
    // Past the shutdown grace period a hanging request is given up too.
    const onHardStop = (): void => abort.abort()
    this.hardStop.signal.addEventListener('abort', onHardStop, { once: true })
    try {
      return await this.telegram.callApi(method, payload as never, { signal: abort.signal as never })
    } finally {
      clearTimeout(timer)
      this.hardStop.signal.removeEventListener('abort', onHardStop)
    }
  }

  private recordBlocked(chatId: string): void {
    const fresh = !this.blocked.has(chatId)
    this.blocked.add(chatId)
    if (fresh) {
      this.log.warn({ code: 'E_DELIVERY_BLOCKED', chatId }, 'user blocked the bot')
      try {
        this.opts.onBlocked?.(chatId)
      } catch (err) {
        this.log.warn({ code: errorCode(err) }, 'onBlocked failed')
      }
    }
  }
}

/** Builds the Telegram adapter. */
export function createTelegramAdapter(options: TelegramAdapterOptions): TelegramAdapter {
  return new TelegramAdapter(options)
}
