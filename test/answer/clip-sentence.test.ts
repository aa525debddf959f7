import { describe, expect, it } from 'vitest'
import { clipSentence } from '../../src/answer/clip-sentence.js'
import { createTokenizer } from '../../src/search/tokenizer.js'

const { tokenize } = createTokenizer()

describe('clipSentence', () => {
  const long = '到 2025 年,我市公民具备科学素质的比例达到 14.5%，“科学普及与科技创新同等重要”的制度基本形成,城乡、区域、群体间科学素质发展不均衡明显改善,科普供给侧改革成效显著,科学素质标准和评估体系不断完善'

  it('leaves a short sentence alone', () => {
    expect(clipSentence('每年开展“科学实验秀”10场次。', new Set(), tokenize, 90)).toBe('每年开展“科学实验秀”10场次。')
  })

  it('keeps the clauses that answer and marks the cut', () => {
    const out = clipSentence(long, new Set(tokenize('科学素质 比例 达到')), tokenize, 40, true)
    expect(out).toContain('14.5%')
    expect(out.length).toBeLessThanOrEqual(42)
    expect(out.endsWith('…')).toBe(true)
  })

  it('starts with 「…」 when the answer is in the middle', () => {
    const out = clipSentence(long, new Set(tokenize('科普供给侧改革 成效')), tokenize, 30)
    expect(out.startsWith('…')).toBe(true)
    expect(out).toContain('科普供给侧改革')
  })
})
