import { rrule } from './rrule-lib.js'
import { z } from 'zod'
import { isDay } from './local-day.js'

/** The audiences an observance or event is meant for: the plans' five key groups, plus children and parents. */
export const AUDIENCES = ['青少年', '农民', '产业工人', '老年人', '领导干部和公务员', '儿童', '家长', '公众'] as const
export const audienceSchema = z.enum(AUDIENCES)
export type Audience = z.infer<typeof audienceSchema>

/** The 24 solar terms, as lunar-typescript names them. */
export const SOLAR_TERMS = [
  '小寒', '大寒', '立春', '雨水', '惊蛰', '春分', '清明', '谷雨', '立夏', '小满', '芒种', '夏至',
  '小暑', '大暑', '立秋', '处暑', '白露', '秋分', '寒露', '霜降', '立冬', '小雪', '大雪', '冬至',
] as const

const month = z.number().int().min(1).max(12)
/** How many days one occurrence lasts (7 for a week, 1 for a day). */
const days = z.number().int().min(1).max(62).optional()

const fixedRule = z.object({
  kind: z.literal('fixed'),
  month,
  day: z.number().int().min(1).max(31),
  days,
}).strict()

const nthWeekdayRule = z.object({
  kind: z.literal('nth-weekday'),
  month,
  /** 0 = Sunday … 6 = Saturday. */
  weekday: z.number().int().min(0).max(6),
  /** 1–5 counts from the start of the month, -1 is the last. */
  n: z.union([z.number().int().min(1).max(5), z.literal(-1)]),
  days,
}).strict()

const rruleRule = z.object({
  kind: z.literal('rrule'),
  /** An RFC 5545 RRULE body with FREQ=YEARLY, e.g. `FREQ=YEARLY;BYMONTH=5;BYDAY=WE;BYMONTHDAY=13,14,15,16,17,18,19`. */
  rrule: z.string().refine(validYearlyRrule, { message: 'not a valid yearly RRULE (FREQ=YEARLY;…)' }),
  days,
}).strict()

const monthRule = z.object({
  kind: z.literal('month'),
  month,
}).strict()

const solarTermRule = z.object({
  kind: z.literal('solar-term'),
  term: z.enum(SOLAR_TERMS),
  days,
}).strict()

const lunarRule = z.object({
  kind: z.literal('lunar'),
  /** Lunar month 1–12 (正月 … 腊月); never a leap month. */
  month,
  day: z.number().int().min(1).max(30),
  /** Start this many days before the lunar date (e.g. a span around 春节). */
  before: z.number().int().min(0).max(60).optional(),
  days,
}).strict()

/** How an observance recurs every year. */
export const ruleSchema = z.discriminatedUnion('kind', [fixedRule, nthWeekdayRule, rruleRule, monthRule, solarTermRule, lunarRule])
export type Rule = z.infer<typeof ruleSchema>

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD').refine(isDay, { message: 'not a calendar date' })

/** A year whose official dates differ from the rule: these dates win. */
export const overrideSchema = z.object({
  year: z.number().int().min(1990).max(2100),
  start: day,
  end: day,
  /** Where the dates come from (a notice's title), for editors. */
  source: z.string().optional(),
}).strict().superRefine((o, ctx) => {
  if (o.end < o.start) ctx.addIssue({ code: 'custom', path: ['end'], message: `end ${o.end} is before start ${o.start}` })
  if (Number(o.start.slice(0, 4)) !== o.year) ctx.addIssue({ code: 'custom', path: ['start'], message: `start ${o.start} is not in ${o.year}` })
})

/** One recurring day, week or month of the science, health and safety calendar. */
export const observanceSchema = z.object({
  /** Stable id (kebab-case), used in feeds and tests. */
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a kebab-case id'),
  name: z.string().min(2),
  /** Other names residents use; matching also tolerates parts of the name (丰收节 for 中国农民丰收节). */
  aliases: z.array(z.string().min(1)).default([]),
  rule: ruleSchema,
  /** The first year it was held; no occurrence before. */
  since: z.number().int().min(1900).max(2100).optional(),
  /** True when the exact dates are set every year by notice and the rule gives the usual ones. */
  approximate: z.boolean().default(false),
  /** One or two sentences in plain Chinese. */
  description: z.string().min(4).max(200),
  audiences: z.array(audienceSchema).min(1),
  /** The plans (by region name) that name it. */
  plans: z.array(z.string()).default([]),
  /** When set, only these regions hold it (a provincial month); otherwise it is national or worldwide. */
  regions: z.array(z.string()).optional(),
  overrides: z.array(overrideSchema).default([]),
}).strict()
export type Observance = z.infer<typeof observanceSchema>

/** The whole of content/observances.yaml: a list. */
export const observancesFileSchema = z.array(observanceSchema).superRefine((list, ctx) => {
  const seen = new Map<string, number>()
  list.forEach((o, i) => {
    for (const [field, key] of [['id', o.id], ['name', o.name]] as const) {
      const prev = seen.get(`${field}:${key}`)
      if (prev !== undefined) ctx.addIssue({ code: 'custom', path: [i, field], message: `duplicate ${field} ${key} (also item ${prev + 1})` })
      else seen.set(`${field}:${key}`, i)
    }
  })
})

function validYearlyRrule(body: string): boolean {
  if (!/(^|;)FREQ=YEARLY(;|$)/.test(body) || /DTSTART|UNTIL|COUNT/.test(body)) return false
  try {
    rrule().parseString(body)
    return true
  } catch {
    return false
  }
}
