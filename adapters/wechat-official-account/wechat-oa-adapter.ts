import type { Adapter, IncomingHandler, Outgoing, SendReceipt } from '../../src/core/adapter.js'
import { systemClock, type Clock } from '../../src/core/clock.js'
import { DeliveryError, errorCode } from '../../src/core/errors.js'
import type { Incoming } from '../../src/core/incoming.js'
import { silentLogger, type Logger } from '../../src/core/logger.js'
import { msg } from '../../src/core/messages-zh.js'
import type { Reply } from '../../src/core/reply.js'
import type { HttpRoute } from '../../src/core/skill.js'
import { renderReply } from '../shared/render-text.js'
import { splitMessage } from '../shared/split-message.js'
import { abortableSleep, waitAll } from '../shared/wait.js'
import { WechatApiError, WechatOaApi } from './api-client.js'
import { callbackRoutes, type PassiveReply } from './callback-route.js'
import { OA_MESSAGES } from './messages.js'
import { ServiceWindow } from './service-window.js'
import { MemoryKeyValueCache, MemoryLease, MemoryUpdateDedup, type KeyValueCache, type Lease, type UpdateDedup } from './stores.js'
import { templateData, templateFor, type TemplateConfig } from './template-message.js'
import { toDeliveryError, WINDOW_CLOSED } from './to-delivery-error.js'
import { CHANNEL, toIncoming } from './to-incoming.js'
import type { WechatXml } from './xml.js'

export interface WechatOaAdapterOptions {
  /** WECHAT_OA_APPID, WECHAT_OA_SECRET, WECHAT_OA_TOKEN, WECHAT_OA_AES_KEY (optional), WECHAT_OA_API_ROOT. */
  appId: string
  secret: string
  token: string
  aesKey?: string | undefined
  apiRoot?: string
  /** The callback path on the HTTP server (default `/wechat/oa`). */
  path?: string
  logger?: Logger
  clock?: Clock
  /** Retried messages answered once, across replicas; default memory. */
  dedup?: UpdateDedup
  /** The access_token and the residents' 客服消息 windows, shared by replicas; default memory. */
  cache?: KeyValueCache
  /** One process refreshes the access_token at a time; default memory. */
  lease?: Lease
  /** 「转人工」 hands the conversation to the account's own customer-service staff (WECHAT_OA_KF_TRANSFER). */
  kfTransfer?: boolean
  /** Template per topic (or `alert`, `announcement`, `*`) for residents outside the 48-hour window. */
  templates?: Readonly<Record<string, TemplateConfig>>
  /** An answer not ready after this long is sent through 客服消息 instead (default 4000 ms; WeChat waits 5 s). */
  passiveBudgetMs?: number
  /** Wait before continuing a long answer through 客服消息, so that the passive part shows first (default 800 ms). */
  continueDelayMs?: number
  /** The longest piece of text in one message, in UTF-16 units (default 600: under 2 KB of UTF-8). */
  maxPieceChars?: number
  /** How long a message id is remembered against retries (default 10 minutes). */
  dedupTtlMs?: number
  /** How long `stop` waits for 客服消息 in flight (default 4000 ms). */
  stopGraceMs?: number
  /** Fetch the access_token at start, to report a wrong secret or a missing IP whitelist early (default true). */
  checkTokenOnStart?: boolean
  /** Waits; injected so that tests need not sleep. Must resolve early when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>
  /** Called when a resident unsubscribes (or WeChat says they no longer follow): no announcements for them. */
  onBlocked?: (openid: string) => void
  /** The API client (default: built from the options). */
  api?: WechatOaApi
}

const TIMEOUT: unique symbol = Symbol('timeout')

/**
 * A WeChat Official Account (服务号) through its official server API: WeChat POSTs each message to the
 * callback route; the answer goes back in the HTTP response (the passive reply, within 5 seconds), and
 * whatever does not fit (the rest of a long answer, an answer that took too long) follows through 客服消息
 * within the resident's 48-hour window. Announcements go through 客服消息 to residents inside their window
 * and through the topic's template message to everyone else. Stateless apart from three injected stores,
 * so any number of replicas can share one callback URL.
 */
export class WechatOaAdapter implements Adapter {
  readonly name = CHANNEL
  readonly api: WechatOaApi

  private readonly opts: WechatOaAdapterOptions
  private readonly log: Logger
  private readonly clock: Clock
  private readonly dedup: UpdateDedup
  private readonly window: ServiceWindow
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>
  private readonly pending = new Set<Promise<void>>()
  private readonly hardStop = new AbortController()
  private handler: IncomingHandler | undefined
  private running = false

  constructor(options: WechatOaAdapterOptions) {
    this.opts = options
    this.log = (options.logger ?? silentLogger).child({ adapter: CHANNEL })
    this.clock = options.clock ?? systemClock
    this.sleep = options.sleep ?? abortableSleep
    this.dedup = options.dedup ?? new MemoryUpdateDedup()
    const cache = options.cache ?? new MemoryKeyValueCache(() => this.clock.now().getTime())
    const lease: Lease = options.lease ?? new MemoryLease()
    this.api =
      options.api ??
      new WechatOaApi({ appId: options.appId, secret: options.secret, cache, lease, clock: this.clock, logger: this.log, ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}) })
    this.window = new ServiceWindow(cache, options.appId)
  }

  /** The callback URL's routes (GET verification, POST messages) on the one HTTP server. */
  routes(): HttpRoute[] {
    return callbackRoutes({
      path: this.opts.path ?? '/wechat/oa',
      token: this.opts.token,
      appId: this.opts.appId,
      aesKey: this.opts.aesKey,
      accept: (message) => this.accept(message),
      closed: () => !this.running,
      logger: this.log,
      now: () => this.clock.now().getTime(),
    })
  }

  async start(handler: IncomingHandler): Promise<void> {
    this.handler = handler
    this.running = true
    if (this.opts.checkTokenOnStart !== false) {
      this.track(
        this.api.accessToken().then(
          () => this.log.info({}, 'wechat-oa: access_token fetched'),
          (err: unknown) => this.log.error({ code: 'E_WECHAT_OA_TOKEN', errcode: err instanceof WechatApiError ? err.errcode : undefined, hint: tokenHint(err) }, 'wechat-oa: no access_token: replies work, 客服消息 and announcements do not'),
        ),
      )
    }
    this.log.info({ encrypted: Boolean(this.opts.aesKey) }, 'wechat-oa started')
  }

  /** Resolves when every 客服消息 started so far has been sent or given up (tests, shutdown). */
  async whenIdle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending])
  }

  async stop(): Promise<void> {
    if (!this.running) return
    this.running = false
    const drained = await waitAll(this.pending, this.opts.stopGraceMs ?? 4000)
    if (!drained) {
      this.log.warn({ code: 'E_SHUTDOWN_TIMEOUT', pending: this.pending.size }, '客服消息 still in flight at shutdown')
      this.hardStop.abort()
    }
    this.log.info({}, 'wechat-oa stopped')
  }

  /**
   * An announcement or alert: through 客服消息 when the resident wrote within 48 hours and the window's
   * quota covers every piece, else through the template configured for its topic. The receipt's `route`
   * says which (`custom` or `template`). Throws `DeliveryError` (see to-delivery-error.ts).
   */
  async send(message: Outgoing): Promise<SendReceipt> {
    const now = this.clock.now()
    const openid = message.chatId
    const pieces = splitMessage(message.text, this.opts.maxPieceChars ?? 600)
    if (!pieces.length) throw new DeliveryError('permanent', 'wechat-oa: send: empty text')
    if ((await this.window.left(openid, now)) >= pieces.length && (await this.window.take(openid, now, pieces.length)) === pieces.length) {
      let sent = 0
      try {
        for (const piece of pieces) {
          await this.api.sendCustomText(openid, piece)
          sent++
        }
        this.log.debug({ route: 'custom', pieces: sent }, 'wechat-oa: sent')
        return { route: 'custom' }
      } catch (err) {
        const closed = err instanceof WechatApiError && WINDOW_CLOSED.has(err.errcode)
        if (closed) await this.window.close(openid, now)
        if (sent > 0) {
          // Part of it arrived: resending would repeat that part, so it counts as sent.
          this.log.warn({ code: 'E_WECHAT_OA_PARTIAL', sent, pieces: pieces.length, errcode: err instanceof WechatApiError ? err.errcode : undefined }, 'wechat-oa: a message broke off after some of its parts')
          return { route: 'custom' }
        }
        if (!closed) {
          const de = toDeliveryError(err, now)
          if (de.kind === 'blocked') this.blocked(openid)
          throw de
        }
        // The window closed after all (another replica, or WeChat counts differently): the template it is.
      }
    }
    const template = templateFor(this.opts.templates ?? {}, message.topic, message.priority)
    if (!template) {
      throw new DeliveryError('permanent', `wechat-oa: send: the resident has not written within 48 hours and WECHAT_OA_TEMPLATES has no template for ${message.topic ?? message.priority ?? 'this message'} (nor "*")`)
    }
    try {
      const res = await this.api.sendTemplate({ touser: openid, template_id: template.id, ...(template.url ? { url: template.url } : {}), data: templateData(template, message.text, now, message.topic ?? '') })
      this.log.debug({ route: 'template' }, 'wechat-oa: sent')
      return { route: 'template', ...(res.msgid ? { messageId: res.msgid } : {}) }
    } catch (err) {
      const de = toDeliveryError(err, now)
      if (de.kind === 'blocked') this.blocked(openid)
      throw de
    }
  }

  // ---- receiving ---------------------------------------------------------------------------------

  /** One verified message: de-duplicated, mapped, answered passively in time, the rest through 客服消息. */
  private async accept(message: WechatXml): Promise<PassiveReply> {
    const mapped = toIncoming(message)
    if (mapped.kind === 'skip') {
      if (mapped.reason === 'not-a-message') this.log.warn({ code: 'E_WECHAT_OA_BODY' }, 'wechat-oa: message without sender, time or type')
      if (mapped.reason === 'unsubscribe' && mapped.openid) this.blocked(mapped.openid)
      return { kind: 'success' }
    }
    const now = this.clock.now()
    if (await this.isRetry(mapped.dedupId, now)) return { kind: 'success' }
    if (mapped.interacted) await this.window.opened(mapped.openid, now).catch((err: unknown) => this.log.warn({ code: errorCode(err) }, 'wechat-oa: window not recorded'))
    if (mapped.kind === 'fixed') return { kind: 'text', text: OA_MESSAGES[mapped.reply] }

    const greeting = mapped.greeting ? `${OA_MESSAGES.welcome}\n` : ''
    const answer = this.answer(mapped.incoming)
    const timer = new AbortController()
    const first: Reply | typeof TIMEOUT = await Promise.race([answer, this.sleep(this.opts.passiveBudgetMs ?? 4000, timer.signal).then((): typeof TIMEOUT => TIMEOUT)])
    timer.abort()
    if (first === TIMEOUT) {
      // Too slow for the passive reply: acknowledge now, and send the answer through 客服消息 when it comes.
      this.log.warn({ code: 'E_WECHAT_OA_SLOW' }, 'wechat-oa: answer not ready in time; it follows through 客服消息')
      this.track(answer.then((reply) => (reply.silent || !reply.text.trim() ? undefined : this.sendPieces(mapped.openid, splitMessage(greeting + renderReply(reply), this.opts.maxPieceChars ?? 600), false))))
      return { kind: 'success' }
    }
    const reply = first
    if (reply.silent || !reply.text.trim()) return { kind: 'success' }
    if (reply.handoff && this.opts.kfTransfer) {
      this.track(this.sendPieces(mapped.openid, [OA_MESSAGES.handoff], true))
      return { kind: 'transfer' }
    }
    const pieces = splitMessage(greeting + renderReply(reply), this.opts.maxPieceChars ?? 600)
    if (pieces.length > 1) this.track(this.sendPieces(mapped.openid, pieces.slice(1), true))
    return { kind: 'text', text: pieces[0]! }
  }

  /** The bot's reply; a bot that throws gives the friendly error text. */
  private async answer(incoming: Incoming): Promise<Reply> {
    try {
      if (!this.handler) throw new Error('wechat-oa: not started')
      return await this.handler(incoming)
    } catch (err) {
      this.log.error({ code: errorCode(err) }, 'bot failed on a message')
      return { text: msg('error'), answered: false, intent: 'none' }
    }
  }

  private async isRetry(id: string, now: Date): Promise<boolean> {
    try {
      const dup = await this.dedup.seen(CHANNEL, `${this.opts.appId}:${id}`, now, this.opts.dedupTtlMs ?? 10 * 60_000)
      if (dup) this.log.debug({ messageId: id }, 'wechat-oa: retried message answered once')
      return dup
    } catch (err) {
      // Better to answer twice than not at all.
      this.log.warn({ code: errorCode(err) }, 'wechat-oa: de-duplication unavailable')
      return false
    }
  }

  /**
   * Sends pieces through 客服消息 within the resident's quota, in order. `afterPassive`: wait a little
   * first, so that the passive reply (in the HTTP response) arrives before them.
   */
  private async sendPieces(openid: string, pieces: string[], afterPassive: boolean): Promise<void> {
    if (afterPassive) await this.sleep(this.opts.continueDelayMs ?? 800, this.hardStop.signal)
    const now = this.clock.now()
    const granted = await this.window.take(openid, now, pieces.length)
    if (granted < pieces.length) this.log.warn({ code: 'E_WECHAT_OA_QUOTA', pieces: pieces.length, granted }, 'wechat-oa: 客服消息 quota too small for the whole answer')
    for (const piece of pieces.slice(0, granted)) {
      if (this.hardStop.signal.aborted) return
      try {
        await this.api.sendCustomText(openid, piece)
      } catch (err) {
        if (err instanceof WechatApiError && WINDOW_CLOSED.has(err.errcode)) await this.window.close(openid, now)
        this.log.warn({ code: toDeliveryError(err, now).code, errcode: err instanceof WechatApiError ? err.errcode : undefined }, 'wechat-oa: 客服消息 not sent')
        return
      }
    }
  }

  private blocked(openid: string): void {
    try {
      this.opts.onBlocked?.(openid)
    } catch (err) {
      this.log.warn({ code: errorCode(err) }, 'wechat-oa: onBlocked failed')
    }
  }

  private track(p: Promise<void>): void {
    const t = p.catch((err: unknown) => this.log.warn({ code: errorCode(err) }, 'wechat-oa: background send failed')).finally(() => this.pending.delete(t))
    this.pending.add(t)
  }
}

/** What to tell the operator when the access_token cannot be had. */
function tokenHint(err: unknown): string | undefined {
  if (!(err instanceof WechatApiError)) return undefined
  if (err.errcode === 40164 || err.errcode === 61004) return "add this server's public IP to the IP whitelist (公众平台 → 设置与开发 → 基本配置)"
  if (err.errcode === 40013 || err.errcode === 40125 || err.errcode === 40001) return 'check WECHAT_OA_APPID and WECHAT_OA_SECRET'
  return undefined
}

/** Builds the WeChat Official Account adapter. */
export function createWechatOaAdapter(options: WechatOaAdapterOptions): WechatOaAdapter {
  return new WechatOaAdapter(options)
}
