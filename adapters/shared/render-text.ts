import type { Reply } from '../../src/core/reply.js'

/**
 * A reply as plain text for channels without buttons (console, WeChat): the text, then the choices numbered
 * when the text does not already list them (the core usually writes the numbered list into the text).
 * Typing the number picks the choice: the core remembers the choices of the last reply.
 */
export function renderReply(reply: Reply): string {
  const choices = reply.choices ?? []
  if (!choices.length || choices.every((c) => reply.text.includes(c.label))) return reply.text
  return `${reply.text}\n${choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n')}`
}
