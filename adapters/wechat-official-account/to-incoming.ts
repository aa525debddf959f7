import type { Incoming } from '../../src/core/incoming.js'
import type { WechatXml } from './xml.js'

/**
 * The pure half of the WeChat Official Account adapter: a pushed message (the parsed `<xml>`) in, an
 * `Incoming` (or a polite fixed reply, or the reason to answer nothing) out. No I/O, so that request
 * bodies in the documented shape (test/fixtures/wechat-oa/) pin the behaviour down.
 */

export const CHANNEL = 'wechat-oa'

/** Menu keys that carry the question they stand for: `kepu:最近有什么科普活动` (see menu.ts). */
export const MENU_KEY_PREFIX = 'kepu:'

/** The fixed replies the adapter sends without asking the bot (messages.ts has their text). */
export type FixedReply = 'unsupported' | 'voiceUnrecognised' | 'unknownMenu'

/** Why a message gets no answer at all (WeChat does not let an account answer these, or none is wanted). */
export type SkipReason = 'unsubscribe' | 'view' | 'report' | 'job-finished' | 'not-a-message'

interface Common {
  /** The key a retry of the same message has too: `MsgId`, or `FromUserName:CreateTime` for events. */
  dedupId?: string
  /** The resident's openid. */
  openid?: string
  /**
   * True when the resident acted (wrote, spoke, subscribed, scanned, clicked the menu): it opens the
   * 48-hour window in which the account may write through 客服消息.
   */
  interacted: boolean
}

/** The mapper's verdict on one pushed message. */
export type MappedMessage =
  | (Common & { kind: 'incoming'; incoming: Incoming; dedupId: string; openid: string; greeting?: boolean })
  | (Common & { kind: 'fixed'; reply: FixedReply; dedupId: string; openid: string })
  | (Common & { kind: 'skip'; reason: SkipReason })

/** Maps one pushed message. Never throws: whatever it cannot read is `not-a-message` or a polite reply. */
export function toIncoming(m: WechatXml): MappedMessage {
  const openid = (m.FromUserName ?? '').trim()
  const type = (m.MsgType ?? '').trim().toLowerCase()
  const createTime = (m.CreateTime ?? '').trim()
  if (!/^[A-Za-z0-9_-]{6,64}$/.test(openid) || !/^\d{1,12}$/.test(createTime) || !type) return { kind: 'skip', reason: 'not-a-message', interacted: false }
  const msgId = (m.MsgId ?? '').trim()
  const dedupId = /^\d{1,24}$/.test(msgId) ? msgId : `${openid}:${createTime}`
  const base = { openid, dedupId }
  const incoming = (text: string, extra: Partial<Incoming> = {}): Incoming => ({
    channel: CHANNEL,
    chatId: openid,
    userId: openid,
    isGroup: false,
    mentioned: true,
    forwarded: false,
    text,
    messageId: dedupId,
    ...extra,
  })

  if (type === 'text') return { kind: 'incoming', ...base, interacted: true, incoming: incoming(m.Content ?? '') }
  if (type === 'voice') {
    // WeChat's speech recognition, when the account has it on (and WeChat still sends it).
    const said = (m.Recognition ?? '').trim().replace(/[。.]$/u, '')
    if (!said) return { kind: 'fixed', ...base, interacted: true, reply: 'voiceUnrecognised' }
    return { kind: 'incoming', ...base, interacted: true, incoming: incoming(said) }
  }
  if (type === 'event') return fromEvent(m, base, incoming)
  // Images, stickers, video, location, links, files and whatever WeChat adds: a polite 「please type」.
  return { kind: 'fixed', ...base, interacted: true, reply: 'unsupported' }
}

function fromEvent(m: WechatXml, base: { openid: string; dedupId: string }, incoming: (text: string, extra?: Partial<Incoming>) => Incoming): MappedMessage {
  const event = (m.Event ?? '').trim()
  const key = (m.EventKey ?? '').trim()
  switch (event.toLowerCase()) {
    case 'subscribe': {
      // Subscribed by scanning a region's QR code: the key is `qrscene_<region>`.
      const region = key.startsWith('qrscene_') ? sceneRegion(key.slice('qrscene_'.length)) : undefined
      return { kind: 'incoming', ...base, interacted: true, greeting: true, incoming: region ? incoming(`我在${region}`, { region }) : incoming('帮助') }
    }
    case 'scan': {
      // A subscriber scanned a region's QR code again: the key is the scene itself.
      const region = sceneRegion(key)
      return region ? { kind: 'incoming', ...base, interacted: true, incoming: incoming(`我在${region}`, { region }) } : { kind: 'skip', reason: 'report', ...base, interacted: true }
    }
    case 'click': {
      const text = key.startsWith(MENU_KEY_PREFIX) ? key.slice(MENU_KEY_PREFIX.length).trim() : ''
      return text ? { kind: 'incoming', ...base, interacted: true, incoming: incoming(text) } : { kind: 'fixed', ...base, interacted: true, reply: 'unknownMenu' }
    }
    case 'unsubscribe':
      return { kind: 'skip', reason: 'unsubscribe', ...base, interacted: false }
    case 'view':
    case 'view_miniprogram':
      // Opening a page from the menu does not open the 客服消息 window (WeChat counts only click and scan menus).
      return { kind: 'skip', reason: 'view', ...base, interacted: false }
    case 'templatesendjobfinish':
    case 'masssendjobfinish':
    case 'subscribe_msg_popup_event':
    case 'subscribe_msg_change_event':
    case 'subscribe_msg_sent_event':
      return { kind: 'skip', reason: 'job-finished', ...base, interacted: false }
    case 'location':
      // Reported by the client on its own when the account asks for location: not the resident writing.
      return { kind: 'skip', reason: 'report', ...base, interacted: false }
    default:
      // Scan-code and photo menus, and whatever WeChat adds: the resident did something we cannot read.
      return { kind: 'fixed', ...base, interacted: true, reply: 'unsupported' }
  }
}

/** A QR scene names a region (`东营市`, or a short form the bot resolves); ids and junk name none. */
function sceneRegion(scene: string): string | undefined {
  const s = scene.trim()
  if (!s || s.length > 32 || /^\d+$/.test(s) || /[\s<>&"']/.test(s)) return undefined
  return s
}
