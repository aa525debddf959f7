import type { Weekday } from 'rrule'
import { lunar, rrule, type Options } from './rrule-lib.js'
import { addDays, fromUtc, lastDayOfMonth, makeDay, type LocalDay } from './local-day.js'
import type { Observance, Rule } from './observance-schema.js'

/** One occurrence of a rule: the first and last day, inclusive. */
export interface Span {
  start: LocalDay
  end: LocalDay
}

/** rrule's weekdays, Sunday first (loaded with rrule). */
const rruleWeekday = (weekday: number): Weekday => {
  const RRule = rrule()
  return [RRule.SU, RRule.MO, RRule.TU, RRule.WE, RRule.TH, RRule.FR, RRule.SA][weekday]!
}

/**
 * The occurrences of a rule that start in a Gregorian year, in order. Day-of-year rules go through
 * rrule; solar terms and lunar dates through lunar-typescript. No hand-written calendar maths.
 */
export function ruleSpans(rule: Rule, year: number): Span[] {
  const RRule = rrule()
  switch (rule.kind) {
    case 'fixed':
      return byRrule({ freq: RRule.YEARLY, bymonth: [rule.month], bymonthday: [rule.day] }, year, rule.days)
    case 'nth-weekday':
      return byRrule({ freq: RRule.YEARLY, bymonth: [rule.month], byweekday: [rruleWeekday(rule.weekday).nth(rule.n)] }, year, rule.days)
    case 'rrule':
      return byRrule(RRule.parseString(rule.rrule), year, rule.days)
    case 'month':
      return [{ start: makeDay(year, rule.month, 1), end: lastDayOfMonth(year, rule.month) }]
    case 'solar-term': {
      // A lunar year's table runs from the previous 冬至 to 大雪, so a term of Gregorian year Y is in the
      // table of lunar year Y or Y+1 (冬至 of Y opens the table of Y+1).
      const days = new Set<LocalDay>()
      for (const y of [year, year + 1]) {
        const solar = lunar().Solar.fromYmd(y, 6, 1).getLunar().getJieQiTable()[rule.term]
        if (solar && solar.getYear() === year) days.add(solar.toYmd())
      }
      return [...days].sort().map((d) => span(d, rule.days))
    }
    case 'lunar': {
      // A lunar date of lunar year Y-1 (腊月) or Y (正月 onwards) may fall in Gregorian year Y.
      const out: Span[] = []
      for (const lunarYear of [year - 1, year]) {
        const start = lunarToSolar(lunarYear, rule.month, rule.day)
        if (!start) continue
        const first = addDays(start, -(rule.before ?? 0))
        if (Number(first.slice(0, 4)) === year) out.push(span(first, (rule.days ?? 1) + (rule.before ?? 0)))
      }
      return out
    }
  }
}

/** The occurrences of an observance that start in a year: the year's override if any, else its rule. */
export function observanceSpans(o: Observance, year: number): Span[] {
  if (o.since !== undefined && year < o.since) return []
  const override = o.overrides.find((v) => v.year === year)
  if (override) return [{ start: override.start, end: override.end }]
  return ruleSpans(o.rule, year)
}

function byRrule(options: Partial<Options>, year: number, days: number | undefined): Span[] {
  const RRule = rrule()
  const rule = new RRule({ ...options, dtstart: new Date(Date.UTC(year, 0, 1)), until: new Date(Date.UTC(year, 11, 31, 23, 59)) })
  return rule.all().map((d) => span(fromUtc(d), days))
}

function span(start: LocalDay, days: number | undefined): Span {
  return { start, end: addDays(start, (days ?? 1) - 1) }
}

/** The Gregorian day of a lunar date; a day 30 in a short month becomes the month's last day (腊月廿九 in a 29-day 腊月). */
function lunarToSolar(lunarYear: number, month: number, day: number): LocalDay | undefined {
  for (let d = day; d >= Math.max(1, day - 1); d--) {
    try {
      return lunar().Lunar.fromYmd(lunarYear, month, d).getSolar().toYmd()
    } catch {
      // Day 30 does not exist in a short month; try day 29.
    }
  }
  return undefined
}
