import type { Alerts } from '../alerts/alert-service.js'
import type { AdminList } from '../announce/admins.js'
import type { Adapter } from '../core/adapter.js'
import type { TemplateContent } from '../announce/template.js'
import type { Calendar } from '../calendar/calendar.js'
import type { Clock } from '../core/clock.js'
import type { Logger } from '../core/logger.js'
import type { RequestDesk } from '../requests/request-desk.js'
import type { HttpRequest, HttpResponse } from '../core/skill.js'
import type { ConsoleStore } from '../store/console-store.js'
import type { StaffContent } from './staff-content.js'
import type { Store } from '../store/async-store.js'

/** What every console page needs. */
export interface ConsoleDeps {
  store: ConsoleStore
  /** The async store: unanswered questions, subscriptions, announcements, delivery reports. */
  data: Store
  calendar: () => Calendar
  admins: AdminList
  clock: Clock
  logger: Logger
  /** Region names for the forms. */
  regions: () => string[]
  /** 2: a draft needs a second admin's approval; 1: its author may approve it (recorded as such). */
  approvals: number
  /** Live content for previews ({week_events} …), as announcements are filled when sent. */
  content: () => TemplateContent
  /** The running adapters (under serve): where staff replies to a handoff go. */
  adapters: () => ReadonlyMap<string, Adapter> | undefined
  /** Emergency alerts: the same service `/alert` and `kepu alert` compose and queue with. */
  alerts: () => Alerts
  /** 科技志愿服务 requests: the same desk `/assign` … and `kepu requests` use (it tells the resident). */
  requests: () => RequestDesk
  /** Cards and synonym groups staff add: the files' groups, a question's words, and the sync that makes a change live. */
  staffContent: StaffContent
}

/** A request that passed the session (and, for POST, the CSRF) check. */
export interface StaffRequest {
  req: HttpRequest
  /** `channel:userId` of the admin. */
  user: string
  csrf: string
  /** The form fields of a POST. */
  form: URLSearchParams
  now: Date
}

export type StaffHandler = (r: StaffRequest) => Promise<HttpResponse>

/** 303 to a page, with a notice or an error shown there once (in the query, escaped when shown). */
export function redirect(path: string, message?: { notice?: string; error?: string }): HttpResponse {
  const q = new URLSearchParams()
  if (message?.notice) q.set('notice', message.notice)
  if (message?.error) q.set('error', message.error)
  const qs = q.toString()
  const hash = path.indexOf('#')
  const [base, fragment] = hash < 0 ? [path, ''] : [path.slice(0, hash), path.slice(hash)]
  return { status: 303, headers: { location: qs ? `${base}${base.includes('?') ? '&' : '?'}${qs}${fragment}` : path }, body: '' }
}

/** An HTML page response. */
export function htmlResponse(body: string, status = 200): HttpResponse {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8' }, body }
}

/** Writes one audit entry: who, what, when, before → after. */
export async function audit(deps: ConsoleDeps, r: StaffRequest, action: string, subject: string, before: unknown, after: unknown): Promise<void> {
  await deps.store.audit({
    at: r.now,
    actor: r.user,
    action,
    subject,
    before: before === undefined ? null : JSON.stringify(before),
    after: after === undefined ? null : JSON.stringify(after),
  })
}
