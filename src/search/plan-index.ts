import MiniSearch, { type AsPlainObject } from 'minisearch'
import type { Passage, Plan } from '../knowledge/plan.js'
import type { AnalyzedQuestion } from './analyze-question.js'
import { foldText } from './fold-text.js'
import type { Tokenize } from './tokenizer.js'

/** A passage found for a question, with the sentence that answers best. */
export interface SearchHit {
  passage: Passage
  /** The combined score used for ranking (0–~1.5). */
  score: number
  /** The best-answering sentence of the passage. */
  sentence: string
  /** How much of the question's topic (IDF-weighted) that sentence covers, 0–1. */
  coverage: number
}

/** Options of one search. */
export interface SearchOptions {
  /** Search only this region's shard; absent: every shard. */
  region?: string
  limit?: number
}

interface Shard {
  index: MiniSearch<IndexedPassage>
  /** Document frequency of every term in this shard, for IDF weights. */
  df: Map<string, number>
  size: number
}

interface IndexedPassage {
  id: string
  title: string
  headings: string
  text: string
  units: string
}

/** The serialised form of a PlanIndex (see `toJSON`). */
export interface PlanIndexJSON {
  version: number
  fingerprint: string
  shards: Record<string, { index: AsPlainObject; df: [string, number][]; size: number }>
}

const INDEX_VERSION = 1
const FIELDS = ['title', 'headings', 'text', 'units'] as const
const FIGURE = /\d+(?:\.\d+)?\s*(?:-\s*\d+(?:\.\d+)?\s*)?(?:%|个|场|人|项|次|所|家|万|亿|平|名|支|处|期|座|门|家|批|余|以上|元|小时)/u
const SENTENCE = /[^。；;！!？?]+[。；;！!？?]?/gu

/**
 * The search index over plan passages: one MiniSearch shard per region, so a question about one region
 * touches only that region's passages and thousands of plans stay fast. Results are re-ranked by the
 * sentence that answers best and by the question's shape. An index can be saved (`toJSON`) and loaded
 * (`fromJSON`) instead of rebuilt.
 */
export class PlanIndex {
  private readonly shards = new Map<string, Shard>()
  private readonly passages = new Map<string, Passage>()
  /** Sentences of passages already ranked once, with their terms: ranking is the hot path. */
  private readonly sentenceCache = new Map<string, { sentences: { text: string; terms: Set<string> }[]; context: Set<string> }>()

  private constructor(
    private readonly tokenize: Tokenize,
    readonly fingerprint: string,
  ) {}

  /** Builds every shard from the plans. `fingerprint` identifies the content (see `planFingerprint`). */
  static build(plans: readonly Plan[], tokenize: Tokenize, fingerprint = ''): PlanIndex {
    const idx = new PlanIndex(tokenize, fingerprint)
    const byRegion = new Map<string, Passage[]>()
    for (const plan of plans) {
      for (const p of plan.passages) {
        idx.passages.set(p.id, p)
        byRegion.set(p.region, [...(byRegion.get(p.region) ?? []), p])
      }
    }
    for (const [region, list] of byRegion) {
      const index = idx.newMiniSearch()
      const docs = list.map(toIndexed)
      index.addAll(docs)
      const df = new Map<string, number>()
      for (const d of docs) for (const t of new Set(tokenize(foldText(`${d.title} ${d.text}`)))) df.set(t, (df.get(t) ?? 0) + 1)
      idx.shards.set(region, { index, df, size: docs.length })
    }
    return idx
  }

  /** Loads a saved index; the plans must be the same ones (same fingerprint), or undefined is returned. */
  static fromJSON(json: PlanIndexJSON, plans: readonly Plan[], tokenize: Tokenize, fingerprint: string): PlanIndex | undefined {
    if (json.version !== INDEX_VERSION || json.fingerprint !== fingerprint) return undefined
    const idx = new PlanIndex(tokenize, fingerprint)
    for (const plan of plans) for (const p of plan.passages) idx.passages.set(p.id, p)
    for (const [region, s] of Object.entries(json.shards)) {
      const index = MiniSearch.loadJS<IndexedPassage>(s.index, idx.miniSearchOptions())
      idx.shards.set(region, { index, df: new Map(s.df), size: s.size })
    }
    return idx
  }

  toJSON(): PlanIndexJSON {
    const shards: PlanIndexJSON['shards'] = {}
    for (const [region, s] of this.shards) shards[region] = { index: s.index.toJSON(), df: [...s.df], size: s.size }
    return { version: INDEX_VERSION, fingerprint: this.fingerprint, shards }
  }

  /** Regions that have passages. */
  regions(): string[] {
    return [...this.shards.keys()]
  }

  /** Passages for a question, best first. */
  search(question: AnalyzedQuestion, options: SearchOptions = {}): SearchHit[] {
    const limit = options.limit ?? 5
    const query = [question.topic, ...question.expansions].join(' ').trim()
    if (!query) return []
    const topicTerms = [...new Set(this.tokenize(question.topic))]
    const expansionTerms = [...new Set(this.tokenize(question.expansions.join(' ')))].filter((t) => !topicTerms.includes(t))
    const shards = options.region ? [this.shards.get(options.region)].filter((s): s is Shard => !!s) : [...this.shards.values()]
    const hits: SearchHit[] = []
    for (const shard of shards) {
      const found = shard.index.search(query, { boost: { title: 2, headings: 1.2, text: 1, units: 0.6 }, combineWith: 'OR' }).slice(0, 12)
      const top = found[0]?.score ?? 1
      for (const r of found) {
        const passage = this.passages.get(String(r.id))
        if (!passage) continue
        const best = this.bestSentence(passage, shard, topicTerms, expansionTerms, question)
        const score = 0.35 * (r.score / top) + 0.65 * best.coverage + best.bonus
        hits.push({ passage, score, sentence: best.sentence, coverage: best.coverage })
      }
    }
    return hits.sort((a, b) => b.score - a.score).slice(0, limit)
  }

  private bestSentence(passage: Passage, shard: Shard, topic: string[], expansion: string[], q: AnalyzedQuestion): { sentence: string; coverage: number; bonus: number } {
    const idf = (t: string): number => Math.log(1 + shard.size / (1 + (shard.df.get(t) ?? 0)))
    const total = topic.reduce((s, t) => s + idf(t), 0) || 1
    let best = { sentence: passage.text, coverage: 0, bonus: 0, rank: -1 }
    const { sentences, context: contextTerms } = this.sentencesOf(passage)
    for (const { text: sentence, terms } of sentences) {
      let got = 0
      for (const t of topic) if (terms.has(t)) got += idf(t)
      else if (contextTerms.has(t)) got += 0.5 * idf(t)
      let extra = 0
      for (const t of expansion) if (terms.has(t)) extra += 0.3 * idf(t)
      const coverage = Math.min(1, got / total)
      let bonus = Math.min(0.15, extra / total)
      if (q.shape === 'number' && FIGURE.test(sentence)) bonus += 0.2
      if (q.shape === 'definition' && /是指|指的是|是.{0,6}的(总称|统称)/u.test(sentence)) bonus += 0.3
      if (q.shape === 'lead' && passage.leads.length) bonus += 0.05
      const rank = coverage + bonus
      if (rank > best.rank) best = { sentence, coverage, bonus, rank }
    }
    return best
  }

  private sentencesOf(passage: Passage): { sentences: { text: string; terms: Set<string> }[]; context: Set<string> } {
    let cached = this.sentenceCache.get(passage.id)
    if (!cached) {
      const sentences = (passage.text.match(SENTENCE) ?? [passage.text])
        .map((s) => s.trim())
        .filter((s) => s.length >= 4)
        .map((text) => ({ text, terms: new Set(this.tokenize(foldText(text))) }))
      const context = new Set(this.tokenize(foldText(`${passage.title} ${passage.headings.join(' ')}`)))
      cached = { sentences, context }
      this.sentenceCache.set(passage.id, cached)
    }
    return cached
  }

  private miniSearchOptions(): ConstructorParameters<typeof MiniSearch<IndexedPassage>>[0] {
    const tokenize = this.tokenize
    return {
      fields: [...FIELDS],
      storeFields: [],
      tokenize: (text: string) => tokenize(foldText(text)),
      processTerm: (term: string) => term,
      searchOptions: { tokenize: (text: string) => tokenize(foldText(text)), processTerm: (term: string) => term },
    }
  }

  private newMiniSearch(): MiniSearch<IndexedPassage> {
    return new MiniSearch<IndexedPassage>(this.miniSearchOptions())
  }
}

function toIndexed(p: Passage): IndexedPassage {
  return { id: p.id, title: p.title, headings: p.headings.join(' '), text: p.text, units: [...p.leads, ...p.units].join(' ') }
}
