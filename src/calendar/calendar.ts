import { createAliasMatcher, type AliasHit } from './alias-match.js'
import { parseEventTime, type LocalEvent } from './event-schema.js'
import { dayOf, type LocalDay } from './local-day.js'
import type { Audience, Observance } from './observance-schema.js'
import { observanceSpans } from './recurrence.js'

/** A local event together with the region whose staff publish it. */
export interface RegionalEvent extends LocalEvent {
  region: string
}

/** One dated entry of the calendar: an observance's occurrence or a local event. */
export interface Occurrence {
  name: string
  /** First and last day, Asia/Shanghai, inclusive. */
  start: LocalDay
  end: LocalDay
  kind: 'observance' | 'local'
  audiences: readonly Audience[]
  /** The region of a local event. */
  region?: string
  observance?: Observance
  event?: RegionalEvent
}

/** What to keep when listing. */
export interface OccurrenceFilter {
  /** A region's name: its local events, and observances held there (national ones are held everywhere). */
  region?: string
  /** Keep entries meant for any of these audiences. */
  audiences?: readonly Audience[]
  /** Only observances or only local events. */
  kind?: Occurrence['kind']
}

/** The loaded observances and local events, with the queries the bot and the feed need. */
export interface Calendar {
  readonly observances: readonly Observance[]
  /** The local events: the content files' and, after setStoredEvents, those staff keep in the store. */
  readonly events: readonly RegionalEvent[]
  /**
   * Replaces the events kept in the store (the staff console's), merged with the content files' from now
   * on: answers and the iCalendar feed see them at once. An id already used in the content files is skipped.
   */
  setStoredEvents(events: readonly RegionalEvent[]): void
  /** Every entry overlapping the window [from, to], sorted by start day then name; none twice. */
  occurrences(from: LocalDay, to: LocalDay, filter?: OccurrenceFilter): Occurrence[]
  /** The occurrence of an observance going on at `now` or else the next one. */
  next(observance: Observance, now: Date | LocalDay): Occurrence | undefined
  /** The occurrences of an observance that start in a year (usually one). */
  inYear(observance: Observance, year: number): Occurrence[]
  /** The observance a text names (name, alias or a near miss), if any. */
  findObservance(text: string): Observance | undefined
  /** Like findObservance, with the key that matched and whether it matched exactly. */
  matchObservance(text: string): AliasHit<Observance> | undefined
  /** Works out every observance's dates for these years now, so that the first questions answer fast. */
  warm(fromYear: number, toYear: number): void
}

/** Cached (observance, year) spans at most; about 60 observances × 150 years. */
const SPAN_CACHE_MAX = 10_000
/** How many years ahead next() looks. */
const NEXT_LOOKAHEAD_YEARS = 12

/** Builds a calendar over validated content. */
export function createCalendar(observances: readonly Observance[], events: readonly RegionalEvent[]): Calendar {
  const match = createAliasMatcher(observances.map((o) => ({ names: [o.name, ...o.aliases], value: o })))
  const toOccurrence = (e: RegionalEvent): Occurrence => ({
    name: e.title,
    start: parseEventTime(e.start).day,
    end: parseEventTime(e.end).day,
    kind: 'local',
    audiences: e.audiences,
    region: e.region,
    event: e,
  })
  const contentOccurrences = events.map(toOccurrence)
  const contentIds = new Set(events.map((e) => e.id))
  let allEvents: readonly RegionalEvent[] = events
  let eventOccurrences = [...contentOccurrences].sort(byStart)
  function setStoredEvents(stored: readonly RegionalEvent[]): void {
    const kept = stored.filter((e) => !contentIds.has(e.id))
    allEvents = [...events, ...kept]
    eventOccurrences = [...contentOccurrences, ...kept.map(toOccurrence)].sort(byStart)
  }

  // Spans never change once content is loaded, and rrule is slow enough to matter per message: keep them.
  const spanCache = new Map<string, Occurrence[]>()
  function inYear(o: Observance, year: number): Occurrence[] {
    const key = `${o.id}:${year}`
    let hit = spanCache.get(key)
    if (!hit) {
      if (spanCache.size >= SPAN_CACHE_MAX) spanCache.clear()
      hit = observanceSpans(o, year).map((s): Occurrence => ({ name: o.name, start: s.start, end: s.end, kind: 'observance', audiences: o.audiences, observance: o }))
      spanCache.set(key, hit)
    }
    return hit.map((occ) => ({ ...occ }))
  }

  function occurrences(from: LocalDay, to: LocalDay, filter: OccurrenceFilter = {}): Occurrence[] {
    if (to < from) return []
    const out: Occurrence[] = []
    if (filter.kind !== 'local') {
      // A span may begin in the year before the window (a span across New Year).
      const first = Number(from.slice(0, 4)) - 1
      const last = Number(to.slice(0, 4))
      for (const o of observances) {
        if (filter.region && o.regions && !o.regions.includes(filter.region)) continue
        for (let y = first; y <= last; y++) for (const occ of inYear(o, y)) if (occ.end >= from && occ.start <= to) out.push(occ)
      }
    }
    if (filter.kind !== 'observance') {
      for (const occ of eventOccurrences) {
        if (filter.region && occ.region !== filter.region) continue
        if (occ.end >= from && occ.start <= to) out.push(occ)
      }
    }
    const wanted = filter.audiences
    const kept = wanted?.length ? out.filter((o) => o.audiences.some((a) => wanted.includes(a))) : out
    return kept.sort(byStart)
  }

  function next(o: Observance, now: Date | LocalDay): Occurrence | undefined {
    const today = typeof now === 'string' ? now : dayOf(now)
    const year = Number(today.slice(0, 4))
    // Start a year back (a span across New Year may still be on); look far enough ahead for an
    // observance that begins in a later year (全国科普月 from 2025).
    for (let y = Math.max(year - 1, o.since ?? 0); y <= year + NEXT_LOOKAHEAD_YEARS; y++) {
      const hit = inYear(o, y).find((occ) => occ.end >= today)
      if (hit) return hit
    }
    return undefined
  }

  return {
    observances,
    get events() {
      return allEvents
    },
    setStoredEvents,
    occurrences,
    next,
    inYear,
    findObservance: (text) => match(text)?.value,
    matchObservance: match,
    warm(fromYear, toYear) {
      for (let y = fromYear; y <= toYear; y++) for (const o of observances) inYear(o, y)
    },
  }
}

function byStart(a: Occurrence, b: Occurrence): number {
  if (a.start !== b.start) return a.start < b.start ? -1 : 1
  if (a.end !== b.end) return a.end < b.end ? -1 : 1
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
}
