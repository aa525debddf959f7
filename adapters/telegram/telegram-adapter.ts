import { timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Telegram } from 'telegraf'
import type { Adapter, IncomingHandler, Outgoing, SendReceipt } from '../../src/core/adapter.js'
import { ConfigError, DeliveryError, KepuError, errorCode } from '../../src/core/errors.js'
import type { Incoming } from '../../src/core/incoming.js'
import { silentLogger, type Logger } from '../../src/core/logger.js'
import { msg } from '../../src/core/messages-zh.js'
import type { Reply } from '../../src/core/reply.js'
import { SLASH_COMMANDS } from '../shared/slash-commands.js'
import { splitMessage } from '../shared/split-message.js'
import { abortableSleep, waitAll } from '../shared/wait.js'
import { toDeliveryError } from './to-delivery-error.js'
import { toIncoming, type BotIdentity, type MappedUpdate, type TgUpdate } from './to-incoming.js'

/** Webhook mode: Telegram POSTs updates to `url`, which must reach `host:port` + `path`. */
export interface TelegramWebhookOptions {
  /** The public https URL registered with setWebhook. */
  url: string
  /** Sent back by Telegram in X-Telegram-Bot-Api-Secret-Token; requests without it are refused. */
  secret: string
  /** Where the local HTTP server listens (default 0.0.0.0:8443). */
  host?: string
  port?: number
  /** The path the server answers on (default: the URL's path). */
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
  /** The longest retry_after the reply path waits out (default 60 s); longer ones drop that reply. */
  maxRetryAfterS?: number
  /** How long `stop` waits for replies in flight (default 4000 ms). */
  stopGraceMs?: number
  /** Registers the slash commands with setMyCommands on start (default true). */
  setCommands?: boolean
  /** Called when a user blocks the bot (a 403 on send or a my_chat_member update). */
  onBlocked?: (chatId: string) => void
  /** Waits; injected so that unit tests need not sleep. Must resolve early when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>
}

/** Updates the bot asks for: messages, button presses, and membership changes (to notice blocks). */
export const ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const

const MAX_CALLBACK_BYTES = 64
const SEEN_UPDATES = 2048
const CALLBACK_VALUES = 2048
const BODY_LIMIT = 1 << 20

/**
 * Telegram through the real telegraf client (its `Telegram` API class): long polling or a webhook with
 * secret-token verification, slash commands, inline keyboards for choices, long replies split on sentence
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
  private readonly chains = new Map<string, Promise<void>>()
  private readonly inflight = new Set<Promise<void>>()
  private readonly callbackValues = new Map<string, string>()
  private nextCallbackKey = 1
  private server: Server | undefined

  constructor(options: TelegramAdapterOptions) {
    this.opts = options
    this.log = (options.logger ?? silentLogger).child({ adapter: 'telegram' })
    this.sleep = options.sleep ?? abortableSleep
    this.telegram = new Telegram(options.token, { apiRoot: options.apiRoot ?? 'https://api.telegram.org' })
  }

  /** The bot's identity (after start). */
  get identity(): BotIdentity | undefined {
    return this.me
  }

  /** The webhook server's local port (after start in webhook mode). */
  get webhookPort(): number | undefined {
    const addr = this.server?.address() as AddressInfo | null | undefined
    return addr?.port
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
    if (this.opts.webhook) await this.startWebhook(this.opts.webhook)
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
    const server = this.server
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve()
    await this.pollLoop?.catch(() => {})
    const grace = this.opts.stopGraceMs ?? 4000
    const drained = await waitAll(this.inflight, grace)
    if (!drained) {
      this.log.warn({ code: 'E_SHUTDOWN_TIMEOUT', pending: this.inflight.size }, 'replies still in flight at shutdown')
      this.hardStop.abort()
      await waitAll(this.inflight, 500)
    }
    if (!this.opts.webhook && this.offset > 0) {
      // Confirm what was handled, so that a restart does not answer it again.
      await this.telegram.callApi('getUpdates', { offset: this.offset, limit: 1, timeout: 0 } as never).catch(() => {})
    }
    server?.closeAllConnections()
    await closed
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
        const sent = await this.callWithTimeout('sendMessage', { chat_id: message.chatId, text })
        messageId = String((sent as { message_id?: number }).message_id ?? '')
      } catch (err) {
        const de = toDeliveryError(err)
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

  private async startWebhook(hook: TelegramWebhookOptions): Promise<void> {
    const path = hook.path ?? (new URL(hook.url).pathname || '/')
    const secret = Buffer.from(hook.secret)
    this.server = createServer((req, res) => this.onWebhook(req, res, path, secret))
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject)
      this.server!.listen(hook.port ?? 8443, hook.host ?? '0.0.0.0', () => resolve())
    })
    await this.telegram.setWebhook(hook.url, { secret_token: hook.secret, allowed_updates: [...ALLOWED_UPDATES] })
  }

  private onWebhook(req: IncomingMessage, res: ServerResponse, path: string, secret: Buffer): void {
    const end = (status: number): void => {
      res.writeHead(status, { 'content-type': 'text/plain' }).end()
    }
    if (new URL(req.url ?? '/', 'http://x').pathname !== path) return end(404)
    if (req.method !== 'POST') return end(405)
    const given = Buffer.from(String(req.headers['x-telegram-bot-api-secret-token'] ?? ''))
    if (given.length !== secret.length || !timingSafeEqual(given, secret)) {
      this.log.warn({ code: 'E_WEBHOOK_SECRET' }, 'webhook request without the right secret token')
      req.resume()
      return end(401)
    }
    if (this.stopping) {
      // Telegram retries later: the next instance gets it.
      req.resume()
      return end(503)
    }
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > BODY_LIMIT) req.destroy()
      else chunks.push(c)
    })
    req.on('end', () => {
      let update: TgUpdate
      try {
        update = JSON.parse(Buffer.concat(chunks).toString('utf8')) as TgUpdate
      } catch {
        this.log.warn({ code: 'E_WEBHOOK_BODY' }, 'webhook body is not JSON')
        return end(400)
      }
      // Answer at once: Telegram waits for nothing and redelivers on a slow answer (dropped as duplicates).
      end(200)
      if (update && typeof update.update_id === 'number') this.accept(update)
    })
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
      const value = this.callbackValues.get(incoming.text)
      if (value !== undefined) incoming.text = value
    }
    const chatId = incoming.chatId
    const previous = this.chains.get(chatId) ?? Promise.resolve()
    // A failed job must not poison the chat's queue: it is logged and the next message goes ahead.
    const job = previous.then(() => this.respond(incoming)).catch((err: unknown) => {
      this.log.error({ code: errorCode(err), chatId }, 'reply failed')
    })
    this.chains.set(chatId, job)
    this.inflight.add(job)
    void job.finally(() => {
      this.inflight.delete(job)
      if (this.chains.get(chatId) === job) this.chains.delete(chatId)
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
    const keyboard = this.keyboard(reply)
    const replyTo = incoming.isGroup ? /:(\d+)$/.exec(incoming.messageId ?? '')?.[1] : undefined
    for (let i = 0; i < pieces.length; i++) {
      const payload: Record<string, unknown> = { chat_id: incoming.chatId, text: pieces[i] }
      // In a forum topic every piece stays in the topic, not only the first (which replies to the question).
      if (incoming.threadId) payload.message_thread_id = Number(incoming.threadId)
      if (i === 0 && replyTo) payload.reply_parameters = { message_id: Number(replyTo), allow_sending_without_reply: true }
      if (i === pieces.length - 1 && keyboard) payload.reply_markup = keyboard
      const ok = await this.sendWithRetry(payload, incoming.chatId)
      if (!ok) return
    }
  }

  /** Sends, waiting out 429s and retrying transient failures; false when the reply was given up. */
  private async sendWithRetry(payload: Record<string, unknown>, chatId: string): Promise<boolean> {
    const maxWait = (this.opts.maxRetryAfterS ?? 60) * 1000
    for (let attempt = 1; ; attempt++) {
      try {
        await this.callWithTimeout('sendMessage', payload)
        return true
      } catch (err) {
        const de = toDeliveryError(err)
        if (de.kind === 'blocked') {
          this.recordBlocked(chatId)
          return false
        }
        const wait =
          de.kind === 'rate_limited' && (de.retryAfterMs ?? 0) <= maxWait && attempt <= 5
            ? (de.retryAfterMs ?? 1000)
            : de.kind === 'transient' && attempt <= 3
              ? 500 * 2 ** (attempt - 1)
              : undefined
        if (wait === undefined || this.hardStop.signal.aborted) {
          this.log.warn({ code: de.code, chatId, attempt }, 'reply not delivered')
          return false
        }
        this.log.info({ code: de.code, chatId, waitMs: wait }, 'reply delayed')
        await this.sleep(wait, this.hardStop.signal)
        if (this.hardStop.signal.aborted) return false
      }
    }
  }

  private async callWithTimeout(method: 'sendMessage', payload: Record<string, unknown>): Promise<unknown> {
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

  /** Choices as an inline keyboard, plus a 「更多」 button when the reply says it has more (`hasMore`). */
  private keyboard(reply: Reply): { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> } | undefined {
    const buttons = (reply.choices ?? []).map((c) => ({ text: c.label.slice(0, 64) || c.value.slice(0, 64), callback_data: this.callbackData(c.value) }))
    if (reply.hasMore && !buttons.some((b) => b.callback_data === '更多')) buttons.push({ text: '更多', callback_data: '更多' })
    if (!buttons.length) return undefined
    const perRow = buttons.every((b) => b.text.length <= 6) ? 3 : buttons.every((b) => b.text.length <= 12) ? 2 : 1
    const rows: Array<Array<{ text: string; callback_data: string }>> = []
    for (let i = 0; i < buttons.length; i += perRow) rows.push(buttons.slice(i, i + perRow))
    return { inline_keyboard: rows }
  }

  /** The value itself when it fits Telegram's 64 bytes, else a short key remembered for the press. */
  private callbackData(value: string): string {
    if (Buffer.byteLength(value) <= MAX_CALLBACK_BYTES && !value.startsWith('#')) return value
    const key = `#${this.nextCallbackKey++}`
    this.callbackValues.set(key, value)
    if (this.callbackValues.size > CALLBACK_VALUES) this.callbackValues.delete(this.callbackValues.keys().next().value!)
    return key
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
