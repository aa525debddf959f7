import { Command } from 'commander'
import ical from 'node-ical'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { buildIcsFeed } from '../../src/calendar/ics-feed.js'
import { register } from '../../src/commands/ics.js'
import { InputError } from '../../src/core/errors.js'
import { realCalendar } from '../calendar/helpers.js'

type VEvent = ical.VEvent

function events(feed: string): VEvent[] {
  return Object.values(ical.sync.parseICS(feed)).filter((c): c is VEvent => c?.type === 'VEVENT')
}

const stamp = new Date('2026-01-01T00:00:00Z')

describe('buildIcsFeed', () => {
  const calendar = realCalendar()

  it('parses back with an independent parser, one VEVENT per occurrence, with stable unique UIDs', () => {
    const feed = buildIcsFeed(calendar, { from: '2026-01-01', to: '2026-12-31', stamp })
    expect(feed.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true)
    const parsed = events(feed)
    expect(parsed.length).toBe(calendar.occurrences('2026-01-01', '2026-12-31').length)
    expect(new Set(parsed.map((e) => e.uid)).size).toBe(parsed.length)
    expect(buildIcsFeed(calendar, { from: '2026-01-01', to: '2026-12-31', stamp })).toBe(feed)
  })

  it('writes observances as all-day events with an exclusive end', () => {
    const parsed = events(buildIcsFeed(calendar, { from: '2026-05-01', to: '2026-06-30', stamp }))
    const day = parsed.find((e) => e.summary === '全国防灾减灾日')!
    expect(day.datetype).toBe('date')
    expect(day.start.getFullYear()).toBe(2026)
    expect([day.start.getMonth() + 1, day.start.getDate()]).toEqual([5, 12])
    expect([day.end!.getMonth() + 1, day.end!.getDate()]).toEqual([5, 13])
    const month = parsed.find((e) => e.summary === '全国安全生产月')!
    expect([month.end!.getMonth() + 1, month.end!.getDate()]).toEqual([7, 1])
  })

  it('writes timed local events at the right Asia/Shanghai time, with place and the organiser note', () => {
    const parsed = events(buildIcsFeed(calendar, { from: '2026-05-01', to: '2026-05-31', region: '东营市', stamp }))
    const drill = parsed.find((e) => e.uid === 'dy-2026-disaster-drill@kepu-bot')!
    expect(drill.start.toISOString()).toBe('2026-05-12T01:00:00.000Z')
    expect(drill.end!.toISOString()).toBe('2026-05-12T03:30:00.000Z')
    expect(String(drill.location)).toContain('东营市')
    expect(String(drill.description)).toContain('以主办方通知为准')
    expect(parsed.some((e) => String(e.uid).startsWith('sm-'))).toBe(false)
  })

  it('refuses a reversed or huge window', () => {
    expect(() => buildIcsFeed(calendar, { from: '2026-05-01', to: '2026-04-01', stamp })).toThrow(InputError)
    expect(() => buildIcsFeed(calendar, { from: '2026-01-01', to: '2099-01-01', stamp })).toThrow(InputError)
  })
})

describe('kepu ics', () => {
  afterEach(() => {
    vi.restoreAllMocks()
    process.exitCode = undefined
  })

  async function run(...args: string[]): Promise<{ out: string; err: string }> {
    let out = ''
    let err = ''
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true))
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true))
    const program = new Command('kepu').exitOverride()
    register(program)
    await program.parseAsync(['node', 'kepu', 'ics', ...args])
    return { out, err }
  }

  it('prints a feed for a region and window', async () => {
    const { out } = await run('--region', '神木', '--from', '2026-09-01', '--to', '2026-09-30')
    const parsed = events(out)
    expect(parsed.some((e) => e.summary === '全国科普日')).toBe(true)
    expect(parsed.some((e) => e.summary === '全国科普日神木主场活动')).toBe(true)
    expect(parsed.some((e) => String(e.uid).startsWith('dy-'))).toBe(false)
  })

  it('explains a bad date or region on stderr and sets a non-zero exit code', async () => {
    const bad = await run('--from', '2026-13-01')
    expect(bad.out).toBe('')
    expect(bad.err).toContain('--from')
    expect(process.exitCode).toBe(2)
    const region = await run('--region', '北京')
    expect(region.err).toContain('unknown region')
  })
})
