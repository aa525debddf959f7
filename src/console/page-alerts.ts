import { createHash } from 'node:crypto'
import { MAX_ALERT_CHARS, type AlertDraft, type AlertTemplate } from '../alerts/alert-service.js'
import { HAZARDS } from '../alerts/hazards.js'
import { InputError, KepuError } from '../core/errors.js'
import type { HttpResponse, HttpRoute } from '../core/skill.js'
import type { DeliveryReport, Firing } from '../store/async-store.js'
import { newSecret } from './auth.js'
import { audit, htmlResponse, redirect, type ConsoleDeps, type StaffHandler, type StaffRequest } from './console-context.js'
import { h, shanghaiTime, type SafeHtml } from './html.js'
import { csrfField, page } from './layout.js'

type Guard = (method: 'GET' | 'POST', path: string, handler: StaffHandler) => HttpRoute

/** How far back the delivery table looks. */
const RECENT_MS = 7 * 86_400_000
/** The reload interval of the live delivery table (a meta refresh: the CSP allows no script). */
export const LIVE_REFRESH_S = 5
/** How long a confirmation's nonce is remembered as sent: a second 「确认发送」 of the same preview sends nothing. */
const SENT_TTL_MS = 86_400_000
const NONCE = /^[A-Za-z0-9_-]{20,64}$/
const sentKey = (nonce: string) => `console:alert-sent:${nonce}`

/** A short fingerprint of the message the confirmation showed: what is sent must be exactly that. */
export function messageDigest(message: string): string {
  return createHash('sha256').update(message).digest('base64url').slice(0, 22)
}

/** Line breaks as typed in a textarea (CRLF) become the \n the template joins with. */
const textOf = (form: URLSearchParams) => (form.get('text') ?? '').replace(/\r\n?/g, '\n')

/**
 * 应急: staff choose a region and a hazard, adjust the text the hazard's template starts with, see the exact
 * message and the number of recipients, and confirm; the alert is queued through the same service as
 * `/alert` in chat (delivered before queued announcements). The delivery table of recent alerts reloads
 * itself while messages are still queued, once staff asked for it (after a send, or by the link).
 */
export function alertRoutes(deps: ConsoleDeps, guard: Guard): HttpRoute[] {
  const log = deps.logger.child({ module: 'console' })
  /** Nonces being sent now: a double click sends once even before the first send is recorded. */
  const sending = new Set<string>()

  function messages(r: StaffRequest, error?: string) {
    return { user: r.user, csrf: r.csrf, notice: r.req.query.get('notice') ?? undefined, error: error ?? r.req.query.get('error') ?? undefined }
  }

  function deliveryTable(reports: DeliveryReport[]): SafeHtml {
    if (!reports.length) return h`<p class="muted">近 7 天没有发过应急提醒。</p>`
    return h`<table><caption class="muted">每条提醒发给多少个聊天，现在各是什么情况</caption><thead><tr><th scope="col">批次</th><th scope="col">提醒</th><th scope="col">发出时间</th><th scope="col">共</th><th scope="col">已发送</th><th scope="col">排队中</th><th scope="col">失败</th><th scope="col">不确定</th><th scope="col">已屏蔽</th><th scope="col">已取消</th></tr></thead><tbody>${reports.map(
      (x) =>
        h`<tr data-testid="alert-${x.firingId}"><td>#${x.firingId}</td><td>${x.name}</td><td>${shanghaiTime(x.fireAt)}</td><td>${x.total}</td><td>${x.sent}</td><td>${x.pending + x.sending}</td><td>${x.failed}</td><td>${x.inDoubt}</td><td>${x.blocked}</td><td>${x.cancelled}</td></tr>`,
    )}</tbody></table>`
  }

  function chooseForm(region?: string, hazard?: string): SafeHtml {
    return h`<form method="get" action="/admin/alerts/new" class="card">
<label for="al-region">地区</label><select id="al-region" name="region" required>${deps.regions().map((x) => h`<option${x === region ? h` selected` : ''}>${x}</option>`)}</select>
<label for="al-hazard">灾种</label><select id="al-hazard" name="hazard" required>${HAZARDS.map((x) => h`<option${x.name === hazard ? h` selected` : ''}>${x.name}</option>`)}</select>
<button type="submit">下一步：填写内容</button> <a class="button" href="/admin/alerts">返回</a></form>`
  }

  /** The template around a textarea holding what staff write (the hazard's starter text at first). */
  function writeForm(t: AlertTemplate, csrf: string, text: string): SafeHtml {
    const change = `/admin/alerts/new?${new URLSearchParams({ region: t.region, hazard: t.hazard.name, change: '1' })}`
    return h`<p>地区：<strong>${t.region}</strong>，灾种：<strong>${t.hazard.name}</strong>（<a href="${change}">改选</a>）</p>
<form method="post" action="/admin/alerts/preview" class="card">${csrfField(csrf)}<input type="hidden" name="region" value="${t.region}"><input type="hidden" name="hazard" value="${t.hazard.name}">
<p>居民收到的消息由三部分组成，只有中间一段由您填写：</p>
<pre class="preview" data-testid="template-before">${t.before}</pre>
<label for="al-text">提醒内容（最多 ${MAX_ALERT_CHARS} 字：发生了什么、影响哪里、什么时间；把「××」换成实际内容）</label>
<textarea id="al-text" name="text" required rows="5" maxlength="${MAX_ALERT_CHARS}">${text}</textarea>
<pre class="preview" data-testid="template-after">${t.after}</pre>
<button type="submit">预览</button></form>`
  }

  /** Step 2 again with an error, keeping what was typed; step 1 when the region or hazard is the problem. */
  function writeAgain(r: StaffRequest, region: string, hazard: string, text: string, error: string): HttpResponse {
    let t: AlertTemplate
    try {
      t = deps.alerts().template(region, hazard)
    } catch {
      return htmlResponse(page({ title: '发应急提醒', path: '/admin/alerts', ...messages(r, error) }, chooseForm()), 400)
    }
    return htmlResponse(page({ title: '发应急提醒', path: '/admin/alerts', ...messages(r, error) }, writeForm(t, r.csrf, text)), 400)
  }

  function confirmPage(r: StaffRequest, d: AlertDraft, error?: string, status = 200): HttpResponse {
    const who = d.recipients
      ? h`将发给${d.region}订阅了「应急提醒」的 <strong data-testid="recipients">${d.recipients}</strong> 个聊天，排在所有排队的公告之前。`
      : h`${d.region}现在还没有人订阅「应急提醒」（<strong data-testid="recipients">0</strong> 个聊天），发出后不会有人收到。`
    const back = h`<form method="get" action="/admin/alerts/new" class="inline"><input type="hidden" name="region" value="${d.region}"><input type="hidden" name="hazard" value="${d.hazard.name}"><input type="hidden" name="text" value="${d.text}"><button class="secondary" type="submit">返回修改</button></form>`
    return htmlResponse(
      page(
        { title: '确认发送应急提醒', path: '/admin/alerts', ...messages(r, error) },
        h`<p>${who}</p><p>居民收到的消息（和下面一字不差）：</p>
<pre class="preview" data-testid="alert-message">${d.message}</pre>
<form method="post" action="/admin/alerts/send" class="inline">${csrfField(r.csrf)}<input type="hidden" name="region" value="${d.region}"><input type="hidden" name="hazard" value="${d.hazard.name}"><input type="hidden" name="text" value="${d.text}"><input type="hidden" name="digest" value="${messageDigest(d.message)}"><input type="hidden" name="nonce" value="${newSecret()}"><button class="danger" type="submit">确认发送</button></form>
${back}`,
      ),
      status,
    )
  }

  /** The form's alert composed again, or the page that says what is wrong with it. */
  async function draftOf(r: StaffRequest): Promise<AlertDraft | HttpResponse> {
    const region = r.form.get('region') ?? ''
    const hazard = r.form.get('hazard') ?? ''
    const text = textOf(r.form)
    try {
      return await deps.alerts().preview(region, hazard, text)
    } catch (err) {
      if (err instanceof InputError) return writeAgain(r, region, hazard, text, `没有发出：${err.message}`)
      throw err
    }
  }

  return [
    guard('GET', '/admin/alerts', async (r) => {
      const reports = await deps.alerts().recent(new Date(r.now.getTime() - RECENT_MS))
      const pending = reports.some((x) => x.pending + x.sending > 0)
      const live = r.req.query.get('live') === '1'
      const state = !pending
        ? ''
        : live
          ? h`<p role="status">还有消息在排队，本页每 ${LIVE_REFRESH_S} 秒自动刷新一次。<a href="/admin/alerts">停止自动刷新</a></p>`
          : h`<p>还有消息在排队。<a href="/admin/alerts?live=1">每 ${LIVE_REFRESH_S} 秒自动刷新</a>，或稍后刷新本页。</p>`
      return htmlResponse(
        page(
          { title: '应急提醒', path: '/admin/alerts', ...messages(r), refreshSeconds: live && pending ? LIVE_REFRESH_S : undefined },
          h`<p>向一个地区订阅了「应急提醒」的居民发提醒：先预览，确认后才发出，排在所有排队的公告之前。和聊天里的 <code>/alert</code> 是同一个模板、同一个发送队列。</p>
<p><a class="button" href="/admin/alerts/new">发一条应急提醒</a></p>
<h2 id="deliveries">近 7 天的应急提醒和发送情况</h2>${state}${deliveryTable(reports)}`,
        ),
      )
    }),
    guard('GET', '/admin/alerts/new', async (r) => {
      const q = r.req.query
      const region = q.get('region') ?? ''
      const hazard = q.get('hazard') ?? ''
      if (!region || !hazard || q.get('change') === '1') {
        return htmlResponse(page({ title: '发应急提醒', path: '/admin/alerts', ...messages(r) }, h`<p>第一步：选地区和灾种。下一步会按灾种填好一段草稿，您改成实际情况。</p>${chooseForm(region, hazard)}`))
      }
      let t: AlertTemplate
      try {
        t = deps.alerts().template(region, hazard)
      } catch (err) {
        if (!(err instanceof InputError)) throw err
        return htmlResponse(page({ title: '发应急提醒', path: '/admin/alerts', ...messages(r, err.message) }, chooseForm()), 400)
      }
      const text = q.has('text') ? (q.get('text') ?? '') : t.starter
      return htmlResponse(page({ title: '发应急提醒', path: '/admin/alerts', ...messages(r) }, writeForm(t, r.csrf, text)))
    }),
    guard('POST', '/admin/alerts/preview', async (r) => {
      const d = await draftOf(r)
      return 'status' in d ? d : confirmPage(r, d)
    }),
    guard('POST', '/admin/alerts/send', async (r) => {
      const nonce = r.form.get('nonce') ?? ''
      if (!NONCE.test(nonce)) return redirect('/admin/alerts', { error: '这个确认页已失效，请重新预览后再发送。' })
      const sentBefore = sending.has(nonce) ? 'sending' : await deps.data.getValue(sentKey(nonce), r.now)
      if (sentBefore) return redirect('/admin/alerts#deliveries', { error: `这条提醒已经发出过了${sentBefore === 'sending' ? '' : `（批次 #${sentBefore}）`}，没有再发一次。` })
      const d = await draftOf(r)
      if ('status' in d) return d
      // The cards behind the key steps may have changed since the preview: send only what staff saw.
      if (r.form.get('digest') !== messageDigest(d.message)) return confirmPage(r, d, '消息内容和预览时不一样了（防范要点有更新），请再核对一次。', 409)
      sending.add(nonce)
      try {
        let firing: Firing
        try {
          firing = await deps.alerts().send(d, r.user)
        } catch (err) {
          if (!(err instanceof KepuError)) throw err
          log.warn({ code: err.code }, 'console: alert not queued')
          return confirmPage(r, d, `没有发出（${err.code}），请稍后再试。`, 503)
        }
        await deps.data.setValue(sentKey(nonce), String(firing.id), r.now, SENT_TTL_MS)
        await audit(deps, r, 'alert.send', `alert:${firing.id}`, undefined, { region: d.region, hazard: d.hazard.name, text: d.text, recipients: firing.recipients })
        log.info({ firing: firing.id, region: d.region, hazard: d.hazard.name, recipients: firing.recipients, by: r.user }, 'console: alert queued')
        return redirect('/admin/alerts?live=1#deliveries', { notice: `已排队发给${d.region} ${firing.recipients} 个聊天（批次 #${firing.id}），排在所有公告之前。` })
      } finally {
        sending.delete(nonce)
      }
    }),
  ]
}
