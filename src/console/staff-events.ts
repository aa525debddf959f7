import { randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import type { Calendar, RegionalEvent } from '../calendar/calendar.js'
import { localEventSchema, ORGANISER_NOTE, type LocalEvent } from '../calendar/event-schema.js'
import type { ConsoleStore, StaffEventRow } from '../store/console-store.js'

/** The Chinese name of each event field, for error messages on the form. */
const FIELD_NAMES: Record<string, string> = {
  title: '活动名称',
  start: '开始时间',
  end: '结束时间',
  place: '地点',
  organiser: '主办单位',
  audiences: '适合人群',
  signup: '报名方式',
  summary: '简介',
  region: '地区',
}

/** A stored event as the calendar sees it. */
export function regionalEventOf(row: StaffEventRow): RegionalEvent {
  return { ...(JSON.parse(row.event) as LocalEvent), region: row.region }
}

/** A datetime-local value (`2026-12-05T09:30`, maybe with seconds) as an event time in Asia/Shanghai wall time. */
function eventTime(value: string | null): string {
  const v = (value ?? '').trim()
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v) ? v.slice(0, 16) : v
}

/**
 * Reads the event form: either the event (validated exactly like content/events/*.yaml) with its region,
 * or the errors in Chinese, one per field.
 */
export function eventFromForm(form: URLSearchParams, regions: readonly string[], id: string): { event: LocalEvent; region: string } | { errors: string[] } {
  const region = (form.get('region') ?? '').trim()
  const errors: string[] = []
  if (!regions.includes(region)) errors.push('地区：请从列表中选择')
  const summary = (form.get('summary') ?? '').trim()
  const candidate = {
    id,
    title: (form.get('title') ?? '').trim(),
    start: eventTime(form.get('start')),
    end: eventTime(form.get('end')),
    place: (form.get('place') ?? '').trim(),
    organiser: (form.get('organiser') ?? '').trim(),
    audiences: form.getAll('audiences'),
    signup: (form.get('signup') ?? '').trim() || '无需报名',
    tags: [],
    ...(summary ? { summary } : {}),
    note: ORGANISER_NOTE,
  }
  const parsed = localEventSchema.safeParse(candidate)
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? '')
      errors.push(`${FIELD_NAMES[field] ?? field}：${chineseIssue(field, issue.code, issue.message)}`)
    }
  }
  if (errors.length || !parsed.success) return { errors }
  return { event: parsed.data, region }
}

function chineseIssue(field: string, code: string, message: string): string {
  if (field === 'start' || field === 'end') return message.includes('before') ? '结束时间早于开始时间' : '请选择日期和时间'
  if (field === 'audiences') return '至少选一类'
  if (code === 'too_small') return '太短了'
  if (code === 'too_big') return '太长了'
  return '格式不对'
}

/** A new stored event's id: kebab-case like the content files', never one of theirs. */
export function newEventId(): string {
  return `staff-${randomBytes(5).toString('hex')}`
}

/** Loads the active stored events into the calendar (after every change, and at start). */
export async function syncStoredEvents(store: ConsoleStore, calendar: Calendar): Promise<number> {
  const rows = (await store.listStaffEvents()).filter((r) => r.status === 'active')
  calendar.setStoredEvents(rows.map(regionalEventOf))
  return rows.length
}

/** The active stored events as content/events YAML, one document per region (`---` between them). */
export function eventsYaml(rows: readonly StaffEventRow[]): string {
  const byRegion = new Map<string, LocalEvent[]>()
  for (const r of rows) {
    if (r.status !== 'active') continue
    const list = byRegion.get(r.region) ?? []
    list.push(JSON.parse(r.event) as LocalEvent)
    byRegion.set(r.region, list)
  }
  // js-yaml only when exporting: the bot's start never loads it for this.
  const { dump } = createRequire(import.meta.url)('js-yaml') as typeof import('js-yaml')
  const docs = [...byRegion].map(([region, events]) => dump({ region, timezone: 'Asia/Shanghai', events }, { lineWidth: 120 }))
  return `# 管理台里添加的活动；每个地区一段，可另存为 content/events/<地区>.yaml\n${docs.join('---\n')}`
}
