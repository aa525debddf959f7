import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A WeChat Official Account server API on 127.0.0.1 (random port), for tests of the real client: the
 * access_token (`GET /cgi-bin/token`, `POST /cgi-bin/stable_token` with force_refresh), 客服消息 with the
 * 48-hour rule and its 5-message quota, template messages, the custom menu and permanent QR codes.
 * Answers like WeChat: HTTP 200 with `{errcode, errmsg}`; 40001 for an unknown or replaced token, 42001 for
 * an expired one, 45015 outside the window, 45047 over the quota, 40013/40125 for a wrong AppID/secret, and
 * any errcode on demand (`failNext`). Time is injected (`now`), so tests move it instead of sleeping.
 */

export interface FakeWechatApiOptions {
  appId: string
  secret: string
  /** Milliseconds since the epoch (default Date.now). */
  now?: () => number
  /** Seconds a token lives (default 7200). */
  tokenTtlS?: number
}

/** One request, with the access_token left out. */
export interface FakeWechatRequest {
  path: string
  body: Record<string, unknown>
  /** The errcode answered. */
  errcode: number
}

export interface CustomSent {
  touser: string
  content: string
  at: number
}

export interface TemplateSent {
  touser: string
  template_id: string
  url?: string
  data: Record<string, { value: string }>
  msgid: number
}

const WINDOW_MS = 48 * 3600_000
const QUOTA = 5

export class FakeWechatApi {
  readonly requests: FakeWechatRequest[] = []
  readonly custom: CustomSent[] = []
  readonly templates: TemplateSent[] = []
  readonly menus: unknown[] = []
  readonly qrcodes = new Map<string, string>()
  /** Every token call: which API and whether it forced a refresh. */
  readonly tokenCalls: { api: 'token' | 'stable_token'; force: boolean }[] = []

  private readonly now: () => number
  private readonly ttlMs: number
  private readonly tokens = new Map<string, { expiresAt: number; valid: boolean }>()
  private current: string | undefined
  private serial = 0
  private msgid = 1000
  private readonly windows = new Map<string, { since: number; used: number }>()
  private readonly failures: { path: string; errcode: number; times: number }[] = []

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly opts: FakeWechatApiOptions,
  ) {
    this.now = opts.now ?? Date.now
    this.ttlMs = (opts.tokenTtlS ?? 7200) * 1000
  }

  static async start(opts: FakeWechatApiOptions): Promise<FakeWechatApi> {
    const holder: { fake?: FakeWechatApi } = {}
    const server = createServer((req, res) => void holder.fake!.handle(req, res))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    holder.fake = new FakeWechatApi(server, `http://127.0.0.1:${port}`, opts)
    return holder.fake
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve())
      this.server.closeAllConnections()
    })
  }

  /** The resident wrote (or subscribed, or clicked): their 48-hour window opens with 5 messages. */
  userWrote(openid: string, at = this.now()): void {
    this.windows.set(openid, { since: at, used: 0 })
  }

  /** The next `times` calls to `path` answer `errcode`. */
  failNext(path: string, errcode: number, times = 1): void {
    this.failures.push({ path, errcode, times })
  }

  /** Every token issued so far stops working with 42001 (expired). */
  expireTokens(): void {
    for (const t of this.tokens.values()) t.expiresAt = Math.min(t.expiresAt, this.now())
  }

  /** Every token issued so far stops working with 40001 (as after someone's force_refresh). */
  revokeTokens(): void {
    for (const t of this.tokens.values()) t.valid = false
    this.current = undefined
  }

  /** The tokens issued, newest last (tests check that none reaches a log). */
  issuedTokens(): string[] {
    return [...this.tokens.keys()]
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake')
    let body: Record<string, unknown> = {}
    const raw = await new Promise<string>((resolve) => {
      let data = ''
      req.setEncoding('utf8')
      req.on('data', (c: string) => (data += c))
      req.on('end', () => resolve(data))
    })
    if (raw) {
      try {
        body = JSON.parse(raw) as Record<string, unknown>
      } catch {
        return this.answer(res, url.pathname, body, { errcode: 47001, errmsg: 'data format error' })
      }
    }
    const path = url.pathname
    const failure = this.failures.find((f) => f.path === path && f.times > 0)
    if (failure) {
      failure.times--
      return this.answer(res, path, body, { errcode: failure.errcode, errmsg: `scripted failure` })
    }
    if (path === '/cgi-bin/token' && req.method === 'GET') return this.answer(res, path, {}, this.issue(url.searchParams.get('appid'), url.searchParams.get('secret'), 'token', true))
    if (path === '/cgi-bin/stable_token' && req.method === 'POST') {
      return this.answer(res, path, { grant_type: body.grant_type, appid: body.appid, force_refresh: body.force_refresh }, this.issue(String(body.appid ?? ''), String(body.secret ?? ''), 'stable_token', body.force_refresh === true))
    }
    const auth = this.checkToken(url.searchParams.get('access_token'))
    if (auth) return this.answer(res, path, body, auth)
    switch (path) {
      case '/cgi-bin/message/custom/send':
        return this.answer(res, path, body, this.customSend(body))
      case '/cgi-bin/message/template/send': {
        if (typeof body.touser !== 'string' || typeof body.template_id !== 'string' || !body.template_id) return this.answer(res, path, body, { errcode: 40037, errmsg: 'invalid template_id' })
        const msgid = this.msgid++
        this.templates.push({ touser: body.touser, template_id: body.template_id, data: (body.data ?? {}) as TemplateSent['data'], msgid, ...(typeof body.url === 'string' ? { url: body.url } : {}) })
        return this.answer(res, path, body, { errcode: 0, errmsg: 'ok', msgid })
      }
      case '/cgi-bin/menu/create':
        if (!Array.isArray(body.button) || body.button.length === 0 || body.button.length > 3) return this.answer(res, path, body, { errcode: 40016, errmsg: 'invalid button size' })
        this.menus.push(body)
        return this.answer(res, path, body, { errcode: 0, errmsg: 'ok' })
      case '/cgi-bin/qrcode/create': {
        const scene = (body.action_info as { scene?: { scene_str?: unknown } } | undefined)?.scene?.scene_str
        if (body.action_name !== 'QR_LIMIT_STR_SCENE' || typeof scene !== 'string' || !scene || scene.length > 64) return this.answer(res, path, body, { errcode: 40097, errmsg: 'invalid args' })
        const ticket = this.qrcodes.get(scene) ?? `gQH47jwAAAAAAAAAAS5odHRwOi8vd2VpeGluLnFxLmNvbS9xLzAy${Buffer.from(scene).toString('base64url')}`
        this.qrcodes.set(scene, ticket)
        return this.answer(res, path, body, { ticket, url: `http://weixin.qq.com/q/02${Buffer.from(scene).toString('hex').slice(0, 16)}` })
      }
      default:
        res.writeHead(404).end()
    }
  }

  private issue(appid: string | null, secret: string | null, api: 'token' | 'stable_token', force: boolean): Record<string, unknown> {
    this.tokenCalls.push({ api, force })
    if (appid !== this.opts.appId) return { errcode: 40013, errmsg: 'invalid appid' }
    if (secret !== this.opts.secret) return { errcode: 40125, errmsg: 'invalid appsecret' }
    const now = this.now()
    const cur = this.current ? this.tokens.get(this.current) : undefined
    // The stable-token API hands the same token back while it is valid, unless asked to force a new one.
    if (api === 'stable_token' && !force && this.current && cur && cur.valid && cur.expiresAt > now) {
      return { access_token: this.current, expires_in: Math.round((cur.expiresAt - now) / 1000) }
    }
    if (cur) cur.valid = false
    const token = `FAKE_TOKEN_${++this.serial}_${Math.random().toString(36).slice(2, 10)}`
    this.tokens.set(token, { expiresAt: now + this.ttlMs, valid: true })
    this.current = token
    return { access_token: token, expires_in: this.ttlMs / 1000 }
  }

  private checkToken(token: string | null): Record<string, unknown> | undefined {
    const t = token ? this.tokens.get(token) : undefined
    if (!t || !t.valid) return { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' }
    if (t.expiresAt <= this.now()) return { errcode: 42001, errmsg: 'access_token expired' }
    return undefined
  }

  private customSend(body: Record<string, unknown>): Record<string, unknown> {
    const touser = body.touser
    const content = (body.text as { content?: unknown } | undefined)?.content
    if (typeof touser !== 'string' || body.msgtype !== 'text' || typeof content !== 'string' || !content) return { errcode: 44002, errmsg: 'empty post data' }
    if (Buffer.byteLength(content) > 2048) return { errcode: 45002, errmsg: 'content size out of limit' }
    const w = this.windows.get(touser)
    const now = this.now()
    if (!w || now - w.since >= WINDOW_MS) return { errcode: 45015, errmsg: 'response out of time limit or subscription is canceled' }
    if (w.used >= QUOTA) return { errcode: 45047, errmsg: 'out of response count limit' }
    w.used++
    this.custom.push({ touser, content, at: now })
    return { errcode: 0, errmsg: 'ok' }
  }

  private answer(res: ServerResponse, path: string, body: Record<string, unknown>, out: Record<string, unknown>): void {
    const { secret: _secret, ...safe } = body
    this.requests.push({ path, body: safe, errcode: Number(out.errcode ?? 0) })
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(out))
  }
}
