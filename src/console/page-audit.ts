import type { HttpRoute } from '../core/skill.js'
import { htmlResponse, type ConsoleDeps, type StaffHandler } from './console-context.js'
import { h, shanghaiTime } from './html.js'
import { page } from './layout.js'

/** The actions in words staff read (the code stays in the store and in tests). */
const ACTIONS: Record<string, string> = {
  login: '登录',
  'event.add': '添加活动',
  'event.edit': '修改活动',
  'event.cancel': '取消活动',
  'draft.add': '起草公告',
  'draft.approve': '批准公告',
  'draft.approve-alone': '单人批准公告',
  'draft.cancel': '取消公告',
  'unanswered.handle': '未回答标为已处理',
  'handoff.reply': '人工回复',
  'handoff.close': '结束人工',
  'alert.send': '发应急提醒',
  'request.assign': '服务单派单',
  'request.schedule': '服务单排期',
  'request.close': '服务单结单',
}

type Guard = (method: 'GET' | 'POST', path: string, handler: StaffHandler) => HttpRoute

/** 操作记录: the last 200 staff actions, who, what, when, before → after. */
export function auditRoutes(deps: ConsoleDeps, guard: Guard): HttpRoute[] {
  return [
    guard('GET', '/admin/audit', async (r) => {
      const entries = await deps.store.auditLog(200)
      return htmlResponse(
        page(
          { title: '操作记录', path: '/admin/audit', user: r.user, csrf: r.csrf },
          h`<table><thead><tr><th scope="col">时间</th><th scope="col">谁</th><th scope="col">做了什么</th><th scope="col">对象</th><th scope="col">之前 → 之后</th></tr></thead><tbody>
${entries.map((e) => h`<tr><td>${shanghaiTime(e.at)}</td><td>${e.actor}</td><td>${ACTIONS[e.action] ?? e.action}<br><span class="muted">${e.action}</span></td><td>${e.subject}</td><td><code>${e.before ?? '—'}</code> → <code>${e.after ?? '—'}</code></td></tr>`)}
</tbody></table>`,
        ),
      )
    }),
  ]
}
