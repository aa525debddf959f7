import type { Region } from '../knowledge/region-registry.js'
import { foldText } from './fold-text.js'
import type { QueryVocabulary } from './query-vocabulary.js'

/**
 * What a question asks for, by its shape:
 * - `number`: 多少 / 几 / 比例 / 目标 … prefers a sentence with a figure;
 * - `lead`: 谁 / 哪个部门 / 牵头 … prefers lead-unit information;
 * - `definition`: 是什么意思 / 什么是 … prefers a defining sentence;
 * - `general`: anything else.
 */
export type QuestionShape = 'number' | 'lead' | 'definition' | 'general'

/** A question ready for search. */
export interface AnalyzedQuestion {
  /** The folded question. */
  folded: string
  /** The topic words, with question words, region names and 「我们市」 words taken out (space-separated runs). */
  topic: string
  /** Terms added by the synonym map (plan wording for colloquial words). */
  expansions: string[]
  /** For a colloquial word of the question, the plan words that stand for it (面积 → 平米, 平方米). */
  alternatives: Map<string, string[]>
  shape: QuestionShape
  /** True when the question says 「我们市」「区里」 …: it is about the resident's own region. */
  mentionsOwnRegion: boolean
}

const NUMBER_SHAPE = /多少|几[个项场次所名人年万千百倍家处]?|比例|百分之|多大|多高|多长|规模|数量|目标|达到/u
const LEAD_SHAPE = /谁|哪个部门|哪些部门|哪个单位|哪些单位|什么部门|什么单位|牵头|负责|归.{0,6}管|主管|谁管/u
const DEFINITION_SHAPE = /什么意思|是什么意思|什么是|指什么|是指|含义|定义|是啥|啥意思|啥是|咋理解|怎么理解/u

/**
 * Reads a question's shape and topic words. `regions` supplies the names to strip; `cut` is the word
 * segmenter (question words are dropped whole, so 「有效」 keeps its 「有」).
 */
export function analyzeQuestion(question: string, vocabulary: QueryVocabulary, regions: readonly Region[], cut: (text: string) => string[]): AnalyzedQuestion {
  const folded = foldText(question)
  const shape: QuestionShape = LEAD_SHAPE.test(folded) ? 'lead' : DEFINITION_SHAPE.test(folded) ? 'definition' : NUMBER_SHAPE.test(folded) ? 'number' : 'general'
  let text = folded
  let mentionsOwnRegion = false
  for (const w of vocabulary.regionWords) {
    if (text.includes(w)) {
      mentionsOwnRegion = true
      text = text.split(w).join(' ')
    }
  }
  const names = regions.flatMap((r) => [r.name, r.short, ...r.aliases].map(foldText)).filter((s) => s.length >= 2).sort((a, b) => b.length - a.length)
  for (const n of names) if (text.includes(n)) text = text.split(n).join(' ')
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
  return { folded, topic, expansions, alternatives, shape, mentionsOwnRegion }
}
