import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Writable } from 'node:stream'
import QRCode from 'qrcode'
import { ScanStatus, WechatyBuilder, log as wechatyLog, types, type Wechaty } from 'wechaty'
import type { ContactInterface, MessageInterface, RoomInterface } from 'wechaty/impls'
import type { Adapter, IncomingHandler, Outgoing, SendReceipt } from '../../src/core/adapter.js'
import { DeliveryError, KepuError, errorCode } from '../../src/core/errors.js'
import type { Incoming } from '../../src/core/incoming.js'
import { silentLogger, type Logger } from '../../src/core/logger.js'
import { msg } from '../../src/core/messages-zh.js'
import type { Reply } from '../../src/core/reply.js'
import { renderReply } from '../shared/render-text.js'
import { splitMessage } from '../shared/split-message.js'
import { abortableSleep, waitAll } from '../shared/wait.js'
import { mentionPrefix, toIncoming, type WechatMessagePayload } from './to-incoming.js'

/** The longest piece sent as one WeChat message (WeChat folds longer texts awkwardly). */
export const WECHAT_MAX_TEXT = 2000

/** A puppet: its npm name (loaded by wechaty) or an instance (tests pass wechaty-puppet-mock). */
type PuppetChoice = string | NonNullable<Extract<Parameters<typeof WechatyBuilder.build>[0], { puppet?: object }>['puppet']>

export interface WechatAdapterOptions {
  /** WECHATY_PUPPET: `wechaty-puppet-wechat4u`, `wechaty-puppet-service`, `wechaty-puppet-padlocal` … or an instance. */
  puppet: PuppetChoice
  /** Passed to the puppet: `{ token }` for puppet-service / padlocal, `{ endpoint }`, `{ tls: { disable: true } }`. */
  puppetOptions?: Record<string, unknown>
  /** The wechaty name; its memory card (the login session) is saved as `<name>.memory-card.json`. */
  name?: string
  /** Minimum gap between two outgoing messages (WECHAT_SEND_INTERVAL_MS, default 1500). */
  sendIntervalMs?: number
  /** Words that address the bot in a room when they start a message (WECHAT_KEYWORDS). */
  keywords?: readonly string[]
  /** Room topic → region name (WECHAT_ROOM_REGIONS). */
  roomRegions?: Readonly<Record<string, string>>
  /** How long `stop` waits for replies in flight (default 4000 ms). */
  stopGraceMs?: number
  /** Where the login QR code is drawn (default stderr, the terminal of `kepu serve`). */
  qrOutput?: Writable
  logger?: Logger
  /** Waits; injected so that tests can watch the pacing. Must resolve early when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>
}

/**
 * WeChat through wechaty with the configured puppet: private chats are always answered, rooms when the bot
 * is @-mentioned or a keyword starts the message; a room's topic may fix the region. Every outgoing message
 * goes through one paced queue so that WeChat does not answer 「操作过于频繁」 and flag the account.
 */
export class WechatAdapter implements Adapter {
  readonly name = 'wechat'
  private readonly opts: WechatAdapterOptions
  private readonly log: Logger
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>
  private bot: Wechaty | undefined
  private handler: IncomingHandler | undefined
  private stopping = false
  private startedAt = 0
  private readonly inflight = new Set<Promise<void>>()
  private readonly hardStop = new AbortController()
  private sendChain: Promise<void> = Promise.resolve()
  private lastSendAt = 0

  constructor(options: WechatAdapterOptions) {
    this.opts = options
    this.log = (options.logger ?? silentLogger).child({ adapter: 'wechat' })
    this.sleep = options.sleep ?? abortableSleep
  }

  /** The running wechaty (after start), for tools and tests. */
  get wechaty(): Wechaty | undefined {
    return this.bot
  }

  /** Starts wechaty. Resolves once the puppet runs; login (the QR scan) may come later. */
  async start(handler: IncomingHandler): Promise<void> {
    if (this.bot) throw new KepuError('E_ADAPTER_STATE', 'wechat: already started')
    this.handler = handler
    this.startedAt = Date.now()
    // wechaty's own log (stderr) may quote messages at info level; WECHATY_LOG=info brings it back.
    if (!process.env.WECHATY_LOG) wechatyLog.level('warn')
    if (this.opts.name?.includes('/')) mkdirSync(dirname(this.opts.name), { recursive: true })
    const bot = WechatyBuilder.build({
      name: this.opts.name ?? 'kepu-bot',
      puppet: this.opts.puppet as never,
      ...(this.opts.puppetOptions ? { puppetOptions: this.opts.puppetOptions } : {}),
    })
    this.bot = bot
    bot.on('scan', (qrcode: string, status: ScanStatus) => this.onScan(qrcode, status))
    bot.on('login', (user: ContactInterface) => this.log.info({ account: user.name() ? 'set' : 'unnamed' }, 'wechat logged in'))
    bot.on('logout', () => this.log.warn({ code: 'E_WECHAT_LOGOUT' }, 'wechat logged out: scan the QR code again'))
    bot.on('error', (err: unknown) => this.log.warn({ code: errorCode(err), err: err instanceof Error ? err.name : typeof err }, 'wechaty error'))
    bot.on('message', (message: MessageInterface) => {
      if (this.stopping) return
      const job = this.onMessage(message).catch((err: unknown) => {
        this.log.error({ code: errorCode(err) }, 'wechat message failed')
      })
      this.inflight.add(job)
      void job.finally(() => this.inflight.delete(job))
    })
    try {
      await bot.start()
    } catch (err) {
      this.bot = undefined
      throw new KepuError('E_WECHAT_START', `wechat: the puppet ${typeof this.opts.puppet === 'string' ? this.opts.puppet : 'instance'} did not start (is it installed and its token set?)`, { cause: err })
    }
    this.log.info({ puppet: typeof this.opts.puppet === 'string' ? this.opts.puppet : 'instance' }, 'wechat started')
  }

  async stop(): Promise<void> {
    if (!this.bot) return
    this.stopping = true
    const drained = await waitAll(this.inflight, this.opts.stopGraceMs ?? 4000)
    if (!drained) {
      this.log.warn({ code: 'E_SHUTDOWN_TIMEOUT', pending: this.inflight.size }, 'wechat replies still in flight at shutdown')
      this.hardStop.abort()
    }
    const bot = this.bot
    this.bot = undefined
    // Some puppets take long to log off; do not let that hold the shutdown.
    await Promise.race([bot.stop().catch(() => {}), new Promise((r) => setTimeout(r, 1500).unref())])
    this.log.info({}, 'wechat stopped')
  }

  /** Sends one message (announcements) through the paced queue. */
  async send(message: Outgoing): Promise<SendReceipt> {
    const bot = this.bot
    if (!bot || !bot.isLoggedIn) throw new DeliveryError('transient', 'wechat: not logged in')
    let target: RoomInterface | ContactInterface | undefined
    try {
      target = message.isGroup === false ? undefined : await bot.Room.find({ id: message.chatId })
      if (!target && message.isGroup !== true) target = await bot.Contact.find({ id: message.chatId })
    } catch (err) {
      throw new DeliveryError('transient', 'wechat: lookup failed', { cause: err })
    }
    if (!target) throw new DeliveryError('permanent', 'wechat: no such contact or room')
    let last: string | undefined
    for (const piece of splitMessage(message.text, WECHAT_MAX_TEXT)) {
      try {
        const sent = await this.paced(() => target.say(piece))
        last = sent && typeof sent === 'object' && 'id' in sent ? String(sent.id) : last
      } catch (err) {
        // WeChat does not tell whether a failed say reached the phone.
        throw new DeliveryError('in_doubt', 'wechat: say failed', { cause: err })
      }
    }
    return last ? { messageId: last } : {}
  }

  private async onMessage(message: MessageInterface): Promise<void> {
    const bot = this.bot
    if (!bot || !bot.isLoggedIn) return
    const payload = message.payload as WechatMessagePayload | undefined
    if (!payload) return
    const talker = message.talker()
    const room = message.room()
    const self = bot.currentUser
    const mapped = toIncoming(payload, {
      self: { id: self.id, name: self.name() },
      talker: { name: talker.name(), official: talker.type() === types.Contact.Official },
      ...(room ? { roomTopic: await room.topic() } : {}),
      keywords: this.opts.keywords ?? [],
      roomRegions: this.opts.roomRegions ?? {},
      // History the puppet replays at login is not answered.
      notBefore: this.startedAt - 60_000,
    })
    if (mapped.kind === 'skip') return
    const reply = await this.ask(mapped.incoming)
    if (reply.silent || !reply.text.trim()) return
    const text = renderReply(reply)
    // In a room the reply @-mentions the asker by a clipped name (mentionPrefix), with the mention list so
    // WeChat still notifies them; wechaty's own room.say(text, contact) would put the full name in.
    const mention = room ? mentionPrefix((await room.alias(talker).catch(() => undefined)) || talker.name()) : ''
    for (const piece of splitMessage(text, WECHAT_MAX_TEXT)) {
      try {
        if (room) await this.paced(() => bot.puppet.messageSendText(room.id, `${mention}${piece}`, [talker.id]))
        else await this.paced(() => talker.say(piece))
      } catch (err) {
        this.log.warn({ code: errorCode(err), err: err instanceof Error ? err.name : typeof err }, 'wechat reply not delivered')
        return
      }
    }
  }

  private async ask(incoming: Incoming): Promise<Reply> {
    try {
      return await this.handler!(incoming)
    } catch (err) {
      this.log.error({ code: errorCode(err) }, 'bot failed on a wechat message')
      return { text: msg('error'), answered: false, intent: 'none' }
    }
  }

  /** Runs sends one at a time, at least `sendIntervalMs` apart. */
  private paced<T>(fn: () => Promise<T>): Promise<T> {
    const gap = this.opts.sendIntervalMs ?? 1500
    const run = this.sendChain.then(async () => {
      const wait = this.lastSendAt + gap - Date.now()
      if (wait > 0) await this.sleep(wait, this.hardStop.signal)
      this.lastSendAt = Date.now()
      return fn()
    })
    this.sendChain = run.then(
      () => {},
      () => {},
    )
    return run
  }

  private onScan(qrcode: string, status: ScanStatus): void {
    if (status !== ScanStatus.Waiting && status !== ScanStatus.Timeout) {
      this.log.info({ status: ScanStatus[status] }, 'wechat scan')
      return
    }
    const out = this.opts.qrOutput ?? process.stderr
    QRCode.toString(qrcode, { type: 'terminal', small: true })
      .then((art: string) => {
        out.write(`\n用微信扫描下面的二维码登录科普助手（${ScanStatus[status]}）：\n${art}\n`)
      })
      .catch(() => {
        out.write(`\n用微信扫描二维码登录：https://wechaty.js.org/qrcode/${encodeURIComponent(qrcode)}\n`)
      })
  }
}

/** Builds the WeChat adapter. */
export function createWechatAdapter(options: WechatAdapterOptions): WechatAdapter {
  return new WechatAdapter(options)
}
