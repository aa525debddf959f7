import MiniSearch, { type AsPlainObject } from 'minisearch'
import { NATIONAL } from '../knowledge/parse-plan.js'
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

/** IDF weights of a question's terms in one shard, computed once per search. */
interface Weights {
  topic: number[]
  expansion: number[]
  total: number
  alternatives: Map<string, string[]>
}

interface IndexedPassage {
  id: string
  title: string
  headings: string
  text: string
  units: string
}

/** The serialised form of one shard (see `PlanIndex` and `ShardStore`). */
export interface PlanShardJSON {
  version: number
  fingerprint: string
  index: AsPlainObject
  df: [string, number][]
  size: number
}

/** Where built shards are kept between runs (a cache folder); any failure just means a rebuild. */
export interface ShardStore {
  read(region: string): PlanShardJSON | undefined
  write(region: string, shard: PlanShardJSON): void
}

const INDEX_VERSION = 2
/** A term in more than this share of a shard's passages is left out of the index lookup. */
const COMMON_TERM = 0.4
const BOOST = { title: 2, headings: 1.2, text: 1, units: 0.6 }
const splitOnSpace = (s: string): string[] => s.split(' ')
const FIELDS = ['title', 'headings', 'text', 'units'] as const
const FIGURE = /\d+(?:\.\d+)?\s*(?:-\s*\d+(?:\.\d+)?\s*)?(?:%|个|场|人|项|次|所|家|万|亿|平|名|支|处|期|座|门|批|余|以上|元|小时)/u
const SENTENCE = /[^。；;！!？?]+[。；;！!？?]?/gu

/**
 * The search index over plan passages: one MiniSearch shard per region, so a question about one region
 * touches only that region's passages and thousands of plans stay fast. A shard is built (or loaded
 * from the `ShardStore`) the first time its region is searched, so startup does not grow with the
 * corpus. Results are re-ranked by the sentence that answers best and by the question's shape.
 */
export class PlanIndex {
  private readonly shards = new Map<string, Shard>()
  private readonly byRegion = new Map<string, Passage[]>()
  private readonly passages = new Map<string, Passage>()
  /** Sentences of passages already ranked once, with their terms: ranking is the hot path. */
  private readonly sentenceCache = new Map<string, { sentences: { text: string; terms: Set<string> }[]; context: Set<string> }>()

  /**
   * @param fingerprint identifies the content (see `planFingerprint`); a stored shard of another
   *   fingerprint is ignored.
   */
  constructor(
    plans: readonly Plan[],
    private readonly tokenize: Tokenize,
    readonly fingerprint = '',
    private readonly store?: ShardStore,
  ) {
    for (const plan of plans) {
      for (const p of plan.passages) {
        this.passages.set(p.id, p)
        const list = this.byRegion.get(p.region)
        if (list) list.push(p)
        else this.byRegion.set(p.region, [p])
      }
    }
  }

  /** Regions that have passages. */
  regions(): string[] {
    return [...this.byRegion.keys()]
  }

  /** Builds (or loads) every shard now instead of on first use; returns how many were built. */
  warm(): number {
    let built = 0
    for (const region of this.byRegion.keys()) if (!this.shards.has(region) && this.shard(region).built) built++
    for (const p of this.passages.values()) this.sentencesOf(p)
    return built
  }

  /** A shard as JSON, for saving (builds it if needed). */
  shardJSON(region: string): PlanShardJSON | undefined {
    const s = this.byRegion.has(region) ? this.shard(region) : undefined
    return s && { version: INDEX_VERSION, fingerprint: this.fingerprint, index: s.index.toJSON(), df: [...s.df], size: s.size }
  }

  private shard(region: string): Shard & { built?: boolean } {
    const have = this.shards.get(region)
    if (have) return have
    const stored = this.store?.read(region)
    if (stored && stored.version === INDEX_VERSION && stored.fingerprint === this.fingerprint) {
      const loaded = { index: MiniSearch.loadJS<IndexedPassage>(stored.index, this.miniSearchOptions()), df: new Map(stored.df), size: stored.size }
      this.shards.set(region, loaded)
      return loaded
    }
    const docs = (this.byRegion.get(region) ?? []).map(toIndexed)
    const index = new MiniSearch<IndexedPassage>(this.miniSearchOptions())
    index.addAll(docs)
    const df = new Map<string, number>()
    for (const d of docs) for (const t of new Set(this.tokenize(foldText(`${d.title} ${d.headings} ${d.text} ${d.units}`)))) df.set(t, (df.get(t) ?? 0) + 1)
    const shard = { index, df, size: docs.length }
    this.shards.set(region, shard)
    this.store?.write(region, { version: INDEX_VERSION, fingerprint: this.fingerprint, index: index.toJSON(), df: [...df], size: docs.length })
    return { ...shard, built: true }
  }

  /**
   * True when every topic term of the question is common in every region's plan (「科学是什么」): any
   * passage would match, so no passage answers it.
   */
  isVague(question: AnalyzedQuestion): boolean {
    const terms = [...new Set(this.tokenize(question.topic))]
    if (!terms.length) return true
    for (const region of this.byRegion.keys()) {
      const shard = this.shard(region)
      if (terms.some((t) => (shard.df.get(t) ?? 0) <= shard.size * COMMON_TERM)) return false
    }
    return true
  }

  /** Passages for a question, best first. */
  search(question: AnalyzedQuestion, options: SearchOptions = {}): SearchHit[] {
    const limit = options.limit ?? 5
    const query = [question.topic, ...question.expansions].join(' ').trim()
    if (!query) return []
    const topicTerms = [...new Set(this.tokenize(question.topic))]
    const expansionTerms = [...new Set(this.tokenize(question.expansions.join(' ')))].filter((t) => !topicTerms.includes(t))
    // A topic term that is a colloquial word counts as covered when a sentence has one of its plan words.
    const alternatives = new Map<string, string[]>()
    for (const [say, means] of question.alternatives) {
      const planTerms = [...new Set(this.tokenize(means.join(' ')))]
      for (const t of this.tokenize(say)) if (topicTerms.includes(t)) alternatives.set(t, planTerms)
    }
    // A region's question also searches the national passages (the outline every local plan implements).
    const regions = options.region ? [options.region, NATIONAL].filter((r, i, all) => this.byRegion.has(r) && all.indexOf(r) === i) : [...this.byRegion.keys()]
    const shards = regions.map((r) => this.shard(r))
    const hits: SearchHit[] = []
    for (const shard of shards) {
      // Terms in most passages of a shard (科学, 素质 …) tell little and cost most: only the re-ranking sees them.
      const present = [...topicTerms, ...expansionTerms].filter((t) => (shard.df.get(t) ?? 0) > 0)
      let terms = present.filter((t) => shard.df.get(t)! <= shard.size * COMMON_TERM)
      // A question made only of common terms (「科学素质是啥」) looks them up after all, rarest first.
      if (!terms.length) terms = present.sort((a, b) => shard.df.get(a)! - shard.df.get(b)!).slice(0, 3)
      if (!terms.length) continue
      const found = shard.index.search(terms.join(' '), { boost: BOOST, combineWith: 'OR', tokenize: splitOnSpace }).slice(0, regions.length > 1 ? 6 : 10)
      const idf = (t: string): number => Math.log(1 + shard.size / (1 + (shard.df.get(t) ?? 0)))
      // A topic term no passage has keeps its full weight: words like 机票 or 股票 mean the question is
      // about something else, and discounting them let such questions through.
      const weights: Weights = { topic: topicTerms.map(idf), expansion: expansionTerms.map(idf), total: 0, alternatives }
      weights.total = weights.topic.reduce((a, b) => a + b, 0) || 1
      const top = found[0]?.score ?? 1
      for (const r of found) {
        const passage = this.passages.get(String(r.id))
        if (!passage) continue
        const best = this.bestSentence(passage, shard, topicTerms, expansionTerms, question, weights)
        const score = 0.35 * (r.score / top) + 0.65 * best.coverage + best.bonus
        hits.push({ passage, score, sentence: best.sentence, coverage: best.coverage })
      }
    }
    return hits.sort((a, b) => b.score - a.score).slice(0, limit)
  }

  private bestSentence(passage: Passage, shard: Shard, topic: string[], expansion: string[], q: AnalyzedQuestion, weights: Weights): { sentence: string; coverage: number; bonus: number } {
    let best = { sentence: passage.text, coverage: 0, bonus: 0, rank: -1 }
    const { sentences, context: contextTerms } = this.sentencesOf(passage)
    for (const { text: sentence, terms } of sentences) {
      let got = 0
      for (let i = 0; i < topic.length; i++) {
        const t = topic[i]!
        if (terms.has(t)) got += weights.topic[i]!
        else if (weights.alternatives.get(t)?.some((a) => terms.has(a))) got += 0.9 * weights.topic[i]!
        else if (contextTerms.has(t)) got += 0.5 * weights.topic[i]!
      }
      let extra = 0
      for (let i = 0; i < expansion.length; i++) if (terms.has(expansion[i]!)) extra += 0.3 * weights.expansion[i]!
      const coverage = Math.min(1, got / weights.total)
      let bonus = Math.min(0.15, extra / weights.total)
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
      // A short lead-in sentence (「推进科普教育基地建设。」) says nothing alone: it travels with the next one.
      const pieces: string[] = []
      for (const raw of passage.text.match(SENTENCE) ?? [passage.text]) {
        const text = raw.trim()
        if (!text) continue
        const last = pieces[pieces.length - 1]
        if (last !== undefined && last.length < 16) pieces[pieces.length - 1] = last + text
        else pieces.push(text)
      }
      const sentences = pieces.filter((s) => s.length >= 4).map((text) => ({ text, terms: new Set(this.tokenize(foldText(text))) }))
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
