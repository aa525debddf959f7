import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { splitMessage } from '../../../adapters/shared/split-message.js'

describe('splitMessage', () => {
  it('keeps a short text whole', () => {
    expect(splitMessage('你好。')).toEqual(['你好。'])
    expect(splitMessage('   ')).toEqual([])
  })

  it('cuts on sentence ends, not inside a sentence', () => {
    const sentence = '科学素质是国民素质的重要组成部分。'
    const text = sentence.repeat(500)
    const pieces = splitMessage(text)
    expect(pieces.length).toBeGreaterThan(1)
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(4096)
      expect(p.endsWith('。')).toBe(true)
    }
    expect(pieces.join('')).toBe(text)
  })

  it('prefers a paragraph break to a sentence end', () => {
    const a = '甲'.repeat(30) + '。' + '乙'.repeat(20)
    const text = `${a}\n\n${'丙'.repeat(40)}。`
    expect(splitMessage(text, 80)).toEqual([a, `${'丙'.repeat(40)}。`])
  })

  it('never splits a surrogate pair and loses nothing but white space at cuts', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), fc.integer({ min: 4, max: 60 }), (text, max) => {
        const pieces = splitMessage(text, max)
        for (const p of pieces) {
          expect(p.length).toBeLessThanOrEqual(max)
          expect(/^[\uDC00-\uDFFF]/.test(p)).toBe(false)
          expect(/[\uD800-\uDBFF]$/.test(p)).toBe(false)
        }
        expect(pieces.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''))
      }),
    )
  })
})
