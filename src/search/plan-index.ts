import MiniSearch from 'minisearch'
import { NATIONAL } from '../knowledge/parse-plan.js'
import type { Passage, Plan } from '../knowledge/plan.js'
import type { AnalyzedQuestion } from './analyze-question.js'
import { foldText } from './fold-text.js'
import { foldedMiniSearchOptions } from './folded-options.js'
import { CompactTerms } from './compact-terms.js'
import { miniSearchSearcher, SavedShardSearch, type ShardSearcher } from './saved-shard-search.js'
import { decodeShardFile, encodeShardFile, type PlanShardJSON, type SavedShard } from './shard-file.js'
import { COMMON_TERM, RegionRouter, summarize, type RegionSummary, type RoutingJSON } from './region-router.js'
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
  /**
   * Without a region: how many of the routed regions whose shards are not loaded may be loaded for this
   * search (the loaded ones are searched anyway); absent: all of them. A side look at other plans
   * (「X的方案没有写…，其他地方是这样写的」) should not cost a resident's answer several shard loads.
   */
  loads?: number
  /** Without a region: how many regions the router picks (default ROUTED_REGIONS). */
  spread?: number
}

/** Document frequencies: a Map for a shard built here, CompactTerms for one loaded from its saved form. */
interface TermCounts extends Iterable<readonly [string, number]> {
  get(term: string): number | undefined
}

interface Shard {
  /** Its passages for a question's terms: MiniSearch for a shard built here, SavedShardSearch for a loaded one. */
  index: ShardSearcher
  /** Document frequency of every term in this shard, for IDF weights. */
  df: TermCounts
  size: number
  /** What the shard is estimated to hold in memory (index and sentences), for the memory budget. */
  bytes: number
  /** Sentences of its passages already ranked once, with their terms: ranking is the hot path. */
  sentences: Map<string, PassageSentences>
  /** The shard as read from the store: its sentences' terms are read on a passage's first ranking. */
  saved?: SavedShard
}

/** What ranking asks of a sentence's terms. */
interface Terms {
  has(term: string): boolean
}

interface PassageSentences {
  sentences: { text: string; terms: Terms }[]
  context: Terms
}

/** A passage's sentences as made here with the tokenizer, ready to be saved. */
interface MadeSentences extends PassageSentences {
  sentences: { text: string; terms: Set<string> }[]
  context: Set<string>
}

/**
 * A sentence's saved terms, space-separated, read in place from the shard file's code units (outside the JS
 * heap): `has` finds the term between spaces, so ranking a loaded passage makes no Set and no string per
 * sentence — what a ranked passage keeps while its shard is loaded is a few small objects.
 */
class SpacedTerms implements Terms {
  constructor(
    private readonly units: Uint16Array,
    private readonly start: number,
    private readonly end: number,
  ) {}

  has(term: string): boolean {
    const n = term.length
    if (!n) return false
    const u = this.units
    const first = term.charCodeAt(0)
    for (let at = this.start; at + n <= this.end; at++) {
      if (u[at] !== first || (at > this.start && u[at - 1] !== SPACE) || (at + n < this.end && u[at + n] !== SPACE)) continue
      let k = 1
      while (k < n && u[at + k] === term.charCodeAt(k)) k++
      if (k === n) return true
    }
    return false
  }
}

const SPACE = 32
const NEWLINE = 10

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

/** Where built shards are kept between runs (a cache folder); any failure just means a rebuild. */
export interface ShardStore {
  /** The saved shard (see shard-file.ts); PlanIndex calls its `release` when it drops the shard. */
  read(region: string): SavedShard | undefined
  write(region: string, shard: PlanShardJSON): void
  /** The routing summaries of every region (see RegionRouter), saved once they are all made. */
  readRouting?(): RoutingJSON | undefined
  writeRouting?(routing: RoutingJSON): void
}

/** Options of the index. */
export interface PlanIndexOptions {
  /**
   * How many bytes the loaded shards may take (estimated): the least recently searched shards are
   * dropped beyond it and loaded again from the store when asked (default: no limit).
   */
  memoryBudget?: number
  /** Region → the regions of the plans above it (its province's): searched with it, as the national outline is. */
  above?: ReadonlyMap<string, readonly string[]>
}

const INDEX_VERSION = 5
const BOOST = { title: 2, headings: 1.2, text: 1, units: 0.6 }
const FIELDS = ['title', 'headings', 'text', 'units'] as const
const FIGURE = /\d+(?:\.\d+)?\s*(?:-\s*\d+(?:\.\d+)?\s*)?(?:%|个|场|人|项|次|所|家|万|亿|平|名|支|处|期|座|门|批|余|以上|元|小时)/u
const SENTENCE = /[^。；;！!？?]+[。；;！!？?]?/gu
/**
 * Estimated bytes a loaded shard holds per character of its passages (its compact terms, MiniSearch's
 * documents and the cached sentences with their terms), measured on 300 synthetic plans (heap after GC:
 * 30 bytes a character loaded, 55 with every sentence ranked once). A shard built without a store to
 * save it to keeps MiniSearch's own tree (about 4 times as much): only small corpora run that way.
 */
export const SHARD_BYTES_PER_CHAR = 60
/** How many shards `warm` loads at start (a small corpus: all of them). */
const WARM_SHARDS = 8
/** A question without a region searches this many regions, picked by the router. */
const ROUTED_REGIONS = 8

/**
 * The search index over plan passages: one MiniSearch shard per region, so a question about one region
 * touches only that region's passages and thousands of plans stay fast. A shard is built (or loaded
 * from the `ShardStore`) the first time its region is searched, so startup does not grow with the
 * corpus. Results are re-ranked by the sentence that answers best and by the question's shape.
 */
export class PlanIndex {
  /** Loaded shards, least recently searched first (a Map keeps insertion order; a search re-inserts). */
  private readonly shards = new Map<string, Shard>()
  private readonly byRegion = new Map<string, Passage[]>()
  private readonly passages = new Map<string, Passage>()
  /** Characters of each region's passages, for the memory estimate. */
  private readonly chars = new Map<string, number>()
  private loadedBytes = 0
  private readonly memoryBudget: number
  private readonly above: ReadonlyMap<string, readonly string[]>
  private routerMade: RegionRouter | undefined

  /**
   * @param fingerprint identifies the content (see `planFingerprint`); a stored shard of another
   *   fingerprint is ignored.
   */
  constructor(
    plans: readonly Plan[],
    private readonly tokenize: Tokenize,
    readonly fingerprint = '',
    private readonly store?: ShardStore,
    options: PlanIndexOptions = {},
  ) {
    this.memoryBudget = options.memoryBudget ?? Infinity
    this.above = options.above ?? new Map()
    for (const plan of plans) {
      for (const p of plan.passages) {
        this.passages.set(p.id, p)
        const list = this.byRegion.get(p.region)
        if (list) list.push(p)
        else this.byRegion.set(p.region, [p])
        this.chars.set(p.region, (this.chars.get(p.region) ?? 0) + p.text.length + p.title.length)
      }
    }
  }

  /** How many shards are loaded, and their estimated bytes (for tests, benches and logs). */
  loaded(): { shards: number; bytes: number } {
    return { shards: this.shards.size, bytes: this.loadedBytes }
  }

  /** The passage with this id (any region's). */
  passage(id: string): Passage | undefined {
    return this.passages.get(id)
  }

  /** Regions that have passages. */
  regions(): string[] {
    return [...this.byRegion.keys()]
  }

  /**
   * Makes the router and loads (or builds) the first `shards` shards with their sentences now instead of
   * on first use, as many as the memory budget holds; returns how many were built. The rest load on their
   * region's first question: loading every shard of a national corpus would cost seconds and the budget.
   */
  warm(shards = WARM_SHARDS): number {
    let built = this.routerMade ? 0 : this.makeRouter()
    let loaded = 0
    for (const region of this.byRegion.keys()) {
      if (loaded++ >= shards || this.loadedBytes + this.estimate(region) > this.memoryBudget) break
      const had = this.shards.has(region)
      const shard = this.shard(region)
      if (!had && shard.built) built++
      for (const p of this.byRegion.get(region) ?? []) this.sentencesOf(p, shard)
    }
    return built
  }

  /** Which regions a question's terms point to, and which terms every plan uses (see RegionRouter). */
  router(): RegionRouter {
    if (!this.routerMade) this.makeRouter()
    return this.routerMade!
  }

  /** Reads the saved routing summaries, or makes them from every shard (loading each in turn) and saves them. */
  private makeRouter(): number {
    const saved = this.store?.readRouting?.()
    if (saved && saved.version === INDEX_VERSION && saved.fingerprint === this.fingerprint && saved.regions.length === this.byRegion.size) {
      this.routerMade = RegionRouter.fromJSON(saved)
      return 0
    }
    let built = 0
    const summaries: RegionSummary[] = []
    for (const region of this.byRegion.keys()) {
      const had = this.shards.has(region)
      const shard = this.shard(region)
      if (!had && shard.built) built++
      summaries.push(summarize(region, shard.df, shard.size, this.byRegion.get(region) ?? [], this.tokenize))
    }
    this.routerMade = new RegionRouter(summaries)
    this.store?.writeRouting?.({ version: INDEX_VERSION, fingerprint: this.fingerprint, regions: summaries })
    return built
  }

  private estimate(region: string): number {
    return (this.chars.get(region) ?? 0) * SHARD_BYTES_PER_CHAR
  }

  /** A shard as JSON, for saving (built afresh: a loaded shard keeps its terms in their saved form). */
  shardJSON(region: string): PlanShardJSON | undefined {
    if (!this.byRegion.has(region)) return undefined
    const { index, df, size } = this.build(region)
    return this.toJSON(region, index, df, size, new Map())
  }

  private toJSON(region: string, index: MiniSearch<IndexedPassage>, df: ReadonlyMap<string, number>, size: number, made: Map<string, MadeSentences>): PlanShardJSON {
    const { index: entries, ...documents } = index.toJSON()
    const sentences: Record<string, string> = {}
    for (const p of this.byRegion.get(region) ?? []) {
      const got = made.get(p.id) ?? this.makeSentences(p)
      made.set(p.id, got)
      const saved = encodeSentences(got)
      if (saved !== undefined) sentences[p.id] = saved
    }
    return { version: INDEX_VERSION, fingerprint: this.fingerprint, index: { ...documents, index: [] }, terms: CompactTerms.encode(entries, df), size, sentences }
  }

  private build(region: string): { index: MiniSearch<IndexedPassage>; df: Map<string, number>; size: number } {
    const docs = (this.byRegion.get(region) ?? []).map(toIndexed)
    const index = new MiniSearch<IndexedPassage>(this.miniSearchOptions())
    index.addAll(docs)
    const df = new Map<string, number>()
    for (const d of docs) for (const t of new Set(this.tokenize(foldText(`${d.title} ${d.headings} ${d.text} ${d.units}`)))) df.set(t, (df.get(t) ?? 0) + 1)
    return { index, df, size: docs.length }
  }

  private shard(region: string): Shard & { built?: boolean } {
    const have = this.shards.get(region)
    if (have) {
      // Most recently used last.
      this.shards.delete(region)
      this.shards.set(region, have)
      return have
    }
    this.makeRoomFor(this.estimate(region))
    const stored = this.store?.read(region)
    // A saved shard of another version or content (an older build's cache) is built again, never trusted.
    if (stored && stored.version === INDEX_VERSION && stored.fingerprint === this.fingerprint && stored.documents.documentCount === this.byRegion.get(region)?.length) {
      const loaded = this.fromSaved(region, stored)
      this.keep(region, loaded)
      return loaded
    }
    stored?.release()
    const { index, df, size } = this.build(region)
    const made = new Map<string, MadeSentences>()
    if (this.store) {
      // Saved, the shard is kept in its saved form: the memory estimate holds from the first start on.
      const json = this.toJSON(region, index, df, size, made)
      this.store.write(region, json)
      const saved = decodeShardFile(encodeShardFile(json))!
      const shard = { ...this.fromSaved(region, saved), sentences: made }
      this.keep(region, shard)
      return { ...shard, built: true }
    }
    const shard: Shard = { index: miniSearchSearcher(index, BOOST), df, size, bytes: this.estimate(region), sentences: made }
    this.keep(region, shard)
    return { ...shard, built: true }
  }

  private fromSaved(region: string, saved: SavedShard): Shard {
    const passages = this.byRegion.get(region) ?? []
    // MiniSearch numbered the documents in the order `build` added them: the region's passages.
    const index = new SavedShardSearch(saved.terms, saved.documents, (doc) => passages[doc]!.id, BOOST)
    return { index, df: saved.terms, size: saved.size, bytes: this.estimate(region), sentences: new Map(), saved }
  }

  private keep(region: string, shard: Shard): void {
    this.shards.set(region, shard)
    this.loadedBytes += shard.bytes
  }

  /** Drops the least recently searched shards until `bytes` more fit the budget (one shard always fits). */
  private makeRoomFor(bytes: number): void {
    for (const [region, shard] of this.shards) {
      if (this.loadedBytes + bytes <= this.memoryBudget) break
      this.shards.delete(region)
      this.loadedBytes -= shard.bytes
      // Searches run to the end synchronously and keep no view of a shard: its bytes can be reused now.
      shard.saved?.release()
    }
  }

  /**
   * True when every topic term of the question is common in every region's plan (「科学是什么」): any
   * passage would match, so no passage answers it.
   */
  isVague(question: AnalyzedQuestion): boolean {
    const terms = [...new Set(this.tokenize(question.topic))]
    if (!terms.length) return true
    return this.router().commonEverywhere(terms)
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
    // A region's question also searches the plans above it and the national passages (the outline every
    // local plan implements).
    // Without one, the router picks the regions whose plans the question's terms point to.
    const regions = options.region
      ? [options.region, ...(this.above.get(options.region) ?? []), NATIONAL].filter((r, i, all) => this.byRegion.has(r) && all.indexOf(r) === i)
      : this.byRegion.size <= ROUTED_REGIONS
        ? [...this.byRegion.keys()]
        : [...new Set([...this.routed([...topicTerms, ...expansionTerms], options.spread ?? ROUTED_REGIONS, options.loads), ...(this.byRegion.has(NATIONAL) ? [NATIONAL] : [])])]
    const hits: SearchHit[] = []
    for (const region of regions) {
      const shard = this.shard(region)
      // Terms in most passages of a shard (科学, 素质 …) tell little and cost most: only the re-ranking sees them.
      const present = [...topicTerms, ...expansionTerms].filter((t) => (shard.df.get(t) ?? 0) > 0)
      let terms = present.filter((t) => shard.df.get(t)! <= shard.size * COMMON_TERM)
      // A question made only of common terms (「科学素质是啥」) looks them up after all, rarest first.
      if (!terms.length) terms = present.sort((a, b) => shard.df.get(a)! - shard.df.get(b)!).slice(0, 3)
      if (!terms.length) continue
      const found = shard.index.search(terms).slice(0, regions.length > 1 ? 6 : 10)
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

  /** The routed regions for a question without one: loaded shards, and at most `loads` to load. */
  private routed(terms: string[], spread: number, loads = Infinity): string[] {
    const picked = this.router().pick(terms, spread)
    let left = loads
    return picked.filter((r) => this.shards.has(r) || left-- > 0)
  }

  private bestSentence(passage: Passage, shard: Shard, topic: string[], expansion: string[], q: AnalyzedQuestion, weights: Weights): { sentence: string; coverage: number; bonus: number } {
    let best = { sentence: passage.text, coverage: 0, bonus: 0, rank: -1 }
    const { sentences, context: contextTerms } = this.sentencesOf(passage, shard)
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

  private sentencesOf(passage: Passage, shard: Shard): PassageSentences {
    let cached = shard.sentences.get(passage.id)
    if (!cached) {
      const saved = shard.saved?.sentences
      const span = saved?.span(passage.id)
      cached = (span ? decodeSentences(passage, saved!.units, span[0], span[1]) : undefined) ?? this.makeSentences(passage)
      shard.sentences.set(passage.id, cached)
    }
    return cached
  }

  private makeSentences(passage: Passage): MadeSentences {
    const sentences = sentencePieces(passage.text).map((text) => ({ text, terms: new Set(this.tokenize(foldText(text))) }))
    const context = new Set(this.tokenize(foldText(`${passage.title} ${passage.headings.join(' ')}`)))
    return { sentences, context }
  }

  private miniSearchOptions(): ConstructorParameters<typeof MiniSearch<IndexedPassage>>[0] {
    return foldedMiniSearchOptions<IndexedPassage>(FIELDS, this.tokenize)
  }
}

/** A passage's sentences as ranked: a short lead-in sentence (「推进科普教育基地建设。」) says nothing alone, so it travels with the next one. */
function sentencePieces(text: string): string[] {
  const pieces: string[] = []
  for (const raw of text.match(SENTENCE) ?? [text]) {
    const piece = raw.trim()
    if (!piece) continue
    const last = pieces[pieces.length - 1]
    if (last !== undefined && last.length < 16) pieces[pieces.length - 1] = last + piece
    else pieces.push(piece)
  }
  return pieces.filter((s) => s.length >= 4)
}

/**
 * The terms of a passage's context (first line) and of each sentence (a line each), space-separated;
 * undefined when a term holds a space or a line break (that passage is then tokenized when first ranked).
 */
function encodeSentences(s: MadeSentences): string | undefined {
  const lines = [[...s.context], ...s.sentences.map((x) => [...x.terms])]
  if (lines.some((terms) => terms.some((t) => /[ \n]/u.test(t)))) return undefined
  return lines.map((terms) => terms.join(' ')).join('\n')
}

/**
 * The saved sentences of a passage, its lines at [start, end) of `units`; undefined when they no longer
 * match its text (then made afresh).
 */
function decodeSentences(passage: Passage, units: Uint16Array, start: number, end: number): PassageSentences | undefined {
  const pieces = sentencePieces(passage.text)
  const lines: SpacedTerms[] = []
  let from = start
  for (let at = start; at <= end; at++) {
    if (at === end || units[at] === NEWLINE) {
      lines.push(new SpacedTerms(units, from, at))
      from = at + 1
    }
  }
  if (lines.length !== pieces.length + 1) return undefined
  return { context: lines[0]!, sentences: pieces.map((text, i) => ({ text, terms: lines[i + 1]! })) }
}

function toIndexed(p: Passage): IndexedPassage {
  return { id: p.id, title: p.title, headings: p.headings.join(' '), text: p.text, units: [...p.leads, ...p.units].join(' ') }
}
