import type { Command } from 'commander'
import { loadCalendar } from '../calendar/load-calendar.js'
import { buildIcsFeed } from '../calendar/ics-feed.js'
import { addDays, dayOf, isDay } from '../calendar/local-day.js'
import { systemClock } from '../core/clock.js'
import { InputError, KepuError } from '../core/errors.js'
import { packageRoot } from '../core/package-root.js'
import { join } from 'node:path'

/** Days before today that a default feed keeps (so a just-finished week still shows). */
const DEFAULT_BACK_DAYS = 30
/** Days after today that a default feed covers. */
const DEFAULT_AHEAD_DAYS = 395

const REGION_NAMES: Record<string, string> = {
  东营: '东营市', 乌海: '乌海市', 高平: '高平市', 神木: '神木市', 汕尾城区: '汕尾市城区', 汕尾: '汕尾市城区', 城区: '汕尾市城区',
}

/**
 * `kepu ics [--region 东营市] [--from YYYY-MM-DD --to YYYY-MM-DD]`: prints the calendar as an
 * iCalendar feed to stdout (observances, plus local events of the region or of every region).
 */
export function register(program: Command): void {
  program
    .command('ics')
    .description('print the activity calendar as an iCalendar (RFC 5545) feed')
    .option('--region <name>', 'only this region\'s local events (东营市, 乌海市, 高平市, 神木市, 汕尾市城区 or a short form)')
    .option('--from <date>', 'first day, YYYY-MM-DD (default: 30 days ago)')
    .option('--to <date>', 'last day, YYYY-MM-DD (default: about 13 months ahead)')
    .action((opts: { region?: string; from?: string; to?: string }) => {
      try {
        const calendar = loadCalendar(join(packageRoot(), 'content'))
        const today = dayOf(systemClock.now())
        const from = opts.from ?? addDays(today, -DEFAULT_BACK_DAYS)
        const to = opts.to ?? addDays(from, DEFAULT_AHEAD_DAYS + DEFAULT_BACK_DAYS)
        for (const [flag, value] of [['--from', from], ['--to', to]] as const) {
          if (!isDay(value)) throw new InputError(`kepu ics: ${flag} must be a date YYYY-MM-DD (got ${JSON.stringify(value)})`)
        }
        const region = opts.region ? resolveRegion(opts.region, calendar.events.map((e) => e.region)) : undefined
        process.stdout.write(buildIcsFeed(calendar, { from, to, region, stamp: new Date(`${from}T00:00:00Z`) }))
      } catch (err) {
        process.stderr.write(`${err instanceof KepuError ? err.message : `kepu ics: ${err instanceof Error ? err.message : String(err)}`}\n`)
        process.exitCode = 2
      }
    })
}

function resolveRegion(input: string, known: string[]): string {
  const name = input.trim()
  if (known.includes(name) || Object.values(REGION_NAMES).includes(name)) return name
  const mapped = REGION_NAMES[name.replace(/市$/, '')]
  if (mapped) return mapped
  throw new InputError(`kepu ics: unknown region ${JSON.stringify(input)} (use 东营市, 乌海市, 高平市, 神木市 or 汕尾市城区)`)
}
