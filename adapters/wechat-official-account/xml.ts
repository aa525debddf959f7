import { XMLParser, XMLValidator } from 'fast-xml-parser'

/**
 * WeChat's XML, both ways. A pushed message is one flat `<xml>` element whose children are strings
 * (`ToUserName`, `MsgType`, `Content`, `MsgId` …); nested children (a menu's `ScanCodeInfo`) are left out.
 * Every value stays a string: a 64-bit `MsgId` as a number would lose digits.
 */

/** The children of a pushed `<xml>` message, by tag name. */
export type WechatXml = Record<string, string>

const parser = new XMLParser({ parseTagValue: false, ignoreAttributes: true, trimValues: false, processEntities: true, htmlEntities: false })

/**
 * Parses a pushed message; undefined when the body is not well-formed XML with an `<xml>` root, or
 * declares a DOCTYPE or entities (WeChat never does; entity expansion is refused outright).
 */
export function parseWechatXml(body: string): WechatXml | undefined {
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) return undefined
  if (XMLValidator.validate(body) !== true) return undefined
  let doc: unknown
  try {
    doc = parser.parse(body)
  } catch {
    return undefined
  }
  const root = (doc as { xml?: unknown } | undefined)?.xml
  if (!root || typeof root !== 'object' || Array.isArray(root)) return undefined
  const out: WechatXml = {}
  for (const [key, value] of Object.entries(root as Record<string, unknown>)) {
    if (typeof value === 'string' && key !== '#text') out[key] = value
  }
  return out
}

/** `<![CDATA[…]]>` for any text: a `]]>` inside is split across two sections. */
export function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`
}

/** Who a passive reply goes to (the message's sender) and from (the account), and when. */
export interface ReplyEnvelope {
  /** The resident's openid (the message's FromUserName). */
  toUser: string
  /** The account's original id (the message's ToUserName, gh_…). */
  fromUser: string
  /** Seconds since the epoch. */
  createTime: number
}

/** A passive text reply. */
export function textReplyXml(env: ReplyEnvelope, content: string): string {
  return `<xml><ToUserName>${cdata(env.toUser)}</ToUserName><FromUserName>${cdata(env.fromUser)}</FromUserName><CreateTime>${env.createTime}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content>${cdata(content)}</Content></xml>`
}

/** A passive reply that hands the conversation to the account's customer-service staff (多客服). */
export function transferReplyXml(env: ReplyEnvelope): string {
  return `<xml><ToUserName>${cdata(env.toUser)}</ToUserName><FromUserName>${cdata(env.fromUser)}</FromUserName><CreateTime>${env.createTime}</CreateTime><MsgType><![CDATA[transfer_customer_service]]></MsgType></xml>`
}

/** The envelope of an encrypted passive reply (安全模式). */
export function encryptedReplyXml(encrypt: string, msgSignature: string, timestamp: string, nonce: string): string {
  return `<xml><Encrypt>${cdata(encrypt)}</Encrypt><MsgSignature>${cdata(msgSignature)}</MsgSignature><TimeStamp>${timestamp}</TimeStamp><Nonce>${cdata(nonce)}</Nonce></xml>`
}
