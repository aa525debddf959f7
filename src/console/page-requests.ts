import { InputError } from '../core/errors.js'
import type { HttpResponse, HttpRoute } from '../core/skill.js'
import { maskContact } from '../requests/contact.js'
import { OPEN, STATUS_ZH } from '../requests/request-desk.js'
import { SERVICE_REQUEST_STATUSES, type ServiceRequest, type ServiceRequestStatus, type Volunteer } from '../store/async-store.js'
import { audit, htmlResponse, redirect, type ConsoleDeps, type StaffHandler, type StaffRequest } from './console-context.js'
import { h, shanghaiTime, type SafeHtml } from './html.js'
import { csrfField, page } from './layout.js'

type Guard = (method: 'GET' | 'POST', path: string, handler: StaffHandler) => HttpRoute

/** The longest closing note staff may write. */
export const MAX_NOTE_CHARS = 200
/** How many requests a list shows. */
const LIST_LIMIT = 200

/** The list's filters: the open ones (default), each status, all. */
const FILTERS: { id: string; label: string; status: ServiceRequestStatus[] }[] = [
  { id: 'open', label: '未完成', status: OPEN },
  ...SERVICE_REQUEST_STATUSES.map((s) => ({ id: s, label: STATUS_ZH[s], status: [s] })),
  { id: 'all', label: '全部', status: [...SERVICE_REQUEST_STATUSES] },
]

/** Which actions a status allows (the desk's state machine: request-desk.ts). */
const MAY_ASSIGN: ServiceRequestStatus[] = ['new', 'assigned']
const MAY_SCHEDULE: ServiceRequestStatus[] = ['new', 'assigned', 'scheduled']

const viewPath = (number: string) => `/admin/requests/view?${new URLSearchParams({ number })}`

/** The value of a datetime-local input for an instant, in Asia/Shanghai: 2026-12-20T14:00. */
export function shanghaiInput(t: Date): string {
  return shanghaiTime(t).replace(' ', 'T')
}

/** A region's short name (东营市 → 东营): volunteers write their area in their own words. */
const shortName = (region: string) => region.replace(/(?:市|县|区|旗|盟|地区|自治州)$/u, '')

/** Volunteers whose area names the request's region first, then the others, as registered. */
export function volunteersNear(volunteers: readonly Volunteer[], region: string): Volunteer[] {
  const near = (v: Volunteer) => v.area.trim() !== '' && (v.area.includes(shortName(region)) || region.includes(v.area.trim()))
  return [...volunteers.filter(near), ...volunteers.filter((v) => !near(v))]
}

/**
 * 服务单: residents' 科技志愿服务 requests (KP-2026-0001 …) — a list by status, one request in full, and the
 * actions of the chat's /assign, /schedule and /close through the same desk, so the resident gets the same
 * notice; the volunteers who registered. Every action is audited; a refused one says why and keeps the input.
 */
export function requestRoutes(deps: ConsoleDeps, guard: Guard): HttpRoute[] {
  const log = deps.logger.child({ module: 'console' })

  function volunteerTable(vs: readonly Volunteer[], caption: string): SafeHtml {
    if (!vs.length) return h`<p class="muted">还没有人登记志愿者（居民在聊天里说「我想报名当志愿者」即可登记）。</p>`
    return h`<table><caption class="muted">${caption}</caption><thead><tr><th scope="col">称呼</th><th scope="col">地区</th><th scope="col">擅长</th><th scope="col">电话</th><th scope="col">登记时间</th></tr></thead><tbody>${vs.map(
      (v) => h`<tr><td>${v.name}</td><td>${v.area}</td><td>${v.skills.join('、')}</td><td>${v.contact}</td><td>${shanghaiTime(v.updatedAt)}</td></tr>`,
    )}</tbody></table>`
  }

  function requestTable(list: readonly ServiceRequest[]): SafeHtml {
    const desk = deps.requests()
    return h`<table><thead><tr><th scope="col">编号</th><th scope="col">状态</th><th scope="col">地区</th><th scope="col">服务和地点</th><th scope="col">时间</th><th scope="col">人数</th><th scope="col">服务队</th><th scope="col">电话</th><th scope="col">评分</th></tr></thead><tbody>${list.map(
      (x) =>
        h`<tr><td><a href="${viewPath(x.number)}">${x.number}</a></td><td>${STATUS_ZH[x.status]}</td><td>${x.region}</td><td>${desk.serviceName(x)}<br><span class="muted">${x.place}</span></td><td>${x.scheduledAt ? h`${shanghaiTime(x.scheduledAt)}` : h`<span class="muted">希望：</span>${x.preferredDate}`}</td><td>${x.audienceSize ?? '—'}</td><td>${x.team ?? '—'}</td><td>${maskContact(x.contact)}</td><td>${x.rating ?? '—'}</td></tr>`,
    )}</tbody></table>`
  }

  /** One request in full, its history, the actions its status allows; `values` refills a refused form. */
  async function detail(r: StaffRequest, x: ServiceRequest, o: { error?: string; values?: URLSearchParams; status?: number } = {}): Promise<HttpResponse> {
    const desk = deps.requests()
    const v = (name: string, fallback = '') => o.values?.get(name) ?? fallback
    const teams = desk.teamsFor(x.region)
    const hidden = h`${csrfField(r.csrf)}<input type="hidden" name="number" value="${x.number}">`
    const assign = MAY_ASSIGN.includes(x.status)
      ? teams.length
        ? h`<form method="post" action="/admin/requests/assign" class="card">${hidden}
<label for="rq-team">派给服务队（只列出服务${x.region}的队）</label><select id="rq-team" name="team" required>${teams.map((t) => h`<option${t.name === v('team', x.team ?? '') ? h` selected` : ''}>${t.name}</option>`)}</select>
<button type="submit">派单并通知居民</button></form>`
        : h`<p class="muted">services.yaml 里没有服务${x.region}的服务队，不能派单。</p>`
      : ''
    const schedule = MAY_SCHEDULE.includes(x.status)
      ? h`<form method="post" action="/admin/requests/schedule" class="card">${hidden}
<label for="rq-when">服务时间（北京时间）</label><input type="datetime-local" id="rq-when" name="when" required value="${v('when', x.scheduledAt ? shanghaiInput(x.scheduledAt) : '')}">
<button type="submit">${x.status === 'scheduled' ? '改期并通知居民' : '排期并通知居民'}</button></form>`
      : ''
    const close = OPEN.includes(x.status)
      ? h`<form method="post" action="/admin/requests/close" class="card">${hidden}
<label for="rq-note">结单备注（只给工作人员看，可不填；${MAX_NOTE_CHARS} 字以内）</label><textarea id="rq-note" name="note" rows="2" maxlength="${MAX_NOTE_CHARS}">${v('note')}</textarea>
<button class="secondary" type="submit">结单并请居民打分</button></form>`
      : h`<p class="muted">这张服务单${STATUS_ZH[x.status]}，不能再修改。</p>`
    const fields: [string, SafeHtml | string | number][] = [
      ['状态', STATUS_ZH[x.status]],
      ['服务', desk.serviceName(x)],
      ['地区', x.region],
      ['地点', x.place],
      ['希望时间', x.preferredDate],
      ['人数', x.audienceSize ?? '不确定'],
      ['电话', x.contact],
      ['服务队', x.team ?? '未派单'],
      ['安排时间', x.scheduledAt ? shanghaiTime(x.scheduledAt) : '未排期'],
      ['评分', x.rating ?? '—'],
      ['提交时间', shanghaiTime(x.createdAt)],
    ]
    const vs = volunteersNear(await desk.volunteers(), x.region)
    return htmlResponse(
      page(
        { title: `服务单 ${x.number}`, path: '/admin/requests', user: r.user, csrf: r.csrf, notice: o.error ? undefined : (r.req.query.get('notice') ?? undefined), error: o.error ?? r.req.query.get('error') ?? undefined },
        h`<p><a href="/admin/requests">返回服务单列表</a></p>
<table class="fields" data-testid="request"><tbody>${fields.map(([k, val]) => h`<tr><th scope="row">${k}</th><td>${val}</td></tr>`)}</tbody></table>
<h2>处理</h2><p>派单、排期、结单都会在居民的聊天里通知他们（和聊天里的 <code>/assign</code>、<code>/schedule</code>、<code>/close</code> 发的是同一条消息）。</p>
${assign}${schedule}${close}
<h2>记录</h2><table><thead><tr><th scope="col">时间</th><th scope="col">状态</th><th scope="col">谁</th><th scope="col">备注</th></tr></thead><tbody>${x.history.map(
          (c) => h`<tr><td>${shanghaiTime(c.at)}</td><td>${STATUS_ZH[c.status]}</td><td>${c.by === x.userKey ? '居民' : c.by}</td><td>${c.note ?? ''}</td></tr>`,
        )}</tbody></table>
<h2>登记的志愿者</h2>${volunteerTable(vs, `${x.region}的在前；和服务队商量时可以联系他们`)}`,
      ),
      o.status ?? 200,
    )
  }

  /** Runs one desk action on the form's request: refused → the request's page with the reason and the input kept. */
  async function act(r: StaffRequest, action: string, run: (number: string) => Promise<ServiceRequest>, done: (x: ServiceRequest) => string): Promise<HttpResponse> {
    const desk = deps.requests()
    let before: ServiceRequest
    try {
      before = await desk.get(r.form.get('number') ?? '')
    } catch (err) {
      if (err instanceof InputError) return redirect('/admin/requests', { error: err.message })
      throw err
    }
    let after: ServiceRequest
    try {
      after = await run(before.number)
    } catch (err) {
      if (!(err instanceof InputError)) throw err
      // The current state (another admin may just have changed it) with what this admin typed.
      return detail(r, await desk.get(before.number), { error: `没有办成：${err.message}`, values: r.form, status: 400 })
    }
    const state = (x: ServiceRequest) => ({ status: x.status, team: x.team ?? null, scheduledAt: x.scheduledAt ? shanghaiTime(x.scheduledAt) : null })
    const note = after.history.at(-1)?.note
    await audit(deps, r, `request.${action}`, after.number, state(before), { ...state(after), ...(note ? { note } : {}) })
    log.info({ request: after.number, action, by: r.user }, 'console: request changed')
    return redirect(viewPath(after.number), { notice: done(after) })
  }

  return [
    guard('GET', '/admin/requests', async (r) => {
      const want = r.req.query.get('status') ?? 'open'
      const filter = FILTERS.find((f) => f.id === want) ?? FILTERS[0]!
      const desk = deps.requests()
      const list = await desk.list({ status: filter.status, limit: LIST_LIMIT })
      const heading = filter.id === 'all' ? '全部服务单' : `${filter.label}的服务单`
      const tabs = h`<nav aria-label="按状态筛选"><ul>${FILTERS.map((f) => h`<li><a href="/admin/requests?status=${f.id}"${f === filter ? h` aria-current="page"` : ''}>${f.label}</a></li>`)}</ul></nav>`
      return htmlResponse(
        page(
          { title: '服务单', path: '/admin/requests', user: r.user, csrf: r.csrf, notice: r.req.query.get('notice') ?? undefined, error: r.req.query.get('error') ?? (filter.id === want ? undefined : '没有这个筛选条件，显示未完成的服务单。') },
          h`<p>居民在聊天里「点单」请科技志愿者上门服务。点编号查看全部信息并派单、排期、结单；每一步都会通知居民。</p>
${tabs}
<h2>${heading}（${list.length} 张，新的在前）</h2>
${list.length ? requestTable(list) : h`<p class="muted">没有${heading}。</p>`}
<h2>登记的志愿者</h2>${volunteerTable(await desk.volunteers(), '先登记的在前')}`,
        ),
      )
    }),
    guard('GET', '/admin/requests/view', async (r) => {
      try {
        return await detail(r, await deps.requests().get(r.req.query.get('number') ?? ''))
      } catch (err) {
        if (err instanceof InputError) return redirect('/admin/requests', { error: err.message })
        throw err
      }
    }),
    guard('POST', '/admin/requests/assign', async (r) => {
      const team = (r.form.get('team') ?? '').trim()
      return act(
        r,
        'assign',
        (n) => (team ? deps.requests().assign(n, team, r.user) : Promise.reject(new InputError('请选择服务队'))),
        (x) => `已把 ${x.number} 派给「${x.team}」，已通知居民。`,
      )
    }),
    guard('POST', '/admin/requests/schedule', async (r) => {
      const when = (r.form.get('when') ?? '').trim()
      return act(
        r,
        'schedule',
        (n) => (when ? deps.requests().schedule(n, when, r.user) : Promise.reject(new InputError('请选择服务时间'))),
        (x) => `已为 ${x.number} 排期：${x.scheduledAt ? shanghaiTime(x.scheduledAt) : ''}，已通知居民。`,
      )
    }),
    guard('POST', '/admin/requests/close', async (r) => {
      const note = (r.form.get('note') ?? '').replace(/\r\n?/g, '\n').trim()
      const tooLong = Array.from(note).length > MAX_NOTE_CHARS
      return act(
        r,
        'close',
        (n) => (tooLong ? Promise.reject(new InputError(`备注 ${Array.from(note).length} 字，最多 ${MAX_NOTE_CHARS} 字`)) : deps.requests().close(n, r.user, note || undefined)),
        (x) => `已结单 ${x.number}，已请居民打分。`,
      )
    }),
  ]
}
