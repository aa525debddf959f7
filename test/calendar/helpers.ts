import { join } from 'node:path'
import type { Context, RegionRef } from '../../src/core/bot.js'
import { cleanText } from '../../src/core/clean-text.js'
import type { Reply } from '../../src/core/reply.js'
import { silentLogger } from '../../src/core/logger.js'
import { parseNow } from '../../src/core/shanghai-time.js'
import type { UserState } from '../../src/core/user-state.js'
import type { Calendar } from '../../src/calendar/calendar.js'
import { createCalendarHandler } from '../../src/calendar/calendar-handler.js'
import { loadCalendar } from '../../src/calendar/load-calendar.js'
import type { ReplyWithMore } from '../../src/core/bot.js'

/** The project's content folder. */
export const CONTENT_DIR = join(import.meta.dirname, '..', '..', 'content')

let cached: Calendar | undefined
/** The real calendar, loaded once per test file. */
export function realCalendar(): Calendar {
  return (cached ??= loadCalendar(CONTENT_DIR))
}

const REGIONS: Record<string, RegionRef> = {
  东营市: { name: '东营市', short: '东营' },
  乌海市: { name: '乌海市', short: '乌海' },
  高平市: { name: '高平市', short: '高平' },
  神木市: { name: '神木市', short: '神木' },
  汕尾市城区: { name: '汕尾市城区', short: '汕尾城区' },
}

/** A handler context as the bot would build it. */
export function makeContext(text: string, options: { now: string; region?: string; user?: UserState }): Context {
  const cleaned = cleanText(text)
  const region = options.region ? REGIONS[options.region] : undefined
  return {
    incoming: { channel: 'test', chatId: 'c', userId: 'u', isGroup: false, mentioned: true, forwarded: false, text },
    text: cleaned.text,
    truncated: cleaned.truncated,
    now: parseNow(options.now)!,
    userKey: 'test:u',
    user: options.user ?? {},
    regionInQuestion: undefined,
    region,
    log: silentLogger,
  }
}

/** The marker reply a test's `next` returns, to tell "passed on" from "answered". */
export const PASSED: Reply = { text: '(next)', answered: false, intent: 'none' }

/** Asks the calendar handler one question. */
export async function ask(text: string, options: { now: string; region?: string; user?: UserState; calendar?: Calendar }): Promise<ReplyWithMore> {
  const handler = createCalendarHandler({ calendar: options.calendar ?? realCalendar() })
  return handler(makeContext(text, options), async () => PASSED)
}
