import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createTokenizer } from '../../src/search/tokenizer.js'
import { TypoFixer } from '../../src/search/typo-fixer.js'
import { testApp } from '../helpers/app.js'

describe('TypoFixer', () => {
  const kb = testApp().knowledge
  const texts = (): string[] => kb.plans.flatMap((p) => p.passages.flatMap((x) => [x.title, x.text]))
  const tokenizer = createTokenizer()
  const cut = (s: string): string[] => tokenizer.cut(s)
  const slips = ['科技管在哪', '公程师培训', '青少年科普教育记地', '应急科普宣传']

  it('finds the same slips with its words cut afresh and read back from the cache file, and leaves plan wording alone', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kepu-typo-')), 'typo-words.txt')
    const fresh = new TypoFixer(texts, cut, new Set(), undefined, file)
    const first = slips.map((q) => fresh.fix(q, cut))
    expect(existsSync(file)).toBe(true)
    expect(readFileSync(file, 'utf8')).toMatch(/^科技\t\d+$/mu)
    expect(readFileSync(file, 'utf8')).toMatch(/^#written$/mu)
    let cutCalls = 0
    const cached = new TypoFixer(texts, (s) => (cutCalls++, cut(s)), new Set(), undefined, file)
    expect(slips.map((q) => cached.fix(q, cut))).toEqual(first)
    expect(cutCalls).toBe(0)
    expect(first[0]!.map(([, meant]) => meant)).toContain('科技馆')
    expect(first[3]).toEqual([])
    expect(first[1]!.map(([, meant]) => meant)).toContain('工程师')
  })
  it('never corrects a stretch the plans use as written, though it sounds like a word one character off', () => {
    const fixer = new TypoFixer(texts, cut)
    fixer.fix('科技管', cut)
    const written = [...(fixer as unknown as { vocabulary: { written: Set<string> } }).vocabulary.written]
    expect(written.length).toBeGreaterThan(0)
    for (const stretch of written.slice(0, 50)) {
      expect(texts().some((t) => t.includes(stretch)), stretch).toBe(true)
      expect(fixer.fix(stretch, (x) => Array.from(x)).map(([typed]) => typed), stretch).not.toContain(stretch)
    }
  })
})
