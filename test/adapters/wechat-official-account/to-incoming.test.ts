import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { toIncoming } from '../../../adapters/wechat-official-account/to-incoming.js'
import { cdata, parseWechatXml, textReplyXml } from '../../../adapters/wechat-official-account/xml.js'

const OPENID = 'oLVPpjqs9BhvzwPj5A-vTYAX3GLc'
const fixture = (name: string) => {
  const parsed = parseWechatXml(readFileSync(join(import.meta.dirname, '../../fixtures/wechat-oa', `${name}.xml`), 'utf8'))
  if (!parsed) throw new Error(`fixture ${name} does not parse`)
  return parsed
}
const base = { channel: 'wechat-oa', chatId: OPENID, userId: OPENID, isGroup: false, mentioned: true, forwarded: false }

describe('wechat-oa toIncoming (request bodies in the documented shape)', () => {
  it('maps a text message, keyed by its MsgId (kept as a string: 64-bit ids lose digits as numbers)', () => {
    expect(toIncoming(fixture('text'))).toEqual({
      kind: 'incoming',
      openid: OPENID,
      dedupId: '24398765432109876',
      interacted: true,
      incoming: { ...base, text: '防灾减灾日是哪天？', messageId: '24398765432109876' },
    })
  })

  it('keeps a text exactly, with markup, entities inside CDATA and a split "]]>"', () => {
    const out = toIncoming(fixture('text-article-reply'))
    expect(out).toMatchObject({ kind: 'incoming', incoming: { text: '帮我看看：【医保局】您的医保卡已冻结，请点击 http://yb-gov.cc 解冻 <a>&amp; ]]>' } })
  })

  it('takes the speech recognition of a voice message as its text, without the final full stop', () => {
    expect(toIncoming(fixture('voice'))).toMatchObject({ kind: 'incoming', dedupId: '24398765432109880', incoming: { ...base, text: '最近有什么科普活动' } })
  })

  it('asks to type when a voice message has no recognition', () => {
    expect(toIncoming(fixture('voice-unrecognised'))).toMatchObject({ kind: 'fixed', reply: 'voiceUnrecognised', interacted: true })
  })

  it('greets a new subscriber with help, keyed by FromUserName+CreateTime (events have no MsgId)', () => {
    expect(toIncoming(fixture('subscribe'))).toEqual({ kind: 'incoming', openid: OPENID, dedupId: `${OPENID}:1779436800`, interacted: true, greeting: true, incoming: { ...base, text: '帮助', messageId: `${OPENID}:1779436800` } })
  })

  it('sets the region of a subscriber who scanned a region QR code (qrscene_<region>)', () => {
    expect(toIncoming(fixture('subscribe-qrscene'))).toMatchObject({ kind: 'incoming', greeting: true, incoming: { text: '我在东营市', region: '东营市' } })
  })

  it('does not take a numeric scene id for a region', () => {
    const out = toIncoming(fixture('subscribe-qrscene-numeric'))
    expect(out).toMatchObject({ kind: 'incoming', incoming: { text: '帮助' } })
    expect(out.kind === 'incoming' && 'region' in out.incoming).toBe(false)
  })

  it('sets the region when a subscriber scans a region QR code again (SCAN: the scene without prefix)', () => {
    expect(toIncoming(fixture('scan'))).toMatchObject({ kind: 'incoming', incoming: { text: '我在乌海市', region: '乌海市' } })
  })

  it('turns a menu click into the question its key carries', () => {
    expect(toIncoming(fixture('click'))).toMatchObject({ kind: 'incoming', interacted: true, incoming: { text: '最近有什么科普活动', messageId: `${OPENID}:1779437200` } })
  })

  it('answers a click on a menu key it does not know politely', () => {
    expect(toIncoming(fixture('click-unknown-key'))).toMatchObject({ kind: 'fixed', reply: 'unknownMenu' })
  })

  it.each(['image', 'location', 'link', 'scancode-waitmsg'])('answers %s politely (please type)', (name) => {
    expect(toIncoming(fixture(name))).toMatchObject({ kind: 'fixed', reply: 'unsupported', interacted: true, openid: OPENID })
  })

  it.each([
    ['unsubscribe', 'unsubscribe', false],
    ['view', 'view', false],
    ['template-job-finish', 'job-finished', false],
    ['location-report', 'report', false],
  ] as const)('answers nothing to %s', (name, reason, interacted) => {
    expect(toIncoming(fixture(name))).toMatchObject({ kind: 'skip', reason, interacted })
  })

  it('skips a body without sender, time or type', () => {
    expect(toIncoming({ MsgType: 'text', Content: 'x' })).toMatchObject({ kind: 'skip', reason: 'not-a-message' })
    expect(toIncoming({ FromUserName: OPENID, CreateTime: 'soon', MsgType: 'text' })).toMatchObject({ kind: 'skip', reason: 'not-a-message' })
    expect(toIncoming({ FromUserName: '<script>', CreateTime: '1', MsgType: 'text' })).toMatchObject({ kind: 'skip', reason: 'not-a-message' })
  })
})

describe('wechat-oa XML', () => {
  it('refuses bodies that are not WeChat XML, and entity declarations', () => {
    expect(parseWechatXml('not xml')).toBeUndefined()
    expect(parseWechatXml('<xml><A>1</B></xml>')).toBeUndefined()
    expect(parseWechatXml('<other><A>1</A></other>')).toBeUndefined()
    expect(parseWechatXml('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><xml><A>&a;</A></xml>')).toBeUndefined()
  })

  it('writes a passive reply whose content survives any text, "]]>" included', () => {
    const text = '第一段]]>第二段 <b>&amp;'
    const xml = textReplyXml({ toUser: OPENID, fromUser: 'gh_3a2b1c4d5e6f', createTime: 1779436921 }, text)
    expect(parseWechatXml(xml)).toEqual({ ToUserName: OPENID, FromUserName: 'gh_3a2b1c4d5e6f', CreateTime: '1779436921', MsgType: 'text', Content: text })
    expect(cdata('a]]>b')).toBe('<![CDATA[a]]]]><![CDATA[>b]]>')
  })
})
