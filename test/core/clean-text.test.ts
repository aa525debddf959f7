import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { cleanText, MAX_QUESTION_CHARS } from '../../src/core/clean-text.js'

describe('cleanText', () => {
  it('removes control and zero-width characters and folds width', () => {
    expect(cleanText('\u200b防灾\u0007减灾日\u00a0是哪天？').text).toBe('防灾减灾日 是哪天?')
    expect(cleanText('ＡＢＣ１２３').text).toBe('ABC123')
  })
  it('cuts long input and says so', () => {
    const r = cleanText('问'.repeat(100_000))
    expect(r.truncated).toBe(true)
    expect(Array.from(r.text)).toHaveLength(MAX_QUESTION_CHARS)
  })
  it('never throws and never grows past the limit', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 3000 }), (s) => {
        const r = cleanText(s)
        expect(Array.from(r.text).length).toBeLessThanOrEqual(MAX_QUESTION_CHARS)
        // eslint-disable-next-line no-control-regex -- the test is that control characters are gone
        expect(r.text).not.toMatch(/[\u0000-\u0008\u200b]/u)
      }),
    )
  })
})
