import { validateDetailed, parse } from 'node-cron'
import { InputError } from '../core/errors.js'
import { SHANGHAI_OFFSET_MS } from '../core/shanghai-time.js'

/** A parsed cron expression, read in Asia/Shanghai. */
export interface CronSchedule {
  readonly expression: string
  /** The first firing strictly after `after`, or undefined when there is none within eight years. */
  next(after: Date): Date | undefined
  /** The next `count` firings after `after`. */
  nextN(after: Date, count: number): Date[]
}

const DAY_MS = 86_400_000
const SEARCH_DAYS = 366 * 8

/**
 * Parses a five-field cron expression (minute hour day-of-month month day-of-week) in Asia/Shanghai, with
 * node-cron's syntax (ranges, steps, lists, names like `mon`). Day of month and day of week must both match,
 * as in node-cron. Firings are whole minutes, which is all announcements need and keeps one tick a minute enough.
 * Throws an InputError whose message says what is wrong, in Chinese for staff.
 */
export function parseCron(expression: string): CronSchedule {
  const expr = expression.trim().replace(/\s+/g, ' ')
  const fields = expr.split(' ')
  if (fields.length !== 5) {
    throw new InputError(`cron 表达式「${expr}」应有 5 段（分 时 日 月 周），例如「0 9 * * 1」表示每周一 9:00；现在有 ${fields.length} 段`)
  }
  const check = validateDetailed(expr)
  if (!check.valid) {
    const e = check.errors[0]
    throw new InputError(`cron 表达式「${expr}」无效：${e ? `${e.field} 段 ${e.message}` : '无法解析'}`)
  }
  const p = parse(expr)
  const numeric = (values: (number | string)[], field: string): Set<number> => {
    const out = new Set<number>()
    for (const v of values) {
      if (typeof v !== 'number') throw new InputError(`cron 表达式「${expr}」的 ${field} 段不支持「${v}」这种写法`)
      out.add(v)
    }
    return out
  }
  const minutes = [...new Set(p.minute)].sort((a, b) => a - b)
  const hours = [...new Set(p.hour)].sort((a, b) => a - b)
  const days = numeric(p.dayOfMonth, '日')
  const months = new Set(p.month)
  const weekdays = new Set([...numeric(p.dayOfWeek, '周')].map((d) => d % 7))

  function next(after: Date): Date | undefined {
    // Shanghai has a fixed offset, so local wall time is UTC shifted by eight hours.
    const local = after.getTime() + SHANGHAI_OFFSET_MS
    const startMinute = Math.floor(local / 60_000) + 1
    const startDay = Math.floor((startMinute * 60_000) / DAY_MS)
    for (let d = 0; d < SEARCH_DAYS; d++) {
      const dayStart = (startDay + d) * DAY_MS
      const date = new Date(dayStart)
      if (!months.has(date.getUTCMonth() + 1) || !days.has(date.getUTCDate()) || !weekdays.has(date.getUTCDay())) continue
      const from = d === 0 ? startMinute * 60_000 - dayStart : 0
      for (const h of hours) {
        for (const m of minutes) {
          const offset = (h * 60 + m) * 60_000
          if (offset >= from) return new Date(dayStart + offset - SHANGHAI_OFFSET_MS)
        }
      }
    }
    return undefined
  }

  function nextN(after: Date, count: number): Date[] {
    const out: Date[] = []
    let t: Date | undefined = after
    while (out.length < count && (t = next(t))) out.push(t)
    return out
  }

  return { expression: expr, next, nextN }
}
