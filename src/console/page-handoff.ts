import type { HttpRoute } from '../core/skill.js'
import type { HandoffThread } from '../store/console-store.js'
import { audit, htmlResponse, redirect, type ConsoleDeps, type StaffHandler } from './console-context.js'
import { h, shanghaiTime, type SafeHtml } from './html.js'
import { csrfField, page } from './layout.js'

type Guard = (method: 'GET' | 'POST', path: string, handler: StaffHandler) => HttpRoute

/** What the resident sees before a staff reply. */
export const STAFF_PREFIX = '【工作人员】'

/** 人工: residents who asked for a person (「转人工」); a reply typed here reaches them through their platform. */
export function handoffRoutes(deps: ConsoleDeps, guard: Guard): HttpRoute[] {
  async function thread(t: HandoffThread, csrf: string): Promise<SafeHtml> {
    const messages = await deps.store.handoffMessages(t.id)
    return h`<section class="card" aria-labelledby="thread-${t.id}"><h2 id="thread-${t.id}">${t.userKey}（${t.channel}）</h2>
<p class="muted">开始于 ${shanghaiTime(t.openedAt)}，最近 ${shanghaiTime(t.updatedAt)}</p>
<ol class="messages">${messages.map((m) => h`<li><strong>${m.fromStaff ? `工作人员 ${m.author}` : '居民'}</strong> <span class="muted">${shanghaiTime(m.at)}</span><br>${m.text}</li>`)}</ol>
${t.status === 'open'
  ? h`<form method="post" action="/admin/handoff/reply">${csrfField(csrf)}<input type="hidden" name="id" value="${t.id}">
<label for="reply-${t.id}">回复（居民在自己的聊天里收到）</label><textarea id="reply-${t.id}" name="text" required maxlength="1000" rows="3"></textarea>
<button type="submit">发送</button></form>
<form class="inline" method="post" action="/admin/handoff/close">${csrfField(csrf)}<input type="hidden" name="id" value="${t.id}"><button class="secondary" type="submit">结束人工，交还机器人</button></form>`
  : ''}</section>`
  }

  return [
    guard('GET', '/admin/handoff', async (r) => {
      const closed = r.req.query.get('closed') === '1'
      const threads = await deps.store.listHandoffs(closed ? 'closed' : 'open')
      const body = threads.length ? h`${await Promise.all(threads.map((t) => thread(t, r.csrf)))}` : h`<p class="muted">${closed ? '没有已结束的对话。' : '现在没有等待人工的居民。'}</p>`
      return htmlResponse(
        page(
          { title: '人工', path: '/admin/handoff', user: r.user, csrf: r.csrf, notice: r.req.query.get('notice') ?? undefined, error: r.req.query.get('error') ?? undefined },
          h`<p>居民发「转人工」后，之后说的话都转到这里，机器人不再回答，直到居民发「结束人工」、您点「结束人工」，或一天没有新消息。</p>
<p>${closed ? h`<a href="/admin/handoff">看等待中的</a>` : h`<a href="/admin/handoff?closed=1">看已结束的</a>`}</p>${body}`,
        ),
      )
    }),
    guard('POST', '/admin/handoff/reply', async (r) => {
      const t = await deps.store.getHandoff(Number(r.form.get('id')))
      const text = (r.form.get('text') ?? '').replace(/\r\n?/g, '\n').trim()
      if (!t || t.status !== 'open') return redirect('/admin/handoff', { error: '这个对话已经结束' })
      if (!text) return redirect('/admin/handoff', { error: '回复不能为空' })
      const adapter = deps.adapters()?.get(t.channel)
      if (!adapter) return redirect('/admin/handoff', { error: `${t.channel} 现在没有连接，回复没有发出` })
      try {
        await adapter.send({ chatId: t.chatId, text: `${STAFF_PREFIX}${text}` })
      } catch {
        return redirect('/admin/handoff', { error: '发送失败，请稍后再试' })
      }
      await deps.store.addHandoffMessage(t.id, { fromStaff: true, author: r.user, text, at: r.now })
      await audit(deps, r, 'handoff.reply', t.userKey, undefined, { text })
      return redirect(`/admin/handoff#thread-${t.id}`, { notice: '已发送' })
    }),
    guard('POST', '/admin/handoff/close', async (r) => {
      const t = await deps.store.getHandoff(Number(r.form.get('id')))
      if (!t || !(await deps.store.closeHandoff(t.id, r.now))) return redirect('/admin/handoff', { error: '这个对话已经结束' })
      await deps.adapters()?.get(t.channel)?.send({ chatId: t.chatId, text: `${STAFF_PREFIX}本次人工服务已结束，您可以继续问机器人问题。` }).catch(() => undefined)
      await audit(deps, r, 'handoff.close', t.userKey, { status: 'open' }, { status: 'closed' })
      return redirect('/admin/handoff', { notice: '已结束，居民回到机器人' })
    }),
  ]
}
