import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { foldText } from '../../src/search/fold-text.js'
import { createTokenizer, domainDictionary } from '../../src/search/tokenizer.js'

describe('foldText', () => {
  it('folds traditional characters, full-width forms and dashes', () => {
    expect(foldText('東營２０２５年科學素質')).toBe('东营2025年科学素质')
    expect(foldText('１６－１７％')).toBe('16-17%')
  })
})

describe('createTokenizer', () => {
  const { tokenize } = createTokenizer()

  it('cuts Chinese into words and bigrams, keeps numbers whole', () => {
    const t = tokenize(foldText('每年开展“科学实验秀”10场次'))
    expect(t).toEqual(expect.arrayContaining(['每年', '科学实验', '实验', '验秀', '10', '场次']))
  })

  it('lets a colloquial fragment meet the formal term through bigrams', () => {
    const q = new Set(tokenize('实验秀'))
    const doc = new Set(tokenize('科学实验秀'))
    expect([...q].some((t) => doc.has(t))).toBe(true)
  })

  it('never yields empty tokens or white space, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        for (const t of tokenize(foldText(s))) {
          expect(t.length).toBeGreaterThan(0)
          expect(t).not.toMatch(/\s/)
        }
      }),
    )
  })

  it('tokenizes the same text the same way every time (index and query agree)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        expect(tokenize(s)).toEqual(tokenize(s))
      }),
    )
  })
})

describe('domainDictionary', () => {
  it('keeps the corpus words with their frequencies and cuts the corpus alike', () => {
    const text = '推进信息技术与科学教育深度融合，每年开展科学实验秀'
    const dict = domainDictionary([text], ['多少'])
    expect(dict).toMatch(/^信息技术 \d+ \w+$/mu)
    expect(dict).toMatch(/^多少 /mu)
    const small = createTokenizer({ dictionary: dict })
    expect(small.tokenize(text)).toEqual(createTokenizer().tokenize(text))
  })
})
