import type { Passage } from '../knowledge/plan.js'
import { foldText } from './fold-text.js'
import type { Tokenize } from './tokenizer.js'

/** A term in more than this share of a shard's passages is common there (it tells little). */
export const COMMON_TERM = 0.4
/** How many of a plan's most used terms (besides its titles and headings) route questions to it. */
const ROUTING_TERMS = 400

/** What the router keeps of one region's plan: a few hundred terms, not its index. */
export interface RegionSummary {
  region: string
  /** Terms in more than COMMON_TERM of its passages. */
  common: string[]
  /** The terms of its titles and headings, and its most used other terms. */
  terms: string[]
}

/** The router as saved beside the shards. */
export interface RoutingJSON {
  version: number
  fingerprint: string
  regions: RegionSummary[]
}

/** A region's summary, from its shard's document frequencies and its passages. */
export function summarize(region: string, df: Iterable<readonly [string, number]>, size: number, passages: readonly Passage[], tokenize: Tokenize): RegionSummary {
  const common: string[] = []
  for (const [t, n] of df) if (n > size * COMMON_TERM) common.push(t)
  const terms = new Set<string>()
  for (const p of passages) for (const t of tokenize(foldText(`${p.title} ${p.headings.join(' ')}`))) terms.add(t)
  const byUse = [...df].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
  for (const [t] of byUse.slice(0, ROUTING_TERMS)) terms.add(t)
  return { region, common, terms: [...terms] }
}

/**
 * The small routing index over every plan: which regions' titles, headings and most used terms a
 * question's terms point to (a question without a region searches only those), and which terms are
 * common in every plan (a question of only such terms is vague). Its size grows with the number of
 * plans by a few hundred terms each, and it never loads a shard.
 */
export class RegionRouter {
  private readonly regions: string[]
  /** Term → the indexes of the regions whose summary has it. */
  private readonly postings = new Map<string, number[]>()
  /** Term → in how many regions it is common. */
  private readonly commonIn = new Map<string, number>()
  /** Scratch scores for `pick`, zeroed after each use, and the regions it touched. */
  private scores: Float64Array | undefined
  private touched: Int32Array | undefined

  constructor(summaries: readonly RegionSummary[]) {
    this.regions = summaries.map((s) => s.region)
    summaries.forEach((s, i) => {
      for (const t of s.terms) {
        const list = this.postings.get(t)
        if (list) list.push(i)
        else this.postings.set(t, [i])
      }
      for (const t of s.common) this.commonIn.set(t, (this.commonIn.get(t) ?? 0) + 1)
    })
  }

  static fromJSON(json: RoutingJSON): RegionRouter {
    return new RegionRouter(json.regions)
  }

  /** True when every term is common in every region's plan. */
  commonEverywhere(terms: readonly string[]): boolean {
    return terms.every((t) => this.commonIn.get(t) === this.regions.length)
  }

  /** Up to `limit` regions for these terms, best first: the IDF-weighted sum of the terms each one's summary has. */
  pick(terms: readonly string[], limit: number): string[] {
    // Scores in an array by region, the touched ones listed: a term most plans use touches thousands of
    // regions, and a Map entry each plus a sort of them all cost more than the rest of a question.
    const scores = (this.scores ??= new Float64Array(this.regions.length))
    // Reused too: a common term touches thousands of regions, and a list of them per question was garbage.
    const touched = (this.touched ??= new Int32Array(this.regions.length))
    let count = 0
    for (const t of new Set(terms)) {
      const list = this.postings.get(t)
      if (!list) continue
      const idf = Math.log(1 + this.regions.length / list.length)
      for (const i of list) {
        if (scores[i] === 0) touched[count++] = i
        scores[i] = scores[i]! + idf
      }
    }
    // The best `limit` by a running insertion (limit is small), ties to the earlier region.
    const best: number[] = []
    const better = (a: number, b: number): boolean => scores[a]! > scores[b]! || (scores[a] === scores[b] && a < b)
    for (let k = 0; k < count; k++) {
      const i = touched[k]!
      if (best.length === limit && !better(i, best[limit - 1]!)) continue
      let at = best.length < limit ? best.length : limit - 1
      best[at] = i
      while (at > 0 && better(best[at]!, best[at - 1]!)) {
        const swap = best[at - 1]!
        best[at - 1] = best[at]!
        best[at] = swap
        at--
      }
    }
    const out = best.map((i) => this.regions[i]!)
    for (let k = 0; k < count; k++) scores[touched[k]!] = 0
    return out
  }
}
