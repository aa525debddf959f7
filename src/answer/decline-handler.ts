import type { Handler, ReplyWithMore } from '../core/bot.js'
import { msg } from '../core/messages-zh.js'
import type { KnowledgeBase } from '../search/knowledge-base.js'

export interface DeclineHandlerDeps {
  knowledge: () => KnowledgeBase
  /** How residents reach a person (KEPU_ADMIN_CONTACT), until the console issue brings the handoff. */
  adminContact?: string | undefined
}

// The question is about the plan of the resident's region: it names it, or asks about what plans contain.
const ABOUT_PLAN = /方案|规划|纲要|目标|比例|任务|措施|工程|行动|牵头|负责|部门|单位|科学素质|科普|咱|俺们|我们(市|区|县|这)/u
const TOPIC_CHARS = 14

/**
 * The last word when nothing answered: short, says what was understood (「东营市的方案里没有写这件事」),
 * offers three concrete questions as numbered choices and, when configured, a person to contact.
 * In 长辈模式 one line and the way back to the menu.
 */
export function createDeclineHandler(deps: DeclineHandlerDeps): Handler {
  return async (ctx) => {
    const text = ctx.text
    if (/[a-z]{3}/iu.test(text) && !/[\u3400-\u9fff]/u.test(text)) return { text: msg('notChinese'), answered: false, intent: 'none' }
    if (ctx.user.elder) return { text: msg('declineElder'), answered: false, intent: 'none' }
    const q = deps.knowledge().analyze(text)
    const topic = q.topic.replace(/\s+/gu, '')
    const region = ctx.region
    const lines: string[] = []
    if (region && (q.mentionsOwnRegion || ctx.regionInQuestion || ABOUT_PLAN.test(text))) lines.push(msg('declinePlan').replace('{region}', region.name))
    else if (topic && Array.from(topic).length <= TOPIC_CHARS) lines.push(`抱歉，「${topic}」这个我还答不了。`)
    else lines.push(msg('declineShort'))
    const short = region?.short ?? ''
    const choices = [
      { label: `${short}最近有什么科普活动`, value: `${short}最近有什么科普活动` },
      { label: `${region?.name ?? '我们市'}科学素质目标是多少`, value: `${region?.name ?? '我们市'}科学素质目标是多少` },
      { label: '老年人怎么防诈骗', value: '老年人怎么防诈骗' },
    ]
    lines.push(`${msg('declineTry')}\n${choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n')}`)
    lines.push(deps.adminContact ? msg('declineHuman').replace('{contact}', deps.adminContact) : msg('declineHumanNone'))
    const reply: ReplyWithMore = { text: lines.join('\n'), answered: false, intent: 'none', choices }
    return reply
  }
}
