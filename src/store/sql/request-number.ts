import { toLocalDate } from '../../core/shanghai-time.js'

/** The prefix of every service request number (科普). */
export const REQUEST_NUMBER_PREFIX = 'KP'

/**
 * A request's number, `KP-2026-0012`: the year it was made in (Asia/Shanghai, so a request at 00:30 on
 * 1 January local time counts in the new year) and its place in that year, four digits or more.
 */
export function formatRequestNumber(year: number, seq: number): string {
  return `${REQUEST_NUMBER_PREFIX}-${year}-${String(seq).padStart(4, '0')}`
}

/** The numbering year of an instant: the Asia/Shanghai calendar year. */
export function requestYear(at: Date): number {
  return toLocalDate(at).year
}
