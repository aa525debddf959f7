import type { Reply } from '../../src/core/reply.js'
import { feedbackRow } from './feedback-buttons.js'

/** An inline keyboard as the Bot API takes it. */
export interface InlineKeyboard {
  inline_keyboard: Array<Array<{ text: string; callback_data: string }>>
}

const MAX_CALLBACK_BYTES = 64

/**
 * Reply choices as inline buttons, plus 「更多」 when the reply has more (`hasMore`), plus a last row
 * 「👍 有用」「👎 没用」 when the reply offers feedback (`feedback`). A value longer than
 * Telegram's 64-byte callback_data is replaced by a short key remembered here (bounded), so a press
 * sends the full value back.
 */
export class Keyboards {
  private readonly values = new Map<string, string>()
  private nextKey = 1
  constructor(private readonly maxValues = 2048) {}

  /** The keyboard for a reply, or undefined when it has no buttons. */
  of(reply: Reply): InlineKeyboard | undefined {
    const buttons = (reply.choices ?? []).map((c) => ({ text: c.label.slice(0, 64) || c.value.slice(0, 64), callback_data: this.callbackData(c.value) }))
    if (reply.hasMore && !buttons.some((b) => b.callback_data === '更多')) buttons.push({ text: '更多', callback_data: '更多' })
    const feedback = reply.feedback ? [feedbackRow(reply.feedback)] : []
    if (!buttons.length && !feedback.length) return undefined
    const perRow = buttons.every((b) => b.text.length <= 6) ? 3 : buttons.every((b) => b.text.length <= 12) ? 2 : 1
    const rows: InlineKeyboard['inline_keyboard'] = []
    for (let i = 0; i < buttons.length; i += perRow) rows.push(buttons.slice(i, i + perRow))
    // On a row of their own, last: the answer's own buttons (follow-ups, 更多) stay where they were.
    return { inline_keyboard: [...rows, ...feedback] }
  }

  /** The value a pressed button stands for (the data itself unless it is a remembered key). */
  valueOf(data: string): string {
    return this.values.get(data) ?? data
  }

  private callbackData(value: string): string {
    if (Buffer.byteLength(value) <= MAX_CALLBACK_BYTES && !value.startsWith('#')) return value
    const key = `#${this.nextKey++}`
    this.values.set(key, value)
    if (this.values.size > this.maxValues) this.values.delete(this.values.keys().next().value!)
    return key
  }
}
