import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { decryptMessage, encryptMessage, isEncodingAesKey, MessageCryptoError, signatureMatches, signatureOf } from '../../../adapters/wechat-official-account/message-crypto.js'
import { wechatDecrypt, wechatEncrypt } from './signed-request.js'

/**
 * The vector is built by the documented algorithm (公众号 消息加解密说明) in signed-request.ts, independently
 * of the code under test: key = Base64_Decode(EncodingAESKey + "="), IV = key[0..16), plaintext =
 * random(16) ‖ msg_len (4 bytes, network order) ‖ msg ‖ AppID, PKCS#7 padding to a multiple of 32,
 * AES-256-CBC without its own padding, Base64.
 */
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'
const APPID = 'wx5823bf96d3bd56c7'
const RANDOM = Buffer.from('0123456789abcdef')
const MESSAGE = '<xml><ToUserName><![CDATA[gh_3a2b1c4d5e6f]]></ToUserName><FromUserName><![CDATA[oLVPpjqs9BhvzwPj5A-vTYAX3GLc]]></FromUserName><CreateTime>1779436920</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[防灾减灾日是哪天？]]></Content><MsgId>24398765432109876</MsgId></xml>'

const documentedEncrypt = wechatEncrypt
const documentedDecrypt = wechatDecrypt

describe('wechat-oa message crypto', () => {
  const vector = documentedEncrypt(AES_KEY, MESSAGE, APPID, RANDOM)

  it('decrypts a vector built by the documented algorithm', () => {
    expect(decryptMessage(AES_KEY, vector, APPID)).toBe(MESSAGE)
  })

  it('encrypts exactly as the documented algorithm does (same random prefix, same ciphertext)', () => {
    expect(encryptMessage(AES_KEY, MESSAGE, APPID, RANDOM)).toBe(vector)
    expect(documentedDecrypt(AES_KEY, encryptMessage(AES_KEY, '你好', APPID))).toEqual({ message: '你好', appId: APPID })
  })

  it('pads to a multiple of 32 bytes, a whole block when already aligned', () => {
    for (const size of [0, 1, 11, 12, 13, 44, 100]) {
      const message = 'x'.repeat(size)
      const enc = encryptMessage(AES_KEY, message, APPID)
      expect(Buffer.from(enc, 'base64').length % 32).toBe(0)
      expect(decryptMessage(AES_KEY, enc, APPID)).toBe(message)
    }
  })

  it('refuses a message for another AppID, another key, or a malformed ciphertext', () => {
    expect(() => decryptMessage(AES_KEY, documentedEncrypt(AES_KEY, MESSAGE, 'wx0000000000000000', RANDOM), APPID)).toThrow(/AppID/)
    expect(() => decryptMessage('ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut', vector, APPID)).toThrow(MessageCryptoError)
    expect(() => decryptMessage(AES_KEY, 'not base64 !!', APPID)).toThrow(/base64/)
    expect(() => decryptMessage(AES_KEY, Buffer.alloc(20).toString('base64'), APPID)).toThrow(/length/)
    expect(() => decryptMessage('short', vector, APPID)).toThrow(/EncodingAESKey/)
  })

  it('checks the EncodingAESKey shape', () => {
    expect(isEncodingAesKey(AES_KEY)).toBe(true)
    expect(isEncodingAesKey(`${AES_KEY}=`)).toBe(false)
    expect(isEncodingAesKey(AES_KEY.slice(1))).toBe(false)
  })

  it('signs like the documentation: SHA-1 of the sorted, joined parts', () => {
    const expected = createHash('sha1').update(['1409304348', 'kepuToken', 'xxxxxx'].sort().join('')).digest('hex')
    expect(signatureOf('kepuToken', '1409304348', 'xxxxxx')).toBe(expected)
    expect(signatureMatches(expected, expected)).toBe(true)
    expect(signatureMatches(expected.toUpperCase(), expected)).toBe(true)
    expect(signatureMatches(expected.slice(1), expected)).toBe(false)
    expect(signatureMatches(null, expected)).toBe(false)
  })
})
