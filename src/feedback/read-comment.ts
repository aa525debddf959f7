import type { FollowUp, RoutedIntent } from '../core/bot.js'

/**
 * What the message after 「哪里不对或缺了什么？」 is:
 * - `skip`: 0, 跳过, 算了 … — no comment;
 * - `comment`: a short remark on the answer (「没说具体时间」「太笼统了」「不对」) — stored, thanked;
 * - `comment-and-answer`: a correction that asks again (「不对，我想问的是…」, as the router read it) — stored
 *   as the comment and answered as the new question it also is;
 * - `other`: not a comment — a new question, a menu number, a command, a region, thanks, a forwarded
 *   message, or too long to be a remark — answered as usual and nothing stored.
 */
export type CommentReading = 'skip' | 'comment' | 'comment-and-answer' | 'other'

/** Longer than this, a message is not a remark on the last answer (a pasted text, a long new question). */
export const MAX_COMMENT_CHARS = 120

const SKIP = /^(?:0|跳过|不用了?|算了|没有了?|没了|无|不说了|没什么|没啥|不想说|pass)$/iu
// Words that speak about the answer, not about a new topic: they make a message a comment even when it asks.
const ABOUT_ANSWER =
  /不对|不准|不全|错了|有错|答非所问|文不对题|没(?:有)?(?:说|讲|回答|答|提到?|写|找到|讲清|说清)|缺|漏|不清楚|看不懂|听不懂|太(?:长|短|多|少|笼统|简单|复杂|旧|慢|难)|过时|不具体|不详细|不够|没用|没帮助|不是我(?:要|想)|我(?:要|想)(?:问)?的(?:是|不是)|希望|建议|应该(?:说|写|讲|告诉|有)|最好(?:说|写|讲|能)/u
// A new question: it ends asking, or carries a question word.
const ASKS = /[？?]$|[吗嘛么呢]$|什么|啥|怎么|怎样|咋|哪|多少|几(?:个|月|年|号|天|点|时|岁|次|种|项)|谁|是否|能不能|可不可以|有没有|会不会|要不要|如何|为什么|为啥/u
// What the router read as anything but a plain message: these keep their meaning.
const NOT_REMARKS: ReadonlySet<RoutedIntent> = new Set(['smalltalk', 'region', 'mode', 'check', 'followup'])

/** Reads the message after the 没用 question; `intent` and `followUp` are the router's reading of it. */
export function readComment(text: string, seen: { intent?: RoutedIntent | undefined; followUp?: FollowUp | undefined; forwarded: boolean }): CommentReading {
  const t = text.trim().replace(/[。.!！~～]+$/u, '')
  if (SKIP.test(t)) return 'skip'
  if (!t || seen.forwarded || t.startsWith('/') || /^\d{1,3}$/u.test(t) || Array.from(t).length > MAX_COMMENT_CHARS) return 'other'
  if (seen.followUp?.kind === 'correction') return 'comment-and-answer'
  if (seen.intent && NOT_REMARKS.has(seen.intent)) return 'other'
  if (ABOUT_ANSWER.test(t)) return 'comment'
  return ASKS.test(t) ? 'other' : 'comment'
}
