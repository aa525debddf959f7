import { msg } from '../../src/core/messages-zh.js'
import type { Reply } from '../../src/core/reply.js'

/**
 * A reply as plain text for channels without buttons (console, WeChat, the Official Account): the text, then
 * the choices numbered when the text does not already list them (the core usually writes the numbered list
 * into the text), then the feedback line when the reply offers it. Typing the number picks the choice: the
 * core remembers the choices of the last reply; the feedback skill offers its line only when a bare 1 or 2
 * means nothing else, so the two never compete.
 */
export function renderReply(reply: Reply): string {
  const choices = reply.choices ?? []
  const body = !choices.length || choices.every((c) => reply.text.includes(c.label)) ? reply.text : `${reply.text}\n${choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n')}`
  return reply.feedback ? `${body}\n${feedbackLine(reply.feedback)}` : body
}

/** THE feedback line of the text platforms: 「回复 1 有用，2 没用」, shorter in 长辈模式. */
export function feedbackLine(offer: NonNullable<Reply['feedback']>): string {
  return msg(offer.elder ? 'feedbackLineElder' : 'feedbackLine')
}
