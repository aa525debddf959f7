import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pruneCacheSiblings, writeCacheFile } from '../core/cache-files.js'
import type { Logger } from '../core/logger.js'
import type { Region } from '../knowledge/region-registry.js'
import { foldText } from '../search/fold-text.js'
import { loadQueryVocabulary, type QueryVocabulary, type StoredSynonyms, withStoredSynonyms } from '../search/query-vocabulary.js'
import { createTokenizer, domainDictionary, type ChineseTokenizer } from '../search/tokenizer.js'
import { CardIndex, type CardShardJSON, type CardShardStore } from './card-index.js'
import { loadCards, type LoadedCard } from './load-cards.js'

/** The loaded cards and their index. */
export interface KepuKnowledge {
  /** The files' cards and those staff keep in the console (`index.setStoredCards`): read it afresh each time. */
  readonly cards: readonly LoadedCard[]
  index: CardIndex
}

export interface KepuOptions {
  contentDir: string
  /** The regions whose names are dropped from questions (the knowledge base's registry). */
  regions: readonly Region[]
  /** Where the card dictionary and shard are kept between runs; absent: built at every start. */
  cacheDir?: string
  logger?: Logger
  /** Synonym groups kept outside the file (the console's), read at every question. */
  synonyms?: StoredSynonyms
}

/** The cache folder's name under the cache dir (beside the plans' folders, which prune only hex names). */
const CACHE_FOLDER = 'kepu-cards'

/**
 * Loads content/kepu/*.yaml and builds the card index: the tokenizer on a dictionary of the cards' own
 * words (made from jieba's full dictionary once, then read from the cache), the shard built once and
 * cached under a hash of the card files and the synonyms.
 */
export function loadKepuKnowledge(options: KepuOptions): KepuKnowledge {
  const cards = loadCards(options.contentDir)
  const synonymsFile = join(options.contentDir, 'synonyms.yaml')
  // The dictionary and the index are made from the file's words; stored synonyms join at query time.
  const fileVocabulary = loadQueryVocabulary(synonymsFile)
  const vocabulary = options.synonyms ? withStoredSynonyms(fileVocabulary, options.synonyms) : fileVocabulary
  // The dictionary's recipe is part of what the cache is built from.
  const fingerprint = cardFingerprint(cards, readFileSync(synonymsFile, 'utf8'), options.regions.map((r) => r.name).join(','), `common>=${COMMON_FREQ}`)
  const folder = options.cacheDir ? join(options.cacheDir, CACHE_FOLDER, fingerprint) : undefined
  const tokenizer = cardTokenizer(cards, fileVocabulary, options.regions, folder, options.logger)
  const index = new CardIndex(cards, tokenizer, vocabulary, options.regions, fingerprint, folder ? shardStore(folder, options.logger) : undefined)
  if (folder && index.built) pruneCacheSiblings(folder)
  return {
    get cards() {
      return index.cards
    },
    index,
  }
}

/** A hash of the cards as parsed and of the texts their search depends on. */
export function cardFingerprint(cards: readonly LoadedCard[], ...texts: string[]): string {
  const hash = createHash('sha256')
  hash.update(JSON.stringify(cards))
  for (const t of texts) hash.update(`\u0000${t}`)
  return hash.digest('hex').slice(0, 16)
}

function cardTokenizer(cards: readonly LoadedCard[], vocabulary: QueryVocabulary, regions: readonly Region[], folder: string | undefined, logger?: Logger): ChineseTokenizer {
  const file = folder ? join(folder, 'dictionary.txt') : undefined
  if (file) {
    try {
      return createTokenizer({ dictionary: readFileSync(file, 'utf8') })
    } catch {
      // Not made yet: make it below.
    }
  }
  const texts = cards.map((c) => foldText([c.topic, ...c.questions, ...c.keywords, c.answer, c.elder, ...(c.steps ?? []), c.claim ?? ''].join('\n')))
  const extra = [
    ...cards.flatMap((c) => c.keywords.map(foldText)),
    ...vocabulary.questionWords,
    ...vocabulary.regionWords,
    ...vocabulary.synonyms.flatMap((s) => [s.say, ...s.means]),
    ...regions.flatMap((r) => [r.name, r.short, ...r.aliases].map(foldText)),
  ]
  // A dictionary line is `word freq tag`: a word with a space (「be fast」) cannot be one.
  const dictionary = domainDictionary([...texts, ...commonWords()], extra.filter((w) => !/\s/u.test(w)))
  if (file && folder) writeCacheFile(folder, file, dictionary, cacheWarning(logger))
  return createTokenizer({ dictionary })
}

/** Words jieba's full dictionary counts at least this often: everyday words a resident's question uses. */
const COMMON_FREQ = 1000

/**
 * The everyday words of jieba's full dictionary (about 7,000): with them a question is cut into its words
 * (流浪狗|咬|了) rather than into characters the cards never use, so a word no card has is weighed as one.
 */
function commonWords(): string[] {
  const file = join(dirname(createRequire(import.meta.url).resolve('@node-rs/jieba/dict.js')), 'dict.txt')
  const out: string[] = []
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [word, freq] = line.split(' ')
    if (word && Array.from(word).length >= 2 && Number(freq) >= COMMON_FREQ) out.push(word)
  }
  return out
}

function shardStore(folder: string, logger?: Logger): CardShardStore {
  const file = join(folder, 'shard.json')
  return {
    read() {
      try {
        return JSON.parse(readFileSync(file, 'utf8')) as CardShardJSON
      } catch {
        return undefined
      }
    },
    write(shard) {
      writeCacheFile(folder, file, JSON.stringify(shard), cacheWarning(logger))
    },
  }
}

/** How a card-index cache that could not be written is reported. */
function cacheWarning(logger: Logger | undefined): (err: string) => void {
  return (err) => logger?.warn({ code: 'E_INDEX_CACHE', module: 'kepu', err }, 'card index cache not written')
}
