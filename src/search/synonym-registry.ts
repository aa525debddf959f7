import type { StoredSynonyms, SynonymEntry } from './query-vocabulary.js'

/**
 * The synonym groups staff keep in the console, shared by every vocabulary loaded from
 * content/synonyms.yaml (the plans' and the cards'): `set` replaces them, and the next question is read
 * with them (loadQueryVocabulary folds them in when `version` moved). Plain memory: whoever owns the
 * store keeps it in step (the console skill, at start and when the store's content changes).
 */
export class SynonymRegistry implements StoredSynonyms {
  private list: readonly SynonymEntry[] = []
  private changes = 0

  /** Counts every `set`. */
  get version(): number {
    return this.changes
  }

  get entries(): readonly SynonymEntry[] {
    return this.list
  }

  /** Replaces the stored groups (validated by the caller with the file's schema). */
  set(entries: readonly SynonymEntry[]): void {
    this.list = [...entries]
    this.changes++
  }
}
