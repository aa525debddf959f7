import type { Region } from '../knowledge/region-registry.js'
import { NameTrie } from '../knowledge/name-trie.js'
import { foldText } from './fold-text.js'
import type { QueryVocabulary } from './query-vocabulary.js'
import type { TypoFixer } from './typo-fixer.js'

/**
 * What a question asks for, by its shape:
 * - `number`: 多少 / 几 / 比例 / 目标 … prefers a sentence with a figure;
 * - `lead`: 谁 / 哪个部门 / 牵头 … prefers lead-unit information;
 * - `definition`: 是什么意思 / 什么是 … prefers a defining sentence;
 * - `list`: 哪些 / 都有啥 / 有什么做法 … prefers an enumeration, or the items of a section;
 * - `general`: anything else.
 */
export type QuestionShape = 'number' | 'lead' | 'definition' | 'list' | 'general'

/** A question ready for search. */
export interface AnalyzedQuestion {
  /** The folded question (IME slips on the corpus's own words corrected). */
  folded: string
  /** The topic words, with question words, filler, region names and 「我们市」 words taken out (space-separated runs). */
  topic: string
  /** Terms added by the synonym map (plan wording for colloquial words). */
  expansions: string[]
  /** For a colloquial word of the question, the plan words that stand for it (面积 → 平米, 平方米). */
  alternatives: Map<string, string[]>
  shape: QuestionShape
  /** True when the question says 「我们市」「区里」 …: it is about the resident's own region. */
  mentionsOwnRegion: boolean
  /** Words corrected as IME slips (公程 → 工程), for logs and tests. */
  corrected: [string, string][]
}

const NUMBER_SHAPE = /多少|(?<!哪)几[个项场次所名人年万千百倍家处]?|比例|百分之|多大|多高|多长|规模|数量|目标|达到/u
const LEAD_SHAPE = /谁|哪个部门|哪些部门|哪个单位|哪些单位|什么部门|什么单位|牵头|负责|归.{0,6}管|主管|谁管/u
const DEFINITION_SHAPE = /什么意思|是什么意思|什么是|指什么|是指|含义|定义|是啥|啥意思|啥是|咋理解|怎么理解/u
const LIST_SHAPE = /哪些|哪几|都有啥|都有什么|有啥|有什么(做法|措施|举措|办法|安排|品牌|平台|活动|内容|任务|设施|项目|工程|行动)|什么(做法|措施|举措|办法|设施)|怎么安排|咋安排|怎么搞|咋弄|怎么弄|做了(些)?什么|办了啥|干了啥|包括什么|包括哪/u

/** The folded spellings of a list of regions in a trie, extended as the list grows (regions are only added). */
const namesCache = new WeakMap<readonly Region[], { count: number; trie: NameTrie<true> }>()

/** Every spelling of every region and district, folded, in a trie (made once per list of regions). */
function namesOf(regions: readonly Region[]): NameTrie<true> {
  let cached = namesCache.get(regions)
  if (!cached || cached.count > regions.length) {
    cached = { count: 0, trie: new NameTrie<true>() }
    namesCache.set(regions, cached)
  }
  for (; cached.count < regions.length; cached.count++) {
    const r = regions[cached.count]!
    for (const n of [r.name, r.short, ...r.aliases, ...(r.districts ?? []), ...(r.districtShorts ?? [])]) {
      const folded = foldText(n)
      if (folded.length >= 2) cached.trie.add(folded, true)
    }
  }
  return cached.trie
}

/** `text` with every region name blanked out, longest names first (a shorter name inside a longer one goes with it). */
function withoutNames(text: string, names: NameTrie<true>): string {
  const matches = names.matches(text)
  if (!matches.length) return text
  matches.sort((a, b) => b.length - a.length || a.at - b.at)
  const taken: { at: number; end: number }[] = []
  for (const m of matches) if (!taken.some((t) => m.at < t.end && t.at < m.at + m.length)) taken.push({ at: m.at, end: m.at + m.length })
  taken.sort((a, b) => a.at - b.at)
  let out = ''
  let from = 0
  for (const t of taken) {
    out += `${text.slice(from, t.at)} `
    from = t.end
  }
  return out + text.slice(from)
}

/**
 * Reads a question's shape and topic words. `regions` supplies the names to strip (districts included);
 * `cut` is the word segmenter (question and filler words are dropped whole, so 「有效」 keeps its 「有」);
 * `fixer`, when given, corrects one-character IME slips on the corpus's own words first.
 */
export function analyzeQuestion(question: string, vocabulary: QueryVocabulary, regions: readonly Region[], cut: (text: string) => string[], fixer?: TypoFixer): AnalyzedQuestion {
  let folded = foldText(question)
  const corrected = fixer ? fixer.fix(folded, cut) : []
  for (const [from, to] of corrected) folded = folded.split(from).join(to)
  const shape: QuestionShape = LEAD_SHAPE.test(folded) ? 'lead' : DEFINITION_SHAPE.test(folded) ? 'definition' : NUMBER_SHAPE.test(folded) ? 'number' : LIST_SHAPE.test(folded) ? 'list' : 'general'
  let text = folded
  let mentionsOwnRegion = false
  for (const w of vocabulary.regionWords) {
    if (text.includes(w)) {
      mentionsOwnRegion = true
      text = text.split(w).join(' ')
    }
  }
  text = withoutNames(text, namesOf(regions))
  const stop = new Set(vocabulary.questionWords)
  const words = cut(text)
  const topic = words
    .map((w) => (stop.has(w) || !/[\p{L}\p{N}]/u.test(w) ? ' ' : w))
    .join('')
    .replace(/\s+/gu, ' ')
    .trim()
  const expansions: string[] = []
  const alternatives = new Map<string, string[]>()
  for (const s of vocabulary.synonyms) {
    if (!folded.includes(s.say)) continue
    for (const m of s.means) if (!expansions.includes(m)) expansions.push(m)
    alternatives.set(s.say, [...(alternatives.get(s.say) ?? []), ...s.means])
  }
  return { folded, topic, expansions, alternatives, shape, mentionsOwnRegion, corrected }
}
