import type { AsPlainObject } from 'minisearch'

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
 * A shard's term index and document frequencies in one string (CompactTermsJSON) instead of
 * MiniSearch's nested objects. Loading it makes one string and an array of line offsets, not
 * thousands of small objects: a shard loads in a fraction of the time and garbage, and holds far less
 * memory. A term is found by binary search over the lines, comparing in place, and decoded on first use.
 *
 * `postings` answers MiniSearch's exact-term look-ups (field id → document id → frequency, as `loadJS`
 * builds them); `get` and iteration give the document frequencies, as a Map would.
 */
export class CompactTerms implements Iterable<[string, number]> {
  private readonly text: string
  /** Where each line starts; one more entry than lines, at the end of the text plus one. */
  private readonly starts: Int32Array
  private readonly decoded = new Map<number, Map<number, Map<number, number>>>()

  constructor(saved: CompactTermsJSON) {
    const text = saved.entries
    this.text = text
    let lines = text ? 1 : 0
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines++
    const starts = new Int32Array(lines + 1)
    let line = 0
    if (text) {
      starts[line++] = 0
      for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts[line++] = at + 1
    }
    starts[lines] = text.length + 1
    this.starts = starts
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

  /** MiniSearch's entry for an exact term: field id → document id → frequency. */
  postings(term: string): Map<number, Map<number, number>> | undefined {
    const i = this.find(term)
    if (i < 0) return undefined
    const have = this.decoded.get(i)
    if (have) return have
    const line = this.line(i)
    const data = line.slice(line.indexOf('|', line.indexOf('\t')) + 1)
    if (!data) return undefined
    const out = new Map<number, Map<number, number>>()
    for (const field of data.split(';')) {
      const colon = field.indexOf(':')
      const docs = new Map<number, number>()
      for (const pair of field.slice(colon + 1).split(',')) {
        const eq = pair.indexOf('=')
        docs.set(Number(pair.slice(0, eq)), Number(pair.slice(eq + 1)))
      }
      out.set(Number(field.slice(0, colon)), docs)
    }
    this.decoded.set(i, out)
    return out
  }

  /** Every term with a document frequency, in term order. */
  *[Symbol.iterator](): Iterator<[string, number]> {
    for (let i = 0; i < this.size; i++) {
      const n = this.count(i)
      if (n !== undefined) {
        const line = this.line(i)
        yield [line.slice(0, line.indexOf('\t')), n]
      }
    }
  }

  private line(i: number): string {
    return this.text.slice(this.starts[i]!, this.starts[i + 1]! - 1)
  }

  private count(i: number): number | undefined {
    // Read in place: counts are looked up several times per term and search, the line is not needed.
    const tab = this.text.indexOf('\t', this.starts[i]!)
    const bar = this.text.indexOf('|', tab)
    return bar === tab + 1 ? undefined : Number(this.text.slice(tab + 1, bar))
  }

  /** The line of `term`, or -1: a binary search comparing each line's term in place (no string made). */
  private find(term: string): number {
    const text = this.text
    let lo = 0
    let hi = this.size - 1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      const start = this.starts[mid]!
      const end = text.indexOf('\t', start)
      const len = end - start
      const n = Math.min(len, term.length)
      let d = 0
      for (let k = 0; k < n && d === 0; k++) d = text.charCodeAt(start + k) - term.charCodeAt(k)
      if (d === 0) d = len - term.length
      if (d === 0) return mid
      if (d < 0) lo = mid + 1
      else hi = mid - 1
    }
    return -1
  }
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
