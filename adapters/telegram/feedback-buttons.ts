import type { FeedbackOffer, FeedbackVerdict } from '../../src/core/reply.js'

/**
 * The 👍/👎 buttons under an answer that offers feedback, and reading their press back. The callback data
 * names the answer (`fb:+:<id>` / `fb:-:<id>`, well under Telegram's 64 bytes), so a press on an older
 * answer still counts for that answer.
 */
const DATA = /^fb:([+-]):([A-Za-z0-9_-]{1,40})$/u

/** One keyboard row: 「👍 有用」「👎 没用」. */
export function feedbackRow(offer: FeedbackOffer): Array<{ text: string; callback_data: string }> {
  return [
    { text: '👍 有用', callback_data: `fb:+:${offer.answerId}` },
    { text: '👎 没用', callback_data: `fb:-:${offer.answerId}` },
  ]
}

/** The answer and verdict a button's data stands for, or undefined when it is not a feedback button. */
export function readFeedbackData(data: string): { answerId: string; verdict: FeedbackVerdict } | undefined {
  const m = DATA.exec(data)
  return m ? { answerId: m[2]!, verdict: m[1] === '+' ? 'useful' : 'useless' } : undefined
}
