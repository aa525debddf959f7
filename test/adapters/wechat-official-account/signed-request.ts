import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'

/**
 * WeChat's side of the callback, written from the documentation and independent of the adapter's code:
 * the signature (SHA-1 of the sorted token, timestamp, nonce [, Encrypt]) and the 安全模式 encryption
 * (AES-256-CBC, key = Base64_Decode(EncodingAESKey + "="), IV = key[0..16),
 * random(16) ‖ msg_len(4, big-endian) ‖ msg ‖ AppID, PKCS#7 to 32 bytes).
 */

export function sha1Sorted(...parts: string[]): string {
  return createHash('sha1').update([...parts].sort().join('')).digest('hex')
}

export function wechatEncrypt(aesKey: string, message: string, appId: string, random = randomBytes(16)): string {
  const key = Buffer.from(`${aesKey}=`, 'base64')
  const msg = Buffer.from(message, 'utf8')
  const len = Buffer.alloc(4)
  len.writeUInt32BE(msg.length)
  const plain = Buffer.concat([random, len, msg, Buffer.from(appId)])
  const pad = 32 - (plain.length % 32)
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16))
  cipher.setAutoPadding(false)
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64')
}

export function wechatDecrypt(aesKey: string, encrypted: string): { message: string; appId: string } {
  const key = Buffer.from(`${aesKey}=`, 'base64')
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16))
  decipher.setAutoPadding(false)
  const padded = Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()])
  const plain = padded.subarray(0, padded.length - padded[padded.length - 1]!)
  const len = plain.readUInt32BE(16)
  return { message: plain.subarray(20, 20 + len).toString('utf8'), appId: plain.subarray(20 + len).toString() }
}

export interface SignedRequestOptions {
  token: string
  /** Seconds since the epoch. */
  timestamp: number
  nonce?: string
  /** Encrypt the body (安全模式) with this key and AppID. */
  encrypt?: { aesKey: string; appId: string }
  /** Sign with another token (a forged request). */
  signWith?: string
}

/** The query string and body WeChat would POST for a message. */
export function signedPost(xml: string, o: SignedRequestOptions): { query: string; body: string } {
  const nonce = o.nonce ?? randomBytes(5).toString('hex')
  const ts = String(o.timestamp)
  const token = o.signWith ?? o.token
  const q = new URLSearchParams({ signature: sha1Sorted(token, ts, nonce), timestamp: ts, nonce, openid: /<FromUserName><!\[CDATA\[([^\]]+)/.exec(xml)?.[1] ?? '' })
  if (!o.encrypt) return { query: q.toString(), body: xml }
  const encrypted = wechatEncrypt(o.encrypt.aesKey, xml, o.encrypt.appId)
  q.set('encrypt_type', 'aes')
  q.set('msg_signature', sha1Sorted(token, ts, nonce, encrypted))
  const to = /<ToUserName><!\[CDATA\[([^\]]+)/.exec(xml)?.[1] ?? ''
  return { query: q.toString(), body: `<xml><ToUserName><![CDATA[${to}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>` }
}

/** A text message as WeChat pushes it. */
export function textXml(openid: string, content: string, msgId: string, createTime: number): string {
  return `<xml><ToUserName><![CDATA[gh_3a2b1c4d5e6f]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName><CreateTime>${createTime}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId></xml>`
}

/** An event as WeChat pushes it. */
export function eventXml(openid: string, event: string, eventKey: string, createTime: number): string {
  return `<xml><ToUserName><![CDATA[gh_3a2b1c4d5e6f]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName><CreateTime>${createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[${event}]]></Event><EventKey><![CDATA[${eventKey}]]></EventKey></xml>`
}
