import type { Context, Handler, ReplyWithMore } from '../core/bot.js'
import { msg } from '../core/messages-zh.js'
import type { DialogueState } from '../core/user-state.js'
import type { FraudKnowledge } from '../fraud/fraud-knowledge.js'
import type { Action, Passage, Plan } from '../knowledge/plan.js'
import type { KnowledgeBase } from '../search/knowledge-base.js'
import { smallTalkKind, type DialogueWords } from './dialogue-words.js'
import { moreText, sourceLine, sourceRef } from './source-ref.js'

export interface DialogueHandlerDeps {
  knowledge: () => KnowledgeBase
  fraud: () => FraudKnowledge
  words: DialogueWords
  /** How residents reach a person (KEPU_ADMIN_CONTACT), offered by 「转人工」 and the decline. */
  adminContact?: string | undefined
}

/** Characters of a passage shown when a list item or the next part is opened; the rest is behind 「更多」. */
const PART_CHARS = 240
/** Units named in one line before 「等N个单位」. */
const MAX_UNITS = 8
const HUMAN = /^(转人工|人工|人工客服|人工服务|找人工|找真人|真人|找工作人员|联系工作人员|联系管理员)$/u

/** The dialogue state to keep as it is (everything but the bot's own fields). */
function keep(d: DialogueState | undefined): Omit<DialogueState, 'at' | 'intent'> {
  if (!d) return {}
  const { at: _at, intent: _intent, ...rest } = d
  return rest
}

/**
 * Answers what leans on the conversation, as the router decided (ctx.intent / ctx.followUp): small talk,
 * the confirmation of a region set in words, item N of the list just shown, the next part, who leads or
 * who else works on what was just answered, what to do about the scam just checked, a number on no menu,
 * and 「转人工」. Follow-ups that ask a full question again (another region, window, audience, a
 * correction) were rewritten by the router and go on to the answer handlers.
 */
export function createDialogueHandler(deps: DialogueHandlerDeps): Handler {
  const passage = (id: string | undefined): Passage | undefined => (id ? deps.knowledge().index.passage(id) : undefined)

  return async (ctx, next) => {
    if (ctx.incoming.isGroup && !ctx.incoming.mentioned) return next()
    if (HUMAN.test(ctx.text.replace(/[\s!！。.？?]+/gu, ''))) return human()
    if (ctx.intent === 'smalltalk') return smallTalk(ctx)
    if (ctx.intent === 'region') return regionSet(ctx)
    const f = ctx.followUp
    if (!f) return next()
    switch (f.kind) {
      case 'item':
        return item(ctx, f.n)
      case 'next':
        return nextPart(ctx)
      case 'units':
        return units(ctx, f.who)
      case 'advice':
        return advice(ctx)
      case 'off-menu':
        return offMenu(ctx, f.n)
      default:
        return next()
    }
  }

  function human(): ReplyWithMore {
    const text = deps.adminContact ? msg('declineHuman').replace('{contact}', deps.adminContact) : '暂时还没有人工客服。遇到诈骗紧急情况请直接拨打 110，拿不准的打 96110 咨询。'
    return { text, answered: true, intent: 'help', handoff: true }
  }

  function smallTalk(ctx: Context): ReplyWithMore {
    const kind = smallTalkKind(ctx.text, deps.words) ?? 'okay'
    return { text: msg(kind === 'bye' ? 'bye' : kind === 'thanks' ? 'thanks' : 'okay'), answered: true, intent: 'help' }
  }

  function regionSet(ctx: Context): ReplyWithMore {
    const region = ctx.user.region ?? ctx.region?.name ?? ''
    const where = ctx.user.district ? `${region}（${ctx.user.district}）` : region
    return { text: msg('regionSet').replace('{region}', where).replace('{plan}', region), answered: true, intent: 'region' }
  }

  /** A passage opened from a list or as the next part: its title and start, the rest behind 「更多」. */
  function showPassage(ctx: Context, p: Passage, head: string, list: DialogueState['list']): ReplyWithMore {
    const plan = deps.knowledge().planOf(p.region)
    const body = p.text.length > PART_CHARS ? `${p.text.slice(0, PART_CHARS)}…` : p.text
    const lines = [head ? `${head}\n${body}` : body, sourceLine(p, plan)]
    const d = ctx.dialogue
    return {
      text: lines.join('\n'),
      answered: true,
      intent: 'plan',
      sources: [sourceRef(p, plan)],
      ...(p.text.length > PART_CHARS ? { more: moreText(p, plan) } : {}),
      remember: { ...keep(d), region: p.region, passages: [p.id], cursor: p.id, ...(p.action ? { action: p.action } : {}), ...(list ? { list } : {}) },
    }
  }

  function item(ctx: Context, n: number): ReplyWithMore {
    const list = ctx.dialogue?.list
    if (!list?.length) return { text: msg('noList'), answered: false, intent: 'none' }
    const it = list[n - 1]
    if (!it) return { text: `刚才列了${list.length}项，没有第${n}项。回复 1 到 ${list.length} 的数字，或直接说您想问什么。`, answered: true, intent: 'help' }
    const p = passage(it.passage)
    if (p) {
      // The passage's own title opens it unless the text starts with it already.
      const head = p.text.startsWith(p.title) ? `${n}. ` : `${n}. ${p.title}`
      const reply = showPassage(ctx, p, head.trim() === `${n}.` ? '' : head, list)
      return head.trim() === `${n}.` ? { ...reply, text: `${n}. ${reply.text}` } : reply
    }
    return { text: it.text ?? it.label, answered: true, intent: ctx.dialogue?.intent === 'event' ? 'event' : 'plan', remember: keep(ctx.dialogue) }
  }

  function nextPart(ctx: Context): ReplyWithMore {
    const more = ctx.user.more
    const d = ctx.dialogue
    if (more) {
      delete ctx.user.more
      const p = passage(d?.cursor ?? d?.passages?.[0])
      const plan = p ? deps.knowledge().planOf(p.region) : undefined
      return { text: more, answered: true, intent: 'more', ...(p ? { sources: [sourceRef(p, plan)] } : {}) }
    }
    if (!d) return { text: msg('noContext'), answered: false, intent: 'none' }
    const at = passage(d.cursor ?? d.passages?.[0])
    const plan = at ? deps.knowledge().planOf(at.region) : undefined
    const following = at && plan ? nextInSection(plan, at) : undefined
    if (!following) return { text: msg('noMore'), answered: true, intent: 'more' }
    return showPassage(ctx, following, following.text.startsWith(following.title) ? '' : following.title, d.list)
  }

  function units(ctx: Context, who: 'lead' | 'partners'): ReplyWithMore {
    const d = ctx.dialogue
    if (!d) return { text: msg('noContext'), answered: false, intent: 'none' }
    const p = passage(d?.passages?.[0])
    const region = d?.region ?? p?.region
    const plan = region ? deps.knowledge().planOf(region) : undefined
    const action: Action | undefined = plan?.actions.find((a) => a.name === (d?.action ?? p?.action))
    // An answer about a whole action speaks for the action; one about a passage for that passage.
    const byAction = !!action && (!p || d?.wholeAction === true)
    const leads = byAction ? action!.leads : p?.leads.length ? p.leads : (action?.leads ?? [])
    const partners = (byAction ? action!.units : p?.units.length ? p.units : (action?.units ?? [])).filter((u) => !leads.includes(u))
    const subject = byAction ? `「${action!.name}」` : p ? `「${p.title}」` : '这项工作'
    // What the answer rests on: the passage asked about, or the action's first passage.
    const anchor = p && !byAction ? p : (plan?.passages.find((x) => x.action === action?.name) ?? p)
    const where = plan && anchor ? sourceLine(byAction && action?.ref ? { ...anchor, ref: action.ref } : anchor, plan) : ''
    const list = (us: string[]): string => `${us.slice(0, MAX_UNITS).join('、')}${us.length > MAX_UNITS ? `等${us.length}个单位` : ''}`
    let text: string
    if (!leads.length && !partners.length) text = `${region ?? '这份'}的方案没有写${subject}由哪个部门负责。`
    else if (who === 'partners') {
      text = partners.length ? `${subject}的配合单位：${list(partners)}。${leads.length ? `\n牵头：${leads.join('、')}` : ''}` : `${region}的方案没有写${subject}的配合单位${leads.length ? `，牵头的是${leads.join('、')}` : ''}。`
    } else {
      text = leads.length ? `${subject}由${leads.join('、')}牵头。${partners.length ? `\n配合：${list(partners)}` : ''}` : `${region}的方案没有写${subject}由谁牵头，负责的单位有：${list(partners)}。`
    }
    return {
      text: [text, where].filter(Boolean).join('\n'),
      answered: true,
      intent: 'department',
      ...(plan && anchor ? { sources: [sourceRef(anchor, plan)] } : {}),
      remember: keep(d),
    }
  }

  function advice(ctx: Context): ReplyWithMore {
    const k = deps.fraud()
    const scam = ctx.dialogue?.scam
    const type = k.types.find((t) => t.id === scam?.type)
    const elder = ctx.user.elder === true
    const lines: string[] = []
    if (scam?.risk === 'low') lines.push('这条消息没发现典型诈骗特征。涉及转账、验证码、链接的事，先打对方的官方电话核实，别用消息里给的号码。')
    else {
      lines.push('先别点链接、别回拨消息里的电话、别转账，验证码和密码不告诉任何人。')
      if (type) lines.push(...type.todo.slice(0, elder ? 1 : 3).map((t, i) => `${i + 1}. ${t}`))
      lines.push('要核实，就打官方电话（银行卡背面的号码、12333 社保热线、12345 政务热线），或当面去办事大厅问。')
    }
    lines.push(elder ? k.hotlines.elderLine : k.hotlines.line)
    return { text: lines.join('\n'), answered: true, intent: 'fraud', remember: keep(ctx.dialogue) }
  }

  function offMenu(ctx: Context, n: number): ReplyWithMore {
    const choices = ctx.user.choices
    const text = msg('offMenu').replace('{n}', String(n))
    if (!choices?.length) return { text, answered: true, intent: 'help' }
    return { text: `${text}\n${choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n')}`, answered: true, intent: 'help', choices }
  }
}

/** The passage after `p` in the same section of its plan (same headings), if any. */
export function nextInSection(plan: Plan, p: Passage): Passage | undefined {
  const i = plan.passages.findIndex((x) => x.id === p.id)
  const following = i >= 0 ? plan.passages[i + 1] : undefined
  return following && following.headings.join('/') === p.headings.join('/') ? following : undefined
}
