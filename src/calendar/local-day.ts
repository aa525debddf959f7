import { isoDate } from '../core/shanghai-time.js'

/**
 * A calendar day in Asia/Shanghai as `YYYY-MM-DD`. Days compare correctly as strings, so windows and
 * sorting need no Date objects; the helpers below do the little arithmetic there is on a UTC-midnight
 * Date (no time zone, no daylight saving can shift it).
 */
export type LocalDay = string

const DAY_MS = 86_400_000
const FORMAT = /^(\d{4})-(\d{2})-(\d{2})$/

/** The day of an instant in Asia/Shanghai. */
export function dayOf(instant: Date): LocalDay {
  return isoDate(instant)
}

/** `YYYY-MM-DD` for a year, month (1–12) and day; out-of-range parts roll over like Date.UTC. */
export function makeDay(year: number, month: number, day: number): LocalDay {
  return fromUtc(new Date(Date.UTC(year, month - 1, day)))
}

/** True for a real calendar day written `YYYY-MM-DD`. */
export function isDay(value: string): boolean {
  const m = FORMAT.exec(value)
  if (!m) return false
  return makeDay(Number(m[1]), Number(m[2]), Number(m[3])) === value
}

/** Year, month (1–12), day and weekday (0 = Sunday) of a day. */
export function partsOf(day: LocalDay): { year: number; month: number; day: number; weekday: number } {
  const d = toUtc(day)
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() }
}

/** The day `n` days after (or before, for negative `n`) a day. */
export function addDays(day: LocalDay, n: number): LocalDay {
  return fromUtc(new Date(toUtc(day).getTime() + n * DAY_MS))
}

/** Whole days from `a` to `b` (positive when `b` is later). */
export function daysBetween(a: LocalDay, b: LocalDay): number {
  return Math.round((toUtc(b).getTime() - toUtc(a).getTime()) / DAY_MS)
}

/** The last day of a month. */
export function lastDayOfMonth(year: number, month: number): LocalDay {
  return makeDay(year, month + 1, 0)
}

/** A day as a UTC-midnight Date (the form rrule works in). */
export function toUtc(day: LocalDay): Date {
  const m = FORMAT.exec(day)
  if (!m) throw new RangeError(`calendar: not a day: ${JSON.stringify(day)}`)
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
}

/** The day of a UTC-midnight Date. */
export function fromUtc(d: Date): LocalDay {
  return d.toISOString().slice(0, 10)
}
