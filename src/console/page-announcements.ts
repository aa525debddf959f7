import { parseCron } from '../announce/cron-schedule.js'
import { renderTemplate, validateTemplate } from '../announce/template.js'
import { TOPICS, topicById } from '../announce/topics.js'
import type { HttpRoute } from '../core/skill.js'
import type { AnnouncementDraft } from '../store/console-store.js'
import { audit, htmlResponse, redirect, type ConsoleDeps, type StaffHandler } from './console-context.js'
import { h, shanghaiTime, type SafeHtml } from './html.js'
import { csrfField, page } from './layout.js'

type Guard = (method: 'GET' | 'POST', path: string, handler: StaffHandler) => HttpRoute

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六']
const FREQUENCIES: { value: string; label: string }[] = [
  { value: 'daily', label: '每天' },
  ...WEEKDAYS.map((d, i) => ({ value: `weekly-${i}`, label: `每周${d}` })),
  { value: 'monthly', label: '每月 1 日' },
]
const STATUS: Record<string, string> = { draft: '待批准', approved: '已批准，按时发送', cancelled: '已取消' }

/** A cron expression (Asia/Shanghai) from the form's 「多久一次」 and 「几点」, or undefined when either is off. */
export function cronOf(frequency: string, time: string): string | undefined {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time.trim())
  if (!m) return undefined
  const [hour, minute] = [Number(m[1]), Number(m[2])]
  if (frequency === 'daily') return `${minute} ${hour} * * *`
  if (frequency === 'monthly') return `${minute} ${hour} 1 * *`
  const w = /^weekly-([0-6])$/.exec(frequency)
  return w ? `${minute} ${hour} * * ${w[1]}` : undefined
}

/** The cron expressions this page writes, said in Chinese. */
export function describeCron(cron: string | null): string {
  if (!cron) return '立即'
  const [minute, hour, dom, , dow] = cron.split(' ')
  const at = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`
  if (dom === '1') return `每月 1 日 ${at}`
  if (dow !== '*' && dow !== undefined) return `每周${WEEKDAYS[Number(dow)] ?? dow} ${at}`
  return `每天 ${at}`
}

function targetText(d: AnnouncementDraft): string {
  if (d.target.kind !== 'topic') return '指定的聊天'
  return `订阅「${topicById(d.target.topic)?.label ?? d.target.topic}」的居民${d.target.region ? `（${d.target.region}）` : ''}`
}

/** 公告: draft → preview → approval by a second admin (or the author with KEPU_APPROVALS=1) → scheduled; cancel; delivery reports. */
export function announcementRoutes(deps: ConsoleDeps, guard: Guard): HttpRoute[] {
  /** What a resident would receive if it were sent now (Telegram and WeChat show the same text). */
  function preview(d: AnnouncementDraft, now: Date): SafeHtml {
    const region = d.target.kind === 'topic' ? d.target.region : undefined
    const rendered = renderTemplate(d.template, deps.content(), { now, region })
    return h`<p>如果现在发送，${region ?? '各地区'}的居民在 Telegram、微信里看到：</p>${rendered.empty ? h`<p class="muted">（现在没有可发的内容，这一次不会发送）</p>` : h`<pre class="preview" data-testid="rendered">${rendered.text}</pre>`}`
  }

  function draftCard(d: AnnouncementDraft, user: string, csrf: string, now: Date): SafeHtml {
    const next = d.cron && d.status === 'approved' ? parseCron(d.cron).nextN(now, 3) : []
    const mayApprove = d.status === 'draft' && (d.createdBy !== user || deps.approvals < 2)
    return h`<section class="card" aria-labelledby="draft-${d.id}"><h2 id="draft-${d.id}">${d.name}</h2>
<p>状态：<strong>${STATUS[d.status] ?? d.status}</strong>${d.approvedBy ? h`（${d.approvedBy} 批准${d.selfApproved ? '，单人批准（KEPU_APPROVALS=1）' : ''}）` : ''}</p>
<p>发送对象：${targetText(d)}；时间：${describeCron(d.cron)}（北京时间）；起草：${d.createdBy}</p>
<p>模板（{…} 在每次发送时换成当时的内容）：</p><pre class="preview">${d.template}</pre>
${d.status === 'draft' ? preview(d, now) : ''}
${next.length ? h`<p>接下来发送：${next.map((t) => shanghaiTime(t)).join('；')}</p>` : ''}
${d.status === 'draft' && !mayApprove ? h`<p class="muted">需要另一位管理员批准后才会发送。</p>` : ''}
${mayApprove ? h`<form class="inline" method="post" action="/admin/announcements/approve">${csrfField(csrf)}<input type="hidden" name="id" value="${d.id}"><button type="submit">批准并排期</button></form>` : ''}
${d.status !== 'cancelled' ? h`<form class="inline" method="post" action="/admin/announcements/cancel">${csrfField(csrf)}<input type="hidden" name="id" value="${d.id}"><button class="danger" type="submit">${d.status === 'draft' ? '放弃草稿' : '停止发送'}</button></form>` : ''}
</section>`
  }

  function newForm(csrf: string, regions: string[]): SafeHtml {
    return h`<form method="post" action="/admin/announcements/draft" class="card">${csrfField(csrf)}
<label for="an-name">名称（只给工作人员看）</label><input type="text" id="an-name" name="name" required maxlength="40">
<label for="an-topic">发给哪个订阅</label><select id="an-topic" name="topic">${TOPICS.map((t) => h`<option value="${t.id}">${t.label}</option>`)}</select>
<label for="an-region">地区（不选：所有地区）</label><select id="an-region" name="region"><option value="">所有地区</option>${regions.map((r) => h`<option>${r}</option>`)}</select>
<label for="an-frequency">多久发一次</label><select id="an-frequency" name="frequency">${FREQUENCIES.map((f) => h`<option value="${f.value}">${f.label}</option>`)}</select>
<label for="an-time">几点（北京时间）</label><input type="text" id="an-time" name="time" inputmode="numeric" pattern="[0-2][0-9]:[0-5][0-9]" value="09:00" required>
<label for="an-template">内容（可换行；可用 {week_events} 本周活动、{next_observance} 下一个纪念日、{daily_kepu} 每日科普、{region} 地区名）</label>
<textarea id="an-template" name="template" required rows="6"></textarea>
<button type="submit">保存草稿并预览</button></form>`
  }

  return [
    guard('GET', '/admin/announcements', async (r) => {
      const drafts = await deps.store.listDrafts()
      const reports = await deps.data.reports(new Date(r.now.getTime() - 7 * 86_400_000))
      const reportTable = reports.length
        ? h`<table><thead><tr><th scope="col">公告</th><th scope="col">发送时间</th><th scope="col">共</th><th scope="col">已送达</th><th scope="col">排队</th><th scope="col">失败</th><th scope="col">已屏蔽</th></tr></thead><tbody>${reports.map(
            (x) => h`<tr><td>${x.name}</td><td>${shanghaiTime(x.fireAt)}</td><td>${x.total}</td><td>${x.sent}</td><td>${x.pending + x.sending}</td><td>${x.failed + x.inDoubt}</td><td>${x.blocked}</td></tr>`,
          )}</tbody></table>`
        : h`<p class="muted">近 7 天没有发送。</p>`
      return htmlResponse(
        page(
          { title: '公告', path: '/admin/announcements', user: r.user, csrf: r.csrf, notice: r.req.query.get('notice') ?? undefined, error: r.req.query.get('error') ?? undefined },
          h`<p>公告先存为草稿，${deps.approvals < 2 ? '起草人可以自己批准（本机设置为单人批准）' : '由另一位管理员批准后'}才按时发送。</p>
${drafts.filter((d) => d.status !== 'cancelled').map((d) => draftCard(d, r.user, r.csrf, r.now))}
<h2>新公告</h2>${newForm(r.csrf, deps.regions())}
<h2>近 7 天的发送情况</h2>${reportTable}`,
        ),
      )
    }),
    guard('POST', '/admin/announcements/draft', async (r) => {
      const name = (r.form.get('name') ?? '').trim()
      const topic = topicById(r.form.get('topic') ?? '')
      const region = (r.form.get('region') ?? '').trim()
      // Line breaks and full-width punctuation are kept exactly as typed.
      const template = (r.form.get('template') ?? '').replace(/\r\n?/g, '\n').trim()
      const cron = cronOf(r.form.get('frequency') ?? '', r.form.get('time') ?? '')
      const errors: string[] = []
      if (!name) errors.push('请填写名称')
      if (!topic) errors.push('请选择订阅')
      if (region && !deps.regions().includes(region)) errors.push('地区不认识')
      if (!cron) errors.push('时间请写成 09:00 这样')
      try {
        validateTemplate(template)
      } catch (err) {
        errors.push((err as Error).message)
      }
      if (errors.length || !topic || !cron) return redirect('/admin/announcements', { error: `没有保存：${errors.join('；')}` })
      const target = { kind: 'topic' as const, topic: topic.id, ...(region && topic.regional ? { region } : {}) }
      const d = await deps.store.addDraft({ name, cron, target, template, createdBy: r.user }, r.now)
      await audit(deps, r, 'draft.add', `draft:${d.id}`, undefined, { name, cron, target, template })
      return redirect(`/admin/announcements#draft-${d.id}`, { notice: `草稿已保存：${name}。请核对下面的预览。` })
    }),
    guard('POST', '/admin/announcements/approve', async (r) => {
      const d = await deps.store.getDraft(Number(r.form.get('id')))
      if (!d || d.status !== 'draft') return redirect('/admin/announcements', { error: '没有这份草稿，或已处理' })
      const self = d.createdBy === r.user
      if (self && deps.approvals >= 2) return redirect('/admin/announcements', { error: '起草人不能批准自己的公告：请另一位管理员批准' })
      const approved = await deps.store.approveDraft(d.id, r.user, self, r.now)
      if (!approved) return redirect('/admin/announcements', { error: '这份草稿刚被处理过' })
      const a = await deps.data.addAnnouncement({ name: d.name, cron: d.cron, target: d.target, template: d.template, createdBy: d.createdBy }, r.now)
      await deps.store.linkDraft(d.id, a.id)
      await audit(deps, r, self ? 'draft.approve-alone' : 'draft.approve', `draft:${d.id}`, { status: 'draft' }, { status: 'approved', announcement: a.id, selfApproved: self })
      return redirect('/admin/announcements', { notice: `已批准：${d.name}，${describeCron(d.cron)}发送` })
    }),
    guard('POST', '/admin/announcements/cancel', async (r) => {
      const d = await deps.store.getDraft(Number(r.form.get('id')))
      if (!d || d.status === 'cancelled') return redirect('/admin/announcements', { error: '没有这份公告，或已取消' })
      if (!(await deps.store.cancelDraft(d.id))) return redirect('/admin/announcements', { error: '这份公告刚被处理过' })
      if (d.announcementId !== undefined) await deps.data.removeAnnouncement(d.announcementId, r.now)
      await audit(deps, r, 'draft.cancel', `draft:${d.id}`, { status: d.status }, { status: 'cancelled' })
      return redirect('/admin/announcements', { notice: `已取消：${d.name}` })
    }),
  ]
}
