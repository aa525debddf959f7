import type MiniSearch from 'minisearch'
import type { AsPlainObject } from 'minisearch'
import type { CompactTerms } from './compact-terms.js'

/** A passage found by a shard's term search, and its BM25 score. */
export interface ShardResult {
  id: string
  score: number
}

/** What PlanIndex asks of a shard's index: passages for some exact terms (any of them), best first. */
export interface ShardSearcher {
  search(terms: readonly string[]): ShardResult[]
}

/** What BM25 needs of a shard's documents besides its terms: MiniSearch's figures, kept in typed arrays. */
export interface SavedDocuments {
  documentCount: number
  /** Field name → field id (MiniSearch numbers the fields in the order of its options). */
  fieldIds: Record<string, number>
  /** The average length of each field, by field id. */
  averageFieldLength: number[]
  /** Each document's field lengths: document × fields + field id. */
  fieldLength: Int32Array
}

/**
 * A MiniSearch built in this process as a ShardSearcher: the same exact-term OR search, with the same
 * boosts, that SavedShardSearch computes over a saved shard.
 */
export function miniSearchSearcher<T>(index: MiniSearch<T>, boost: Readonly<Record<string, number>>): ShardSearcher {
  return { search: (terms) => index.search(terms.join(' '), { boost, combineWith: 'OR', tokenize: splitOnSpace }) }
}

const splitOnSpace = (s: string): string[] => s.split(' ')

/**
 * A saved MiniSearch's document figures (field lengths by document × field), checking that its documents
 * are numbered 0… in the order added, as SavedShardSearch's callers name them.
 */
export function savedDocuments(saved: AsPlainObject): SavedDocuments {
  const { documentCount, documentIds, fieldIds, averageFieldLength } = saved
  const fields = averageFieldLength.length
  const fieldLength = new Int32Array(documentCount * fields)
  for (let doc = 0; doc < documentCount; doc++) {
    const lengths = (saved.fieldLength as Record<string, number[]>)[doc]
    if (documentIds[doc] === undefined || !lengths || lengths.length !== fields) throw new Error(`saved shard: document ${doc} is not numbered in the order added`)
    fieldLength.set(lengths, doc * fields)
  }
  return { documentCount, fieldIds, averageFieldLength, fieldLength }
}

/** MiniSearch's BM25+ parameters (its defaults, which the shards were built and ranked with). */
const BM25 = { k: 1.2, b: 0.7, d: 0.5 }

/** Scratch for every search (searches run one at a time, to the end): grown, never shrunk. */
let termScore = new Float64Array(0)
let total = new Float64Array(0)
let quality = new Int32Array(0)
let termStamp = new Int32Array(0)
let searchStamp = new Int32Array(0)
let order = new Int32Array(0)
let termOrder = new Int32Array(0)
let stamp = 0

function scratch(size: number): void {
  if (termScore.length >= size) return
  const n = Math.max(size, 2 * termScore.length, 64)
  termScore = new Float64Array(n)
  total = new Float64Array(n)
  quality = new Int32Array(n)
  termStamp = new Int32Array(n)
  searchStamp = new Int32Array(n)
  order = new Int32Array(n)
  termOrder = new Int32Array(n)
  stamp = 0
}

/**
 * A loaded shard's term search: MiniSearch's exact-term OR search (BM25+ per field with field boosts, a
 * document's score times the number of query terms it has, best first, ties in the order found), computed
 * from the postings in place (CompactTerms.scan) and the field lengths in a typed array. MiniSearch's own
 * search over a loaded shard made maps and objects per document, term and search, and its documents' maps
 * per load: most of what a national corpus left for the collector per question. Equal to MiniSearch's
 * results, scores included, on every passage title of the seeds (test/search/plan-index-scale.test.ts).
 */
export class SavedShardSearch implements ShardSearcher {
  private readonly fields: number
  /** Boost by field id. */
  private readonly boosts: Float64Array

  /**
   * @param ids a document's id by its short id (MiniSearch's numbering: the order the documents were added)
   * @param boost boost by field name (1 for a field not named), as MiniSearch's `boost` search option
   */
  constructor(
    private readonly terms: CompactTerms,
    private readonly docs: SavedDocuments,
    private readonly ids: (shortId: number) => string,
    boost: Readonly<Record<string, number>>,
  ) {
    this.fields = docs.averageFieldLength.length
    this.boosts = new Float64Array(this.fields)
    for (const [field, id] of Object.entries(docs.fieldIds)) this.boosts[id] = boost[field] || 1
  }

  search(terms: readonly string[]): ShardResult[] {
    const n = this.docs.documentCount
    scratch(n)
    // Stamps mark what this search and this term have seen without clearing arrays; long before they
    // would overflow the Int32 arrays, everything is cleared once.
    if (stamp > 1 << 30) {
      termStamp.fill(0)
      searchStamp.fill(0)
      stamp = 0
    }
    const thisSearch = ++stamp
    let found = 0
    const { fieldLength, averageFieldLength } = this.docs
    for (let t = 0; t < terms.length; t++) {
      const term = terms[t]!
      if (!term) continue
      // MiniSearch counts a repeated query term's score again but not as another matched term.
      const repeat = terms.indexOf(term) < t
      const thisTerm = ++stamp
      let inTerm = 0
      // Field by field, documents in ascending order: MiniSearch's order, so sums and ties come out the same.
      this.terms.scan(term, (field, doc, freq, docsInField) => {
        if (doc >= n || field >= this.fields) return
        const invDocFreq = Math.log(1 + (n - docsInField + 0.5) / (docsInField + 0.5))
        const raw = invDocFreq * (BM25.d + (freq * (BM25.k + 1)) / (freq + BM25.k * (1 - BM25.b + (BM25.b * fieldLength[doc * this.fields + field]!) / averageFieldLength[field]!)))
        const weighted = this.boosts[field]! * raw
        if (termStamp[doc] === thisTerm) termScore[doc] = termScore[doc]! + weighted
        else {
          termStamp[doc] = thisTerm
          termScore[doc] = weighted
          termOrder[inTerm++] = doc
        }
      })
      for (let i = 0; i < inTerm; i++) {
        const doc = termOrder[i]!
        if (searchStamp[doc] === thisSearch) {
          total[doc] = total[doc]! + termScore[doc]!
          if (!repeat) quality[doc]!++
        } else {
          searchStamp[doc] = thisSearch
          total[doc] = termScore[doc]!
          quality[doc] = 1
          order[found++] = doc
        }
      }
    }
    const results: ShardResult[] = []
    for (let i = 0; i < found; i++) {
      const doc = order[i]!
      results.push({ id: this.ids(doc), score: total[doc]! * quality[doc]! })
    }
    return results.sort(byScore)
  }
}

const byScore = (a: ShardResult, b: ShardResult): number => b.score - a.score
