import { AUDIENCES } from '../calendar/observance-schema.js'
import type { LocalEvent } from '../calendar/event-schema.js'
import type { HttpRoute } from '../core/skill.js'
import type { StaffEventRow } from '../store/console-store.js'
import { audit, htmlResponse, redirect, type ConsoleDeps, type StaffHandler } from './console-context.js'
import { h, type SafeHtml } from './html.js'
import { csrfField, page } from './layout.js'
import { eventFromForm, eventsYaml, newEventId, syncStoredEvents } from './staff-events.js'

type Guard = (method: 'GET' | 'POST', path: string, handler: StaffHandler) => HttpRoute

/** 活动: list, add, edit, cancel the events staff keep; export them as YAML. */
export function eventRoutes(deps: ConsoleDeps, guard: Guard): HttpRoute[] {
  const sync = () => syncStoredEvents(deps.store, deps.calendar())

  function form(csrf: string, row?: StaffEventRow, values?: URLSearchParams): SafeHtml {
    const e = row ? (JSON.parse(row.event) as LocalEvent) : undefined
    const v = (name: string, fallback = '') => values?.get(name) ?? fallback
    const region = v('region', row?.region ?? '')
    const audiences = values ? values.getAll('audiences') : (e?.audiences ?? [])
    return h`<form method="post" action="/admin/events/save" class="card">${csrfField(csrf)}
${row ? h`<input type="hidden" name="id" value="${row.id}">` : ''}
<label for="ev-region">地区</label>
<select id="ev-region" name="region" required>${deps.regions().map((r) => h`<option${r === region ? h` selected` : ''}>${r}</option>`)}</select>
<label for="ev-title">活动名称</label><input type="text" id="ev-title" name="title" required maxlength="60" value="${v('title', e?.title)}">
<label for="ev-start">开始时间（北京时间）</label><input type="datetime-local" id="ev-start" name="start" required value="${v('start', e?.start)}">
<label for="ev-end">结束时间（北京时间）</label><input type="datetime-local" id="ev-end" name="end" required value="${v('end', e?.end)}">
<label for="ev-place">地点（场馆）</label><input type="text" id="ev-place" name="place" required value="${v('place', e?.place)}">
<label for="ev-organiser">主办单位</label><input type="text" id="ev-organiser" name="organiser" required value="${v('organiser', e?.organiser)}">
<fieldset><legend>适合人群（可多选）</legend>${AUDIENCES.map((a, i) => h`<label for="ev-aud-${i}"><input type="checkbox" id="ev-aud-${i}" name="audiences" value="${a}"${audiences.includes(a) ? h` checked` : ''}> ${a}</label>`)}</fieldset>
<label for="ev-signup">报名方式</label><input type="text" id="ev-signup" name="signup" value="${v('signup', e?.signup ?? '无需报名')}">
<label for="ev-summary">简介（120 字以内，可不填）</label><textarea id="ev-summary" name="summary" maxlength="120">${v('summary', e?.summary ?? '')}</textarea>
<button type="submit">${row ? '保存修改' : '添加活动'}</button> ${row ? h`<a class="button" href="/admin/events">返回</a>` : ''}
</form>`
  }

  function list(rows: StaffEventRow[], csrf: string): SafeHtml {
    if (!rows.length) return h`<p class="muted">还没有在管理台添加的活动。</p>`
    return h`<table><caption class="muted">管理台添加的活动（内容文件里的活动另计）</caption><thead><tr><th scope="col">活动</th><th scope="col">地区</th><th scope="col">时间</th><th scope="col">状态</th><th scope="col">操作</th></tr></thead><tbody>
${rows.map((r) => {
  const e = JSON.parse(r.event) as LocalEvent
  return h`<tr><td>${e.title}<br><span class="muted">${e.place} · ${e.audiences.join('、')}</span></td><td>${r.region}</td><td>${e.start.replace('T', ' ')}<br>至 ${e.end.replace('T', ' ')}</td><td>${r.status === 'active' ? '有效' : '已取消'}</td>
<td>${r.status === 'active' ? h`<a href="/admin/events/edit?id=${r.id}">修改</a>
<form class="inline" method="post" action="/admin/events/cancel">${csrfField(csrf)}<input type="hidden" name="id" value="${r.id}"><button class="danger" type="submit" aria-label="${`取消活动：${e.title}`}">取消</button></form>` : ''}</td></tr>`
})}</tbody></table>`
  }

  return [
    guard('GET', '/admin/events', async (r) => {
      const rows = await deps.store.listStaffEvents()
      const fromFiles = deps.calendar().events.filter((e) => !e.id.startsWith('staff-')).length
      return htmlResponse(
        page(
          { title: '活动', path: '/admin/events', user: r.user, csrf: r.csrf, notice: r.req.query.get('notice') ?? undefined, error: r.req.query.get('error') ?? undefined },
          h`<p>在这里添加的活动立即生效：居民问「这周末有什么活动」时就会答到，不用改文件、不用重启。内容文件里另有 ${fromFiles} 个活动。</p>
<p><a href="/admin/events.yaml">导出为 YAML</a></p>
${list(rows, r.csrf)}
<h2>添加活动</h2>${form(r.csrf)}`,
        ),
      )
    }),
    guard('GET', '/admin/events/edit', async (r) => {
      const row = await deps.store.getStaffEvent(Number(r.req.query.get('id')))
      if (!row) return redirect('/admin/events', { error: '没有这个活动' })
      return htmlResponse(page({ title: '修改活动', path: '/admin/events', user: r.user, csrf: r.csrf }, form(r.csrf, row)))
    }),
    guard('POST', '/admin/events/save', async (r) => {
      const id = r.form.get('id')
      const existing = id ? await deps.store.getStaffEvent(Number(id)) : undefined
      if (id && !existing) return redirect('/admin/events', { error: '没有这个活动' })
      const parsed = eventFromForm(r.form, deps.regions(), existing?.eventId ?? newEventId())
      if ('errors' in parsed) {
        return htmlResponse(page({ title: existing ? '修改活动' : '活动', path: '/admin/events', user: r.user, csrf: r.csrf, error: `没有保存：${parsed.errors.join('；')}` }, form(r.csrf, existing, r.form)), 400)
      }
      const event = JSON.stringify(parsed.event)
      if (existing) {
        await deps.store.updateStaffEvent(existing.id, { event, region: parsed.region }, r.now)
        await audit(deps, r, 'event.edit', existing.eventId, { region: existing.region, ...JSON.parse(existing.event) }, { region: parsed.region, ...parsed.event })
      } else {
        const row = await deps.store.addStaffEvent({ eventId: parsed.event.id, region: parsed.region, event, createdBy: r.user }, r.now)
        await audit(deps, r, 'event.add', row.eventId, undefined, { region: parsed.region, ...parsed.event })
      }
      await sync()
      return redirect('/admin/events', { notice: `已保存：${parsed.event.title}` })
    }),
    guard('POST', '/admin/events/cancel', async (r) => {
      const row = await deps.store.getStaffEvent(Number(r.form.get('id')))
      if (!row || row.status !== 'active') return redirect('/admin/events', { error: '没有这个活动，或已取消' })
      await deps.store.updateStaffEvent(row.id, { status: 'cancelled' }, r.now)
      await audit(deps, r, 'event.cancel', row.eventId, { status: 'active' }, { status: 'cancelled' })
      await sync()
      return redirect('/admin/events', { notice: `已取消：${(JSON.parse(row.event) as LocalEvent).title}` })
    }),
    guard('GET', '/admin/events.yaml', async () => ({
      status: 200,
      headers: { 'content-type': 'text/yaml; charset=utf-8', 'content-disposition': 'attachment; filename="events-console.yaml"' },
      body: eventsYaml(await deps.store.listStaffEvents()),
    })),
  ]
}
