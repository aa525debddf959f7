import MiniSearch from 'minisearch'
import { describe, expect, it } from 'vitest'
import { CompactTerms } from '../../src/search/compact-terms.js'
import { SavedShardSearch } from '../../src/search/saved-shard-search.js'
import { decodeShardFile, encodeShardFile } from '../../src/search/shard-file.js'

describe('SavedShardSearch', () => {
  // Documents of uneven lengths over a small vocabulary, so terms repeat across fields and documents.
  const words = ['科普', '基地', '应急', '演练', '志愿者', '培训', '青少年', '科技馆', '农民', '社区', '老年人', '数字']
  let seed = 7
  const pick = (): string => words[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % words.length]!
  const text = (n: number): string => Array.from({ length: n }, pick).join(' ')
  const docs = Array.from({ length: 60 }, (_, i) => ({ id: `p#${i}`, title: text(1 + (i % 3)), headings: text(i % 4), text: text(5 + (i % 17)), units: text(i % 2) }))
  const fields = ['title', 'headings', 'text', 'units']
  const boost = { title: 2, headings: 1.2, text: 1, units: 0.6 }
  const split = (s: string): string[] => s.split(' ').filter(Boolean)
  const mini = new MiniSearch<(typeof docs)[number]>({ fields, storeFields: [], tokenize: split, processTerm: (t) => t })
  mini.addAll(docs)
  const { index: entries, ...documents } = mini.toJSON()
  const file = encodeShardFile({ version: 1, fingerprint: 'f', index: { ...documents, index: [] }, terms: CompactTerms.encode(entries, new Map()), size: docs.length, sentences: {} })
  const saved = decodeShardFile(file)!
  const search = new SavedShardSearch(saved.terms, saved.documents, (doc) => docs[doc]!.id, boost)

  it('ranks as MiniSearch does, scores and ties included, for any set of terms', () => {
    const queries = [['科普'], ['科普', '基地'], ['数字', '老年人', '社区'], ['没有的词'], [], ['培训', '没有的词', '青少年'], ...Array.from({ length: 40 }, () => [pick(), pick(), pick()])]
    for (const terms of queries) {
      const want = mini.search(terms.join(' '), { boost, combineWith: 'OR', tokenize: split }).map((r) => ({ id: r.id as string, score: r.score }))
      expect(search.search(terms), terms.join(' ')).toEqual(want)
    }
  })
})
