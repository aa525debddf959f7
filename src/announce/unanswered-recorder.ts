import type { Handler } from '../core/bot.js'
import { errorCode } from '../core/errors.js'
import type { UnansweredStore } from '../store/store.js'

export interface UnansweredRecorderDeps {
  store: UnansweredStore
}

// Numbers of six digits or more (phones, ID and bank card numbers) and e-mail addresses are personal data.
const PERSONAL = /\d[\d\s-]{4,}\d|[\w.+-]+@[\w-]+\.[\w.]+/g

/** The question with phone, ID and card numbers and e-mail addresses masked, so the store keeps no personal data. */
export function maskPersonal(text: string): string {
  return text.replace(PERSONAL, (m) => (m.replace(/\D/g, '').length >= 6 || m.includes('@') ? '＊＊＊' : m))
}

/** The text folded for grouping: no spaces or punctuation, lower case, no trailing 吗/呢/啊. */
export function normaliseQuestion(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '')
    .replace(/[吗呢啊呀吧哦嘛]+$/u, '')
}

/**
 * Middleware that records what residents asked when the bot had no answer, so staff can add content.
 * Put it first in the chain: it calls `next()` and looks at the final reply. Silent replies (unmentioned
 * group messages) and empty input are not questions; a failing store never costs the resident the reply.
 */
export function createUnansweredRecorder(deps: UnansweredRecorderDeps): Handler {
  return async (ctx, next) => {
    const reply = await next()
    if (reply.answered === false && !reply.silent && ctx.text.trim()) {
      const text = maskPersonal(ctx.text)
      try {
        deps.store.recordUnanswered({ channel: ctx.incoming.channel, region: ctx.region?.name, text, normalized: normaliseQuestion(text), at: ctx.now })
      } catch (err) {
        ctx.log.warn({ code: errorCode(err) }, 'unanswered: not recorded')
      }
    }
    return reply
  }
}
