import MiniSearch, { type AsPlainObject } from 'minisearch'

/** A saved term's entry: field id → document id → term frequency, as MiniSearch serialises it. */
type SavedTermData = Record<string, Record<string, number>>

/**
 * MiniSearch's term index for exact look-ups, read from the saved entries: a term is turned into
 * MiniSearch's form (field id → document id → frequency, as `loadJS` does) on its first look-up, so
 * loading a shard builds no radix tree (most of `loadJS`'s time and memory). Searches use exact terms
 * only (no prefix, no fuzzy), and `get` is all that MiniSearch's search asks of its index then.
 */
class SavedTermIndex {
  private readonly saved: Map<string, SavedTermData>
  private readonly converted = new Map<string, Map<number, Map<number, number>>>()

  constructor(entries: AsPlainObject['index']) {
    this.saved = new Map(entries as [string, SavedTermData][])
  }

  get(term: string): Map<number, Map<number, number>> | undefined {
    const have = this.converted.get(term)
    if (have) return have
    const data = this.saved.get(term)
    if (!data) return undefined
    const out = new Map<number, Map<number, number>>()
    for (const field of Object.keys(data)) {
      const docs = new Map<number, number>()
      const entry = data[field]!
      for (const doc of Object.keys(entry)) docs.set(parseInt(doc, 10), entry[doc]!)
      out.set(parseInt(field, 10), docs)
    }
    this.converted.set(term, out)
    return out
  }
}

/**
 * A saved shard as a MiniSearch that answers exact-term searches exactly as `loadJS` would (same
 * documents, field lengths and BM25 figures), with its term index read lazily (SavedTermIndex). Only
 * `search` may be called on it; an index to save again is built afresh.
 */
export function loadSavedMiniSearch<T>(saved: AsPlainObject, options: ConstructorParameters<typeof MiniSearch<T>>[0]): MiniSearch<T> {
  return loadMiniSearchOver<T>(saved, new SavedTermIndex(saved.index), options)
}


/** What MiniSearch's exact-term search asks of its term index. */
export interface TermLookup {
  get(term: string): Map<number, Map<number, number>> | undefined
}

/**
 * A MiniSearch over saved documents (field lengths, ids; `index` empty) whose term index is `lookup`:
 * answers exact-term searches as the MiniSearch it was saved from. Only `search` may be called on it.
 */
export function loadMiniSearchOver<T>(saved: AsPlainObject, lookup: TermLookup, options: ConstructorParameters<typeof MiniSearch<T>>[0]): MiniSearch<T> {
  const index = MiniSearch.loadJS<T>({ ...saved, index: [] }, options)
  ;(index as unknown as { _index: TermLookup })._index = lookup
  return index
}
