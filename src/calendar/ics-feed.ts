import ical, { ICalCalendarMethod } from 'ical-generator'
import { InputError } from '../core/errors.js'
import { fromLocal } from '../core/shanghai-time.js'
import type { Calendar, Occurrence } from './calendar.js'
import { ORGANISER_NOTE, parseEventTime } from './event-schema.js'
import { addDays, isDay, toUtc, type LocalDay } from './local-day.js'

/** What the feed covers. */
export interface IcsOptions {
  /** First and last day (Asia/Shanghai), inclusive. */
  from: LocalDay
  to: LocalDay
  /** Only this region's local events (and observances held there); all regions when absent. */
  region?: string
  /** DTSTAMP of every event, so that the same content gives the same feed. */
  stamp: Date
}

/** The longest window a feed may cover, so that a typo like --to 9999-01-01 cannot build millions of events. */
export const MAX_FEED_DAYS = 366 * 10

/**
 * The calendar as an RFC 5545 feed (ical-generator). Observances are all-day events (DTEND is the
 * day after the last, as the RFC wants); local events with times are written in UTC, so every
 * phone shows them at the right Asia/Shanghai wall time. UIDs are stable across runs. Every line, the last
 * included, ends with CRLF.
 */
export function buildIcsFeed(calendar: Calendar, options: IcsOptions): string {
  const { from, to, region } = options
  if (!isDay(from) || !isDay(to)) throw new InputError(`ics: dates must be YYYY-MM-DD (got ${from}, ${to})`)
  if (to < from) throw new InputError(`ics: --to ${to} is before --from ${from}`)
  if (toUtc(to).getTime() - toUtc(from).getTime() > MAX_FEED_DAYS * 86_400_000) throw new InputError(`ics: a feed covers at most ${MAX_FEED_DAYS} days`)
  const name = region ? `科普活动日历（${region}）` : '科普活动日历'
  const cal = ical({
    name,
    description: '科学、健康、安全纪念日和本地科普活动；本地活动以主办方通知为准。',
    prodId: { company: 'kepu-bot', product: 'calendar', language: 'ZH' },
    method: ICalCalendarMethod.PUBLISH,
    ttl: 24 * 3600,
  })
  for (const o of calendar.occurrences(from, to, region ? { region } : {})) {
    if (o.kind === 'observance') addObservance(cal, o, options.stamp)
    else addLocal(cal, o, options.stamp)
  }
  return endLines(cal.toString())
}

/**
 * RFC 5545 §3.1: every content line ends with CRLF, the last one (END:VCALENDAR) included; ical-generator
 * leaves the last one bare. Any lone CR or LF is made a CRLF too.
 */
export function endLines(text: string): string {
  const crlf = text.replace(/\r\n|\r|\n/g, '\r\n')
  return crlf.endsWith('\r\n') ? crlf : `${crlf}\r\n`
}

type ICal = ReturnType<typeof ical>

function addObservance(cal: ICal, o: Occurrence, stamp: Date): void {
  const obs = o.observance!
  const note = obs.approximate ? '\n日期按往年惯例推算，以当年官方通知为准。' : ''
  cal.createEvent({
    id: `${obs.id}-${o.start}@kepu-bot`,
    start: toUtc(o.start),
    end: toUtc(addDays(o.end, 1)),
    allDay: true,
    summary: o.name,
    description: `${obs.description}${note}`,
    categories: [{ name: '纪念日' }],
    stamp,
  })
}

function addLocal(cal: ICal, o: Occurrence, stamp: Date): void {
  const e = o.event!
  const start = parseEventTime(e.start)
  const end = parseEventTime(e.end)
  const timed = start.minutes !== undefined && end.minutes !== undefined
  const lines = [e.summary, `主办：${e.organiser}`, `参加方式：${e.signup}`, e.note.includes(ORGANISER_NOTE) ? e.note : `${e.note} ${ORGANISER_NOTE}`]
  cal.createEvent({
    id: `${e.id}@kepu-bot`,
    start: timed ? at(start.day, start.minutes!) : toUtc(start.day),
    end: timed ? at(end.day, end.minutes!) : toUtc(addDays(end.day, 1)),
    allDay: !timed,
    summary: e.title,
    location: `${e.region} ${e.place}`,
    description: lines.filter(Boolean).join('\n'),
    categories: [{ name: '本地活动' }, ...e.tags.map((t) => ({ name: t }))],
    stamp,
  })
}

function at(day: LocalDay, minutes: number): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  return fromLocal(y, m, d, Math.floor(minutes / 60), minutes % 60)
}
