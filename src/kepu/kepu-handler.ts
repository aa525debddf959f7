import type { Context, Handler } from '../core/bot.js'
import type { Category } from './card-schema.js'
import { renderCard, renderMenu } from './card-reply.js'
import type { KepuKnowledge } from './kepu-knowledge.js'

/** What the card handler needs. */
export interface KepuHandlerDeps {
  kepu: KepuKnowledge
}

// Questions about the plans themselves: the plan handlers answer them, never a card.
const PLAN_QUESTION = /方案|规划|纲要|牵头|分工|责任单位|提升行动|科学素质|十四五|哪个部门|哪些部门|什么部门|哪个单位/u
// What a chat about general knowledge must not pretend to do: diagnose, prescribe, predict, tell fortunes.
// Cards are lasting know-how, not news or opinions: where a parcel is, when pensions rise, what the bot thinks.
const OUT_OF_SCOPE = /你觉得|你认为|你怎么看|你的看法|到哪了|到哪儿了|什么时候涨|啥时候涨|涨不涨|会不会涨|会涨|会跌|涨价|行情|多少钱|价格|诊断|确诊|我(这|这个|这是|是)?(得了|得的是|患了)?什么病|给我开.{0,3}药|开个?方子|吃几片|剂量多少|算命|算卦|八字|风水|运势|看相|彩票|福彩|体彩|双色球|大乐透|开什么号|股票|基金|理财产品|抚养权|离婚|打官司|起诉/u
// A resident asking what the bot knows of a kind (「有哪些应急知识」): a numbered menu of its topics.
// `first`: the topics a menu lists before the rest (the hazards the plans name; the phone topics elders ask most).
const MENUS: { re: RegExp; category: Category; title: string; first?: RegExp }[] = [
  { re: /应急|避险|防灾|减灾|急救|自救|逃生/u, category: '应急避险', title: '想了解哪种情况的应对方法？', first: /地震|火灾|台风|暴雨|洪水|燃气|一氧化碳|溺水|中暑|电梯|心脏骤停/u },
  { re: /手机|微信|上网|智能/u, category: '数字生活', title: '想学手机的哪一样？', first: /挂号|视频|字体|支付|假App|骚扰电话|扣/iu },
  { re: /谣言|辟谣|传言/u, category: '辟谣', title: '常见的谣言，想看哪一条？' },
  { re: /健康|养生|保健/u, category: '健康', title: '想了解哪方面的健康知识？' },
  { re: /农业|种植|养殖|农技|种地/u, category: '农业技术', title: '想了解哪方面的农业技术？' },
  { re: /科学|常识/u, category: '科学常识', title: '想了解哪个科学小常识？' },
]
const MENU_ASK = /^(有|都有|还有)?(哪些|什么|啥)?.{0,8}(知识|常识|小知识|技巧|教程|帮助|菜单|科普)(有哪些|有什么|都有啥|吗|呢)?[?？。！!]*$|^(教我|我想学|学学).{0,8}$/u
const MENU_SIZE = 8

/**
 * Knowledge cards (intent `kepu`): the card that answers a question, with its source named, the steps
 * as a short numbered list, the elder form in 长辈模式 (`ctx.user.elder`). A card answers alone: never
 * mixed with plan passages. Plan questions, requests to diagnose or predict, and questions no card
 * covers with confidence go to `next()`.
 */
export function createKepuHandler(deps: KepuHandlerDeps): Handler {
  const { index } = deps.kepu
  return async (ctx, next) => {
    const t = ctx.text.trim()
    if (!t || (ctx.incoming.isGroup && !ctx.incoming.mentioned) || (ctx.intent && ctx.intent !== 'knowledge')) return next()
    if (routedElsewhere(ctx, ['knowledge']) || PLAN_QUESTION.test(t) || OUT_OF_SCOPE.test(t)) return next()
    const o = { elder: ctx.user.elder === true }
    const region = ctx.region?.name
    // 「有哪些应急知识」 asks what there is, not one card's question.
    const menu = MENU_ASK.test(t) ? MENUS.find((m) => m.re.test(t)) : undefined
    if (menu) {
      const seen = new Set<string>()
      const first = menu.first
      const ordered = first ? [...index.cards].sort((a, b) => Number(first.test(b.topic)) - Number(first.test(a.topic))) : index.cards
      const cards = ordered.filter((c) => c.category === menu.category && (!c.regions || !region || c.regions.includes(region)) && !seen.has(c.topic) && seen.add(c.topic))
      if (cards.length) return renderMenu(menu.title, cards.slice(0, MENU_SIZE), o)
    }
    const hit = index.answer(t, { region })
    if (hit) {
      ctx.log.debug({ module: 'kepu', card: hit.card.id, coverage: Number(hit.coverage.toFixed(2)) }, 'card')
      return renderCard(hit.card, o)
    }
    return next()
  }
}

/**
 * True when the router (run before the chain, see core/bot.ts) decided the message is something other
 * than `ours` — a follow-up, a plan or events question, small talk: then cards stand aside. Read
 * defensively, so the handler works with or without a router.
 */
export function routedElsewhere(ctx: Context, ours: readonly string[]): boolean {
  const intent = (ctx as { intent?: string }).intent
  return intent !== undefined && !ours.includes(intent)
}
