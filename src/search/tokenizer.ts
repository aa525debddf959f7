import { Jieba } from '@node-rs/jieba'
import { dict } from '@node-rs/jieba/dict.js'

/** Splits folded text into index terms. The same function serves index and queries. */
export type Tokenize = (text: string) => string[]

/** How to cut Chinese runs: words (jieba), character bigrams, or both (the default). */
export interface TokenizerOptions {
  words?: boolean
  bigrams?: boolean
  /** Extra dictionary words (e.g. domain terms), one a line `word [freq]`. */
  extraWords?: string[]
}

const RUN = /[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+(?:[.\-][a-z0-9]+)*%?/gu

let sharedJieba: Jieba | undefined

/** The jieba segmenter with its default dictionary, loaded once per process (it takes ~0.2 s). */
export function jieba(): Jieba {
  sharedJieba ??= Jieba.withDict(dict)
  return sharedJieba
}

/**
 * A tokenizer for Chinese plan text and colloquial questions: each Chinese run is cut into jieba words
 * and overlapping character bigrams (bigrams recover words the dictionary splits differently, e.g.
 * 实验秀 against 科学实验秀); ASCII runs (numbers, percentages, English words) stay whole. Single
 * characters are kept only when a run is one character long. Input must be folded (see foldText).
 */
export function createTokenizer(options: TokenizerOptions = {}): Tokenize {
  const useWords = options.words ?? true
  const useBigrams = options.bigrams ?? true
  const seg = useWords ? jieba() : undefined
  if (seg && options.extraWords?.length) seg.loadDict(Buffer.from(options.extraWords.join('\n') + '\n'))
  return (text: string): string[] => {
    const out: string[] = []
    for (const m of text.matchAll(RUN)) {
      const run = m[0]
      if (!/[\u3400-\u9fff\uf900-\ufaff]/u.test(run)) {
        out.push(run)
        continue
      }
      if (run.length === 1) {
        out.push(run)
        continue
      }
      if (seg) for (const w of seg.cut(run, false)) if (w.length > 1) out.push(w)
      if (useBigrams) for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2))
    }
    return out
  }
}
