import { z } from 'zod'
import { loadYaml } from '../knowledge/load-yaml.js'
import { foldText } from './fold-text.js'

const SynonymsFileSchema = z.object({
  synonyms: z.array(z.object({ say: z.array(z.string().min(1)).min(1), means: z.array(z.string().min(1)).min(1) })),
  region_words: z.array(z.string().min(1)).default([]),
  question_words: z.array(z.string().min(1)).default([]),
})

/** content/synonyms.yaml, folded and ready for matching (longest spellings first). */
export interface QueryVocabulary {
  synonyms: { say: string; means: string[] }[]
  regionWords: string[]
  questionWords: string[]
}

/** Loads and validates content/synonyms.yaml. */
export function loadQueryVocabulary(file: string): QueryVocabulary {
  const data = loadYaml(file, SynonymsFileSchema)
  const byLength = (a: string, b: string): number => b.length - a.length
  return {
    synonyms: data.synonyms
      .flatMap((s) => s.say.map((say) => ({ say: foldText(say), means: s.means.map(foldText) })))
      .sort((a, b) => byLength(a.say, b.say)),
    regionWords: data.region_words.map(foldText).sort(byLength),
    questionWords: data.question_words.map(foldText).sort(byLength),
  }
}
