import type { Handler, ReplyWithMore } from '../core/bot.js'
import type { KnowledgeBase } from '../search/knowledge-base.js'
import type { Plan } from '../knowledge/plan.js'

const ABOUT_PLAN = /方案|文件|纲要|规划|分工表/u
const ASKS_META = /什么时候(发布|印发|出台|发的|出的)|哪年|哪一年|何时|发布|印发|出台|文号|全称|名称|叫什么|正式|征求意见|哪些地区|有哪些方案|几个方案/u

/** 「2022年9月8日」 from 2022-09-08. */
function chineseDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number)
  return `${y}年${m}月${d}日`
}

/** One plan's title, number, date and status, in a sentence or two. */
export function describePlan(plan: Plan): string {
  const parts = [`《${plan.title}》`]
  if (plan.docNumber) parts.push(`文号${plan.docNumber}`)
  if (plan.issued) parts.push(`${chineseDate(plan.issued)}印发`)
  let text = parts.join('，')
  if (plan.draft) text += '。这是征求意见稿，正式文件以当地政府公布为准'
  else if (!plan.docNumber && !plan.issued) text += '。文中没有写明文号和印发日期'
  return `${text}。`
}

/**
 * Questions about the plans themselves: which plans there are, a plan's full title, number, date and
 * whether it is a draft (「这个方案是什么时候发布的」「东营的方案文号是多少」).
 */
export function createPlanInfoHandler(kb: KnowledgeBase): Handler {
  return async (ctx, next) => {
    if (!ctx.text || !ABOUT_PLAN.test(ctx.text) || !ASKS_META.test(ctx.text)) return next()
    const plan = ctx.region ? kb.planOf(ctx.region.name) : undefined
    if (plan) {
      const reply: ReplyWithMore = { text: `${plan.region}：${describePlan(plan)}`, answered: true, intent: 'plan' }
      return reply
    }
    const lines = kb.plans.map((p) => `· ${p.region}：${describePlan(p)}`)
    const shown = lines.slice(0, 5)
    return {
      text: `目前收录${kb.plans.length}个地区的方案：\n${shown.join('\n')}${lines.length > shown.length ? '\n回复「更多」看全部' : ''}`,
      answered: true,
      intent: 'plan',
      choices: kb.plans.slice(0, 5).map((p) => ({ label: `我在${p.region}`, value: `我在${p.region}` })),
      ...(lines.length > shown.length ? { more: lines.join('\n') } : {}),
    }
  }
}
