import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseCron } from '../../src/announce/cron-schedule.js'
import { InputError } from '../../src/core/errors.js'
import { fromLocal, SHANGHAI_OFFSET_MS } from '../../src/core/shanghai-time.js'

describe('parseCron', () => {
  it('reads times in Asia/Shanghai: 每周一 9:00 is Monday 01:00 UTC', () => {
    const s = parseCron('0 9 * * 1')
    // 2026-09-13 is a Sunday.
    expect(s.next(fromLocal(2026, 9, 13, 12, 0))).toEqual(fromLocal(2026, 9, 14, 9, 0))
    expect(s.next(fromLocal(2026, 9, 14, 9, 0))).toEqual(fromLocal(2026, 9, 21, 9, 0))
    expect(s.nextN(fromLocal(2026, 9, 13), 5).map((d) => d.toISOString())).toEqual([
      '2026-09-14T01:00:00.000Z',
      '2026-09-21T01:00:00.000Z',
      '2026-09-28T01:00:00.000Z',
      '2026-10-05T01:00:00.000Z',
      '2026-10-12T01:00:00.000Z',
    ])
  })

  it('crosses month and year ends and reads names and steps', () => {
    expect(parseCron('30 8 1 1 *').next(fromLocal(2026, 12, 31, 23, 0))).toEqual(fromLocal(2027, 1, 1, 8, 30))
    expect(parseCron('*/20 9 * * mon-fri').nextN(fromLocal(2026, 9, 18, 9, 30), 3)).toEqual([
      fromLocal(2026, 9, 18, 9, 40),
      fromLocal(2026, 9, 21, 9, 0),
      fromLocal(2026, 9, 21, 9, 20),
    ])
    expect(parseCron('0 0 29 2 *').next(fromLocal(2026, 3, 1))).toEqual(fromLocal(2028, 2, 29))
  })

  it('refuses bad expressions with a message that says why', () => {
    expect(() => parseCron('0 9 * *')).toThrow(InputError)
    expect(() => parseCron('0 9 * *')).toThrow(/5 段/)
    expect(() => parseCron('61 9 * * *')).toThrow(/无效/)
    expect(() => parseCron('0 0 * * * *')).toThrow(/5 段/)
    expect(() => parseCron('0 9 * * 5L')).toThrow(InputError)
  })

  it('never skips a match and never returns a non-match (checked minute by minute)', () => {
    const exprs = ['0 9 * * 1', '*/15 8-10 * * *', '0 9 1,15 * *', '5 0 * 2 sun', '0 12 * * 6,0']
    fc.assert(
      fc.property(fc.constantFrom(...exprs), fc.integer({ min: 0, max: 400 * 86_400 }), (expr, secs) => {
        const s = parseCron(expr)
        const from = new Date(Date.UTC(2026, 0, 1) + secs * 1000)
        const got = s.next(from)!
        expect(got.getTime()).toBeGreaterThan(from.getTime())
        // Brute force: every whole minute between from and got, matched against the fields read plainly.
        const matches = (t: number) => {
          const d = new Date(t + SHANGHAI_OFFSET_MS)
          return plainMatch(expr, d.getUTCMinutes(), d.getUTCHours(), d.getUTCDate(), d.getUTCMonth() + 1, d.getUTCDay())
        }
        expect(matches(got.getTime())).toBe(true)
        let first = Math.floor(from.getTime() / 60_000 + 1) * 60_000
        while (!matches(first)) first += 60_000
        expect(first).toBe(got.getTime())
      }),
      { numRuns: 40 },
    )
  })
})

/** A deliberately naive matcher for the expressions above. */
function plainMatch(expr: string, min: number, hour: number, dom: number, mon: number, dow: number): boolean {
  const names: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 }
  const field = (f: string, v: number, lo: number, hi: number): boolean =>
    f.split(',').some((part) => {
      const [range, step = '1'] = part.split('/')
      const [a, end] = range === '*' ? [lo, hi] : range!.split('-').map((x) => names[x] ?? Number(x))
      const b = end ?? a
      return v >= a! && v <= b! && (v - a!) % Number(step) === 0
    })
  const [m, h, d, mo, w] = expr.split(' ')
  return field(m!, min, 0, 59) && field(h!, hour, 0, 23) && field(d!, dom, 1, 31) && field(mo!, mon, 1, 12) && field(w!, dow, 0, 6)
}
