import { TOPICS } from '../announce/topics.js'
import { toLocalDate } from '../core/shanghai-time.js'
import type { HttpRoute } from '../core/skill.js'
import { barChart } from './bar-chart.js'
import { htmlResponse, type ConsoleDeps, type StaffHandler } from './console-context.js'
import { h } from './html.js'
import { page } from './layout.js'

type Guard = (method: 'GET' | 'POST', path: string, handler: StaffHandler) => HttpRoute

/** The Asia/Shanghai day `days` before `now`, as YYYY-MM-DD. */
export function shanghaiDay(now: Date, daysBack = 0): string {
  const { year, month, day } = toLocalDate(new Date(now.getTime() - daysBack * 86_400_000))
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

const INTENTS: Record<string, string> = { plan: '方案', department: '分工', event: '活动', fraud: '防诈骗', help: '帮助', region: '设地区', more: '更多', settings: '设置', subscribe: '订阅', admin: '管理', none: '没答上', kepu: '科普知识', venue: '场馆', request: '志愿服务', alert: '应急', feedback: '反馈' }

/** 概览: questions per day and region in the last 14 days, share answered, top intents, residents' 有用/没用 per day, subscribers per topic. */
export function overviewRoutes(deps: ConsoleDeps, guard: Guard): HttpRoute[] {
  return [
    guard('GET', '/admin/', async (r) => {
      const from = shanghaiDay(r.now, 13)
      const counts = await deps.store.questionCounts(from)
      const days = new Map<string, { all: number; answered: number }>()
      for (let i = 13; i >= 0; i--) days.set(shanghaiDay(r.now, i), { all: 0, answered: 0 })
      const regions = new Map<string, { all: number; answered: number }>()
      const intents = new Map<string, number>()
      let all = 0
      let answered = 0
      for (const c of counts) {
        const d = days.get(c.day)
        if (d) {
          d.all += c.count
          if (c.answered) d.answered += c.count
        }
        const reg = regions.get(c.region || '未知地区') ?? { all: 0, answered: 0 }
        reg.all += c.count
        if (c.answered) reg.answered += c.count
        regions.set(c.region || '未知地区', reg)
        intents.set(c.intent, (intents.get(c.intent) ?? 0) + c.count)
        all += c.count
        if (c.answered) answered += c.count
      }
      // Residents' verdicts on answers (the feedback skill): 有用 is the dark part of each day's bar.
      const verdicts = new Map<string, { all: number; useful: number }>()
      for (const day of days.keys()) verdicts.set(day, { all: 0, useful: 0 })
      let useful = 0
      let useless = 0
      for (const f of await deps.data.feedbackCounts(from)) {
        const v = verdicts.get(f.day)
        if (v) {
          v.all += f.count
          if (f.verdict === 'useful') v.useful += f.count
        }
        if (f.verdict === 'useful') useful += f.count
        else useless += f.count
      }
      const subscribers = await Promise.all(TOPICS.map(async (t) => ({ label: t.label, value: (await deps.data.subscribers(t.id)).length })))
      const share = all ? Math.round((answered / all) * 100) : 0
      return htmlResponse(
        page(
          { title: '概览', path: '/admin/', user: r.user, csrf: r.csrf },
          h`<p class="card">近 14 天共 <strong>${all}</strong> 个问题，答上了 <strong>${share}%</strong>。</p>
${barChart('每天的问题数（近 14 天）', [...days].map(([day, v]) => ({ label: day.slice(5), value: v.all, part: v.answered })), { partLabel: '答上的' })}
${barChart('各地区的问题数', [...regions].sort((a, b) => b[1].all - a[1].all).map(([label, v]) => ({ label, value: v.all, part: v.answered })), { partLabel: '答上的' })}
${barChart('问得最多的类别', [...intents].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => ({ label: INTENTS[k] ?? k, value: v })))}
<p class="card">近 14 天居民对回答的反馈：有用 <strong>${useful}</strong> 次，没用 <strong>${useless}</strong> 次（没用的问题和回答在「未回答」里）。</p>
${barChart('每天的反馈（近 14 天）', [...verdicts].map(([day, v]) => ({ label: day.slice(5), value: v.all, part: v.useful })), { partLabel: '有用' })}
${barChart('各订阅的人数', subscribers)}`,
        ),
      )
    }),
  ]
}
