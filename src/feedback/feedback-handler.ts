import { cleanForStaff, normaliseQuestion, startOfDay, UNANSWERED_PER_USER_PER_DAY } from '../announce/unanswered-recorder.js'
import type { Context, Handler, ReplyWithMore } from '../core/bot.js'
import { cleanText } from '../core/clean-text.js'
import { errorCode } from '../core/errors.js'
import { msg, type MessageCode } from '../core/messages-zh.js'
import type { FeedbackVerdict } from '../core/reply.js'
import { isoDate } from '../core/shanghai-time.js'
import { DIALOGUE_TTL_MS } from '../core/user-state.js'
import type { FeedbackStore, ServiceRequestStore, UnansweredStore } from '../store/async-store.js'
import type { AnswerRecords } from './answer-records.js'
import { readComment } from './read-comment.js'

/** What the feedback handler needs of the store. */
export type FeedbackData = FeedbackStore & UnansweredStore & Pick<ServiceRequestStore, 'listRequests'>

export interface FeedbackHandlerDeps {
  data: FeedbackData
  records: AnswerRecords
  /** At most this many 没用 (with declined questions) per resident per day; default UNANSWERED_PER_USER_PER_DAY. */
  maxPerUserPerDay?: number
}

/** A bare verdict right after an offer: the number on the line, or the word. */
const USEFUL = /^(?:1|有用|有帮助)$/u
const USELESS = /^(?:2|没用|没有用|没帮助)$/u

function say(text: MessageCode, elderText: MessageCode, ctx: Context): ReplyWithMore {
  return { text: msg(ctx.user.elder ? elderText : text), answered: true, intent: 'feedback' }
}

/** True while a step started at `at` (ISO) is still live at `now` (the dialogue's quiet spell). */
function live(at: string, now: Date): boolean {
  const t = Date.parse(at)
  return Number.isFinite(t) && now.getTime() - t <= DIALOGUE_TTL_MS && t - now.getTime() <= DIALOGUE_TTL_MS
}

/**
 * Command stage, private chats: the resident's verdict on an answer and what follows it.
 * - A 👍/👎 press (`incoming.feedback`, Telegram) rates the answer it names, however old (ANSWER_RECORD_TTL_MS).
 * - A bare 「1」 or 「2」 (or 有用 / 没用) rates the answer the LAST reply offered feedback on, within the
 *   dialogue's quiet spell. Precedence: the offer is only made when a bare number means nothing else after
 *   that reply (feedback-offer.ts), and any other reply withdraws it, so a number after a menu, a list or a
 *   dialogue prompt keeps its meaning. One exception is checked here: a 科技志愿服务 request closed after the
 *   offer asked for a 1–5 rating since, so the number is that rating (requests skill).
 * - 有用 → thanks, counted. 没用 → counted, the question and the answer shown land among the unanswered
 *   questions (未回答), and one optional question is asked; the next message, when it is a short remark
 *   (read-comment.ts), is added to that row. 0 skips; a new question is answered as usual.
 * Nothing the resident says is logged; the store keeps the comment cleaned for staff.
 */
export function createFeedbackHandler(deps: FeedbackHandlerDeps): Handler {
  const maxPerAsker = deps.maxPerUserPerDay ?? UNANSWERED_PER_USER_PER_DAY

  async function rate(ctx: Context, answerId: string, verdict: FeedbackVerdict): Promise<ReplyWithMore> {
    const record = await deps.records.take(answerId, ctx.now)
    if (record === 'rated') return say('feedbackAgain', 'feedbackAgain', ctx)
    await deps.data.countFeedback(isoDate(ctx.now), verdict)
    ctx.log.info({ module: 'feedback', verdict, channel: ctx.incoming.channel }, 'feedback: counted')
    if (verdict === 'useful') return say('feedbackThanks', 'feedbackThanksElder', ctx)
    // An answer older than its record is counted, but there is nothing to show staff.
    if (!record) return say('feedbackSkipped', 'feedbackThanksElder', ctx)
    const row = await deps.data.recordUnhelpful(
      { channel: record.channel, region: record.region, text: record.question, normalized: normaliseQuestion(record.question), at: ctx.now, userKey: ctx.userKey, answer: record.answer },
      { since: startOfDay(ctx.now), maxPerAsker },
    )
    if (row === undefined) {
      ctx.log.info({ code: 'E_UNANSWERED_CAP', channel: ctx.incoming.channel }, 'feedback: over the daily share, not recorded')
      return say('feedbackSkipped', 'feedbackThanksElder', ctx)
    }
    ctx.user.feedback = { answers: ctx.user.feedback?.answers ?? 0, comment: { row, at: ctx.now.toISOString() } }
    return say('feedbackAsk', 'feedbackAskElder', ctx)
  }

  /** A verdict whatever the store does: a resident who took the trouble is thanked, and the failure logged. */
  async function rateSafely(ctx: Context, answerId: string, verdict: FeedbackVerdict): Promise<ReplyWithMore> {
    try {
      return await rate(ctx, answerId, verdict)
    } catch (err) {
      ctx.log.warn({ code: errorCode(err) }, 'feedback: not recorded')
      return say('feedbackSkipped', 'feedbackThanksElder', ctx)
    }
  }

  /** True when a request of this resident was closed (asking for a 1–5 rating) after `since`, and is not rated yet. */
  async function ratingAskedSince(ctx: Context, since: string): Promise<boolean> {
    const t = Date.parse(since)
    const closed = await deps.data.listRequests({ userKey: ctx.userKey, status: 'closed', limit: 3 })
    return closed.some((r) => r.rating === undefined && r.updatedAt.getTime() > t)
  }

  return async (ctx, next) => {
    if (ctx.incoming.isGroup) return next()
    const press = ctx.incoming.feedback
    if (press) return rateSafely(ctx, press.answerId, press.verdict)
    const state = ctx.user.feedback
    if (!state) return next()
    // The text as typed: the core has already turned a bare 「1」 into the first choice of the last reply.
    const raw = cleanText(ctx.incoming.text).text.trim()
    const waiting = state.comment
    if (waiting) {
      delete state.comment
      if (live(waiting.at, ctx.now)) {
        const reading = readComment(raw, { intent: ctx.intent, followUp: ctx.followUp, forwarded: ctx.incoming.forwarded })
        if (reading === 'skip') return say('feedbackSkipped', 'feedbackThanksElder', ctx)
        if (reading !== 'other') {
          const saved = await deps.data.commentUnanswered(waiting.row, cleanForStaff(raw)).catch((err: unknown) => {
            ctx.log.warn({ code: errorCode(err) }, 'feedback: comment not kept')
            return false
          })
          if (reading === 'comment') return say(saved ? 'feedbackNoted' : 'feedbackSkipped', 'feedbackThanksElder', ctx)
          // A correction that asks again: noted, and answered as the question it is.
          const answer = await next()
          return saved && !answer.silent ? { ...answer, text: `${msg('feedbackNotedShort')}\n${answer.text}` } : answer
        }
        return next()
      }
    }
    const offered = state.offered
    if (offered && live(offered.at, ctx.now) && (USEFUL.test(raw) || USELESS.test(raw))) {
      if (await ratingAskedSince(ctx, offered.at)) return next()
      delete state.offered
      return rateSafely(ctx, offered.answerId, USEFUL.test(raw) ? 'useful' : 'useless')
    }
    return next()
  }
}
