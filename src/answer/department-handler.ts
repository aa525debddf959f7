import type { Context, Handler, ReplyWithMore } from '../core/bot.js'
import type { KnowledgeBase } from '../search/knowledge-base.js'
import type { Action, Passage, Plan } from '../knowledge/plan.js'
import { foldText } from '../search/fold-text.js'
import { moreText, sourceLine, sourceRef } from './source-ref.js'

// Words every action name shares: what is left tells actions apart (青少年, 科普信息化 …).
const GENERIC = /实施|科学素质|提升|行动|工程|建设|强化|和公务员/gu
const TASK_ASK = /负责|牵头|管|任务|工作|干什么|做什么|职责|分工|承担|措施/u
const LEAD_ASK = /谁|哪个|哪些|什么部门|什么单位|牵头|负责|归.{0,6}管|主管/u

/** The action a question names, with how sure the match is (0–1). */
export function matchAction(question: string, actions: readonly Action[]): { action: Action; score: number } | undefined {
  const q = foldText(question)
  let best: { action: Action; score: number } | undefined
  for (const action of actions) {
    // Plan text is already simplified and NFKC-clean: only the question needs folding.
    const key = action.name.replace(GENERIC, '')
    if (key.length < 2) continue
    let score: number
    if (q.includes(key)) score = 1
    else {
      const grams = bigrams(key)
      score = grams.filter((g) => q.includes(g)).length / grams.length
    }
    if (!/行动|工程/u.test(q)) score *= 0.8
    if (!best || score > best.score) best = { action, score }
  }
  return best && best.score >= 0.6 ? best : undefined
}

/**
 * Lead-unit questions: 「老年人科学素质提升行动由哪个部门牵头」 names the action's lead units;
 * 「市科协牵头哪些任务」「神木市教体局负责什么」 lists a unit's tasks in that region.
 * Other questions pass to the plan search.
 */
export function createDepartmentHandler(kb: KnowledgeBase): Handler {
  /** The question being answered, remembered with the answer for follow-ups. */
  let question = ''
  return async (ctx, next) => {
    if (!ctx.text || !TASK_ASK.test(ctx.text)) return next()
    question = ctx.text
    const plans = ctx.region ? [kb.planOf(ctx.region.name)].filter((p): p is Plan => !!p) : kb.plans
    const asksTasks = /哪些(任务|工作|事|措施|内容)|什么(任务|工作|事|措施|内容)|负责什么|管什么|干什么|做什么|职责|具体(做|干|内容)/u.test(ctx.text)
    const unit = findUnit(ctx.text, plans)
    if (unit && (asksTasks || !matchAnyAction(ctx, plans))) return unitAnswer(unit.name, unit.plans)
    if (!LEAD_ASK.test(ctx.text)) return next()
    if (asksTasks) {
      const own = plans.length === 1 ? matchAction(ctx.text, plans[0]!.actions) : undefined
      if (own) return actionTasks(plans[0]!, own.action)
    }
    const matches = plans.flatMap((plan) => {
      const m = matchAction(ctx.text, plan.actions)
      return m && m.action.leads.length ? [{ plan, ...m }] : []
    })
    if (!matches.length) return next()
    const top = Math.max(...matches.map((m) => m.score))
    const chosen = matches.filter((m) => m.score >= top)
    return leadAnswer(chosen.map(({ plan, action }) => ({ plan, action })))
  }

  function matchAnyAction(ctx: Context, plans: Plan[]): boolean {
    return plans.some((p) => matchAction(ctx.text, p.actions))
  }

  function leadAnswer(found: { plan: Plan; action: Action }[]): ReplyWithMore {
    const first = found[0]!
    const passageOf = (f: { plan: Plan; action: Action }): Passage | undefined => f.plan.passages.find((p) => p.action === f.action.name)
    const sources = found.flatMap((f) => {
      const p = passageOf(f)
      return p ? [{ ...sourceRef(p, f.plan), ref: f.action.ref || p.ref, title: f.action.name }] : []
    })
    if (found.length === 1) {
      const { plan, action } = first
      const units = action.units.length ? `\n参与单位：${action.units.slice(0, 6).join('、')}${action.units.length > 6 ? `等${action.units.length}个单位` : ''}` : ''
      const p = passageOf(first)
      const where = p ? sourceLine({ ...p, ref: action.ref || p.ref }, plan) : `（来源：《${plan.title}》）`
      return {
        text: `${plan.region}「${action.name}」由${action.leads.join('、')}牵头。${units}\n${where}`,
        answered: true,
        intent: 'department',
        sources,
        choices: [{ label: `${action.name}有哪些任务`, value: `${plan.region}${action.name}有哪些任务` }],
        ...(p ? { more: moreText(p, plan) } : {}),
        remember: { question, region: plan.region, action: action.name, wholeAction: true, ...(p ? { passages: [p.id], cursor: p.id } : {}) },
      }
    }
    const lines = found.slice(0, 5).map(({ plan, action }) => `· ${plan.region}：${action.leads.join('、')}`)
    return {
      text: `「${first.action.name}」各地的牵头单位：\n${lines.join('\n')}\n（来源：各地全民科学素质行动规划纲要实施方案）\n告诉我您在哪（如「我在东营」），以后只答本地的。`,
      answered: true,
      intent: 'department',
      sources,
      remember: { question, action: first.action.name, wholeAction: true },
    }
  }

  function actionTasks(plan: Plan, action: Action): ReplyWithMore {
    const items = distinctTitles(plan.passages.filter((p) => p.action === action.name))
    const lines = [`${plan.region}「${action.name}」（${action.leads.join('、')}牵头）共${items.length}项任务：`]
    for (const [i, p] of items.slice(0, 5).entries()) lines.push(`${i + 1}. ${p.title.slice(0, 30)}`)
    lines.push(`（来源：《${plan.title}》${action.ref ? ` ${action.ref}` : ''}）`)
    if (items.length > 5) lines.push('回复「更多」看全部')
    return {
      text: lines.join('\n'),
      answered: true,
      intent: 'department',
      sources: items.slice(0, 3).map((p) => sourceRef(p, plan)),
      ...(items.length > 5 ? { more: items.map((p, i) => `${i + 1}. ${p.title}（${p.ref}）`).join('\n') } : {}),
      remember: { question, region: plan.region, action: action.name, wholeAction: true, list: items.map((p) => ({ label: p.title, passage: p.id })), ...(items[0] ? { passages: [items[0].id] } : {}) },
    }
  }

  function unitAnswer(unit: string, plans: Plan[]): ReplyWithMore {
    if (plans.length > 1) {
      const counts = plans.map((p) => `· ${p.region}${unitIn(p, unit)}：牵头${p.actions.filter((a) => a.leads.includes(unitIn(p, unit))).length}项行动`)
      return {
        text: `${unit}在各地都有任务：\n${counts.join('\n')}\n请告诉我您在哪个地区（如「我在神木」），我列出具体任务。`,
        answered: true,
        intent: 'department',
        choices: plans.slice(0, 5).map((p) => ({ label: p.region, value: `${p.region}${unitIn(p, unit)}负责什么` })),
      }
    }
    const plan = plans[0]!
    const name = unitIn(plan, unit)
    const leads = plan.actions.filter((a) => a.leads.includes(name))
    const tasks = distinctTitles(plan.passages.filter((p) => p.units.includes(name) || p.leads.includes(name)))
    const lines = [`${plan.region} ${name}：`]
    if (leads.length) lines.push(`牵头：${leads.map((a) => `「${a.name}」`).join('、')}`)
    if (tasks.length) {
      lines.push(`参与${tasks.length}项任务，例如：`)
      for (const t of tasks.slice(0, 3)) lines.push(`· ${taskLabel(t)}`)
    }
    lines.push(`（来源：《${plan.title}》）`)
    if (tasks.length > 3) lines.push('回复「更多」看全部')
    return {
      text: lines.join('\n'),
      answered: true,
      intent: 'department',
      sources: tasks.slice(0, 3).map((p) => sourceRef(p, plan)),
      ...(tasks.length > 3 ? { more: tasks.map((t) => `· ${taskLabel(t)}`).join('\n') } : {}),
      remember: { question, region: plan.region, list: tasks.map((t) => ({ label: t.title, passage: t.id })) },
    }
  }
}

/** The passages with the first of each title: a table repeats a task's title on every row of it. */
function distinctTitles(passages: Passage[]): Passage[] {
  const seen = new Set<string>()
  return passages.filter((p) => !seen.has(p.title) && !!seen.add(p.title))
}

/** 「任务（三、（一）2）」, or the table path alone when it already ends with the task. */
function taskLabel(p: Passage): string {
  return p.ref.endsWith(p.title) ? p.ref : `${p.title.slice(0, 28)}（${p.ref}）`
}

/** The unit a question names, across the given plans: full name first, then without its 市/区 prefix. */
function findUnit(text: string, plans: Plan[]): { name: string; plans: Plan[] } | undefined {
  const q = foldText(text)
  let best: string | undefined
  const found: Plan[] = []
  for (const plan of plans) {
    for (const unit of unitsOf(plan)) {
      const stem = unit.replace(/^(市|区|县)(?!委|直)/u, '')
      const hit = q.includes(unit) ? unit : stem.length >= 2 && q.includes(stem) ? stem : undefined
      if (!hit) continue
      const bare = unit.replace(/^(市|区|县)(?!委|直)/u, '')
      if (!best || bare.length > best.length) {
        best = bare
        found.length = 0
      }
      if (bare === best && !found.includes(plan)) found.push(plan)
    }
  }
  return best ? { name: best, plans: found } : undefined
}

/** The spelling of a unit in a plan: 科协 → 市科协 in 神木, 区科协 in 汕尾市城区. */
function unitIn(plan: Plan, bare: string): string {
  return unitsOf(plan).find((u) => u === bare || u.replace(/^(市|区|县)(?!委|直)/u, '') === bare) ?? bare
}

const unitCache = new WeakMap<Plan, string[]>()
function unitsOf(plan: Plan): string[] {
  let list = unitCache.get(plan)
  if (!list) {
    const set = new Set<string>()
    for (const a of plan.actions) for (const u of [...a.leads, ...a.units]) set.add(u)
    for (const p of plan.passages) for (const u of [...p.leads, ...p.units]) set.add(u)
    list = [...set].filter((u) => u.length >= 2 && u.length <= 16)
    unitCache.set(plan, list)
  }
  return list
}

function bigrams(s: string): string[] {
  const out: string[] = []
  for (let i = 0; i + 1 < s.length; i++) out.push(s.slice(i, i + 2))
  return out.length ? out : [s]
}
