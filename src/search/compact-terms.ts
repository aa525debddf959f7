import type { AsPlainObject } from 'minisearch'
import { codeUnits, textOf } from './code-units.js'

/** The saved form of a shard's terms: one line per term, sorted by term, `term\tdf|postings`. */
export interface CompactTermsJSON {
  /**
   * Lines `term\tdf|field:doc=freq,doc=freq;field:…` joined by '\n', sorted by term (code units); df is
   * empty when the term has no count, postings when MiniSearch has no entry for it.
   */
  entries: string
}

type SavedTermData = Record<string, Record<string, number>>

/**
 * A shard's term index and document frequencies as UTF-16 code units (the lines of CompactTermsJSON)
 * with the offset of each line, instead of MiniSearch's nested objects. Loaded from a shard file, both
 * are views of the file's bytes, outside the JS heap: a national corpus loads a shard on most questions,
 * and strings made per load (copied by each young-generation collection, then promoted and collected
 * again when the shard is dropped) were most of its collector's work. A term is found by binary search
 * over the lines, comparing code units in place, and its postings read in place.
 *
 * `scan` visits a term's postings as MiniSearch's entry lists them (for SavedShardSearch); `get` and
 * iteration give the document frequencies, as a Map would.
 */
export class CompactTerms implements Iterable<[string, number]> {
  /**
   * @param units the lines' code units (`\n` between lines, none after the last)
   * @param starts where each line starts, and one more entry: the end of the units plus one
   */
  constructor(
    private readonly units: Uint16Array,
    private readonly starts: Int32Array,
  ) {}

  /** The terms of their saved form (a shard built in this process, tests). */
  static fromJSON(saved: CompactTermsJSON): CompactTerms {
    const units = codeUnits(saved.entries)
    return new CompactTerms(units, CompactTerms.lineStarts(units))
  }

  /** The saved form (tests, and a shard saved again). */
  toJSON(): CompactTermsJSON {
    return { entries: textOf(this.units) }
  }

  /** Where each line of `units` starts, plus the end (see the constructor). */
  static lineStarts(units: Uint16Array): Int32Array {
    let lines = units.length ? 1 : 0
    for (let i = 0; i < units.length; i++) if (units[i] === NEWLINE) lines++
    const starts = new Int32Array(lines + 1)
    let line = 0
    if (units.length) {
      starts[line++] = 0
      for (let i = 0; i < units.length; i++) if (units[i] === NEWLINE) starts[line++] = i + 1
    }
    starts[lines] = units.length + 1
    return starts
  }

  /** Encodes MiniSearch's saved index entries and the document frequencies (terms of either). */
  static encode(index: AsPlainObject['index'], df: ReadonlyMap<string, number>): CompactTermsJSON {
    const postings = new Map<string, string>()
    for (const [term, data] of index as [string, SavedTermData][]) {
      const fields = Object.keys(data).map((field) => `${field}:${Object.entries(data[field]!).map(([doc, n]) => `${doc}=${n}`).join(',')}`)
      postings.set(term, fields.join(';'))
    }
    const all = [...new Set([...postings.keys(), ...df.keys()])].sort(byCodeUnit)
    if (all.some((t) => /[\t\n]/u.test(t))) throw new Error('compact terms: a term holds a tab or a line break')
    // Postings and counts are read back digit by digit (see `number`).
    if ([...postings.values()].some((p) => !/^(?:\d+:\d+=\d+(?:,\d+=\d+)*(?:;|$))*$/u.test(p)) || [...df.values()].some((n) => !Number.isInteger(n) || n < 0)) {
      throw new Error('compact terms: a field, document, frequency or count that is not a whole number')
    }
    return { entries: all.map((t) => `${t}\t${df.get(t) ?? ''}|${postings.get(t) ?? ''}`).join('\n') }
  }

  /** How many terms there are. */
  get size(): number {
    return this.starts.length - 1
  }

  /** The term's document frequency, as a Map's `get` would give it. */
  get(term: string): number | undefined {
    const i = this.find(term)
    return i < 0 ? undefined : this.count(i)
  }

  /**
   * Visits the term's postings in place, as MiniSearch's entry lists them (field by field, documents in
   * ascending order), with how many documents the field has the term in; makes no object. False when the
   * term has no postings.
   */
  scan(term: string, visit: (field: number, doc: number, freq: number, docsInField: number) => void): boolean {
    const i = this.find(term)
    if (i < 0) return false
    const u = this.units
    const end = this.starts[i + 1]! - 1
    let at = this.bar(i) + 1
    if (at >= end) return false
    while (at < end) {
      const field = this.number(at)
      const first = this.after + 1
      // How many documents: one more than the commas before the field's end.
      let docs = 1
      let stop = first
      while (stop < end && u[stop] !== SEMICOLON) {
        if (u[stop] === COMMA) docs++
        stop++
      }
      at = first
      while (at < stop) {
        const doc = this.number(at)
        const freq = this.number(this.after + 1)
        at = this.after + 1
        visit(field, doc, freq, docs)
      }
      at = stop + 1
    }
    return true
  }

  /** Every term with a document frequency, in term order. */
  *[Symbol.iterator](): Iterator<[string, number]> {
    for (let i = 0; i < this.size; i++) {
      const n = this.count(i)
      if (n !== undefined) yield [textOf(this.units.subarray(this.starts[i]!, this.tab(i))), n]
    }
  }

  /** Where line i's tab is (the end of its term). */
  private tab(i: number): number {
    const u = this.units
    let at = this.starts[i]!
    while (at < u.length && u[at] !== TAB) at++
    return at
  }

  /** Where line i's bar is (the end of its count). */
  private bar(i: number): number {
    const u = this.units
    let at = this.tab(i) + 1
    while (at < u.length && u[at] !== BAR) at++
    return at
  }

  private count(i: number): number | undefined {
    // Read in place: counts are looked up several times per term and search.
    const tab = this.tab(i)
    return this.units[tab + 1] === BAR ? undefined : this.number(tab + 1)
  }

  /** Where the digits `number` read last end (a field, not a returned pair: postings are read per search). */
  private after = 0

  /** The whole number written at `at`; where its digits end is left in `after`. */
  private number(at: number): number {
    const u = this.units
    let value = 0
    while (u[at]! >= ZERO && u[at]! <= NINE) value = value * 10 + (u[at++]! - ZERO)
    this.after = at
    return value
  }

  /** The line of `term`, or -1: a binary search comparing each line's term in place (no string made). */
  private find(term: string): number {
    const u = this.units
    let lo = 0
    let hi = this.size - 1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      const start = this.starts[mid]!
      const len = this.tab(mid) - start
      const n = Math.min(len, term.length)
      let d = 0
      for (let k = 0; k < n && d === 0; k++) d = u[start + k]! - term.charCodeAt(k)
      if (d === 0) d = len - term.length
      if (d === 0) return mid
      if (d < 0) lo = mid + 1
      else hi = mid - 1
    }
    return -1
  }
}

const TAB = 9
const NEWLINE = 10
const COMMA = 44
const SEMICOLON = 59
const BAR = 124
const ZERO = 48
const NINE = 57

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
