import { appendFileSync, existsSync, readFileSync } from 'node:fs'
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { EventEmitter } from 'node:events'

/**
 * A Telegram Bot API server on 127.0.0.1 (random port) for tests of real clients (telegraf): it speaks the
 * wire protocol (`POST /bot<token>/<method>`, JSON or form bodies, `{ok, result}` / `{ok:false, error_code,
 * description, parameters}`), keeps the update queue with offsets and long polling like the real server,
 * records every request, and can be scripted to fail.
 *
 * Faithful where clients notice: 401 for a wrong token, 404 for an unknown method, 409 for getUpdates while a
 * webhook is set or when a newer getUpdates call takes over, 400 for an empty or > 4096-character text and for
 * callback_data over 64 bytes, 429 with `parameters.retry_after`, 5xx with a status line, webhooks delivered
 * with `X-Telegram-Bot-Api-Secret-Token`.
 *
 * Fast enough for thousands of sendMessage calls a second; `sendCount(chatId)` counts per chat, `logFile`
 * appends every accepted message as a JSON line so that a crash test can count across restarts
 * (`readSentLog(file)`), and `limits` enforces Telegram's flood limits (1 msg/s per chat, 30 msg/s per bot).
 */

/** A Bot API update as the fake stores it (any JSON the test injects). */
export type FakeUpdate = { update_id: number } & Record<string, unknown>

/** One request the fake received. */
export interface RecordedRequest {
  method: string
  payload: Record<string, unknown>
  /** HTTP status the fake answered (0 while hanging). */
  status: number
  /** Milliseconds since the fake started. */
  at: number
}

/** One message the fake accepted (sendMessage and friends). */
export interface SentMessage {
  chatId: string
  messageId: number
  text: string
  /** `reply_markup` as sent, if any. */
  replyMarkup?: unknown
  at: number
}

/** A scripted answer for requests that match. */
export interface ScriptRule {
  /** Bot API method; absent matches every method. */
  method?: string
  /** Only requests for this chat_id. */
  chatId?: string | number
  /** How many matching requests to answer this way (default 1; Infinity for all). */
  times?: number
  /** What to answer. `hang` never answers (until the fake closes or the client gives up). */
  reply:
    | { kind: 'error'; status: number; description?: string; retryAfter?: number }
    | { kind: 'hang' }
    | { kind: 'drop' }
}

export interface FakeBotApiOptions {
  /** The token clients must use (default `123456:TEST-fake-token`). */
  token?: string
  /** The bot's own user (getMe). */
  bot?: { id?: number; username?: string; first_name?: string }
  /** Append every accepted message to this file as a JSON line (survives the fake's restart). */
  logFile?: string
  /**
   * Enforce Telegram's flood limits with 429 + retry_after: per chat (default 1 msg/s), per bot across all
   * chats (default 30 msg/s), per group (default 20 msg/min; groups have negative ids).
   */
  limits?: { perChatPerSecond?: number; perBotPerSecond?: number; perGroupPerMinute?: number }
  /** Time source for limits and message dates (ms); default Date.now. */
  now?: () => number
  /** Answer sendMessage to chats never seen in an update with 400 chat not found (default false). */
  knownChatsOnly?: boolean
  /** Chat ids that blocked the bot: sendMessage answers 403 (add more with `block`). */
  blocked?: Array<string | number>
  /** Milliseconds added before every answer (a slow link; limits are checked on arrival, as Telegram does). */
  latencyMs?: number
}

const MAX_TEXT = 4096

interface Waiter {
  offset: number
  limit: number
  res: ServerResponse
  timer: NodeJS.Timeout
  method: string
  payload: Record<string, unknown>
  entry: RecordedRequest
}

/** Bot API error answers, worded as Telegram words them. */
export const BOT_API_ERRORS = {
  unauthorized: { status: 401, description: 'Unauthorized' },
  notFound: { status: 404, description: 'Not Found' },
  blocked: { status: 403, description: 'Forbidden: bot was blocked by the user' },
  chatNotFound: { status: 400, description: 'Bad Request: chat not found' },
  emptyText: { status: 400, description: 'Bad Request: message text is empty' },
  tooLong: { status: 400, description: 'Bad Request: message is too long' },
  buttonData: { status: 400, description: 'Bad Request: BUTTON_DATA_INVALID' },
  webhookActive: { status: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" },
  terminated: { status: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' },
} as const

/** Reads the JSON lines a fake with `logFile` wrote (empty when the file is missing). */
export function readSentLog(file: string): SentMessage[] {
  if (!existsSync(file)) return []
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as SentMessage)
}

/** The fake server. `await FakeBotApi.start()`, point the client at `apiRoot`, `await fake.close()`. */
export class FakeBotApi extends EventEmitter {
  readonly token: string
  readonly botUser: { id: number; is_bot: true; first_name: string; username: string; can_join_groups: true; can_read_all_group_messages: false; supports_inline_queries: false }
  /** Every request, in arrival order. */
  readonly requests: RecordedRequest[] = []
  /** Every accepted message, in order. */
  readonly sent: SentMessage[] = []
  /** The commands set with setMyCommands (default scope). */
  commands: Array<{ command: string; description: string }> = []
  /** The webhook set with setWebhook, if any. */
  webhook: { url: string; secretToken?: string; allowedUpdates?: string[] } | undefined
  /** Callback queries answered: id → payload. */
  readonly answeredCallbacks = new Map<string, Record<string, unknown>>()

  private readonly server: Server
  private readonly options: FakeBotApiOptions
  private readonly now: () => number
  private readonly started: number
  private readonly queue: FakeUpdate[] = []
  private nextUpdateId = 100_000
  private nextMessageId = 1
  private readonly counts = new Map<string, number>()
  private readonly chats = new Map<string, Record<string, unknown>>()
  private readonly blockedChats = new Set<string>()
  private readonly rules: Array<ScriptRule & { left: number }> = []
  private waiter: Waiter | undefined
  private readonly hanging = new Set<ServerResponse>()
  private readonly lastSendToChat = new Map<string, number>()
  private readonly botWindow: number[] = []
  private readonly groupWindows = new Map<string, number[]>()
  private readonly webhookDeliveries: Promise<void>[] = []

  private constructor(options: FakeBotApiOptions) {
    super()
    this.setMaxListeners(0)
    this.options = options
    this.token = options.token ?? '123456:TEST-fake-token'
    this.now = options.now ?? Date.now
    this.started = Date.now()
    this.botUser = {
      id: options.bot?.id ?? (Number(this.token.split(':')[0]) || 123456),
      is_bot: true,
      first_name: options.bot?.first_name ?? '科普助手',
      username: options.bot?.username ?? 'kepu_test_bot',
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
    }
    for (const id of options.blocked ?? []) this.blockedChats.add(String(id))
    this.server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        if (!res.headersSent) this.answerError(res, 500, `Internal Server Error: ${err instanceof Error ? err.message : String(err)}`)
      })
    })
    this.server.keepAliveTimeout = 60_000
  }

  /** Starts a fake on 127.0.0.1 with a random port. */
  static async start(options: FakeBotApiOptions = {}): Promise<FakeBotApi> {
    const fake = new FakeBotApi(options)
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject)
      fake.server.listen(0, '127.0.0.1', () => resolve())
    })
    return fake
  }

  /** `http://127.0.0.1:<port>`: the client's apiRoot (TELEGRAM_API_ROOT). */
  get apiRoot(): string {
    const { port } = this.server.address() as AddressInfo
    return `http://127.0.0.1:${port}`
  }

  /** Stops listening; hanging and long-polling requests are cut. */
  async close(): Promise<void> {
    if (this.waiter) this.releaseWaiter([])
    for (const res of this.hanging) res.destroy()
    this.hanging.clear()
    await Promise.allSettled(this.webhookDeliveries)
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve())
      this.server.closeAllConnections()
    })
  }

  // ---- scripting ---------------------------------------------------------------------------------

  /** Answers the next matching requests as scripted (rules are tried in order). */
  script(rule: ScriptRule): this {
    this.rules.push({ ...rule, left: rule.times ?? 1 })
    return this
  }

  /** Shorthand: the next `times` sendMessage calls (to `chatId`, if given) get 429 with retry_after. */
  rateLimitNext(retryAfter: number, opts: { chatId?: string | number; times?: number; method?: string } = {}): this {
    return this.script({
      method: opts.method ?? 'sendMessage',
      chatId: opts.chatId,
      times: opts.times ?? 1,
      reply: { kind: 'error', status: 429, description: `Too Many Requests: retry after ${retryAfter}`, retryAfter },
    })
  }

  /** Marks a chat as having blocked the bot: sendMessage answers 403. */
  block(chatId: string | number): this {
    this.blockedChats.add(String(chatId))
    return this
  }

  /** Sets a user's status in a chat, as getChatMember reports it (creator, administrator, member, left …). */
  setChatMember(chatId: string | number, userId: number, status: string): this {
    this.members.set(`${chatId}:${userId}`, status)
    return this
  }

  /** Removes every scripted rule that is left. */
  clearScript(): this {
    this.rules.length = 0
    return this
  }

  // ---- updates -----------------------------------------------------------------------------------

  /**
   * Queues an update (an update_id is assigned unless given: giving one lets a test redeliver a duplicate).
   * A waiting getUpdates returns at once; with a webhook set, the update is POSTed to it instead.
   */
  pushUpdate(update: Record<string, unknown>): number {
    const full = { ...update, update_id: typeof update.update_id === 'number' ? update.update_id : this.nextUpdateId++ } as FakeUpdate
    if (full.update_id >= this.nextUpdateId) this.nextUpdateId = full.update_id + 1
    this.rememberChats(full)
    if (this.webhook) {
      this.webhookDeliveries.push(this.deliverToWebhook(full))
      return full.update_id
    }
    this.queue.push(full)
    if (this.waiter) {
      const ready = this.pending(this.waiter.offset, this.waiter.limit)
      if (ready.length) this.releaseWaiter(ready)
    }
    return full.update_id
  }

  /** Queues a text message from a user, private by default; returns the update_id. */
  pushText(opts: TextMessageOptions): number {
    return this.pushUpdate({ message: this.textMessage(opts) })
  }

  /** Builds a Bot API Message the way Telegram sends one (entities for @mentions and /commands included). */
  textMessage(opts: TextMessageOptions): Record<string, unknown> {
    const from = { id: opts.userId, is_bot: false, first_name: opts.firstName ?? `用户${opts.userId}`, language_code: 'zh-hans' }
    const chat = opts.chat
      ? { id: opts.chat.id, type: opts.chat.type ?? 'supergroup', title: opts.chat.title ?? '科普群' }
      : { id: opts.userId, type: 'private', first_name: from.first_name }
    const message: Record<string, unknown> = {
      message_id: this.nextMessageId++,
      from,
      chat,
      date: Math.floor(this.now() / 1000),
      text: opts.text,
    }
    const entities = entitiesOf(opts.text)
    if (entities.length) message.entities = entities
    if (opts.forwardFrom) {
      message.forward_origin = { type: 'hidden_user', sender_user_name: opts.forwardFrom, date: Math.floor(this.now() / 1000) - 60 }
    }
    if (opts.replyToBot) {
      message.reply_to_message = { message_id: Math.max(1, this.nextMessageId - 2), from: { ...this.botUser }, chat, date: Math.floor(this.now() / 1000) - 30, text: '…' }
    }
    return message
  }

  /** Queues a button press on a message the bot sent; returns the callback_query id. */
  pushCallback(opts: { userId: number; data: string; chat?: { id: number; type?: string }; messageId?: number }): string {
    const id = `cb${this.nextUpdateId}`
    const chat = opts.chat ? { id: opts.chat.id, type: opts.chat.type ?? 'supergroup', title: '科普群' } : { id: opts.userId, type: 'private', first_name: `用户${opts.userId}` }
    this.pushUpdate({
      callback_query: {
        id,
        from: { id: opts.userId, is_bot: false, first_name: `用户${opts.userId}` },
        chat_instance: `ci${chat.id}`,
        data: opts.data,
        message: { message_id: opts.messageId ?? 1, from: { ...this.botUser }, chat, date: Math.floor(this.now() / 1000), text: '…' },
      },
    })
    return id
  }

  /** Updates not yet confirmed by an offset. */
  get pendingUpdates(): number {
    return this.queue.length
  }

  // ---- what was received -------------------------------------------------------------------------

  /** Requests of one method, in order. */
  calls(method: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method)
  }

  /** Accepted messages to one chat (this run; see readSentLog for the file). */
  sentTo(chatId: string | number): SentMessage[] {
    const id = String(chatId)
    return this.sent.filter((m) => m.chatId === id)
  }

  /** How many messages were accepted for a chat. */
  sendCount(chatId: string | number): number {
    return this.counts.get(String(chatId)) ?? 0
  }

  /** Accepted message counts by chat id. */
  sendCounts(): ReadonlyMap<string, number> {
    return this.counts
  }

  /**
   * Resolves with the first request (already received or coming) that matches, or rejects after `timeoutMs`.
   * `from` skips requests before that index (e.g. `fake.requests.length` taken before acting).
   */
  waitFor(match: (r: RecordedRequest) => boolean, opts: { timeoutMs?: number; from?: number } = {}): Promise<RecordedRequest> {
    const seen = this.requests.slice(opts.from ?? 0).find(match)
    if (seen) return Promise.resolve(seen)
    return new Promise((resolve, reject) => {
      const onRequest = (r: RecordedRequest): void => {
        if (!match(r)) return
        clearTimeout(timer)
        this.off('request', onRequest)
        resolve(r)
      }
      const timer = setTimeout(() => {
        this.off('request', onRequest)
        reject(new Error(`fake-bot-api: no matching request within ${opts.timeoutMs ?? 5000} ms`))
      }, opts.timeoutMs ?? 5000)
      this.on('request', onRequest)
    })
  }

  /** Resolves when `count` messages were accepted in total (this run). */
  waitForSent(count: number, timeoutMs = 5000): Promise<void> {
    if (this.sent.length >= count) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const onSent = (): void => {
        if (this.sent.length < count) return
        clearTimeout(timer)
        this.off('sent', onSent)
        resolve()
      }
      const timer = setTimeout(() => {
        this.off('sent', onSent)
        reject(new Error(`fake-bot-api: ${this.sent.length} of ${count} messages within ${timeoutMs} ms`))
      }, timeoutMs)
      this.on('sent', onSent)
    })
  }

  // ---- HTTP --------------------------------------------------------------------------------------

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname)
    const body = await readBody(req)
    if (this.options.latencyMs) {
      // Half the round trip on the way in, half on the way out.
      await new Promise((r) => setTimeout(r, this.options.latencyMs! / 2))
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse
      res.end = ((...args: unknown[]) => {
        setTimeout(() => end(...args), this.options.latencyMs! / 2)
        return res
      }) as typeof res.end
    }
    if (!m) {
      this.answerError(res, 404, BOT_API_ERRORS.notFound.description)
      return
    }
    const [, token, methodRaw] = m
    const method = methodRaw!
    const payload = parsePayload(body, req.headers['content-type'], url.searchParams)
    const entry: RecordedRequest = { method, payload, status: 0, at: Date.now() - this.started }
    this.requests.push(entry)
    const done = (status: number): void => {
      entry.status = status
      this.emit('request', entry)
    }
    if (token !== this.token) {
      this.answerError(res, 401, BOT_API_ERRORS.unauthorized.description)
      return done(401)
    }
    const rule = this.matchRule(method, payload)
    if (rule) {
      if (rule.kind === 'hang') {
        this.hanging.add(res)
        res.on('close', () => this.hanging.delete(res))
        this.emit('request', entry)
        return
      }
      if (rule.kind === 'drop') {
        req.socket.destroy()
        return done(0)
      }
      this.answerError(res, rule.status, rule.description ?? defaultDescription(rule.status), rule.retryAfter)
      return done(rule.status)
    }
    const handler = this.methods[method.toLowerCase()]
    if (!handler) {
      this.answerError(res, 404, 'Not Found: method not found')
      return done(404)
    }
    const status = handler(payload, res, entry)
    if (status !== undefined) done(status)
  }

  private matchRule(method: string, payload: Record<string, unknown>): ScriptRule['reply'] | undefined {
    for (let i = 0; i < this.rules.length; i++) {
      const r = this.rules[i]!
      if (r.method && r.method.toLowerCase() !== method.toLowerCase()) continue
      if (r.chatId !== undefined && String(payload.chat_id) !== String(r.chatId)) continue
      r.left -= 1
      if (r.left <= 0) this.rules.splice(i, 1)
      return r.reply
    }
    return undefined
  }

  /** getChatMember answers: `chatId:userId` → status. */
  private readonly members = new Map<string, string>()

  /** Method handlers: return the status when answered synchronously, undefined when answering later. */
  private readonly methods: Record<string, (p: Record<string, unknown>, res: ServerResponse, entry: RecordedRequest) => number | undefined> = {
    getme: (_p, res) => this.ok(res, this.botUser),
    getchatmember: (p, res) => {
      const userId = Number(p.user_id)
      if (!Number.isSafeInteger(userId) || userId <= 0) return this.answerError(res, 400, 'Bad Request: invalid user_id specified')
      const status = this.members.get(`${String(p.chat_id)}:${userId}`)
      if (!status) return this.answerError(res, 400, 'Bad Request: user not found')
      return this.ok(res, { user: { id: userId, is_bot: false, first_name: 'U' }, status })
    },
    logout: (_p, res) => this.ok(res, true),
    close: (_p, res) => this.ok(res, true),
    getupdates: (p, res, entry) => this.getUpdates(p, res, entry),
    setwebhook: (p, res) => {
      const url = typeof p.url === 'string' ? p.url : ''
      if (!url) {
        this.webhook = undefined
        return this.ok(res, true)
      }
      if (!/^https?:\/\//.test(url)) return this.answerError(res, 400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook')
      const secret = typeof p.secret_token === 'string' ? p.secret_token : undefined
      if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) return this.answerError(res, 400, 'Bad Request: secret token contains unallowed characters')
      if (p.drop_pending_updates === true) this.queue.length = 0
      this.webhook = { url, ...(secret ? { secretToken: secret } : {}), ...(Array.isArray(p.allowed_updates) ? { allowedUpdates: p.allowed_updates as string[] } : {}) }
      if (this.waiter) this.failWaiter(BOT_API_ERRORS.webhookActive)
      // Updates queued before the webhook go to it, as Telegram does.
      for (const u of this.queue.splice(0)) this.webhookDeliveries.push(this.deliverToWebhook(u))
      return this.ok(res, true, 'Webhook was set')
    },
    deletewebhook: (p, res) => {
      const had = this.webhook !== undefined
      this.webhook = undefined
      if (p.drop_pending_updates === true) this.queue.length = 0
      return this.ok(res, true, had ? 'Webhook was deleted' : 'Webhook is already deleted')
    },
    getwebhookinfo: (_p, res) =>
      this.ok(res, { url: this.webhook?.url ?? '', has_custom_certificate: false, pending_update_count: this.queue.length, ...(this.webhook?.allowedUpdates ? { allowed_updates: this.webhook.allowedUpdates } : {}) }),
    setmycommands: (p, res) => {
      const cmds = parseMaybeJson(p.commands)
      if (!Array.isArray(cmds)) return this.answerError(res, 400, 'Bad Request: field "commands" must be an Array')
      for (const c of cmds as Array<Record<string, unknown>>) {
        if (typeof c.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command)) return this.answerError(res, 400, 'Bad Request: BOT_COMMAND_INVALID')
        if (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 256) return this.answerError(res, 400, 'Bad Request: BOT_COMMAND_DESCRIPTION_INVALID')
      }
      if (!p.scope) this.commands = cmds as Array<{ command: string; description: string }>
      return this.ok(res, true)
    },
    getmycommands: (_p, res) => this.ok(res, this.commands),
    deletemycommands: (_p, res) => {
      this.commands = []
      return this.ok(res, true)
    },
    answercallbackquery: (p, res) => {
      const id = String(p.callback_query_id ?? '')
      if (!id) return this.answerError(res, 400, 'Bad Request: query is too old and response timeout expired or query ID is invalid')
      this.answeredCallbacks.set(id, p)
      return this.ok(res, true)
    },
    sendchataction: (p, res) => {
      const bad = this.checkChat(p, res)
      return bad ?? this.ok(res, true)
    },
    sendmessage: (p, res) => this.sendMessage(p, res),
    editmessagereplymarkup: (p, res) => this.ok(res, true),
    editmessagetext: (p, res) => {
      const text = typeof p.text === 'string' ? p.text : ''
      if (!text.trim()) return this.answerError(res, 400, BOT_API_ERRORS.emptyText.description)
      if (text.length > MAX_TEXT) return this.answerError(res, 400, 'Bad Request: MESSAGE_TOO_LONG')
      return this.ok(res, true)
    },
  }

  private getUpdates(p: Record<string, unknown>, res: ServerResponse, entry: RecordedRequest): number | undefined {
    if (this.webhook) return this.answerError(res, BOT_API_ERRORS.webhookActive.status, BOT_API_ERRORS.webhookActive.description)
    const offsetRaw = Number(p.offset ?? 0)
    const limit = Math.min(100, Math.max(1, Number(p.limit ?? 100) || 100))
    const timeout = Math.max(0, Number(p.timeout ?? 0) || 0)
    // An offset confirms every update with a smaller id; a negative one keeps only the last |offset|.
    if (offsetRaw < 0) this.queue.splice(0, Math.max(0, this.queue.length + offsetRaw))
    else if (offsetRaw > 0) {
      const keep = this.queue.filter((u) => u.update_id >= offsetRaw)
      this.queue.length = 0
      this.queue.push(...keep)
    }
    const offset = offsetRaw < 0 ? 0 : offsetRaw
    if (this.waiter) this.failWaiter(BOT_API_ERRORS.terminated)
    const ready = this.pending(offset, limit)
    if (ready.length || timeout === 0) return this.ok(res, ready)
    const timer = setTimeout(() => this.releaseWaiter([]), timeout * 1000)
    this.waiter = { offset, limit, res, timer, method: 'getUpdates', payload: p, entry }
    res.on('close', () => {
      if (this.waiter?.res === res && !res.writableEnded) {
        clearTimeout(this.waiter.timer)
        this.waiter = undefined
      }
    })
    return undefined
  }

  private pending(offset: number, limit: number): FakeUpdate[] {
    return this.queue.filter((u) => u.update_id >= offset).slice(0, limit)
  }

  private releaseWaiter(updates: FakeUpdate[]): void {
    const w = this.waiter
    if (!w) return
    this.waiter = undefined
    clearTimeout(w.timer)
    if (w.res.destroyed) return
    this.ok(w.res, updates)
    w.entry.status = 200
    this.emit('request', w.entry)
  }

  private failWaiter(error: { status: number; description: string }): void {
    const w = this.waiter
    if (!w) return
    this.waiter = undefined
    clearTimeout(w.timer)
    if (w.res.destroyed) return
    this.answerError(w.res, error.status, error.description)
    w.entry.status = error.status
    this.emit('request', w.entry)
  }

  private checkChat(p: Record<string, unknown>, res: ServerResponse): number | undefined {
    const chatId = p.chat_id
    if (chatId === undefined || chatId === null || chatId === '') return this.answerError(res, 400, 'Bad Request: chat_id is empty')
    const id = String(chatId)
    if (!/^-?\d+$/.test(id) && !/^@\w+$/.test(id)) return this.answerError(res, 400, BOT_API_ERRORS.chatNotFound.description)
    if (this.options.knownChatsOnly && !this.chats.has(id)) return this.answerError(res, 400, BOT_API_ERRORS.chatNotFound.description)
    if (this.blockedChats.has(id)) return this.answerError(res, 403, BOT_API_ERRORS.blocked.description)
    return undefined
  }

  private sendMessage(p: Record<string, unknown>, res: ServerResponse): number {
    const bad = this.checkChat(p, res)
    if (bad !== undefined) return bad
    const chatId = String(p.chat_id)
    const text = typeof p.text === 'string' ? p.text : p.text === undefined ? '' : String(p.text)
    if (!text.trim()) return this.answerError(res, 400, BOT_API_ERRORS.emptyText.description)
    if (text.length > MAX_TEXT) return this.answerError(res, 400, BOT_API_ERRORS.tooLong.description)
    const markup = parseMaybeJson(p.reply_markup)
    if (markup !== undefined && !validMarkup(markup)) return this.answerError(res, 400, BOT_API_ERRORS.buttonData.description)
    const limited = this.floodCheck(chatId)
    if (limited) return this.answerError(res, 429, `Too Many Requests: retry after ${limited}`, limited)

    const messageId = this.nextMessageId++
    const at = this.now()
    const record: SentMessage = { chatId, messageId, text, at, ...(markup !== undefined ? { replyMarkup: markup } : {}) }
    this.sent.push(record)
    this.counts.set(chatId, (this.counts.get(chatId) ?? 0) + 1)
    if (this.options.logFile) appendFileSync(this.options.logFile, `${JSON.stringify(record)}\n`)
    const chat = this.chats.get(chatId) ?? (chatId.startsWith('-') ? { id: Number(chatId), type: 'supergroup', title: 'group' } : { id: Number(chatId), type: 'private', first_name: 'user' })
    const result: Record<string, unknown> = { message_id: messageId, from: { ...this.botUser }, chat, date: Math.floor(at / 1000), text }
    if (markup !== undefined) result.reply_markup = markup
    const status = this.ok(res, result)
    this.emit('sent', record)
    return status
  }

  /** Seconds to wait when a flood limit is hit, else 0. */
  private floodCheck(chatId: string): number {
    const limits = this.options.limits
    if (!limits) return 0
    const t = this.now()
    const perChat = limits.perChatPerSecond ?? 1
    const perBot = limits.perBotPerSecond ?? 30
    const last = this.lastSendToChat.get(chatId)
    if (last !== undefined && t - last < 1000 / perChat) return Math.max(1, Math.ceil((1000 / perChat - (t - last)) / 1000))
    while (this.botWindow.length && t - this.botWindow[0]! >= 1000) this.botWindow.shift()
    if (this.botWindow.length >= perBot) return 1
    let group: number[] | undefined
    if (chatId.startsWith('-')) {
      group = this.groupWindows.get(chatId) ?? []
      while (group.length && t - group[0]! >= 60_000) group.shift()
      if (group.length >= (limits.perGroupPerMinute ?? 20)) return Math.max(1, Math.ceil((60_000 - (t - group[0]!)) / 1000))
      this.groupWindows.set(chatId, group)
    }
    group?.push(t)
    this.botWindow.push(t)
    this.lastSendToChat.set(chatId, t)
    return 0
  }

  private rememberChats(update: FakeUpdate): void {
    for (const key of ['message', 'edited_message', 'channel_post', 'my_chat_member']) {
      const m = update[key] as { chat?: { id?: number } } | undefined
      if (m?.chat?.id !== undefined) this.chats.set(String(m.chat.id), m.chat as Record<string, unknown>)
    }
    const cq = update.callback_query as { message?: { chat?: { id?: number } } } | undefined
    if (cq?.message?.chat?.id !== undefined) this.chats.set(String(cq.message.chat.id), cq.message.chat as Record<string, unknown>)
  }

  private async deliverToWebhook(update: FakeUpdate): Promise<void> {
    const hook = this.webhook
    if (!hook) return
    const body = JSON.stringify(update)
    const url = new URL(hook.url)
    await new Promise<void>((resolve) => {
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: `${url.pathname}${url.search}`,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            ...(hook.secretToken ? { 'x-telegram-bot-api-secret-token': hook.secretToken } : {}),
          },
        },
        (res) => {
          res.resume()
          res.on('end', () => {
            this.emit('webhook', { update, status: res.statusCode ?? 0 })
            resolve()
          })
        },
      )
      req.on('error', () => {
        this.emit('webhook', { update, status: 0 })
        resolve()
      })
      req.end(body)
    })
  }

  private ok(res: ServerResponse, result: unknown, description?: string): number {
    send(res, 200, description ? { ok: true, result, description } : { ok: true, result })
    return 200
  }

  private answerError(res: ServerResponse, status: number, description: string, retryAfter?: number): number {
    const body: Record<string, unknown> = { ok: false, error_code: status, description }
    if (retryAfter !== undefined) body.parameters = { retry_after: retryAfter }
    send(res, status, body)
    return status
  }
}

/** What `pushText` / `textMessage` build. */
export interface TextMessageOptions {
  userId: number
  text: string
  firstName?: string
  /** A group chat (negative id); absent means the user's private chat. */
  chat?: { id: number; type?: 'group' | 'supergroup'; title?: string }
  /** Marks the message as forwarded (forward_origin, hidden user with this name). */
  forwardFrom?: string
  /** Makes the message a reply to one of the bot's messages. */
  replyToBot?: boolean
}

/** `mention` and `bot_command` entities, with offsets in UTF-16 code units as Telegram counts them. */
function entitiesOf(text: string): Array<{ type: string; offset: number; length: number }> {
  const out: Array<{ type: string; offset: number; length: number }> = []
  for (const m of text.matchAll(/(^|\s)(@[A-Za-z0-9_]{5,32})/g)) out.push({ type: 'mention', offset: m.index + m[1]!.length, length: m[2]!.length })
  const cmd = /^\/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{5,32})?/.exec(text)
  if (cmd) out.unshift({ type: 'bot_command', offset: 0, length: cmd[0].length })
  return out
}

function validMarkup(markup: unknown): boolean {
  if (!markup || typeof markup !== 'object') return false
  const kb = (markup as { inline_keyboard?: unknown }).inline_keyboard
  if (kb === undefined) return true
  if (!Array.isArray(kb)) return false
  for (const row of kb) {
    if (!Array.isArray(row)) return false
    for (const b of row as Array<Record<string, unknown>>) {
      if (typeof b.text !== 'string' || !b.text) return false
      if (b.callback_data !== undefined) {
        const n = Buffer.byteLength(String(b.callback_data))
        if (n < 1 || n > 64) return false
      }
    }
  }
  return true
}

function defaultDescription(status: number): string {
  if (status === 429) return 'Too Many Requests: retry after 1'
  if (status === 403) return BOT_API_ERRORS.blocked.description
  if (status === 401) return 'Unauthorized'
  if (status === 400) return 'Bad Request'
  if (status === 502) return 'Bad Gateway'
  if (status >= 500) return 'Internal Server Error'
  return 'Error'
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function parsePayload(body: string, contentType: string | undefined, query: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = Object.fromEntries(query)
  if (!body) return out
  if (contentType?.includes('application/json')) {
    try {
      const parsed = JSON.parse(body) as unknown
      if (parsed && typeof parsed === 'object') Object.assign(out, parsed)
    } catch {
      // A bad body is an empty payload, as the real server treats it.
    }
    return out
  }
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(body)) out[k] = v
  }
  return out
}

function parseMaybeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value
  try {
    return JSON.parse(value) as unknown
  } catch {
    return value
  }
}
