import type { Sleep } from '../announce/delivery-worker.js'
import { errorCode } from '../core/errors.js'
import type { Logger } from '../core/logger.js'
import { cardSchema } from '../kepu/card-schema.js'
import type { KepuKnowledge } from '../kepu/kepu-knowledge.js'
import type { LoadedCard } from '../kepu/load-cards.js'
import { synonymEntrySchema, type SynonymEntry } from '../search/query-vocabulary.js'
import type { SynonymRegistry } from '../search/synonym-registry.js'
import type { ConsoleStore, StaffContentRow } from '../store/console-store.js'

/** How often a process looks whether another one changed the stored cards or synonyms (one small query). */
export const CONTENT_POLL_MS = 10_000

/** What a stored card's `file` says in reports and logs. */
export const CONSOLE_CARDS_FILE = 'console'

export interface StaffContentDeps {
  store: ConsoleStore
  /** The cards and their index (loaded on first use; only asked for once there are stored cards). */
  kepu: () => KepuKnowledge
  /** What every vocabulary reads at query time (the skill env's). */
  synonyms: SynonymRegistry
  /** content/synonyms.yaml's groups as written, for the form's list of groups. */
  fileSynonyms: () => readonly SynonymEntry[]
  logger: Logger
}

/**
 * The cards and synonym groups staff add in the console, kept in the store and merged with the content
 * files in this process: `sync` reads them when the store's version moved and hands them to the card index
 * (`setStoredCards`) and the synonym registry, so the next question uses them. A route that changed them
 * syncs before it answers; `poll` keeps other processes (replicas on one PostgreSQL) in step within
 * CONTENT_POLL_MS. A row that no longer passes the files' schema is left out and logged (its id, never its text).
 */
export class StaffContent {
  private seen: string | undefined
  private cardsSet = false
  /** One sync at a time: a slow one finishing last must not put back what a newer one replaced. */
  private queue: Promise<unknown> = Promise.resolve()

  constructor(private readonly deps: StaffContentDeps) {}

  /** The file's groups (for the synonym form). */
  fileSynonyms(): readonly SynonymEntry[] {
    return this.deps.fileSynonyms()
  }

  /** The words of a question's topic, to start a synonym with. */
  questionWords(question: string): string[] {
    return this.deps.kepu().index.questionWords(question)
  }

  /** Reads the stored content into the index and the registry when it changed (or always, with `force`). */
  sync(force = false): Promise<void> {
    const run = this.queue.then(() => this.load(force))
    this.queue = run.catch(() => undefined)
    return run
  }

  /** Syncs every `everyMs` until the returned stop is called (awaits the last sync). */
  poll(sleep: Sleep, everyMs = CONTENT_POLL_MS): () => Promise<void> {
    const stop = new AbortController()
    const loop = (async () => {
      for (;;) {
        await sleep(everyMs, stop.signal)
        if (stop.signal.aborted) return
        await this.sync().catch((err: unknown) => this.deps.logger.warn({ code: errorCode(err), module: 'console' }, 'console: stored cards and synonyms not reloaded'))
      }
    })()
    return async () => {
      stop.abort()
      await loop
    }
  }

  private async load(force: boolean): Promise<void> {
    const { store, logger } = this.deps
    const version = await store.staffContentVersion()
    if (!force && version === this.seen) return
    const [cardRows, synonymRows] = await Promise.all([store.listStaffContent('card'), store.listStaffContent('synonym')])
    const cards: LoadedCard[] = []
    for (const row of active(cardRows)) {
      const card = validated(row, (v) => cardSchema.safeParse(v))
      if (card) cards.push({ ...card, file: CONSOLE_CARDS_FILE })
      else logger.warn({ code: 'E_CONTENT', module: 'console', row: row.id }, 'console: a stored card does not pass the cards schema; left out')
    }
    const entries: SynonymEntry[] = []
    for (const row of active(synonymRows)) {
      const entry = validated(row, (v) => synonymEntrySchema.safeParse(v))
      if (entry) entries.push(entry)
      else logger.warn({ code: 'E_CONTENT', module: 'console', row: row.id }, 'console: a stored synonym group does not pass the synonyms schema; left out')
    }
    this.deps.synonyms.set(entries)
    // The cards load on first use: a process with no stored card never loads them for this.
    if (cards.length || this.cardsSet) {
      const clash = this.deps.kepu().index.setStoredCards(cards)
      this.cardsSet = true
      if (clash.length) logger.warn({ code: 'E_CONTENT', module: 'console', ids: clash }, 'console: a stored card has the id of a file card; the file wins')
    }
    this.seen = version
  }
}

function active(rows: readonly StaffContentRow[]): StaffContentRow[] {
  return rows.filter((r) => r.status === 'active')
}

function validated<T>(row: StaffContentRow, parse: (value: unknown) => { success: true; data: T } | { success: false }): T | undefined {
  let value: unknown
  try {
    value = JSON.parse(row.body)
  } catch {
    return undefined
  }
  const result = parse(value)
  return result.success ? result.data : undefined
}
