/**
 * Asia/Shanghai wall-clock helpers. China has kept UTC+8 without daylight saving since 1991, so a fixed
 * offset is exact for every date this bot handles.
 */
export const SHANGHAI_OFFSET_MS = 8 * 3600_000
export const TIME_ZONE = 'Asia/Shanghai'

/** A calendar date in Asia/Shanghai. `month` is 1–12, `weekday` 0 (Sunday) – 6. */
export interface LocalDate {
  year: number
  month: number
  day: number
  weekday: number
}

/** The Asia/Shanghai calendar date of an instant. */
export function toLocalDate(instant: Date): LocalDate {
  const d = new Date(instant.getTime() + SHANGHAI_OFFSET_MS)
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() }
}

/** The instant of a wall-clock time in Asia/Shanghai. */
export function fromLocal(year: number, month: number, day: number, hour = 0, minute = 0): Date {
  return new Date(Date.UTC(year, month - 1, day, hour, minute) - SHANGHAI_OFFSET_MS)
}

/** `YYYY-MM-DD` of an instant, in Asia/Shanghai. */
export function isoDate(instant: Date): string {
  const { year, month, day } = toLocalDate(instant)
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/**
 * Parses the batch contract's `now`: an ISO 8601 date (09:00 Asia/Shanghai that day) or date-time
 * (a date-time without offset is read as Asia/Shanghai). Returns undefined for anything else.
 */
export function parseNow(value: string): Date | undefined {
  const s = value.trim()
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (dateOnly) return fromLocal(Number(dateOnly[1]), Number(dateOnly[2]), Number(dateOnly[3]), 9, 0)
  const local = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(s)
  if (local) {
    const d = fromLocal(Number(local[1]), Number(local[2]), Number(local[3]), Number(local[4]), Number(local[5]))
    return new Date(d.getTime() + Number(local[6] ?? 0) * 1000)
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(s)) {
    const d = new Date(s)
    return Number.isNaN(d.getTime()) ? undefined : d
  }
  return undefined
}

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六']

/** 「周二」 for a weekday number. */
export function weekdayName(weekday: number): string {
  return WEEKDAYS[weekday] ?? ''
}
