import { describe, expect, it } from 'vitest'
import { isoDate, parseNow, toLocalDate } from '../../src/core/shanghai-time.js'

describe('Asia/Shanghai time', () => {
  it('reads a bare date as 09:00 that day', () => {
    expect(parseNow('2026-05-05')?.toISOString()).toBe('2026-05-05T01:00:00.000Z')
  })
  it('reads local and zoned date-times', () => {
    expect(parseNow('2026-05-05T23:30')?.toISOString()).toBe('2026-05-05T15:30:00.000Z')
    expect(parseNow('2026-05-05T23:30:00Z')?.toISOString()).toBe('2026-05-05T23:30:00.000Z')
  })
  it('refuses anything else', () => {
    for (const s of ['tomorrow', '2026-13-45x', '', '05/05/2026']) expect(parseNow(s)).toBeUndefined()
  })
  it('gives the Shanghai calendar date of an instant', () => {
    expect(isoDate(new Date('2026-05-04T16:30:00Z'))).toBe('2026-05-05')
    expect(toLocalDate(new Date('2026-05-04T16:30:00Z')).weekday).toBe(2)
  })
})
