import { z } from 'zod'
import { loadYaml } from '../knowledge/load-yaml.js'
import { foldText } from './fold-text.js'

/**
 * One group of content/synonyms.yaml: a resident's words (`say`) and the words they stand for (`means`),
 * or words that mean the same (`same`, both ways). The console validates a group staff add with it too.
 */
export const synonymEntrySchema = z.union([
  z.object({ say: z.array(z.string().min(1)).min(1), means: z.array(z.string().min(1)).min(1) }).strict(),
  z.object({ same: z.array(z.string().min(1)).min(2) }).strict(),
])
export type SynonymEntry = z.infer<typeof synonymEntrySchema>

const SynonymsFileSchema = z.object({
  synonyms: z.array(synonymEntrySchema),
  region_words: z.array(z.string().min(1)).default([]),
  question_words: z.array(z.string().min(1)).default([]),
  filler_words: z.array(z.string().min(1)).default([]),
})

/** A resident's word and the words it adds to the search. */
export interface SynonymPair {
  say: string
  means: string[]
}

/** content/synonyms.yaml, folded and ready for matching (longest spellings first). */
export interface QueryVocabulary {
  /** A resident's word and the plan words it adds; a `same` group gives every member the others, both ways. */
  synonyms: SynonymPair[]
  regionWords: string[]
  /** Words dropped from the topic: question words (哪些, 多少, 谁) and everyday filler (俺们, 那个, 一共, 这块). */
  questionWords: string[]
  /** The filler words alone (also in `questionWords`), for tests and the docs. */
  fillerWords: string[]
}

/**
 * Synonym groups kept outside the file (the console's, see SynonymRegistry): read at every question, so a
 * group added there is used by the next question. `version` changes whenever `entries` do.
 */
export interface StoredSynonyms {
  readonly version: number
  readonly entries: readonly SynonymEntry[]
}

const byLength = (a: string, b: string): number => b.length - a.length

/** The groups folded into pairs, longest spelling first (a `same` group gives each member the others). */
export function synonymPairs(entries: readonly SynonymEntry[]): SynonymPair[] {
  const pairs: SynonymPair[] = []
  for (const s of entries) {
    if ('same' in s) {
      const group = s.same.map(foldText)
      for (const w of group) pairs.push({ say: w, means: group.filter((x) => x !== w) })
    } else for (const say of s.say) pairs.push({ say: foldText(say), means: s.means.map(foldText) })
  }
  return pairs.sort((a, b) => byLength(a.say, b.say))
}

/** The synonym groups of content/synonyms.yaml as written (validated), for the console's list of groups. */
export function loadSynonymEntries(file: string): SynonymEntry[] {
  return loadYaml(file, SynonymsFileSchema).synonyms
}

/** Loads and validates content/synonyms.yaml. */
export function loadQueryVocabulary(file: string): QueryVocabulary {
  const data = loadYaml(file, SynonymsFileSchema)
  const fillerWords = data.filler_words.map(foldText).sort(byLength)
  return {
    synonyms: synonymPairs(data.synonyms),
    regionWords: data.region_words.map(foldText).sort(byLength),
    questionWords: [...new Set([...data.question_words.map(foldText), ...fillerWords])].sort(byLength),
    fillerWords,
  }
}

/**
 * The vocabulary with the stored groups after the file's: `synonyms` is folded again only when they
 * changed, and read at every question. Query time only: an index and its dictionary are made from the
 * file's vocabulary, so a stored group never changes what a cache holds.
 */
export function withStoredSynonyms(vocabulary: QueryVocabulary, stored: StoredSynonyms): QueryVocabulary {
  const fromFile = vocabulary.synonyms
  let seen = -1
  let merged = fromFile
  return {
    get synonyms() {
      if (stored.version !== seen) {
        seen = stored.version
        // Stable: the file's pairs keep their order among spellings of one length, the stored ones follow.
        merged = stored.entries.length ? [...fromFile, ...synonymPairs(stored.entries)].sort((a, b) => byLength(a.say, b.say)) : fromFile
      }
      return merged
    },
    regionWords: vocabulary.regionWords,
    questionWords: vocabulary.questionWords,
    fillerWords: vocabulary.fillerWords,
  }
}
