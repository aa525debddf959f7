import { randomBytes } from 'node:crypto'
import type { Logger } from '../../src/core/logger.js'
import type { HttpRequest, HttpResponse, HttpRoute } from '../../src/core/skill.js'
import { decryptMessage, encryptMessage, MessageCryptoError, signatureMatches, signatureOf } from './message-crypto.js'
import { encryptedReplyXml, parseWechatXml, textReplyXml, transferReplyXml, type ReplyEnvelope, type WechatXml } from './xml.js'

/** What to answer a pushed message with, inside WeChat's 5 seconds. */
export type PassiveReply = { kind: 'success' } | { kind: 'text'; text: string } | { kind: 'transfer' }

export interface CallbackRouteOptions {
  /** Default `/wechat/oa`. */
  path?: string
  /** The server-configuration Token (WECHAT_OA_TOKEN). */
  token: string
  /** The account's AppID: an encrypted message must carry it. */
  appId: string
  /** The EncodingAESKey (WECHAT_OA_AES_KEY): without it, encrypted messages are refused. */
  aesKey?: string | undefined
  /** Takes a verified (and decrypted) message; resolves with the passive reply, in time. */
  accept(message: WechatXml): Promise<PassiveReply>
  /** True while the adapter is not taking messages: 503 (WeChat retries). */
  closed(): boolean
  logger: Logger
  /** Milliseconds since the epoch. */
  now: () => number
  /** A timestamp further than this from now is refused (default 5 minutes; WeChat's retries come within 15 s). */
  maxSkewMs?: number
  /** Bodies larger than this get 413 (default 64 KiB; a pushed message is a few hundred bytes). */
  maxBodyBytes?: number
  /** Refusals are logged once per this many ms, with a count (default 60 000). */
  authLogEveryMs?: number
}

const plain = (status: number, body = ''): HttpResponse => ({ status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body })
const xml = (body: string): HttpResponse => ({ status: 200, headers: { 'content-type': 'application/xml; charset=utf-8' }, body })

/**
 * The callback URL of the server configuration (服务器配置), as two routes on the one HTTP server:
 * - GET: WeChat's verification; echoes `echostr` when `signature` = SHA-1(sort(token, timestamp, nonce)).
 * - POST: a pushed message. The same signature is checked on every request, a timestamp far from now is
 *   refused (401), a body over the limit gets 413; in 安全模式/兼容模式 (`encrypt_type=aes`) `msg_signature`
 *   is checked over the `Encrypt` text, which is decrypted and must carry this AppID. The passive reply is
 *   encrypted when the message was. Refusals cost one log line a minute.
 */
export function callbackRoutes(options: CallbackRouteOptions): HttpRoute[] {
  const path = options.path ?? '/wechat/oa'
  const maxSkew = options.maxSkewMs ?? 5 * 60_000
  const maxBody = options.maxBodyBytes ?? 64 * 1024
  const every = options.authLogEveryMs ?? 60_000
  const log = options.logger
  let refused = 0
  let lastLog = -Infinity
  let lastReason = ''

  function refuse(reason: string, status = 401): HttpResponse {
    refused++
    lastReason = reason
    if (options.now() - lastLog >= every) {
      log.warn({ code: 'E_WECHAT_OA_AUTH', reason: lastReason, refused }, 'callback requests refused')
      lastLog = options.now()
      refused = 0
    }
    return plain(status, status === 401 ? 'Unauthorized' : '')
  }

  /** The plain signature and the timestamp window; a reason when they fail. */
  function check(req: HttpRequest): string | undefined {
    const timestamp = req.query.get('timestamp') ?? ''
    const nonce = req.query.get('nonce') ?? ''
    if (!/^\d{1,12}$/.test(timestamp) || !nonce || nonce.length > 64) return 'missing'
    if (!signatureMatches(req.query.get('signature'), signatureOf(options.token, timestamp, nonce))) return 'signature'
    if (Math.abs(options.now() - Number(timestamp) * 1000) > maxSkew) return 'timestamp'
    return undefined
  }

  const verify: HttpRoute = {
    method: 'GET',
    path,
    handle(req) {
      const bad = check(req)
      if (bad) return refuse(bad)
      const echostr = req.query.get('echostr')
      if (!echostr) return plain(400)
      log.info({}, 'callback URL verified by WeChat')
      return plain(200, echostr)
    },
  }

  const receive: HttpRoute = {
    method: 'POST',
    path,
    async handle(req) {
      if (Buffer.byteLength(req.body) > maxBody) return refuse('too-large', 413)
      const bad = check(req)
      if (bad) return refuse(bad)
      if (options.closed()) return plain(503)
      const outer = parseWechatXml(req.body)
      if (!outer) {
        log.warn({ code: 'E_WECHAT_OA_BODY' }, 'callback body is not WeChat XML')
        return plain(400)
      }
      const encrypted = req.query.get('encrypt_type') === 'aes' || (outer.Encrypt !== undefined && outer.MsgType === undefined)
      let message = outer
      if (encrypted) {
        if (!options.aesKey) return refuse('no-aes-key')
        const enc = outer.Encrypt ?? ''
        const timestamp = req.query.get('timestamp')!
        const nonce = req.query.get('nonce')!
        if (!enc || !signatureMatches(req.query.get('msg_signature'), signatureOf(options.token, timestamp, nonce, enc))) return refuse('msg_signature')
        let inner: WechatXml | undefined
        try {
          inner = parseWechatXml(decryptMessage(options.aesKey, enc, options.appId))
        } catch (err) {
          return refuse(err instanceof MessageCryptoError && err.message.includes('AppID') ? 'appid' : 'decrypt')
        }
        if (!inner) {
          log.warn({ code: 'E_WECHAT_OA_BODY' }, 'decrypted message is not WeChat XML')
          return plain(400)
        }
        message = inner
      }
      const reply = await options.accept(message)
      if (reply.kind === 'success') return plain(200, 'success')
      const envelope: ReplyEnvelope = { toUser: message.FromUserName ?? '', fromUser: message.ToUserName ?? '', createTime: Math.floor(options.now() / 1000) }
      const body = reply.kind === 'text' ? textReplyXml(envelope, reply.text) : transferReplyXml(envelope)
      if (!encrypted || !options.aesKey) return xml(body)
      const timestamp = String(Math.floor(options.now() / 1000))
      const nonce = randomBytes(8).toString('hex')
      const enc = encryptMessage(options.aesKey, body, options.appId)
      return xml(encryptedReplyXml(enc, signatureOf(options.token, timestamp, nonce, enc), timestamp, nonce))
    },
  }
  return [verify, receive]
}
