import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Logger } from '../core/logger.js'
import { analyzeQuestion, type AnalyzedQuestion } from '../search/analyze-question.js'
import { PlanIndex, type PlanIndexJSON } from '../search/plan-index.js'
import { loadQueryVocabulary, type QueryVocabulary } from '../search/query-vocabulary.js'
import { createTokenizer, type Tokenize } from '../search/tokenizer.js'
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
  const tokenize = createTokenizer()
  const fingerprint = planFingerprint(options.seedsDir, synonymsFile)
  const index = loadOrBuildIndex(plans, tokenize, fingerprint, options)
  const byRegion = new Map(plans.map((p) => [p.region, p]))
  return {
    plans,
    regions,
    index,
    vocabulary,
    tokenize,
    analyze: (question) => analyzeQuestion(question, vocabulary, regions.all()),
    planOf: (region) => byRegion.get(region),
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

function loadOrBuildIndex(plans: Plan[], tokenize: Tokenize, fingerprint: string, options: KnowledgeOptions): PlanIndex {
  const file = options.cacheDir ? join(options.cacheDir, 'plan-index.json') : undefined
  if (file) {
    try {
      const json = JSON.parse(readFileSync(file, 'utf8')) as PlanIndexJSON
      const loaded = PlanIndex.fromJSON(json, plans, tokenize, fingerprint)
      if (loaded) return loaded
    } catch {
      // No cache yet, or an unreadable one: build anew below.
    }
  }
  const index = PlanIndex.build(plans, tokenize, fingerprint)
  if (file && options.cacheDir) {
    try {
      mkdirSync(options.cacheDir, { recursive: true })
      const tmp = `${file}.${process.pid}.tmp`
      writeFileSync(tmp, JSON.stringify(index.toJSON()))
      renameSync(tmp, file)
    } catch (err) {
      options.logger?.warn({ code: 'E_INDEX_CACHE', err: err instanceof Error ? err.name : 'unknown' }, 'index cache not written')
    }
  }
  return index
}
