import MiniSearch from 'minisearch'
import { describe, expect, it } from 'vitest'
import { CompactTerms } from '../../src/search/compact-terms.js'

describe('CompactTerms', () => {
  const docs = [
    { id: 'a', title: '科普 基地', text: '科普 基地 建设 科普' },
    { id: 'b', title: '应急 科普', text: '应急 演练 a|b 10=2' },
    { id: 'c', title: '', text: '' },
  ]
  const index = new MiniSearch<{ id: string; title: string; text: string }>({ fields: ['title', 'text'], tokenize: (s) => s.split(' ').filter(Boolean) })
  index.addAll(docs)
  const saved = index.toJSON()
  const df = new Map([['科普', 2], ['基地', 1], ['只在计数里', 3]])
  const terms = CompactTerms.fromJSON(JSON.parse(JSON.stringify(CompactTerms.encode(saved.index, df))) as ReturnType<typeof CompactTerms.encode>)

  /** A term's postings as `scan` visits them, in MiniSearch's form (field id → document id → frequency). */
  const postings = (term: string) => {
    const out = new Map<number, Map<number, number>>()
    const counts = new Map<number, number>()
    const found = terms.scan(term, (field, doc, freq, docsInField) => {
      if (!out.has(field)) out.set(field, new Map())
      out.get(field)!.set(doc, freq)
      counts.set(field, docsInField)
    })
    for (const [field, docs] of out) expect(counts.get(field)).toBe(docs.size)
    return found ? out : undefined
  }

  it('gives every term MiniSearch saved, exactly as loadJS would (field id → document id → frequency)', () => {
    for (const [term, data] of saved.index as [string, Record<string, Record<string, number>>][]) {
      const want = new Map(Object.entries(data).map(([f, docsOf]) => [Number(f), new Map(Object.entries(docsOf).map(([d, n]) => [Number(d), n]))]))
      expect(postings(term), term).toEqual(want)
    }
    expect(postings('没有')).toBeUndefined()
    expect(postings('只在计数里')).toBeUndefined()
  })

  it('counts like the Map it was made from, terms of either kind, and iterates in term order', () => {
    expect(terms.get('科普')).toBe(2)
    expect(terms.get('只在计数里')).toBe(3)
    expect(terms.get('应急')).toBeUndefined()
    expect(terms.get('')).toBeUndefined()
    expect(new Map(terms)).toEqual(df)
    expect(terms.size).toBe(new Set([...df.keys(), ...saved.index.map(([t]) => t)]).size)
  })

  it('refuses a term it could not find again (a tab or a line break in it)', () => {
    expect(() => CompactTerms.encode([], new Map([['a\tb', 1]]))).toThrow(/tab or a line break/)
  })

  it('is empty for an empty shard', () => {
    const empty = CompactTerms.fromJSON(CompactTerms.encode([], new Map()))
    expect(empty.size).toBe(0)
    expect(empty.get('x')).toBeUndefined()
  })
})
