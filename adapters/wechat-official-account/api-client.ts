import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { systemClock, type Clock } from '../../src/core/clock.js'
import { silentLogger, type Logger } from '../../src/core/logger.js'
import { MemoryKeyValueCache, MemoryLease, type KeyValueCache, type Lease } from './stores.js'

/**
 * The WeChat Official Account server API (`https://api.weixin.qq.com/cgi-bin/…`): the access_token from
 * the stable-token API, 客服消息, template messages, the custom menu and QR codes. Thin: JSON in, JSON out,
 * `errcode` turned into `WechatApiError`. The access_token is never logged and never put in an error
 * message (it travels only in the request URL, which is never logged either).
 */

/** The platform refused a call (`errcode` ≠ 0). The message names the path and the code, nothing else. */
export class WechatApiError extends Error {
  override readonly name = 'WechatApiError'
  constructor(
    readonly path: string,
    readonly errcode: number,
    errmsg: string,
  ) {
    // errmsg may echo parts of the request (an openid, a hint with a rid): keep it short.
    super(`wechat-oa: ${path}: ${errcode} ${errmsg.replace(/access_token=\S+/g, 'access_token=[redacted]').slice(0, 100)}`)
  }
}

/** The call did not get an answer: `sent` says whether the request may have reached WeChat. */
export class WechatNetworkError extends Error {
  override readonly name = 'WechatNetworkError'
  constructor(
    readonly path: string,
    readonly sent: boolean,
    what: string,
    options?: { cause?: unknown },
  ) {
    super(`wechat-oa: ${path}: ${what}`, options)
  }
}

/** errcodes that mean "this access_token is not (or no longer) valid": refresh once and retry. */
export const TOKEN_ERRORS = new Set([40001, 40014, 42001])

/** Failures where the request never left this machine: safe to retry. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'])

export interface WechatOaApiOptions {
  appId: string
  secret: string
  /** Default https://api.weixin.qq.com (tests point it at a loopback fake). */
  apiRoot?: string
  /** Where the access_token is kept (shared by replicas); default memory. */
  cache?: KeyValueCache
  /** Who may refresh the access_token (one process at a time); default memory. */
  lease?: Lease
  clock?: Clock
  logger?: Logger
  /** Milliseconds a call may take (default 10 000). */
  timeoutMs?: number
  /** This process's name in the lease (default host:pid:random). */
  holder?: string
  /** Refresh this long before the token expires (default 5 minutes). */
  refreshMarginMs?: number
}

/** The access_token as cached: JSON of this. */
interface CachedToken {
  token: string
  /** Milliseconds since the epoch. */
  expiresAt: number
  /** When the stable-token API last handed this token back (it does so, unchanged, until it expires). */
  checkedAt?: number
}

/** A message template's data: `{ thing1: { value: '…' } }`. */
export type TemplateData = Record<string, { value: string }>

/** A template message (公众号模板消息). */
export interface TemplateMessage {
  touser: string
  template_id: string
  url?: string
  data: TemplateData
}

/** A permanent QR code. */
export interface QrCode {
  ticket: string
  /** What the QR code encodes (a weixin.qq.com URL). */
  url: string
  /** The image, for printing: showqrcode with the ticket. */
  imageUrl: string
}

const LEASE_TTL_MS = 30_000
/** A token this close to expiry is not used: transit time and clock skew. */
const SAFETY_MS = 30_000
/** How often a token near expiry is asked about again. */
const RECHECK_MS = 60_000

export class WechatOaApi {
  private readonly root: string
  private readonly cache: KeyValueCache
  private readonly lease: Lease
  private readonly clock: Clock
  private readonly log: Logger
  private readonly holder: string
  private readonly cacheKey: string
  private readonly leaseName: string
  private inflight: Promise<string> | undefined

  constructor(private readonly opts: WechatOaApiOptions) {
    this.root = (opts.apiRoot ?? 'https://api.weixin.qq.com').replace(/\/+$/, '')
    this.clock = opts.clock ?? systemClock
    this.cache = opts.cache ?? new MemoryKeyValueCache(() => this.clock.now().getTime())
    this.lease = opts.lease ?? new MemoryLease()
    this.log = (opts.logger ?? silentLogger).child({ module: 'wechat-oa-api' })
    this.holder = opts.holder ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`
    this.cacheKey = `wechat-oa:access_token:${opts.appId}`
    this.leaseName = `wechat-oa:token-refresh:${opts.appId}`
  }

  /**
   * A valid access_token: the cached one, or a fresh one from `/cgi-bin/stable_token`. Near expiry one
   * process (the lease holder) refreshes while the others keep using the old token until it expires.
   */
  async accessToken(): Promise<string> {
    const now = this.clock.now().getTime()
    const cached = await this.readCache()
    if (cached && cached.expiresAt - now > (this.opts.refreshMarginMs ?? 5 * 60_000)) return cached.token
    // Near expiry the API may hand the same token back: ask again a minute later, not at every call.
    if (cached && cached.checkedAt !== undefined && now - cached.checkedAt < RECHECK_MS && cached.expiresAt - now > SAFETY_MS) return cached.token
    return this.refresh(cached, undefined)
  }

  /** Sends a text through 客服消息 (within 48 hours of the resident's last message). */
  async sendCustomText(openid: string, content: string): Promise<void> {
    await this.call('/cgi-bin/message/custom/send', { touser: openid, msgtype: 'text', text: { content } })
  }

  /** Sends a template message; resolves with WeChat's msgid. */
  async sendTemplate(message: TemplateMessage): Promise<{ msgid?: string }> {
    const res = await this.call<{ msgid?: number | string }>('/cgi-bin/message/template/send', message)
    return res.msgid !== undefined ? { msgid: String(res.msgid) } : {}
  }

  /** Publishes the custom menu (replaces the one in force). */
  async createMenu(menu: { button: unknown[] }): Promise<void> {
    await this.call('/cgi-bin/menu/create', menu)
  }

  /** Creates a permanent QR code whose scene is `scene` (subscribers get `qrscene_<scene>`). */
  async createQrcode(scene: string): Promise<QrCode> {
    const res = await this.call<{ ticket?: string; url?: string }>('/cgi-bin/qrcode/create', { action_name: 'QR_LIMIT_STR_SCENE', action_info: { scene: { scene_str: scene } } })
    if (!res.ticket) throw new WechatApiError('/cgi-bin/qrcode/create', -2, 'no ticket in the answer')
    return { ticket: res.ticket, url: res.url ?? '', imageUrl: `https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=${encodeURIComponent(res.ticket)}` }
  }

  /**
   * POSTs JSON to an API path with the access_token. A token error (40001, 40014, 42001) refreshes the
   * token once and retries once; any other errcode throws `WechatApiError`.
   */
  async call<T extends object = object>(path: string, body: object): Promise<T> {
    let token = await this.accessToken()
    for (let attempt = 1; ; attempt++) {
      const res = await this.post(path, body, token)
      const code = Number(res.errcode ?? 0)
      if (code === 0) return res as T
      if (TOKEN_ERRORS.has(code) && attempt === 1) {
        this.log.info({ code: 'E_WECHAT_OA_TOKEN', errcode: code, path }, 'access_token refused; refreshing once')
        token = await this.refresh(await this.readCache(), token)
        continue
      }
      throw new WechatApiError(path, code, String(res.errmsg ?? ''))
    }
  }

  // ---- the token -----------------------------------------------------------------------------------

  /**
   * Fetches a token, one fetch at a time in this process. `rejected` is a token the platform just refused:
   * when the stable-token API hands the same one back, it is asked for a new one (force_refresh), which
   * happens only under the lease so that replicas do not invalidate each other's fresh tokens.
   */
  private refresh(cached: CachedToken | undefined, rejected: string | undefined): Promise<string> {
    this.inflight ??= this.doRefresh(cached, rejected).finally(() => (this.inflight = undefined))
    return this.inflight
  }

  private async doRefresh(cached: CachedToken | undefined, rejected: string | undefined): Promise<string> {
    const now = this.clock.now()
    let leased = false
    try {
      leased = await this.lease.acquire(this.leaseName, this.holder, now, LEASE_TTL_MS)
    } catch (err) {
      this.log.warn({ code: 'E_WECHAT_OA_LEASE', err: err instanceof Error ? err.name : 'unknown' }, 'token lease not available')
    }
    try {
      // Another process refreshes: the old token serves until it expires (unless it was just refused).
      if (!leased && cached && cached.token !== rejected && cached.expiresAt - now.getTime() > SAFETY_MS) return cached.token
      // A newer token than the one refused may already be in the cache (another replica refreshed).
      if (rejected && cached && cached.token !== rejected && cached.expiresAt - now.getTime() > SAFETY_MS) return cached.token
      let fresh = await this.fetchStable(false)
      if (rejected && fresh.token === rejected && leased) fresh = await this.fetchStable(true)
      if (cached && fresh.token === cached.token) fresh.checkedAt = this.clock.now().getTime()
      await this.cache.set(this.cacheKey, JSON.stringify(fresh), new Date(fresh.expiresAt))
      this.log.info({ expiresInS: Math.round((fresh.expiresAt - this.clock.now().getTime()) / 1000) }, 'access_token refreshed')
      return fresh.token
    } finally {
      if (leased) await Promise.resolve(this.lease.release(this.leaseName, this.holder)).catch(() => {})
    }
  }

  private async fetchStable(force: boolean): Promise<CachedToken> {
    const path = '/cgi-bin/stable_token'
    const res = await this.post(path, { grant_type: 'client_credential', appid: this.opts.appId, secret: this.opts.secret, force_refresh: force })
    const code = Number(res.errcode ?? 0)
    if (code !== 0) throw new WechatApiError(path, code, String(res.errmsg ?? ''))
    const token = res.access_token
    const expiresIn = Number(res.expires_in)
    if (typeof token !== 'string' || !token || !Number.isFinite(expiresIn) || expiresIn <= 0) throw new WechatApiError(path, -2, 'no access_token in the answer')
    return { token, expiresAt: this.clock.now().getTime() + expiresIn * 1000 }
  }

  private async readCache(): Promise<CachedToken | undefined> {
    let raw: string | undefined
    try {
      raw = await this.cache.get(this.cacheKey)
    } catch (err) {
      this.log.warn({ code: 'E_WECHAT_OA_CACHE', err: err instanceof Error ? err.name : 'unknown' }, 'token cache not readable')
      return undefined
    }
    if (!raw) return undefined
    try {
      const v = JSON.parse(raw) as CachedToken
      return typeof v.token === 'string' && typeof v.expiresAt === 'number' && v.expiresAt > this.clock.now().getTime() ? v : undefined
    } catch {
      return undefined
    }
  }

  // ---- HTTP ----------------------------------------------------------------------------------------

  private async post(path: string, body: object, token?: string): Promise<Record<string, unknown>> {
    const url = `${this.root}${path}${token ? `?access_token=${encodeURIComponent(token)}` : ''}`
    const abort = new AbortController()
    const timer = setTimeout(() => abort.abort(), this.opts.timeoutMs ?? 10_000)
    let res: Response
    try {
      res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: abort.signal })
    } catch (err) {
      throw networkError(path, err)
    } finally {
      clearTimeout(timer)
    }
    let text: string
    try {
      text = await res.text()
    } catch (err) {
      throw new WechatNetworkError(path, true, 'the answer broke off', { cause: err })
    }
    if (res.status >= 500) throw new WechatNetworkError(path, res.status !== 503, `HTTP ${res.status}`)
    try {
      const json = JSON.parse(text) as unknown
      if (json && typeof json === 'object' && !Array.isArray(json)) return json as Record<string, unknown>
    } catch {
      // below
    }
    throw new WechatApiError(path, -2, `not a JSON object (HTTP ${res.status})`)
  }
}

function networkError(path: string, err: unknown): WechatNetworkError {
  const e = err as { name?: string; cause?: { code?: string } } | undefined
  if (e?.name === 'AbortError') return new WechatNetworkError(path, true, 'no answer in time', { cause: err })
  const code = String(e?.cause?.code ?? '')
  if (NOT_SENT.has(code)) return new WechatNetworkError(path, false, `network error ${code} before sending`, { cause: err })
  return new WechatNetworkError(path, true, `network error ${code || e?.name || 'unknown'}`, { cause: err })
}
