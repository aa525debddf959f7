import { z } from 'zod'
import { loadYaml } from '../knowledge/load-yaml.js'
import { foldText } from './fold-text.js'

const SynonymSchema = z.union([
  z.object({ say: z.array(z.string().min(1)).min(1), means: z.array(z.string().min(1)).min(1) }).strict(),
  z.object({ same: z.array(z.string().min(1)).min(2) }).strict(),
])

const SynonymsFileSchema = z.object({
  synonyms: z.array(SynonymSchema),
  region_words: z.array(z.string().min(1)).default([]),
  question_words: z.array(z.string().min(1)).default([]),
  filler_words: z.array(z.string().min(1)).default([]),
})

/** content/synonyms.yaml, folded and ready for matching (longest spellings first). */
export interface QueryVocabulary {
  /** A resident's word and the plan words it adds; a `same` group gives every member the others, both ways. */
  synonyms: { say: string; means: string[] }[]
  regionWords: string[]
  /** Words dropped from the topic: question words (哪些, 多少, 谁) and everyday filler (俺们, 那个, 一共, 这块). */
  questionWords: string[]
  /** The filler words alone (also in `questionWords`), for tests and the docs. */
  fillerWords: string[]
}

/** Loads and validates content/synonyms.yaml. */
export function loadQueryVocabulary(file: string): QueryVocabulary {
  const data = loadYaml(file, SynonymsFileSchema)
  const byLength = (a: string, b: string): number => b.length - a.length
  const pairs: { say: string; means: string[] }[] = []
  for (const s of data.synonyms) {
    if ('same' in s) {
      const group = s.same.map(foldText)
      for (const w of group) pairs.push({ say: w, means: group.filter((x) => x !== w) })
    } else for (const say of s.say) pairs.push({ say: foldText(say), means: s.means.map(foldText) })
  }
  const fillerWords = data.filler_words.map(foldText).sort(byLength)
  return {
    synonyms: pairs.sort((a, b) => byLength(a.say, b.say)),
    regionWords: data.region_words.map(foldText).sort(byLength),
    questionWords: [...new Set([...data.question_words.map(foldText), ...fillerWords])].sort(byLength),
    fillerWords,
  }
}
