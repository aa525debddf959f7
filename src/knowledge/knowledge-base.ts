import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Logger } from '../core/logger.js'
import { analyzeQuestion, type AnalyzedQuestion } from '../search/analyze-question.js'
import { PlanIndex, type PlanShardJSON, type ShardStore } from '../search/plan-index.js'
import { loadQueryVocabulary, type QueryVocabulary } from '../search/query-vocabulary.js'
import { createTokenizer, domainDictionary, type ChineseTokenizer, type Tokenize } from '../search/tokenizer.js'
import { loadPlans } from './load-plans.js'
import type { Plan } from './plan.js'
import { RegionRegistry } from './region-registry.js'

/** Everything the plan handlers need: plans, regions, the index and the query vocabulary. */
export interface KnowledgeBase {
  plans: Plan[]
  regions: RegionRegistry
  index: PlanIndex
  vocabulary: QueryVocabulary
  tokenize: Tokenize
  /** Reads a question's shape and topic with this knowledge base's vocabulary and regions. */
  analyze(question: string): AnalyzedQuestion
  /** The plan of a region (the first one when a region has several). */
  planOf(region: string): Plan | undefined
}

export interface KnowledgeOptions {
  contentDir: string
  seedsDir: string
  /** Where to keep the built index between runs; absent: always build. */
  cacheDir?: string
  logger?: Logger
}

/**
 * Loads regions, synonyms and every plan in the seeds folder, then builds the index or loads it from
 * the cache when the seeds and synonyms are unchanged (the cache key is their content hash).
 */
export function loadKnowledgeBase(options: KnowledgeOptions): KnowledgeBase {
  const regions = RegionRegistry.load(join(options.contentDir, 'regions.yaml'))
  const synonymsFile = join(options.contentDir, 'synonyms.yaml')
  const vocabulary = loadQueryVocabulary(synonymsFile)
  const plans = loadPlans(options.seedsDir)
  for (const plan of plans) regions.add({ name: plan.region })
  const fingerprint = planFingerprint(options.seedsDir, synonymsFile)
  const folder = options.cacheDir ? join(options.cacheDir, fingerprint) : undefined
  const tokenizer = domainTokenizer(plans, vocabulary, regions, folder, options.logger)
  const index = new PlanIndex(plans, tokenizer.tokenize, fingerprint, folder ? fileShardStore(folder, options.logger) : undefined)
  const byRegion = new Map(plans.map((p) => [p.region, p]))
  return {
    plans,
    regions,
    index,
    vocabulary,
    tokenize: tokenizer.tokenize,
    analyze: (question) => analyzeQuestion(question, vocabulary, regions.all(), tokenizer.cut),
    planOf: (region) => byRegion.get(region),
  }
}

/**
 * The tokenizer on a dictionary of this corpus's own words: read from the cache folder, or made from
 * the full jieba dictionary once and saved there. Without a cache folder it is made in memory.
 */
function domainTokenizer(plans: Plan[], vocabulary: QueryVocabulary, regions: RegionRegistry, folder: string | undefined, logger?: Logger): ChineseTokenizer {
  const file = folder ? join(folder, 'dictionary.txt') : undefined
  if (file) {
    try {
      return createTokenizer({ dictionary: readFileSync(file, 'utf8') })
    } catch {
      // Not made yet: make it below.
    }
  }
  const texts = plans.flatMap((p) => p.passages.flatMap((x) => [x.text, x.title, ...x.headings]))
  const extra = [
    ...vocabulary.questionWords,
    ...vocabulary.regionWords,
    ...vocabulary.synonyms.flatMap((s) => [s.say, ...s.means]),
    ...regions.all().flatMap((r) => [r.name, r.short, ...r.aliases]),
  ]
  const dictionary = domainDictionary(texts, extra)
  if (file && folder) writeAtomically(folder, file, dictionary, logger)
  return createTokenizer({ dictionary })
}

function fileShardStore(folder: string, logger?: Logger): ShardStore {
  const path = (region: string): string => join(folder, `shard-${createHash('sha256').update(region).digest('hex').slice(0, 12)}.json`)
  return {
    read(region) {
      try {
        return JSON.parse(readFileSync(path(region), 'utf8')) as PlanShardJSON
      } catch {
        return undefined
      }
    },
    write(region, shard) {
      writeAtomically(folder, path(region), JSON.stringify(shard), logger)
    },
  }
}

function writeAtomically(folder: string, file: string, data: string, logger?: Logger): void {
  try {
    mkdirSync(folder, { recursive: true })
    const tmp = `${file}.${process.pid}.tmp`
    writeFileSync(tmp, data)
    renameSync(tmp, file)
  } catch (err) {
    logger?.warn({ code: 'E_INDEX_CACHE', err: err instanceof Error ? err.name : 'unknown' }, 'index cache not written')
  }
}

/** A hash of the seed texts and the tokenizer-relevant content: a changed file means a rebuilt index. */
export function planFingerprint(seedsDir: string, ...files: string[]): string {
  const hash = createHash('sha256')
  for (const n of readdirSync(seedsDir).filter((n) => n.endsWith('.txt')).sort()) {
    hash.update(n)
    hash.update(readFileSync(join(seedsDir, n)))
  }
  for (const f of files) hash.update(readFileSync(f))
  return hash.digest('hex').slice(0, 16)
}
