import { normaliseQuestion } from '../announce/unanswered-recorder.js'
import { groupUnanswered, type UnansweredGroup } from '../announce/unanswered-report.js'
import type { HttpRoute } from '../core/skill.js'
import { audit, htmlResponse, redirect, type ConsoleDeps, type StaffHandler } from './console-context.js'
import { h, shanghaiTime, type SafeHtml } from './html.js'
import { csrfField, page } from './layout.js'

type Guard = (method: 'GET' | 'POST', path: string, handler: StaffHandler) => HttpRoute

/** A row's two ways to answer it next time (page-content.ts): forms opened for the question, prefilled from it. */
function addLinks(key: string, text: string): SafeHtml {
  const q = new URLSearchParams({ key }).toString()
  return h`<a href="/admin/content/card?${q}" aria-label="${`添加知识卡片：${text}`}">添加知识卡片</a><br><a href="/admin/content/synonym?${q}" aria-label="${`添加同义词：${text}`}">添加同义词</a><br>`
}

/**
 * What the residents who pressed 「没用」 were shown, and what they said (newest first), collapsed under the
 * question: it tells staff what the answer was missing, which the question alone does not. The answer is the
 * bot's own text and the comment was cleaned of phones and links when stored; both are escaped here all the same.
 */
function unhelpfulDetails(list: NonNullable<UnansweredGroup['unhelpful']>): SafeHtml {
  return h`<details class="unhelpful"><summary>居民说没用的回答（${list.length}）</summary><ol class="unhelpful">${list.map(
    (u) => h`<li><p class="muted">${shanghaiTime(u.at)}</p><p><strong>机器人的回答：</strong>${u.answer}</p>${u.comment ? h`<p><strong>居民说：</strong>${u.comment}</p>` : h`<p class="muted">（居民没有留言）</p>`}</li>`,
  )}</ol></details>`
}

/**
 * 未回答: the last 30 days' unanswered questions (and answers residents called 没用, with what they were shown)
 * grouped, ranked by distinct residents; per row, add a knowledge
 * card or a synonym for it (page-content.ts, live at once, marking it handled in the same step) or mark it handled.
 */
export function unansweredRoutes(deps: ConsoleDeps, guard: Guard): HttpRoute[] {
  return [
    guard('GET', '/admin/unanswered', async (r) => {
      const groups = groupUnanswered(await deps.data.unansweredSince(new Date(r.now.getTime() - 30 * 86_400_000)))
      const handled = await deps.store.handled()
      const showAll = r.req.query.get('all') === '1'
      const rows = groups.map((g) => ({ g, key: normaliseQuestion(g.text), done: handled.get(normaliseQuestion(g.text)) })).filter((x) => showAll || !x.done)
      const body = rows.length
        ? h`<table class="unanswered"><thead><tr><th scope="col">问题</th><th scope="col">人数</th><th scope="col">次数</th><th scope="col">地区</th><th scope="col">最近</th><th scope="col">处理</th></tr></thead><tbody>
${rows.map(
  (x) => h`<tr><td>${x.g.text}${x.g.unhelpful?.length ? unhelpfulDetails(x.g.unhelpful) : ''}</td><td>${x.g.users}</td><td>${x.g.count}</td><td>${x.g.regions.join('、') || '—'}</td><td>${shanghaiTime(x.g.last).slice(0, 10)}</td>
<td>${x.done ? h`已处理（${x.done.by}）` : h`${addLinks(x.key, x.g.text)}<form method="post" action="/admin/unanswered/handle">${csrfField(r.csrf)}<input type="hidden" name="key" value="${x.key}"><input type="hidden" name="text" value="${x.g.text}"><button type="submit" aria-label="${`标为已处理：${x.g.text}`}">标为已处理</button></form>`}</td></tr>`,
)}</tbody></table>`
        : h`<p class="muted">近 30 天没有待处理的问题。</p>`
      return htmlResponse(
        page(
          { title: '未回答', path: '/admin/unanswered', user: r.user, csrf: r.csrf, notice: r.req.query.get('notice') ?? undefined },
          h`<p>居民问了、机器人没能回答的问题，以及居民说「没用」的回答（近 30 天），问的人最多的在前；点「居民说没用的回答」看机器人当时怎么答的、居民说了什么。点「添加知识卡片」或「添加同义词」直接补上（立即生效，可同时标为已处理），或补好后点「标为已处理」。链接、电话等个人信息已隐去。</p>
<p>${showAll ? h`<a href="/admin/unanswered">只看未处理的</a>` : h`<a href="/admin/unanswered?all=1">也显示已处理的</a>`}</p>${body}`,
        ),
      )
    }),
    guard('POST', '/admin/unanswered/handle', async (r) => {
      const key = (r.form.get('key') ?? '').trim()
      if (!key) return redirect('/admin/unanswered')
      await deps.store.markHandled(key, r.user, r.now)
      await audit(deps, r, 'unanswered.handle', key, { handled: false }, { handled: true, text: r.form.get('text') ?? '' })
      return redirect('/admin/unanswered', { notice: '已标为已处理' })
    }),
  ]
}
