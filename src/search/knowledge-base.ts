import { createHash } from 'node:crypto'
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs'
import { join } from 'node:path'
import { pruneCacheSiblings, writeCacheFile } from '../core/cache-files.js'
import type { Logger } from '../core/logger.js'
import { analyzeQuestion, type AnalyzedQuestion } from './analyze-question.js'
import { PlanIndex, type ShardStore } from './plan-index.js'
import { BytePool } from './byte-pool.js'
import { decodeShardFile, encodeShardFile } from './shard-file.js'
import type { RoutingJSON } from './region-router.js'
import { loadQueryVocabulary, type QueryVocabulary, type StoredSynonyms, withStoredSynonyms } from './query-vocabulary.js'
import { createTokenizer, domainDictionary, type ChineseTokenizer, type Tokenize } from './tokenizer.js'
import { TypoFixer } from './typo-fixer.js'
import { loadPlanTree } from '../knowledge/load-plans.js'
import { NATIONAL } from '../knowledge/parse-plan.js'
import type { Plan } from '../knowledge/plan.js'
import { RegionRegistry } from '../knowledge/region-registry.js'

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
  /** How much memory the loaded index shards may take, in MB (KEPU_INDEX_MEMORY_MB); absent: no limit. */
  indexMemoryMB?: number
  logger?: Logger
  /** Synonym groups kept outside the file (the console's), read at every question. */
  synonyms?: StoredSynonyms
}

/**
 * Loads regions, synonyms and every plan in the seeds folder, then builds the index or loads it from
 * the cache when the seeds and synonyms are unchanged (the cache key is their content hash).
 */
export function loadKnowledgeBase(options: KnowledgeOptions): KnowledgeBase {
  const regions = RegionRegistry.load(join(options.contentDir, 'regions.yaml'))
  const synonymsFile = join(options.contentDir, 'synonyms.yaml')
  // The dictionary and the index are made from the file's words; stored synonyms join at query time.
  const fileVocabulary = loadQueryVocabulary(synonymsFile)
  const vocabulary = options.synonyms ? withStoredSynonyms(fileVocabulary, options.synonyms) : fileVocabulary
  const { plans, above } = loadPlanTree(options.seedsDir, options.cacheDir ? { cacheDir: options.cacheDir } : {})
  // A plan for an unlisted region adds it; the national outline is not a place a resident lives in.
  for (const plan of plans) if (plan.region !== NATIONAL) regions.add({ name: plan.region })
  const fingerprint = planFingerprint(plans, readFileSync(synonymsFile, 'utf8'))
  const folder = options.cacheDir ? join(options.cacheDir, fingerprint) : undefined
  const tokenizer = domainTokenizer(plans, fileVocabulary, regions, folder, options.logger)
  const index = new PlanIndex(plans, tokenizer.tokenize, fingerprint, folder ? fileShardStore(folder, options.logger) : undefined, {
    above,
    ...(options.indexMemoryMB ? { memoryBudget: options.indexMemoryMB * 1024 * 1024 } : {}),
  })
  const byRegion = new Map(plans.map((p) => [p.region, p]))
  // Each distinct text once: plans repeat the national outline's wording (and a synthetic corpus repeats whole plans).
  const fixer = new TypoFixer(() => new Set(plans.flatMap((p) => p.passages.flatMap((x) => [x.title, x.text]))), tokenizer.cut, new Set(vocabulary.questionWords), options.cacheDir ? join(options.cacheDir, 'pinyin-sounds.json') : undefined, folder ? join(folder, 'typo-words.txt') : undefined)
  return {
    plans,
    regions,
    index,
    vocabulary,
    tokenize: tokenizer.tokenize,
    analyze: (question) => analyzeQuestion(question, vocabulary, regions.all(), tokenizer.cut, fixer),
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
  if (file && folder) {
    writeCacheFile(folder, file, dictionary, (err) => logger?.warn({ code: 'E_INDEX_CACHE', err }, 'index cache not written'))
    pruneCacheSiblings(folder)
  }
  return createTokenizer({ dictionary })
}

function fileShardStore(folder: string, logger?: Logger): ShardStore {
  // A shard's bytes stay in its buffer while it is loaded (see shard-file.ts); a dropped shard's buffer is
  // the next load's.
  const pool = new BytePool()
  const path = (region: string): string => join(folder, `shard-${createHash('sha256').update(region).digest('hex').slice(0, 12)}.bin`)
  return {
    read(region) {
      let fd: number | undefined
      let buf: Buffer | undefined
      try {
        fd = openSync(path(region), 'r')
        const size = fstatSync(fd).size
        const into = pool.take(size)
        buf = into
        let got = 0
        while (got < size) {
          const n = readSync(fd, into, got, size - got, got)
          if (n === 0) break
          got += n
        }
        const saved = decodeShardFile(into.subarray(0, got), () => pool.give(into))
        if (saved) buf = undefined
        return saved
      } catch {
        return undefined
      } finally {
        if (fd !== undefined) closeSync(fd)
        // Not a shard after all (another version, a cut file): the buffer goes straight back.
        if (buf) pool.give(buf)
      }
    },
    write(region, shard) {
      writeCacheFile(folder, path(region), encodeShardFile(shard), (err) => logger?.warn({ code: 'E_INDEX_CACHE', err }, 'index cache not written'))
    },
    readRouting() {
      try {
        return JSON.parse(readFileSync(join(folder, 'routing.json'), 'utf8')) as RoutingJSON
      } catch {
        return undefined
      }
    },
    writeRouting(routing) {
      writeCacheFile(folder, join(folder, 'routing.json'), JSON.stringify(routing), (err) => logger?.warn({ code: 'E_INDEX_CACHE', err }, 'index cache not written'))
    },
  }
}



/**
 * A hash of what the index is built from: the parsed passages (so a parser change counts as well as a
 * seed edit) and the vocabulary text. A changed hash means a rebuilt index.
 */
export function planFingerprint(plans: readonly Plan[], ...texts: string[]): string {
  const hash = createHash('sha256')
  for (const plan of plans) {
    for (const p of plan.passages) hash.update(`${p.id}\u0000${p.title}\u0000${p.headings.join('/')}\u0000${p.text}\u0000${p.leads.join('、')}\u0000${p.units.join('、')}\n`)
  }
  for (const t of texts) hash.update(t)
  return hash.digest('hex').slice(0, 16)
}
