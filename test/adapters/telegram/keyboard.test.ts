import { describe, expect, it } from 'vitest'
import { Keyboards } from '../../../adapters/telegram/keyboard.js'
import type { Reply } from '../../../src/core/reply.js'

const answer: Reply = { text: '全国防灾减灾日：2026年5月12日。', answered: true, intent: 'event' }
const FEEDBACK_ROW = [
  { text: '👍 有用', callback_data: 'fb:+:a1' },
  { text: '👎 没用', callback_data: 'fb:-:a1' },
]

describe('telegram keyboards', () => {
  it('puts 👍 有用 / 👎 没用 on a row of their own under the answer', () => {
    expect(new Keyboards().of({ ...answer, feedback: { answerId: 'a1' } })).toEqual({ inline_keyboard: [FEEDBACK_ROW] })
  })

  it('keeps the answer’s own buttons (follow-ups, 更多) above, as they were', () => {
    const reply: Reply = { ...answer, choices: [{ label: '最近有什么科普活动', value: '最近有什么科普活动' }], hasMore: true }
    const without = new Keyboards().of(reply)!
    expect(new Keyboards().of({ ...reply, feedback: { answerId: 'a1' } })).toEqual({ inline_keyboard: [...without.inline_keyboard, FEEDBACK_ROW] })
    expect(without.inline_keyboard.flat().map((b) => b.text)).toEqual(['最近有什么科普活动', '更多'])
  })

  it('has no keyboard without choices, 更多 or feedback', () => {
    expect(new Keyboards().of(answer)).toBeUndefined()
  })
})
