import { weekdayName } from '../core/shanghai-time.js'
import { partsOf, type LocalDay } from './local-day.js'

/** 「5月12日（周二）」, with the year in front when it is not `thisYear` (or always, with `withYear`). */
export function formatDay(day: LocalDay, thisYear: number, options: { withYear?: boolean; weekday?: boolean } = {}): string {
  const p = partsOf(day)
  const year = options.withYear || p.year !== thisYear ? `${p.year}年` : ''
  const wd = options.weekday === false ? '' : `（${weekdayName(p.weekday)}）`
  return `${year}${p.month}月${p.day}日${wd}`
}

/** 「5月16日至22日」 or 「12月28日至2027年1月3日」 for a span; a single day for a one-day span. */
export function formatSpan(start: LocalDay, end: LocalDay, thisYear: number, options: { withYear?: boolean; weekday?: boolean } = {}): string {
  if (start === end) return formatDay(start, thisYear, options)
  const a = partsOf(start)
  const b = partsOf(end)
  const first = formatDay(start, thisYear, options)
  const wd = options.weekday === false ? '' : `（${weekdayName(b.weekday)}）`
  if (a.year !== b.year) return `${first}至${b.year}年${b.month}月${b.day}日${wd}`
  return `${first}至${b.month}月${b.day}日${wd}`
}

/** 「9:30」 for minutes after midnight. */
export function formatTime(minutes: number): string {
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`
}
