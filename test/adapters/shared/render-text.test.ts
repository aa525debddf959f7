import { describe, expect, it } from 'vitest'
import { renderReply } from '../../../adapters/shared/render-text.js'
import type { Reply } from '../../../src/core/reply.js'

const answer: Reply = { text: '全国防灾减灾日：2026年5月12日。', answered: true, intent: 'event' }

describe('renderReply (console, WeChat, the Official Account)', () => {
  it('adds the feedback line last when the reply offers it, the shorter one in 长辈模式', () => {
    expect(renderReply({ ...answer, feedback: { answerId: 'a1' } })).toBe('全国防灾减灾日：2026年5月12日。\n回复 1 有用，2 没用')
    expect(renderReply({ ...answer, feedback: { answerId: 'a1', elder: true } })).toBe('全国防灾减灾日：2026年5月12日。\n有用回 1，没用回 2')
    expect(renderReply(answer)).toBe(answer.text)
  })

  it('numbers choices the text does not name, and adds nothing to a reply without an offer', () => {
    const reply: Reply = { text: '您在哪个地区？', answered: true, intent: 'region', choices: [{ label: '东营', value: '我在东营' }, { label: '乌海', value: '我在乌海' }] }
    expect(renderReply(reply)).toBe('您在哪个地区？\n1. 东营\n2. 乌海')
  })
})
