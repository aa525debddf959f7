import { z } from 'zod'
import { isDay } from './local-day.js'
import { audienceSchema } from './observance-schema.js'

/** The note every local event carries: the organiser's own notice is what counts. */
export const ORGANISER_NOTE = '以主办方通知为准'

/** `2026-09-19T09:30` (Asia/Shanghai wall time, optionally with an explicit `+08:00`) or a bare date for all-day events. */
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:T([01]\d|2[0-3]):([0-5]\d)(?:\+08:00)?)?$/

const when = z
  .string()
  .regex(DATE_TIME, 'expected YYYY-MM-DD or YYYY-MM-DDTHH:mm (Asia/Shanghai)')
  .refine((s) => isDay(s.slice(0, 10)), { message: 'not a calendar date' })
  .describe('Asia/Shanghai: YYYY-MM-DDTHH:mm, or YYYY-MM-DD for an all-day event')

/** One local activity a region's staff publish. */
export const localEventSchema = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a kebab-case id'),
  title: z.string().min(2).max(60),
  start: when,
  end: when,
  place: z.string().min(2),
  organiser: z.string().min(2),
  audiences: z.array(audienceSchema).min(1),
  /** How to take part: 「无需报名」 or where to sign up. */
  signup: z.string().min(2),
  tags: z.array(z.string().min(1)).default([]),
  /** A short line about what happens there. */
  summary: z.string().max(120).optional(),
  note: z.string().refine((s) => s.includes(ORGANISER_NOTE), { message: `must say ${ORGANISER_NOTE}` }),
}).strict().superRefine((e, ctx) => {
  if (!DATE_TIME.test(e.start) || !DATE_TIME.test(e.end)) return
  if (e.start.includes('T') !== e.end.includes('T')) ctx.addIssue({ code: 'custom', path: ['end'], message: 'start and end must both have a time or both be dates' })
  else if (e.end < e.start) ctx.addIssue({ code: 'custom', path: ['end'], message: `end ${e.end} is before start ${e.start}` })
})
export type LocalEvent = z.infer<typeof localEventSchema>

/** One file under content/events/: a region's events. */
export const eventsFileSchema = z.object({
  /** The region's name as in its plan's title (东营市, 汕尾市城区 …). */
  region: z.string().min(2),
  timezone: z.literal('Asia/Shanghai'),
  events: z.array(localEventSchema),
}).strict().superRefine((file, ctx) => {
  const seen = new Map<string, number>()
  file.events.forEach((e, i) => {
    const prev = seen.get(e.id)
    if (prev !== undefined) ctx.addIssue({ code: 'custom', path: ['events', i, 'id'], message: `duplicate id ${e.id} (also item ${prev + 1})` })
    else seen.set(e.id, i)
  })
})
export type EventsFile = z.infer<typeof eventsFileSchema>

/** Splits an event time into its day and, when given, its minutes after midnight (Asia/Shanghai). */
export function parseEventTime(value: string): { day: string; minutes?: number } {
  const m = DATE_TIME.exec(value)
  if (!m) throw new RangeError(`calendar: not an event time: ${JSON.stringify(value)}`)
  return m[2] === undefined ? { day: m[1]! } : { day: m[1]!, minutes: Number(m[2]) * 60 + Number(m[3]) }
}
