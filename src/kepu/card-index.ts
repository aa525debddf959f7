import MiniSearch from 'minisearch'
import type { Region } from '../knowledge/region-registry.js'
import { analyzeQuestion, type AnalyzedQuestion } from '../search/analyze-question.js'
import { CompactTerms } from '../search/compact-terms.js'
import { foldText } from '../search/fold-text.js'
import { foldedMiniSearchOptions } from '../search/folded-options.js'
import { miniSearchSearcher, SavedShardSearch, savedDocuments, type ShardSearcher } from '../search/saved-shard-search.js'
import type { QueryVocabulary } from '../search/query-vocabulary.js'
import type { ChineseTokenizer } from '../search/tokenizer.js'
import type { Category } from './card-schema.js'
import type { LoadedCard } from './load-cards.js'

/** A card found for a question. */
export interface CardHit {
  card: LoadedCard
  /** Ranking score, 0–~1.2. */
  score: number
  /** IDF-weighted share of the question's topic the card's phrasings and keywords cover, 0–1. */
  coverage: number
  /** IDF-weighted share of the card's best phrasing the question says, 0–1. */
  reverse: number
  /** IDF-weighted share of the question's topic that is the card's topic or keywords, 0–1. */
  label: number
  /** How many of the question's dictionary words the card's best phrasing and keywords have. */
  words: number
  /** How many of the question's dictionary words no card uses. */
  unknown: number
  /** How many of the question's dictionary words this card's best phrasing and keywords lack. */
  missed: number
  /** True when the question doubts a claim (「…会致癌吗」「听说…」): a rumour card may answer only then. */
  doubted: boolean
}

/** Options of one search. */
export interface CardSearchOptions {
  /** The resident's region: cards limited to other regions are left out. */
  region?: string | undefined
  /** Only cards of these categories. */
  categories?: readonly Category[]
  limit?: number
}

/**
 * The saved card shard (see `CardShardStore`): MiniSearch's document figures, and its terms with their
 * document frequencies and postings in CompactTerms' form, searched in place as the plan shards are.
 */
export interface CardShardJSON {
  version: number
  fingerprint: string
  documents: {
    documentCount: number
    fieldIds: Record<string, number>
    averageFieldLength: number[]
    /** Document × fields + field id. */
    fieldLength: number[]
    /** The card id of each document, by MiniSearch's number. */
    ids: string[]
  }
  /** The card index's terms: `term\tcount|postings` lines (CompactTerms), the count being how many of the files' cards use it. */
  entries: string
  /**
   * Each card's terms, a line `id\tJSON of StoredTerms` per card: one string to parse at start, a card's
   * line read when the card is first ranked.
   */
  terms: string
}

/** Where the built shard is kept between runs; any failure just means a rebuild. */
export interface CardShardStore {
  read(): CardShardJSON | undefined
  write(shard: CardShardJSON): void
}

/**
 * How sure the index must be (see `sure`): below MIN_CONFIDENCE a question is not the card's question and
 * falls through to the plans or the decline. The matched part must also weigh something (MIN_MATCHED:
 * more than one common word).
 */
export const MIN_CONFIDENCE = 0.52
/** The least share of a card's phrasing a question must say: a keyword alone (「科学是什么」) is not a question. */
const MIN_REVERSE = 0.1
const MIN_MATCHED = 1.5

/** How well a card answers: the topic it covers, the share of its phrasing said, a keyword named. */
function confidence(coverage: number, reverse: number, label: number): number {
  return coverage + 0.25 * reverse + 0.2 * label
}

/**
 * A card answers when its confidence is high enough, the question says part of one of its phrasings, and
 * it either names one of its keywords or says most of a phrasing: general words alone (「今天天气怎么样」
 * 「你能做什么」) never do. A rumour card answers only a question that doubts.
 */
function sure(hit: CardHit): boolean {
  if (hit.card.category === '辟谣' && !hit.doubted) return false
  if (confidence(hit.coverage, hit.reverse, hit.label) < MIN_CONFIDENCE || hit.reverse < MIN_REVERSE) return false
  // One word in common, and a word no card knows, is a weak match (「手机没电了怎么办」 and a card on phone
  // radiation) unless the card covers most of the question.
  if (hit.words < 2 && hit.unknown > 0 && hit.coverage < 0.6 && hit.reverse < 0.5) return false
  // A question that says little of any phrasing and shares one word with the card is not its question.
  if (hit.reverse < 0.2 && hit.words < 2 && hit.coverage < 0.8) return false
  return hit.label > 0 || hit.reverse >= 0.5
}
/** A rumour card matches a forwarded message when this share of its claim's words occur in it. */
export const MIN_CLAIM_COVERAGE = 0.55

const INDEX_VERSION = 7
/** How many of MiniSearch's hits are re-ranked. */
const CANDIDATES = 12
// The answer is not searched: a card that shares only answer words with a question never answers it.
const FIELDS = ['questions', 'labels'] as const
const BOOST = { questions: 2, labels: 2 }
/**
 * Words that carry a card question's shape, not its topic (besides content/synonyms.yaml's question
 * words): 「…怎么办」「…要注意啥」「是不是…」. Dropped from questions and phrasings alike.
 */
const SHAPE_WORDS = /是不是|是否|能不能|可不可以|可以|应该|需要|怎么办|咋办|怎么做|咋整|咋弄|咋处理|怎么处理|处理|要注意|注意|一般|东西|合适|有用|管用|真的|假的|一下|这个|那个|这种|那种|为什么|为啥|什么样|先干|先做|干啥|做啥|好不好|行不行|对不对|还能|不能|能否|最近|总是|老是|经常/gu
/** How a question doubts a claim (「…会致癌吗」「听说…」「是真的吗」). */
const DOUBT = /吗|嘛|真的|假的|听说|据说|传言|网上说|是不是|会不会|能不能|靠谱|谣言|致癌|有害/u
const RUMOUR_PENALTY = 0.15
/** An unknown word's weight against the rarest card word's. */
const UNKNOWN_WEIGHT = 0.45
/** What a topic term is worth where a card has a word its synonym stands for, against the word itself. */
const ALT_SHARE = 0.9
/** Particles that start or end a run of single characters without being part of its word (被|汪星人|咬). */
const PARTICLES_AT_ENDS = /^[被把给让的了在是和跟也都就]+|[的了在是和跟也都就吗呢啊]+$/gu
/** A single character's weight against a word's. */
const CHAR_WEIGHT = 0.4
const RUN = /[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+(?:[.-][a-z0-9]+)*%?/gu
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/u

interface IndexedCard {
  id: string
  questions: string
  labels: string
}

/** A card's terms as saved with the shard (arrays), so that a start does not cut every card again. */
interface StoredTerms {
  /** Each phrasing's terms, space-separated (one string each: a smaller file, fewer objects to parse). */
  p: string[]
  /** Keywords, topic and claim. */
  l: string
  /** Answer, elder form and steps. */
  b: string
  /** The claim (辟谣 cards). */
  c: string
}
const split = (s: string): string[] => (s ? s.split(' ') : [])

interface Phrasing {
  terms: Set<string>
  /** The sum of its terms' weights. */
  total: number
}

interface CardTerms {
  phrasings: Phrasing[]
  labels: Set<string>
  /** The folded answer, elder form and steps: a term is in it when it occurs in it (cheaper than a set of its terms). */
  body: string
  claim: string[]
}

/**
 * The knowledge cards' search index: a MiniSearch shard of its own over the cards' questions, keywords
 * and topic, cut by the plans' tokenizer (jieba words and bigrams on folded text) and read with the same
 * question analysis (question words and region names dropped, synonyms added). A hit is ranked by how
 * much of the question's topic (IDF-weighted over the cards) the card's best phrasing with its keywords
 * covers (the answer counts half), and how much of that phrasing the question says; `sure` decides
 * whether that is an answer. The shard and every card's terms are saved, so a start cuts nothing.
 */
export class CardIndex {
  /** The cards of content/kepu/, then the cards staff added in the console (see `setStoredCards`). */
  private all: readonly LoadedCard[]
  private readonly fileCards: readonly LoadedCard[]
  private readonly byId = new Map<string, LoadedCard>()
  private readonly terms = new Map<string, CardTerms>()
  /** Each card's distinct terms, for the document frequencies. */
  private readonly distinct = new Map<string, string[]>()
  /** How many cards use each term (the files' saved counts, or counted over every card once stored ones are in use). */
  private dfs: TermCounts = new Map<string, number>()
  /** The IDF weights of the terms asked so far (characters weigh CHAR_WEIGHT of a word); see `weight`. */
  private readonly weights = new Map<string, number>()
  /** While a card's terms are cut: every term of the cards' text (see `wordTerms`); afterwards the weighed terms decide. */
  private known: { has(term: string): boolean } | undefined
  /** The terms of the files' cards (made on the first `setStoredCards`). */
  private fileKnown: Set<string> | undefined
  /** The files' cards' shard, searched in place (SavedShardSearch) whether it was built or read. */
  private readonly index: ShardSearcher
  /** The file cards' terms as saved with the shard; the stored cards' as cut when they were set. */
  private readonly fileTerms: SavedCardTerms
  private storedTerms: Record<string, StoredTerms> = {}
  /** How many of the files' cards use each term (saved with the shard). */
  private readonly fileDf: TermCounts
  /**
   * The stored cards' own small shard: the files' shard is searched in its saved form only, and
   * rebuilding the small one whole on every change keeps the index a function of the set of cards.
   */
  private storedIndex: ShardSearcher | undefined
  private unknownWeight = 0
  /** Folded region names, longest first, dropped from questions. */
  private readonly regionNames: string[]
  /** True when the shard was built rather than loaded from the store. */
  readonly built: boolean

  constructor(
    cards: readonly LoadedCard[],
    private readonly tokenizer: ChineseTokenizer,
    private readonly vocabulary: QueryVocabulary,
    regions: readonly Region[],
    readonly fingerprint = '',
    store?: CardShardStore,
  ) {
    this.fileCards = cards
    this.all = cards
    this.regionNames = regions.flatMap((r) => [r.name, r.short, ...r.aliases].map(foldText)).filter((n) => n.length >= 2).sort((a, b) => b.length - a.length)
    const stored = store?.read()
    if (stored && stored.version === INDEX_VERSION && stored.fingerprint === fingerprint && typeof stored.entries === 'string' && Array.isArray(stored.documents?.ids)) {
      this.fileTerms = new SavedCardTerms(stored.terms)
      ;[this.index, this.fileDf] = savedSearch(stored)
      this.built = false
    } else {
      // Every bigram and character the cards use: a bigram across two words of a question is kept only when
      // some card has it (防摔|跤 still gives 摔跤; 主食|该 gives nothing).
      const known = new Set<string>()
      for (const c of cards) for (const t of tokenizer.tokenize(foldText(cardText(c)))) known.add(t)
      this.known = known
      const made: Record<string, StoredTerms> = {}
      for (const c of cards) made[c.id] = this.termsOf(c)
      this.fileTerms = new SavedCardTerms(Object.entries(made).map(([id, t]) => `${id}\t${JSON.stringify(t)}`).join('\n'))
      const index = new MiniSearch<IndexedCard>(this.options())
      index.addAll(cards.map(toIndexed))
      this.built = true
      this.known = undefined
      // Searched in its saved form from the first start on, so a built and a read shard rank alike.
      const json = shardJSON(fingerprint, index, this.documentFrequencies(cards, false), this.fileTerms.text)
      ;[this.index, this.fileDf] = savedSearch(json)
      store?.write(json)
    }
    this.reweigh(false)
  }

  /** Every card the index answers with: the files' first, then the stored ones. */
  get cards(): readonly LoadedCard[] {
    return this.all
  }

  /**
   * Replaces the cards staff keep in the console (validated by the caller with the files' schema): the
   * next question is searched with them. The result depends only on the cards given, never on earlier
   * calls, so a live process and one started afresh rank alike. A stored card whose id a file uses is
   * left out (the file wins); returns the ids left out.
   */
  setStoredCards(cards: readonly LoadedCard[]): string[] {
    const fileIds = new Set(this.fileCards.map((c) => c.id))
    const clash = cards.filter((c) => fileIds.has(c.id)).map((c) => c.id)
    const seen = new Set<string>()
    const fresh = cards.filter((c) => !fileIds.has(c.id) && !seen.has(c.id) && seen.add(c.id))
    // The bigrams across two words a stored card's terms keep: those the files' cards use and every term of
    // the stored cards' own text (a build keeps those every card's text has, see the constructor).
    if (!this.fileKnown) {
      this.fileKnown = new Set<string>()
      for (const t of this.fileTerms.all()) for (const term of [...t.p.flatMap(split), ...split(t.l), ...split(t.b)]) this.fileKnown.add(term)
    }
    const fileKnown = this.fileKnown
    const storedKnown = new Set<string>()
    for (const c of fresh) for (const t of this.tokenizer.tokenize(foldText(cardText(c)))) storedKnown.add(t)
    this.known = { has: (term) => fileKnown.has(term) || storedKnown.has(term) }
    try {
      this.storedTerms = {}
      for (const c of fresh) this.storedTerms[c.id] = this.termsOf(c)
    } finally {
      this.known = undefined
    }
    const index = fresh.length ? new MiniSearch<IndexedCard>(this.options()) : undefined
    index?.addAll(fresh.map(toIndexed))
    this.storedIndex = index && miniSearchSearcher(index, BOOST)
    for (const id of [...this.terms.keys()]) if (!fileIds.has(id)) this.terms.delete(id)
    for (const id of [...this.distinct.keys()]) if (!fileIds.has(id)) this.distinct.delete(id)
    this.all = [...this.fileCards, ...fresh]
    this.reweigh(true)
    return clash
  }

  /** A card's terms: each phrasing's topic words, its labels, its answer's words, its claim's. */
  private termsOf(c: LoadedCard): StoredTerms {
    // Content text: every bigram the tokenizer makes, and the words and characters questions are weighed by.
    const both = (s: string): string[] => {
      const f = foldText(s)
      return [...new Set([...this.tokenizer.tokenize(f), ...this.wordTerms(f)])]
    }
    return {
      p: c.questions.map((q) => this.wordTerms(this.topicOf(q)).join(' ')),
      l: both([c.topic, ...c.keywords, c.claim ?? ''].join(' ')).join(' '),
      // The answer's words and characters only: its every bigram would cost memory and tell little.
      b: this.wordTerms(foldText([c.answer, c.elder, ...(c.steps ?? [])].join(' '))).join(' '),
      c: c.claim ? this.wordTerms(foldText(c.claim)).join(' ') : '',
    }
  }

  /**
   * The IDF weights over every card, and each card's term sets weighed by them. `keep`: keep each card's
   * distinct terms for the next time (only once stored cards are in use: a process without them does
   * not hold that memory).
   */
  private reweigh(keep: boolean): void {
    const cards = this.all
    this.byId.clear()
    for (const c of cards) this.byId.set(c.id, c)
    this.unknownWeight = UNKNOWN_WEIGHT * Math.log(1 + cards.length)
    this.dfs = cards === this.fileCards ? this.fileDf : this.documentFrequencies(cards, keep)
    // Weights are worked out per term when asked (see `weight`): a start weighs none of the cards' terms.
    this.weights.clear()
    // A card's term sets are made when it is first ranked (cardTerms), with the phrasings' totals under these weights.
    this.terms.clear()
  }

  /** How many of `cards` use each term. `keep`: keep each card's distinct terms for the next time. */
  private documentFrequencies(cards: readonly LoadedCard[], keep: boolean): Map<string, number> {
    const dfs = new Map<string, number>()
    for (const c of cards) {
      let distinct = this.distinct.get(c.id)
      if (!distinct) {
        const t = this.savedTerms(c.id)
        distinct = [...new Set([...t.p.flatMap(split), ...split(t.l), ...split(t.b)])]
        if (keep) this.distinct.set(c.id, distinct)
      }
      for (const term of distinct) dfs.set(term, (dfs.get(term) ?? 0) + 1)
    }
    return dfs
  }

  private savedTerms(id: string): StoredTerms {
    return this.fileTerms.get(id) ?? this.storedTerms[id]!
  }

  /** A card's term sets, with each phrasing's total weight: made on its first ranking after a reweigh. */
  private cardTerms(c: LoadedCard): CardTerms {
    const have = this.terms.get(c.id)
    if (have) return have
    const t = this.savedTerms(c.id)
    const terms: CardTerms = {
      phrasings: t.p.map((line) => {
        const set = new Set(split(line))
        let total = 0
        for (const x of set) total += this.idf(x)
        return { terms: set, total }
      }),
      labels: new Set(split(t.l)),
      body: foldText([c.answer, c.elder, ...(c.steps ?? [])].join('\n')),
      claim: split(t.c),
    }
    this.terms.set(c.id, terms)
    return terms
  }


  /** The card with this id. */
  get(id: string): LoadedCard | undefined {
    return this.byId.get(id)
  }

  /** The words of a question's topic, as the index weighs them (question words and region names dropped). */
  topicTerms(question: string): string[] {
    return this.wordTerms(this.topicOf(question))
  }

  /**
   * The words of a question's topic as staff would write them down for a synonym: the dictionary's words,
   * and a run of characters it cut one by one taken whole (「被汪星人咬了怎么办」 → 汪星人咬; 绿萝叶子发黄 →
   * 绿萝, 叶子, 发黄), without a particle at either end.
   */
  questionWords(question: string): string[] {
    const out: string[] = []
    let run = ''
    const flush = (): void => {
      const word = run.replace(PARTICLES_AT_ENDS, '')
      if (Array.from(word).length > 1) out.push(word)
      run = ''
    }
    for (const piece of this.tokenizer.cut(this.topicOf(question))) {
      if (!CJK.test(piece)) flush()
      else if (Array.from(piece).length === 1) run += piece
      else {
        flush()
        out.push(piece)
      }
    }
    flush()
    return [...new Set(out)]
  }

  /** A question's topic words (see analyzeQuestion) without the words of its shape. */
  private topicOf(question: string): string {
    return this.analyze(question).topic.replace(SHAPE_WORDS, ' ')
  }

  /** analyzeQuestion with the region names dropped from the topic here (their list is made once, not per question). */
  private analyze(question: string): AnalyzedQuestion {
    const a = analyzeQuestion(question, this.vocabulary, [], this.tokenizer.cut)
    let topic = a.topic
    for (const n of this.regionNames) if (topic.includes(n)) topic = topic.split(n).join(' ')
    return topic === a.topic ? a : { ...a, topic: topic.replace(/\s+/gu, ' ').trim() }
  }

  /**
   * The tokenizer's terms of a folded text without the bigrams that straddle two dictionary words
   * (主食|该 → 食该): those say nothing and, unknown to every card, would outweigh the real words. A
   * bigram of two single characters (股|票, 狗|咬) stays: it may be a word the dictionary lacks.
   */
  wordTerms(folded: string): string[] {
    const out = new Set<string>()
    for (const m of folded.matchAll(RUN)) {
      const run = m[0]
      if (!CJK.test(run) || run.length === 1) {
        out.add(run)
        continue
      }
      // Which word each character belongs to, and whether that word is longer than one character.
      const owner: number[] = []
      const long: boolean[] = []
      let n = 0
      for (const w of this.tokenizer.cut(run)) {
        for (const _ of w) {
          owner.push(n)
          long.push(w.length > 1)
        }
        if (w.length > 1) out.add(w)
        n++
      }
      const chars = Array.from(run)
      // Characters too, weighed lightly (see idf): 狗 and 咬 still meet 被狗咬 when the words differ.
      for (const ch of chars) out.add(ch)
      for (let i = 0; i + 1 < chars.length; i++) {
        const pair = chars[i]! + chars[i + 1]!
        if (owner[i] === owner[i + 1] || (!long[i] && !long[i + 1]) || (this.known ? this.known.has(pair) : this.dfs.get(pair) !== undefined)) out.add(pair)
      }
    }
    return [...out]
  }

  /** Cards for a question, best first, with no threshold applied. */
  search(question: string, options: CardSearchOptions = {}): CardHit[] {
    const a = this.analyze(question)
    const topicText = a.topic.replace(SHAPE_WORDS, ' ')
    const topic = this.wordTerms(topicText)
    // The question's dictionary words: a card must meet two of them, or nearly all of a short question.
    const words = new Set(this.tokenizer.cut(topicText).filter((x) => x.length > 1 && CJK.test(x)))
    if (!topic.length) return []
    // A topic term no card uses, of a resident's word with a synonym (content/synonyms.yaml or the
    // console's), counts as covered, at 0.9, where a card has one of the words it stands for — as the plan
    // index weighs it. Terms the cards use are weighed as they are: the files' synonyms were written for
    // the plans' wording and leave the cards' answers as they were.
    const alt = new Map<string, string[]>()
    for (const [say, means] of a.alternatives) {
      // Its words, not their characters: 牵头 stands for 牵头, not for every card with a 头.
      const terms = means.flatMap((m) => (Array.from(m).length === 1 ? [m] : this.wordTerms(m).filter((x) => Array.from(x).length > 1)))
      for (const t of this.wordTerms(say)) if (this.dfs.get(t) === undefined && topic.includes(t)) alt.set(t, [...(alt.get(t) ?? []), ...terms])
    }
    const meets = (set: Set<string>, term: string): boolean => alt.get(term)?.some((x) => set.has(x)) ?? false
    let unknown = 0
    for (const x of words) if (this.dfs.get(x) === undefined && !alt.get(x)?.some((y) => this.dfs.get(y) !== undefined)) unknown++
    const expansion = [...new Set(this.tokenizer.tokenize(a.expansions.join(' ')))].filter((t) => !topic.includes(t))
    const known = [...topic, ...expansion].filter((t) => this.dfs.get(t) !== undefined)
    if (!known.length) return []
    // The shard has words and bigrams, not single characters: looking those up costs and finds nothing.
    const lookup = known.filter((t) => t.length > 1)
    // Each hit with its share of its shard's best score: the stored cards' shard has figures of its own,
    // and the files' cards rank among themselves as they would without it.
    const found: { id: unknown; rel: number }[] = []
    for (const shard of lookup.length ? [this.index, this.storedIndex] : []) {
      const hits = shard?.search(lookup).slice(0, CANDIDATES) ?? []
      for (const h of hits) found.push({ id: h.id, rel: h.score / (hits[0]!.score || 1) })
    }
    // A question of single characters only (「天为什么是蓝的」 → 天, 蓝) finds nothing in the shard, which keeps
    // words and bigrams: its candidates are the cards whose phrasings have those characters.
    if (!lookup.length) for (const c of this.cards) if (this.cardTerms(c).phrasings.some((p) => known.some((t) => p.terms.has(t)))) found.push({ id: c.id, rel: 1 })
    const w = topic.map((t) => this.idf(t))
    const total = w.reduce((x, y) => x + y, 0) || 1
    const asked = new Set([...topic, ...expansion])
    const doubts = DOUBT.test(a.folded)
    const hits: CardHit[] = []
    for (const r of found) {
      const card = this.byId.get(String(r.id))
      if (!card || !applies(card, options)) continue
      const t = this.cardTerms(card)
      let best = { coverage: 0, reverse: 0, matched: 0, words: 0 }
      // What the keywords and the answer cover is the same for every phrasing: weighed once.
      let inLabels = 0
      const rest: number[] = []
      const inBody: boolean[] = []
      for (let i = 0; i < topic.length; i++) {
        if (t.labels.has(topic[i]!)) inLabels += w[i]!
        else if (meets(t.labels, topic[i]!)) inLabels += ALT_SHARE * w[i]!
        else {
          rest.push(i)
          inBody[i] = t.body.includes(topic[i]!)
        }
      }
      for (const p of t.phrasings) {
        let got = inLabels
        for (const i of rest) {
          if (p.terms.has(topic[i]!)) got += w[i]!
          else if (meets(p.terms, topic[i]!)) got += ALT_SHARE * w[i]!
          else if (inBody[i]) got += 0.5 * w[i]!
        }
        // How much of the phrasing the question says: a question that names only one of its words is a weak match.
        let pgot = 0
        for (const term of p.terms) if (asked.has(term)) pgot += this.idf(term)
        const coverage = got / total
        const reverse = p.total ? pgot / p.total : 0
        let met = 0
        for (const x of words) if (p.terms.has(x) || t.labels.has(x) || meets(p.terms, x) || meets(t.labels, x)) met++
        if (coverage + 0.3 * reverse > best.coverage + 0.3 * best.reverse) best = { coverage, reverse, matched: got, words: met }
      }
      if (best.matched < MIN_MATCHED) continue
      let label = 0
      for (let i = 0; i < topic.length; i++) if (t.labels.has(topic[i]!)) label += w[i]! / total
      else if (meets(t.labels, topic[i]!)) label += (ALT_SHARE * w[i]!) / total
      // A rumour card answers a question that doubts something; a plain 「孩子近视了怎么办」 wants the advice card.
      const penalty = card.category === '辟谣' && !doubts ? RUMOUR_PENALTY : 0
      hits.push({ card, coverage: best.coverage, reverse: best.reverse, label, words: best.words, unknown, missed: words.size - best.words, doubted: doubts, score: confidence(best.coverage, best.reverse, label) + 0.1 * r.rel - penalty })
    }
    return hits.sort((x, y) => y.score - x.score).slice(0, options.limit ?? 5)
  }

  /** The card that answers a question, or undefined when none is sure enough. */
  answer(question: string, options: CardSearchOptions = {}): CardHit | undefined {
    const best = this.search(question, { ...options, limit: 1 })[0]
    return best && sure(best) ? best : undefined
  }

  /**
   * The rumour card whose claim a (forwarded, long) message makes: the share of the claim's words, and
   * of the best phrasing's, that occur in the message. Undefined below MIN_CLAIM_COVERAGE.
   */
  matchClaim(message: string, options: Omit<CardSearchOptions, 'categories'> = {}): CardHit | undefined {
    const said = new Set(this.wordTerms(foldText(message)))
    let best: CardHit | undefined
    for (const card of this.cards) {
      if (card.category !== '辟谣' || !applies(card, options)) continue
      const t = this.cardTerms(card)
      const sets = [t.claim, ...t.phrasings.map((p) => [...p.terms])]
      for (const terms of sets) {
        const coverage = this.share(terms, said)
        if (!best || coverage > best.coverage) best = { card, coverage, score: coverage, reverse: coverage, label: 0, words: 0, unknown: 0, missed: 0, doubted: true }
      }
    }
    return best && best.coverage >= MIN_CLAIM_COVERAGE ? best : undefined
  }

  /** IDF-weighted share of `terms` found in `said`; terms no card uses (question junk) count little. */
  private share(terms: readonly string[], said: Set<string>): number {
    let all = 0
    let got = 0
    for (const t of terms) {
      const x = this.idf(t)
      all += x
      if (said.has(t)) got += x
    }
    return all ? got / all : 0
  }

  /** A term's IDF weight over every card, undefined when no card uses it. */
  private weight(term: string): number | undefined {
    let w = this.weights.get(term)
    if (w === undefined) {
      const df = this.dfs.get(term)
      if (df === undefined) return undefined
      const idf = Math.log(1 + this.all.length / (1 + df))
      w = term.length === 1 && CJK.test(term) ? CHAR_WEIGHT * idf : idf
      this.weights.set(term, w)
    }
    return w
  }

  private idf(term: string): number {
    // A word no card uses still counts against a card (股票, 机票: the question is about something else), but as
    // a rare word, not the rarest: the cards' own rare words decide. Characters weigh CHAR_WEIGHT of a word.
    const w = this.weight(term)
    if (w !== undefined) return w
    return term.length === 1 && CJK.test(term) ? CHAR_WEIGHT * this.unknownWeight : this.unknownWeight
  }

  private options(): ConstructorParameters<typeof MiniSearch<IndexedCard>>[0] {
    return foldedMiniSearchOptions<IndexedCard>(FIELDS, this.tokenizer.tokenize)
  }
}

function applies(card: LoadedCard, options: CardSearchOptions): boolean {
  if (options.categories && !options.categories.includes(card.category)) return false
  return !card.regions || !options.region || card.regions.includes(options.region)
}

function toIndexed(c: LoadedCard): IndexedCard {
  return { id: c.id, questions: c.questions.join(' '), labels: [c.topic, ...c.keywords, c.claim ?? ''].join(' ') }
}

/** All of a card's text, for the terms the cards know. */
function cardText(c: LoadedCard): string {
  return [c.topic, ...c.questions, ...c.keywords, c.answer, c.elder, ...(c.steps ?? []), c.claim ?? ''].join('\n')
}

/** Term → how many cards use it: a Map when counted here, CompactTerms when read with the shard. */
interface TermCounts {
  get(term: string): number | undefined
}

/**
 * The file cards' saved terms, one line per card (`id\tJSON`): a card's line is parsed when the card is
 * first ranked, so a start parses one string instead of every card's arrays.
 */
class SavedCardTerms {
  private readonly parsed = new Map<string, StoredTerms>()

  constructor(readonly text: string) {}

  get(id: string): StoredTerms | undefined {
    let got = this.parsed.get(id)
    if (got) return got
    const key = `${id}\t`
    let at = this.text.startsWith(key) ? 0 : this.text.indexOf(`\n${key}`)
    if (at < 0) return undefined
    if (at > 0) at++
    const end = this.text.indexOf('\n', at)
    got = JSON.parse(this.text.slice(at + key.length, end < 0 ? undefined : end)) as StoredTerms
    this.parsed.set(id, got)
    return got
  }

  /** Every card's terms, in the saved order (each line parsed where it is, not looked up again by id). */
  all(): StoredTerms[] {
    const out: StoredTerms[] = []
    for (const line of this.text ? this.text.split('\n') : []) {
      const tab = line.indexOf('\t')
      const id = line.slice(0, tab)
      let got = this.parsed.get(id)
      if (!got) {
        got = JSON.parse(line.slice(tab + 1)) as StoredTerms
        this.parsed.set(id, got)
      }
      out.push(got)
    }
    return out
  }
}

/** The saved form of the files' cards' shard (see CardShardJSON). */
function shardJSON(fingerprint: string, index: MiniSearch<IndexedCard>, df: ReadonlyMap<string, number>, terms: string): CardShardJSON {
  const saved = index.toJSON()
  const { documentCount, fieldIds, averageFieldLength, fieldLength } = savedDocuments(saved)
  const ids = Array.from({ length: documentCount }, (_, doc) => String(saved.documentIds[doc]))
  return { version: INDEX_VERSION, fingerprint, documents: { documentCount, fieldIds, averageFieldLength, fieldLength: [...fieldLength], ids }, entries: CompactTerms.encode(saved.index, df).entries, terms }
}

/** The saved shard's search and its term counts (one CompactTerms serves both). */
function savedSearch(json: CardShardJSON): [ShardSearcher, CompactTerms] {
  const terms = CompactTerms.fromJSON({ entries: json.entries })
  const { documentCount, fieldIds, averageFieldLength, fieldLength, ids } = json.documents
  return [new SavedShardSearch(terms, { documentCount, fieldIds, averageFieldLength, fieldLength: Int32Array.from(fieldLength) }, (doc) => ids[doc]!, BOOST), terms]
}
