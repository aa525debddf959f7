import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { writeCacheFile } from '../core/cache-files.js'

type PinyinOf = (text: string, options: { toneType: 'none'; type: 'array' }) => string[]

let pinyinLib: PinyinOf | undefined

/** Toneless pinyin of each character (pinyin-pro, loaded on first use so startup does not pay for it). */
export function pinyinSyllables(text: string): string[] {
  pinyinLib ??= (createRequire(import.meta.url)('pinyin-pro') as { pinyin: PinyinOf }).pinyin
  return pinyinLib(text, { toneType: 'none', type: 'array' })
}

const CJK_ONLY = /^[\u3400-\u9fff]+$/u
const CJK_RUNS = /[\u3400-\u9fff]+/gu
const WORDS_HEADER = '#kepu-typo-words 2'
const WRITTEN_HEADER = '#written'
const SOUNDS_VERSION = 1

/**
 * The toneless pinyin of every CJK character (its default reading), from pinyin-pro once and then from
 * `file` when given: a cached table costs a few milliseconds and no library at all, which keeps memory down.
 */
export function characterSounds(file?: string): Map<string, string> {
  if (file) {
    try {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { version: number; sounds: string }
      if (saved.version === SOUNDS_VERSION) {
        const map = new Map<string, string>()
        // One line, 「字 sound」 pairs separated by commas: compact and quick to read.
        for (const pair of saved.sounds.split(',')) if (pair.length > 2) map.set(pair[0]!, pair.slice(2))
        return map
      }
    } catch {
      // Not made yet: made below.
    }
  }
  const map = new Map<string, string>()
  for (let code = 0x4e00; code <= 0x9fff; code++) {
    const ch = String.fromCharCode(code)
    const sound = pinyinSyllables(ch)[0]
    if (sound && sound !== ch) map.set(ch, sound)
  }
  if (file) {
    try {
      mkdirSync(dirname(file), { recursive: true })
      const tmp = `${file}.${process.pid}.tmp`
      writeFileSync(tmp, JSON.stringify({ version: SOUNDS_VERSION, sounds: [...map].map(([c, p]) => `${c} ${p}`).join(',') }))
      renameSync(tmp, file)
    } catch {
      // A cache not written only costs the next start the library.
    }
  }
  return map
}

/**
 * Corrects one-character IME slips on the corpus's own vocabulary: a stretch of the question that is
 * no word of the plans but sounds exactly like one (公程 → 工程, 科技管 → 科技馆) becomes that word.
 * Sounds are the characters' default readings, the same for the question and the plans. Only
 * stretches the segmenter could not place are tried, the replacement differs in one character, and
 * a stretch that occurs in the plans as written is left alone, so correct questions never change.
 */
export class TypoFixer {
  private vocabulary?: { words: Map<string, number>; bySound: Map<string, string[]>; written: Set<string> }

  /**
   * @param texts the corpus (passage texts and titles), read on the first question that needs it.
   * @param stopWords question and filler words, which are never part of a slip.
   */
  private charSounds?: Map<string, string>

  /**
   * @param soundsFile where the table of character sounds is cached (see characterSounds); absent: made in memory.
   * @param wordsFile where the corpus's words with their counts are cached (beside the index: they depend on
   *   the corpus); absent: cut from the corpus on the first question that needs them.
   */
  constructor(
    private readonly texts: () => Iterable<string>,
    private readonly cutCorpus: (text: string) => string[],
    private readonly stopWords: ReadonlySet<string> = new Set(),
    private readonly soundsFile?: string,
    private readonly wordsFile?: string,
  ) {}

  /** The slips in a folded question, as [typed, meant] pairs (empty when none). */
  fix(folded: string, cut: (text: string) => string[]): [string, string][] {
    const tokens = cut(folded)
    const unknown = tokens.map((t) => CJK_ONLY.test(t) && !this.stopWords.has(t) && (t.length === 1 || !this.vocab().words.has(t)))
    const out: [string, string][] = []
    for (let i = 0; i < tokens.length; i++) {
      if (!unknown[i]) continue
      let j = i
      while (j + 1 < tokens.length && unknown[j + 1]) j++
      const run = tokens.slice(i, j + 1).join('')
      // A slip may sit next to a word the segmenter knew (科技|管 for 科技馆): try the run with each neighbour too.
      const before = i > 0 && CJK_ONLY.test(tokens[i - 1]!) && !this.stopWords.has(tokens[i - 1]!) ? tokens[i - 1]! : ''
      const after = j + 1 < tokens.length && CJK_ONLY.test(tokens[j + 1]!) && !this.stopWords.has(tokens[j + 1]!) ? tokens[j + 1]! : ''
      for (const candidate of [run, before + run, run + after]) {
        if (Array.from(candidate).length < 2) continue
        for (const pair of this.fixRun(candidate)) if (!out.some(([t]) => t.includes(pair[0]) || pair[0].includes(t))) out.push(pair)
      }
      i = j
    }
    return out
  }

  private fixRun(run: string): [string, string][] {
    const { words, bySound, written } = this.vocab()
    const out: [string, string][] = []
    const chars = Array.from(run)
    const sounds = this.soundsOf(run)
    for (let len = Math.min(4, chars.length); len >= 2; len--) {
      for (let i = 0; i + len <= chars.length; i++) {
        // The sound lookup first: most stretches sound like no plan word, and then nothing else is done.
        const candidates = bySound.get(sounds.slice(i, i + len).join(' '))
        if (!candidates) continue
        const typed = chars.slice(i, i + len).join('')
        const meant = this.meantFor(typed, candidates, words)
        if (!meant || out.some(([t]) => t.includes(typed) || typed.includes(t)) || written.has(typed)) continue
        out.push([typed, meant])
      }
    }
    return out
  }

  /** Toneless pinyin of each character of a stretch, by the characters' default readings. */
  private soundsOf(run: string): string[] {
    this.charSounds ??= characterSounds(this.soundsFile)
    const table = this.charSounds
    return Array.from(run, (ch) => table.get(ch) ?? ch)
  }

  /** The meant word for a typed stretch: a plan word that sounds alike, differs in one character and is used twice or more. */
  private meantFor(typed: string, candidates: readonly string[], words: ReadonlyMap<string, number>): string | undefined {
    return candidates.find((w) => differsInOne(w, typed) && (words.get(w) ?? 0) >= 2)
  }

  /**
   * The corpus's words (2–4 CJK characters) with their counts, and the stretches of the corpus that would
   * pass for a slip of one of them (sound alike, one character off): a stretch the plans use as written
   * is never corrected. Read from the cache file, or made from the corpus once and saved there, so neither
   * a start nor a question scans the corpus.
   */
  private vocab(): NonNullable<TypoFixer['vocabulary']> {
    if (this.vocabulary) return this.vocabulary
    const saved = this.readSaved()
    const words = saved?.words ?? this.cutWords()
    const bySound = new Map<string, string[]>()
    for (const w of [...words.keys()].sort((a, b) => words.get(b)! - words.get(a)!)) {
      const key = this.soundsOf(w).join(' ')
      const list = bySound.get(key)
      if (list) list.push(w)
      else bySound.set(key, [w])
    }
    const written = saved?.written ?? this.writtenSlips(words, bySound)
    if (!saved && this.wordsFile && words.size) {
      const text = [WORDS_HEADER, ...[...words].map(([w, n]) => `${w}\t${n}`), WRITTEN_HEADER, ...written].join('\n')
      writeCacheFile(dirname(this.wordsFile), this.wordsFile, text)
    }
    this.vocabulary = { words, bySound, written }
    return this.vocabulary
  }

  private cutWords(): Map<string, number> {
    const words = new Map<string, number>()
    for (const text of this.texts()) {
      for (const w of this.cutCorpus(text)) if (w.length >= 2 && w.length <= 4 && CJK_ONLY.test(w)) words.set(w, (words.get(w) ?? 0) + 1)
    }
    return words
  }

  /** Every stretch of the corpus that `fixRun` would take for a slip. */
  private writtenSlips(words: ReadonlyMap<string, number>, bySound: ReadonlyMap<string, string[]>): Set<string> {
    // Sound keys of 2 and 3 syllables that begin a longer key: a window grows only while it can still match.
    const prefixes = new Set<string>()
    for (const key of bySound.keys()) {
      const parts = key.split(' ')
      for (let n = 2; n < parts.length; n++) prefixes.add(parts.slice(0, n).join(' '))
    }
    const out = new Set<string>()
    for (const text of this.texts()) {
      for (const run of text.match(CJK_RUNS) ?? []) {
        const chars = Array.from(run)
        const sounds = this.soundsOf(run)
        for (let i = 0; i + 2 <= chars.length; i++) {
          let key = sounds[i]!
          for (let len = 2; len <= 4 && i + len <= chars.length; len++) {
            key = `${key} ${sounds[i + len - 1]!}`
            const candidates = bySound.get(key)
            if (candidates) {
              const typed = chars.slice(i, i + len).join('')
              if (!out.has(typed) && this.meantFor(typed, candidates, words)) out.add(typed)
            }
            if (!prefixes.has(key)) break
          }
        }
      }
    }
    return out
  }

  private readSaved(): { words: Map<string, number>; written: Set<string> } | undefined {
    if (!this.wordsFile) return undefined
    let lines: string[]
    try {
      lines = readFileSync(this.wordsFile, 'utf8').split('\n')
    } catch {
      return undefined
    }
    const at = lines.indexOf(WRITTEN_HEADER)
    if (lines[0] !== WORDS_HEADER || at < 0) return undefined
    const words = new Map<string, number>()
    for (const line of lines.slice(1, at)) {
      const tab = line.indexOf('\t')
      if (tab > 0) words.set(line.slice(0, tab), Number(line.slice(tab + 1)))
    }
    return words.size ? { words, written: new Set(lines.slice(at + 1).filter(Boolean)) } : undefined
  }
}

function differsInOne(a: string, b: string): boolean {
  const x = Array.from(a)
  const y = Array.from(b)
  if (x.length !== y.length) return false
  let diff = 0
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) diff++
  return diff === 1
}
