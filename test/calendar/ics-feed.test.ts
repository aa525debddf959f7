import ical from 'node-ical'
import { describe, expect, it } from 'vitest'
import { buildIcsFeed, endLines } from '../../src/calendar/ics-feed.js'
import { realCalendar } from './helpers.js'

const stamp = new Date('2026-01-01T00:00:00Z')

describe('the iCalendar feed (RFC 5545 line endings)', () => {
  const calendar = realCalendar()

  it('ends every content line with CRLF, the last one included, and has no bare CR or LF', () => {
    for (const region of [undefined, '东营市']) {
      const feed = buildIcsFeed(calendar, { from: '2026-01-01', to: '2026-12-31', stamp, ...(region ? { region } : {}) })
      expect(feed.endsWith('END:VCALENDAR\r\n')).toBe(true)
      const lines = feed.split('\r\n')
      expect(lines.pop()).toBe('')
      for (const line of lines) {
        expect(line).not.toMatch(/[\r\n]/)
        // Long lines are folded: at most 75 octets, a continuation starts with one space.
        expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75)
      }
      expect(lines[0]).toBe('BEGIN:VCALENDAR')
    }
  })

  it('parses back with node-ical to the same events, the last line included', () => {
    const feed = buildIcsFeed(calendar, { from: '2026-05-01', to: '2026-05-31', region: '东营市', stamp })
    const parsed = Object.values(ical.sync.parseICS(feed))
    const vevents = parsed.filter((c) => c?.type === 'VEVENT')
    expect(vevents.length).toBe(calendar.occurrences('2026-05-01', '2026-05-31', { region: '东营市' }).length)
    expect(parsed.some((c) => c?.type === 'VCALENDAR')).toBe(true)
  })

  it('an empty window is still a complete calendar', () => {
    const feed = buildIcsFeed(calendar, { from: '2026-01-02', to: '2026-01-02', region: '没有这个地区', stamp })
    expect(feed).toMatch(/^BEGIN:VCALENDAR\r\n[\s\S]*END:VCALENDAR\r\n$/)
  })

  it('endLines makes every line break a CRLF and adds the last one', () => {
    expect(endLines('A\r\nB\nC\rD')).toBe('A\r\nB\r\nC\r\nD\r\n')
    expect(endLines('A\r\n')).toBe('A\r\n')
  })
})
