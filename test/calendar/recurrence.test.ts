import fc from 'fast-check'
import { Lunar, Solar } from 'lunar-typescript'
import { describe, expect, it } from 'vitest'
import { createCalendar } from '../../src/calendar/calendar.js'
import { addDays, daysBetween, lastDayOfMonth, makeDay, partsOf } from '../../src/calendar/local-day.js'
import type { Observance, Rule } from '../../src/calendar/observance-schema.js'
import { observanceSpans, ruleSpans } from '../../src/calendar/recurrence.js'
import { realCalendar } from './helpers.js'

const FIRST = 2020
const LAST = 2035

/** An independent check that a span obeys a rule: calendar facts read back, not recomputed the same way. */
function satisfies(rule: Rule, start: string, end: string): boolean {
  const s = partsOf(start)
  const length = daysBetween(start, end) + 1
  switch (rule.kind) {
    case 'fixed':
      return s.month === rule.month && s.day === rule.day && length === (rule.days ?? 1)
    case 'nth-weekday': {
      if (s.month !== rule.month || s.weekday !== rule.weekday || length !== (rule.days ?? 1)) return false
      if (rule.n === -1) return partsOf(addDays(start, 7)).month !== rule.month
      return Math.floor((s.day - 1) / 7) + 1 === rule.n
    }
    case 'rrule': {
      // The rules in content are "weekday X within days A–B of month M"; read those back from the RRULE text.
      const month = Number(/BYMONTH=(\d+)/.exec(rule.rrule)![1])
      const days = /BYMONTHDAY=([\d,]+)/.exec(rule.rrule)![1]!.split(',').map(Number)
      const wd = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'].indexOf(/BYDAY=([A-Z]{2})/.exec(rule.rrule)![1]!)
      return s.month === month && days.includes(s.day) && s.weekday === wd && length === (rule.days ?? 1)
    }
    case 'month':
      return s.month === rule.month && s.day === 1 && end === lastDayOfMonth(s.year, rule.month)
    case 'solar-term':
      return Solar.fromYmd(s.year, s.month, s.day).getLunar().getJieQi() === rule.term && length === (rule.days ?? 1)
    case 'lunar': {
      const anchor = addDays(start, rule.before ?? 0)
      const a = partsOf(anchor)
      const lunar = Solar.fromYmd(a.year, a.month, a.day).getLunar()
      const dayOk = lunar.getDay() === rule.day || (rule.day === 30 && lunar.getDay() === 29 && Lunar.fromYmd(lunar.getYear(), lunar.getMonth(), 29).next(1).getDay() === 1)
      return lunar.getMonth() === rule.month && dayOk && length === (rule.days ?? 1) + (rule.before ?? 0)
    }
  }
}

const calendar = realCalendar()

describe('recurrence of every observance, 2020–2035', () => {
  it.each(calendar.observances.map((o) => [o.name, o] as [string, Observance]))('%s: one occurrence a year, each obeying its rule', (_name, o) => {
    for (let year = FIRST; year <= LAST; year++) {
      const spans = observanceSpans(o, year)
      if (o.since !== undefined && year < o.since) {
        expect(spans).toEqual([])
        continue
      }
      expect(spans, `${o.name} ${year}`).toHaveLength(1)
      const [span] = spans
      expect(span!.start.slice(0, 4)).toBe(String(year))
      expect(span!.end >= span!.start).toBe(true)
      const override = o.overrides.find((v) => v.year === year)
      if (override) expect(span).toEqual({ start: override.start, end: override.end })
      else expect(satisfies(o.rule, span!.start, span!.end), `${o.name} ${year}: ${span!.start}–${span!.end}`).toBe(true)
    }
  })
})

describe('occurrences(from, to)', () => {
  const everything = calendar.occurrences(makeDay(FIRST - 1, 1, 1), makeDay(LAST + 1, 12, 31), { kind: 'observance' })
  const key = (o: { name: string; start: string }) => `${o.name}@${o.start}`
  const day = fc.integer({ min: 0, max: daysBetween(makeDay(FIRST, 1, 1), makeDay(LAST, 12, 31)) }).map((n) => addDays(makeDay(FIRST, 1, 1), n))

  it('lists exactly the occurrences overlapping any window: none lost, none doubled', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 120 }), (from, len) => {
        const to = addDays(from, len)
        const got = calendar.occurrences(from, to, { kind: 'observance' }).map(key)
        const want = everything.filter((o) => o.end >= from && o.start <= to).map(key)
        expect(new Set(got).size).toBe(got.length)
        expect([...got].sort()).toEqual([...want].sort())
      }),
      { numRuns: 150 },
    )
  })

  it('is sorted by start day', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 60 }), (from, len) => {
        const got = calendar.occurrences(from, addDays(from, len))
        for (let i = 1; i < got.length; i++) expect(got[i - 1]!.start <= got[i]!.start).toBe(true)
      }),
      { numRuns: 60 },
    )
  })

  it('next() is the first occurrence not yet over', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: calendar.observances.length - 1 }), (today, i) => {
        const o = calendar.observances[i]!
        const next = calendar.next(o, today)
        const want = everything.filter((x) => x.name === o.name && x.end >= today)[0]
        // Every observance recurs yearly and `everything` runs a year past the last day drawn, so there is one.
        expect(want, `${o.name} after ${today}`).toBeDefined()
        expect(next && key(next)).toBe(key(want!))
      }),
      { numRuns: 150 },
    )
  })
})

describe('rule kinds', () => {
  it('handles a last weekday, a leap day, a solar term across the table boundary and a lunar span across New Year', () => {
    expect(ruleSpans({ kind: 'nth-weekday', month: 3, weekday: 1, n: -1 }, 2026)).toEqual([{ start: '2026-03-30', end: '2026-03-30' }])
    expect(ruleSpans({ kind: 'fixed', month: 2, day: 29 }, 2027)).toEqual([])
    expect(ruleSpans({ kind: 'fixed', month: 2, day: 29 }, 2028)).toEqual([{ start: '2028-02-29', end: '2028-02-29' }])
    expect(ruleSpans({ kind: 'solar-term', term: '冬至' }, 2026)).toEqual([{ start: '2026-12-22', end: '2026-12-22' }])
    expect(ruleSpans({ kind: 'solar-term', term: '小寒' }, 2026)).toEqual([{ start: '2026-01-05', end: '2026-01-05' }])
    // 春节 2026 is 2026-02-17; 腊月十五 of the lunar year 2025 is 2026-02-02.
    expect(ruleSpans({ kind: 'lunar', month: 1, day: 1, before: 7, days: 8 }, 2026)).toEqual([{ start: '2026-02-10', end: '2026-02-24' }])
    expect(ruleSpans({ kind: 'lunar', month: 12, day: 15, days: 30 }, 2026)).toEqual([{ start: '2026-02-02', end: '2026-03-03' }])
  })

  it('takes a day-30 lunar date in a 29-day month as its last day', () => {
    const [span] = ruleSpans({ kind: 'lunar', month: 12, day: 30 }, 2025)
    expect(span).toBeDefined()
    expect(satisfies({ kind: 'lunar', month: 12, day: 30 }, span!.start, span!.end)).toBe(true)
  })
})

describe('warm()', () => {
  it('changes no answer, only when the work is done', () => {
    const cold = createCalendar(calendar.observances, calendar.events)
    const warmed = createCalendar(calendar.observances, calendar.events)
    warmed.warm(2025, 2028)
    expect(warmed.occurrences('2026-01-01', '2027-12-31')).toEqual(cold.occurrences('2026-01-01', '2027-12-31'))
  })
})
