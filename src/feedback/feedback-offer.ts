import { cleanForStaff } from '../announce/unanswered-recorder.js'
import { nextDialogue, type Context, type Handler, type ReplyWithMore } from '../core/bot.js'
import { errorCode } from '../core/errors.js'
import type { Intent, Reply } from '../core/reply.js'
import { newAnswerId, type AnswerRecords } from './answer-records.js'

/**
 * The nag rule: feedback is offered on a resident's first answer, then on one answer in every
 * OFFER_EVERY (the 1st, 6th, 11th … answer that could carry it), so it is there often enough to be used
 * and rare enough not to be noise. Same rule on every platform.
 */
export const OFFER_EVERY = 5

/** Answers from content: the plans, the division of work, the calendar, knowledge cards, venues. */
const ANSWER_INTENTS: ReadonlySet<Intent> = new Set(['plan', 'department', 'event', 'kepu', 'venue'])

// A line that starts with a number (「1. …」「回复 2 …」「3、…」) offers that number.
const NUMBERED_LINE = /^\s*(?:回复\s*)?\d{1,2}\s*(?:[.、．:：)）]|\s)/mu

/**
 * True when a bare number would pick something of this reply: a choice shown numbered (in the text, or
 * numbered by the text renderer because the text does not name it), or an item of the numbered list the
 * dialogue keeps after it (「重点工程有哪些」 → 「1」 opens item 1). Choices named in the text without a
 * number (「您还可以问：「…」」) are buttons on Telegram and words elsewhere: a bare 1 after them is free.
 */
export function numbersAreTaken(reply: Reply, listAfter: number): boolean {
  if (listAfter > 0) return true
  const choices = reply.choices ?? []
  if (!choices.length) return false
  if (!choices.every((c) => reply.text.includes(c.label))) return true
  return choices.some((c) => reply.text.split('\n').some((line) => line.includes(c.label) && NUMBERED_LINE.test(line)))
}

/** True when the reply is an answer from content that could carry the offer (before the nag rule). */
export function mayCarryOffer(ctx: Context, reply: ReplyWithMore): boolean {
  if (ctx.incoming.isGroup || reply.silent || reply.handoff || !reply.answered || !ANSWER_INTENTS.has(reply.intent)) return false
  const listAfter = nextDialogue(ctx, reply, reply.remember).list?.length ?? 0
  return !numbersAreTaken(reply, listAfter)
}

export interface FeedbackOfferDeps {
  records: AnswerRecords
  /** Makes answer ids (tests give fixed ones). */
  newId?: () => string
}

/**
 * Observe stage: looks at every reply and, when it is an answer from content in a private chat, a bare
 * number means nothing else after it, and the nag rule allows, puts `feedback` on it (Telegram's 👍/👎, the
 * text platforms' 「回复 1 有用，2 没用」) and keeps the answer for the verdict. An offer lasts one message:
 * any other reply the resident sees withdraws it, so 「1」 then means what it meant before. Silent replies
 * change nothing. A failing store costs the offer, never the answer.
 */
export function createFeedbackOffer(deps: FeedbackOfferDeps): Handler {
  const newId = deps.newId ?? newAnswerId
  return async (ctx, next) => {
    const reply = (await next()) as ReplyWithMore
    if (reply.silent) return reply
    const state = ctx.user.feedback
    if (state?.offered) delete state.offered
    if (!mayCarryOffer(ctx, reply)) return reply
    const answers = state ? state.answers + 1 : OFFER_EVERY
    if (answers < OFFER_EVERY) {
      ctx.user.feedback = { ...state, answers }
      return reply
    }
    const answerId = newId()
    try {
      await deps.records.save(answerId, { question: cleanForStaff(ctx.text), answer: reply.text, channel: ctx.incoming.channel, ...(ctx.region ? { region: ctx.region.name } : {}) }, ctx.now)
    } catch (err) {
      ctx.log.warn({ code: errorCode(err) }, 'feedback: answer not kept; no offer')
      ctx.user.feedback = { ...state, answers }
      return reply
    }
    ctx.user.feedback = { ...state, answers: 0, offered: { answerId, at: ctx.now.toISOString() } }
    return { ...reply, feedback: { answerId, ...(ctx.user.elder ? { elder: true } : {}) } }
  }
}
