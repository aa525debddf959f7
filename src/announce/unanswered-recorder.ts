import type { Handler } from '../core/bot.js'
import { errorCode } from '../core/errors.js'
import { maskPersonal } from '../core/mask-personal.js'
import { fromLocal, toLocalDate } from '../core/shanghai-time.js'
import type { UnansweredStore } from '../store/async-store.js'

export { maskPersonal }

export interface UnansweredRecorderDeps {
  store: UnansweredStore
  /** At most this many questions kept per resident per day (Asia/Shanghai); default UNANSWERED_PER_USER_PER_DAY. */
  maxPerUserPerDay?: number
}

/** One resident's share of the unanswered store per day: a flood from one chat cannot fill it or top the report. */
export const UNANSWERED_PER_USER_PER_DAY = 20

/** Common top-level domains, for links written without http:// or www. (yb-gov.cc, abc.com.cn/x). */
const TLDS =
  'com|cn|net|org|gov|edu|cc|top|xyz|vip|info|io|me|co|tk|ml|ga|cf|gq|shop|club|site|online|app|ltd|link|live|ren|wang|asia|biz|hk|tw|mo|us|uk|tv|fun|icu|store|tech|work|pro|win|cloud|space|website|mobi|name|ink|red|kim|pub|life|world|today|group|cyou|bond|sbs|buzz|love'
/** The rest of a URL: ASCII URL characters only, so the Chinese text after a link stays. */
const URL_TAIL = "[A-Za-z0-9\\-._~:/?#\\[\\]@!$&*+,;=%]*"
const LINK = new RegExp(
  `(?:https?://|www\\.)${URL_TAIL}|(?<![\\w.@-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+(?:${TLDS})(?![a-z0-9-])(?::\\d{1,5})?(?:/${URL_TAIL})?`,
  'giu',
)
/** An account id after the word that names the app: 微信 abc_123, QQ：12345, vx号 xyz99, 加V: ab12cd. */
const CONTACT = new RegExp(
  '(?<![A-Za-z])(微信|威信|薇信|维信|[vVＶｖ]信|[vV][xX]|[wW][xX]|weixin|wechat|[qQ]{2}|扣扣|企鹅|抖音|加[vVＶｖ]|tg|telegram)(号码|号|群)?([\\s:：=是为]*)[A-Za-z0-9][A-Za-z0-9_.-]{3,39}',
  'giu',
)

/** What staff see instead of a link or an account id. */
export const LINK_MARK = '［链接］'
export const CONTACT_MARK = '［联系方式］'

/**
 * The question as staff may read it: links (http(s)://…, www.…, bare domains) and contact details (an
 * account id after 微信 / QQ / vx …, phone and ID numbers in any script, e-mail addresses) removed, so
 * neither a resident's details nor a spammer's advert reaches the report.
 */
export function cleanForStaff(text: string): string {
  const noLinks = text.replace(LINK, LINK_MARK)
  const noContacts = noLinks.replace(CONTACT, (_m, app: string, kind: string | undefined, sep: string) => `${app}${kind ?? ''}${sep}${CONTACT_MARK}`)
  return maskPersonal(noContacts)
}

/** The text folded for grouping: no spaces or punctuation, lower case, no trailing 吗/呢/啊. */
export function normaliseQuestion(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '')
    .replace(/[吗呢啊呀吧哦嘛]+$/u, '')
}

/** The start of the Asia/Shanghai day of an instant: where a resident's daily share begins. */
export function startOfDay(now: Date): Date {
  const { year, month, day } = toLocalDate(now)
  return fromLocal(year, month, day)
}

/**
 * Middleware that records what residents asked when the bot had no answer, so staff can add content.
 * Put it first in the chain: it calls `next()` and looks at the final reply. Silent replies (unmentioned
 * group messages) and empty input are not questions; a failing store never costs the resident the reply.
 * The text is cleaned for staff before it is stored (cleanForStaff); who asked is kept only as the store's
 * salted hash, and each resident has at most `maxPerUserPerDay` entries a day, one per distinct question.
 */
export function createUnansweredRecorder(deps: UnansweredRecorderDeps): Handler {
  const maxPerAsker = deps.maxPerUserPerDay ?? UNANSWERED_PER_USER_PER_DAY
  return async (ctx, next) => {
    const reply = await next()
    if (reply.answered === false && !reply.silent && ctx.text.trim()) {
      const text = cleanForStaff(ctx.text)
      try {
        const outcome = await deps.store.recordUnanswered(
          { channel: ctx.incoming.channel, region: ctx.region?.name, text, normalized: normaliseQuestion(text), at: ctx.now, userKey: ctx.userKey },
          { since: startOfDay(ctx.now), maxPerAsker },
        )
        if (outcome === 'capped') ctx.log.info({ code: 'E_UNANSWERED_CAP', channel: ctx.incoming.channel }, 'unanswered: over the daily share, not recorded')
      } catch (err) {
        ctx.log.warn({ code: errorCode(err) }, 'unanswered: not recorded')
      }
    }
    return reply
  }
}
