import { createHash, timingSafeEqual } from 'node:crypto'
import { decrypt, encrypt } from '@wecom/crypto'

/**
 * WeChat's message security, as documented for the server configuration (服务器配置):
 * - the signature of a callback is SHA-1 over the sorted, concatenated token, timestamp and nonce
 *   (and, for `msg_signature`, the `Encrypt` text as a fourth part), in lower-case hex;
 * - 安全模式 encrypts a message with AES-256-CBC, key = base64-decode(EncodingAESKey + "="), IV = the key's
 *   first 16 bytes, over random(16) ‖ length(4, big-endian) ‖ message ‖ AppID, PKCS#7-padded to 32 bytes.
 * The AES part is `@wecom/crypto` (the official package; the scheme is the same for WeCom and the
 * Official Account); this module adds the checks it leaves out: key shape, ciphertext shape, AppID.
 */

/** SHA-1 of the sorted parts, joined: WeChat's `signature` (3 parts) and `msg_signature` (4 parts). */
export function signatureOf(...parts: string[]): string {
  return createHash('sha1').update([...parts].sort().join('')).digest('hex')
}

/** Compares a given signature to the expected one in constant time. */
export function signatureMatches(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false
  const a = Buffer.from(given.toLowerCase())
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** A 43-character EncodingAESKey: base64 of 32 bytes without its final "=". */
export function isEncodingAesKey(key: string): boolean {
  return /^[A-Za-z0-9+/]{43}$/.test(key) && Buffer.from(`${key}=`, 'base64').length === 32
}

/** Why a message could not be decrypted; never carries the key or the text. */
export class MessageCryptoError extends Error {
  override readonly name = 'MessageCryptoError'
}

/**
 * Decrypts an `Encrypt` text and checks that the AppID inside is this account's. Throws
 * `MessageCryptoError` for a malformed ciphertext, bad padding or another AppID.
 */
export function decryptMessage(aesKey: string, encrypted: string, appId: string): string {
  if (!isEncodingAesKey(aesKey)) throw new MessageCryptoError('wechat-oa: EncodingAESKey is not 43 base64 characters')
  const raw = encrypted.trim()
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(raw)) throw new MessageCryptoError('wechat-oa: Encrypt is not base64')
  const bytes = Buffer.from(raw, 'base64').length
  if (bytes < 32 || bytes % 32 !== 0) throw new MessageCryptoError('wechat-oa: Encrypt has the wrong length')
  let out: { message: string; id: string }
  try {
    out = decrypt(aesKey, raw)
  } catch (err) {
    throw new MessageCryptoError('wechat-oa: Encrypt does not decrypt', { cause: err })
  }
  if (out.id !== appId) throw new MessageCryptoError('wechat-oa: the AppID inside the message is not this account')
  return out.message
}

/** Encrypts a reply for this account (a fresh random prefix unless one is given, for test vectors). */
export function encryptMessage(aesKey: string, message: string, appId: string, random?: Buffer): string {
  if (!isEncodingAesKey(aesKey)) throw new MessageCryptoError('wechat-oa: EncodingAESKey is not 43 base64 characters')
  return random ? encrypt(aesKey, message, appId, random) : encrypt(aesKey, message, appId)
}
