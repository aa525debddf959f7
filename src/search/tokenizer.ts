import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { Jieba } from '@node-rs/jieba'

/** Splits folded text into index terms. The same function serves index and queries. */
export type Tokenize = (text: string) => string[]

/** A tokenizer plus the word segmenter behind it (question analysis needs the words alone). */
export interface ChineseTokenizer {
  tokenize: Tokenize
  /** Jieba's words of a folded text (punctuation and spaces included as their own pieces). */
  cut(text: string): string[]
}

/** How to cut Chinese runs: words (jieba), character bigrams, or both (the default). */
export interface TokenizerOptions {
  words?: boolean
  bigrams?: boolean
  /**
   * A jieba dictionary (`word freq tag` lines) to use instead of the full default one. The full one
   * costs ~0.25 s and ~60 MB to load; a domain dictionary of the corpus's own words costs milliseconds
   * (see `domainDictionary`).
   */
  dictionary?: string
}

const RUN = /[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+(?:[.-][a-z0-9]+)*%?/gu
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/u

let fullJieba: Jieba | undefined

/** The path of jieba's default dictionary file. */
function defaultDictionaryPath(): string {
  const require = createRequire(import.meta.url)
  return join(dirname(require.resolve('@node-rs/jieba/dict.js')), 'dict.txt')
}

/** Jieba with its full default dictionary, loaded once per process and only when asked for. */
function fullSegmenter(): Jieba {
  fullJieba ??= Jieba.withDict(readFileSync(defaultDictionaryPath()))
  return fullJieba
}

/**
 * A tokenizer for Chinese plan text and colloquial questions: each Chinese run is cut into jieba words
 * and overlapping character bigrams (bigrams recover words the dictionary splits differently, e.g.
 * 实验秀 against 科学实验秀); ASCII runs (numbers, percentages, English words) stay whole. Single
 * characters are kept only when a run is one character long. Input must be folded (see foldText).
 */
export function createTokenizer(options: TokenizerOptions = {}): ChineseTokenizer {
  const useWords = options.words ?? true
  const useBigrams = options.bigrams ?? true
  let seg: Jieba
  if (options.dictionary !== undefined) {
    seg = new Jieba()
    seg.loadDict(Buffer.from(options.dictionary))
  } else seg = fullSegmenter()
  const tokenize: Tokenize = (text) => {
    const out: string[] = []
    for (const m of text.matchAll(RUN)) {
      const run = m[0]
      if (!CJK.test(run) || run.length === 1) {
        out.push(run)
        continue
      }
      if (useWords) for (const w of seg.cut(run, false)) if (w.length > 1) out.push(w)
      if (useBigrams) for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2))
    }
    return out
  }
  return { tokenize, cut: (text) => seg.cut(text, false) }
}

/**
 * The lines of jieba's full dictionary for the words the full segmenter finds in `texts`, plus `extra`
 * words (question words, synonyms, region names) with a middling frequency: a dictionary that cuts
 * this corpus as the full one does, at a fraction of its load time.
 */
export function domainDictionary(texts: Iterable<string>, extra: Iterable<string> = []): string {
  const seg = fullSegmenter()
  const words = new Set<string>()
  for (const t of texts) for (const w of seg.cut(t, false)) if (w.length > 1 && CJK.test(w)) words.add(w)
  for (const w of extra) if (w.length > 1) words.add(w)
  const lines = new Map<string, string>()
  for (const line of readFileSync(defaultDictionaryPath(), 'utf8').split('\n')) {
    const sp = line.indexOf(' ')
    const w = sp > 0 ? line.slice(0, sp) : line
    if (words.has(w)) lines.set(w, line)
  }
  for (const w of words) if (!lines.has(w)) lines.set(w, `${w} 1000 n`)
  return [...lines.values()].sort().join('\n') + '\n'
}
