import type { ReplyWithMore } from '../core/bot.js'
import type { Choice } from '../core/reply.js'
import { sourceLine, verdictOf } from '../kepu/card-reply.js'
import type { Card } from '../kepu/card-schema.js'
import type { RumourFinding } from '../kepu/rumour-check.js'
import type { CheckSource } from './fraud-ask.js'
import type { FraudKnowledge, FraudTopic, ScamType } from './fraud-knowledge.js'
import type { ScamCheck } from './scam-check.js'

/** The length a chat reply aims at; longer text moves behind 「更多」. */
export const REPLY_TARGET_CHARS = 300

/** How to write: normal, or 长辈模式 (one idea, short sentences, a numbered menu). */
export interface RenderOptions {
  elder: boolean
}

/** Signals at least this heavy are hard red flags whose advice comes before the type's. */
const HARD_WEIGHT = 4
// Never "safe": a low score says the message does not look like a scam, nothing about whether it is true.
const LOW_TEXT = '没发现常见的诈骗套路，但这不代表消息内容可靠，说的事请通过官方渠道核实。'
const LOW_TEXT_ELDER = '没发现常见的诈骗套路，但不代表内容可靠。'
/** Where residents can check a claim the bot cannot. */
export const PIYAO = '可以到「科学辟谣平台」或「中国互联网联合辟谣平台」（www.piyao.org.cn）查一查，或者问问医生、老师'
// Not 「菜单」: the help command answers that one before 长辈模式 sees it.
const BACK_TO_MENU: Choice = { label: '回到菜单', value: '长辈菜单' }
const CHEATED: Choice = { label: '被骗了怎么办', value: '被骗了怎么办' }

/**
 * The answer to a scam check; carries `fraud` {risk, signals, type?}. With the rumour check's finding:
 * a known rumour is answered by its card (after the scam warning when the message is also a scam); a
 * health or science claim no card covers gets 「没法核实」 and where to check, and counts as unanswered.
 */
export function renderCheck(check: ScamCheck, source: CheckSource, k: FraudKnowledge, o: RenderOptions, rumour: RumourFinding = { kind: 'none' }): ReplyWithMore {
  if (check.risk === 'low' && rumour.kind === 'rumour') return renderRumour(rumour.hit.card, k, o, { risk: check.risk, signals: check.signals, ...(check.type ? { type: check.type } : {}) })
  if (check.risk === 'low' && rumour.kind === 'claim') return renderUnverified(check, k, o)
  const reply = renderScamCheck(check, source, k, o)
  if (rumour.kind !== 'rumour') return reply
  // A scam that also spreads a rumour: the warning first, then one line on the claim.
  const card = rumour.hit.card
  const line = `另外，消息里的说法${card.verdict === '谣言' ? '是谣言' : '不准确'}：${card.elder}`
  const lines = reply.text.split('\n')
  lines.splice(1, 0, line)
  return { ...reply, text: lines.join('\n') }
}

/**
 * A known rumour, answered by its card: the verdict, what is true and the source. `fraud` is kept when the
 * message was also checked as a scam (low risk: said in one line that does not vouch for the content).
 */
export function renderRumour(card: Card, k: FraudKnowledge, o: RenderOptions, fraud?: ScamCheckVerdict): ReplyWithMore {
  const verdict = verdictOf(card, o.elder ? card.elder : card.answer)
  const checked = fraud ? '这条消息没发现常见的诈骗套路，但说法不对，请别再转发。' : ''
  if (o.elder) {
    const text = [`${verdict}${card.elder}`, `（来源：${card.source.org}）`, ...(checked ? ['别再转发了。'] : [])].join('\n')
    return withMenu({ text, answered: true, intent: 'kepu', ...(fraud ? { fraud } : {}), more: card.answer }, [{ label: '看「更多」详细说明', value: '更多' }, BACK_TO_MENU])
  }
  const text = [`【辟谣】${verdict}${card.answer}`, sourceLine(card.source), ...(checked ? [checked] : [])].join('\n')
  return { text, answered: true, intent: 'kepu', ...(fraud ? { fraud } : {}) }
}

/** A health or science claim no card covers: the bot says it cannot verify it (answered: false, so staff see it). */
export function renderUnverified(check: ScamCheck, k: FraudKnowledge, o: RenderOptions): ReplyWithMore {
  const fraud = { risk: check.risk, signals: check.signals, ...(check.type ? { type: check.type } : {}) }
  if (o.elder) {
    const text = ['这条消息里的说法，我没法判断真假，先别转发。', '可以问问医生，或上「科学辟谣平台」查一查。', k.hotlines.elderLine].join('\n')
    return withMenu({ text, answered: false, intent: 'fraud', fraud }, [BACK_TO_MENU])
  }
  const text = [
    `这条消息里的健康或科学说法，我这里没有可靠的资料，没法核实真假。${PIYAO}；核实之前先别转发。`,
    '另外，消息没发现常见的诈骗套路；涉及转账、验证码、链接的事，先打对方的官方电话核实。',
    k.hotlines.line,
  ].join('\n')
  return { text, answered: false, intent: 'fraud', fraud }
}

/** The verdict a reply carries. */
type ScamCheckVerdict = { risk: ScamCheck['risk']; signals: string[]; type?: string }

function renderScamCheck(check: ScamCheck, source: CheckSource, k: FraudKnowledge, o: RenderOptions): ReplyWithMore {
  const positive = check.hits.filter((h) => h.weight > 0)
  const type = check.scamType
  // A hard red flag's advice first (屏幕共享, 验证码, 安全账户); else the type's first step; else any advice.
  const hard = positive.find((h) => h.advice && h.weight >= HARD_WEIGHT)?.advice
  const advice = sentence(hard ?? type?.todo[0] ?? positive.find((h) => h.advice)?.advice ?? k.hotlines.generic)
  const about = source === 'situation' ? '您说的情况' : '这条消息'
  const fraud = { risk: check.risk, signals: check.signals, ...(check.type ? { type: check.type } : {}) }

  if (o.elder) {
    const lines: string[] = []
    if (check.risk === 'high') lines.push(`${about}很可能是诈骗！`)
    else if (check.risk === 'medium') lines.push(`${about}有诈骗风险，要小心。`)
    else lines.push(LOW_TEXT_ELDER)
    if (positive[0] && check.risk !== 'low') lines.push(`原因：${positive[0].label}。`)
    if (check.risk !== 'low') lines.push(type?.tip ?? advice ?? k.hotlines.generic)
    lines.push(k.hotlines.elderLine)
    const rest = [
      ...(positive.length > 1 ? ['还有这些可疑之处：', ...positive.slice(1).map((h) => `· ${h.label}`)] : []),
      ...(type ? ['该怎么做：', ...type.todo.map((x, i) => `${i + 1}. ${sentence(x)}`)] : []),
    ]
    const choices: Choice[] = rest.length && check.risk !== 'low' ? [{ label: '看更多原因', value: '更多' }, CHEATED, BACK_TO_MENU] : [CHEATED, BACK_TO_MENU]
    return withMenu({ text: lines.join('\n'), answered: true, intent: 'fraud', fraud, ...(rest.length && check.risk !== 'low' ? { more: rest.join('\n') } : {}) }, choices)
  }

  const lines: string[] = []
  if (check.risk === 'high') lines.push(`【高风险】${about}很可能是诈骗！`)
  else if (check.risk === 'medium') lines.push(`【有风险】${about}有诈骗的可疑之处，请小心。`)
  else lines.push(`【低风险】${LOW_TEXT}`)
  const shown = positive.slice(0, 3)
  if (shown.length) lines.push(`${check.risk === 'low' ? '留意' : '可疑之处'}：${shown.map((h, i) => `${i + 1}. ${h.label}`).join('；')}`)
  if (check.risk === 'low') lines.push('涉及转账、验证码、链接的事，先打对方的官方电话或问问家人。')
  else {
    if (type) lines.push(`像是「${type.name}」骗局：${type.tip}`)
    if (advice && advice !== type?.tip) lines.push(advice)
  }
  lines.push(k.hotlines.line)
  const more: string[] = []
  if (positive.length > shown.length) more.push(`其他可疑之处：${positive.slice(shown.length).map((h) => h.label).join('；')}`)
  if (type && check.risk !== 'low') more.push(`「${type.name}」常见套路：${type.how}`, `怎么办：${type.todo.join('；')}`)
  return fit({ text: lines.join('\n'), answered: true, intent: 'fraud', fraud }, more)
}

/** A general answer (hotline, 验证码, 被骗了怎么办 …); `type` adds that type's advice to 「被骗了怎么办」. */
export function renderTopic(topic: FraudTopic, type: ScamType | undefined, k: FraudKnowledge, o: RenderOptions): ReplyWithMore {
  if (topic.id === 'types-list') return renderTypesList(k, o)
  if (o.elder && topic.elder.length) {
    const lines = [...topic.elder]
    if (type) lines.push(type.tip)
    return withMenu({ text: ensureHotline(lines.join('\n'), k.hotlines.elderLine), answered: true, intent: 'fraud' }, [BACK_TO_MENU])
  }
  let text = topic.text.trim() || k.hotlines.line
  const more: string[] = []
  if (type) {
    const extra = `「${type.name}」：${type.todo.join('；')}`
    if (Array.from(text).length + Array.from(extra).length < REPLY_TARGET_CHARS) text = `${text}\n${extra}`
    else more.push(extra)
  }
  return fit({ text: ensureHotline(text, k.hotlines.line), answered: true, intent: 'fraud' }, more)
}

/** What one scam type is, how it goes and what to do. */
export function renderType(type: ScamType, k: FraudKnowledge, o: RenderOptions): ReplyWithMore {
  if (o.elder) {
    const text = [`小心「${type.name}」诈骗。`, type.tip, type.todo[0]!, k.hotlines.elderLine].join('\n')
    return withMenu({ text, answered: true, intent: 'fraud', more: [type.how, ...type.todo.slice(1)].join('\n') }, [
      { label: '看怎么回事', value: '更多' },
      BACK_TO_MENU,
    ])
  }
  const text = ensureHotline([`要警惕「${type.name}」这类诈骗。`, `套路：${type.how}`, `记住：${type.todo.join('；')}。`].join('\n'), k.hotlines.line)
  return fit({ text, answered: true, intent: 'fraud' }, [`识别要点：${type.flags.join('；')}。`])
}

/** Anti-fraud tips: the list in normal mode, one tip per message in 长辈模式 (「防骗提醒 2」 is the next one). */
export function renderTips(page: number | undefined, k: FraudKnowledge, o: RenderOptions): ReplyWithMore {
  const n = k.tips.length
  if (o.elder) {
    const i = Math.min(Math.max(page ?? 1, 1), n)
    const text = [`防骗提醒（${i}/${n}）`, k.tips[i - 1]!, k.hotlines.elderLine].join('\n')
    const next: Choice[] = i < n ? [{ label: '看下一条', value: `防骗提醒 ${i + 1}` }, BACK_TO_MENU] : [{ label: '从头再看', value: '防骗提醒 1' }, BACK_TO_MENU]
    return withMenu({ text, answered: true, intent: 'fraud' }, next)
  }
  const head = '老年朋友防骗，记住这几条：'
  const lines = k.tips.map((tip, i) => `${i + 1}. ${tip}`)
  return fit({ text: ensureHotline([head, ...lines].join('\n'), k.hotlines.line), answered: true, intent: 'fraud' }, [])
}

/** The names of the scam types the bot knows. */
export function renderTypesList(k: FraudKnowledge, o: RenderOptions): ReplyWithMore {
  if (o.elder) {
    return withMenu({ text: ['常见骗局很多，一条一条看最好记。', k.hotlines.elderLine].join('\n'), answered: true, intent: 'fraud' }, [
      { label: '看防骗提醒', value: '防骗提醒' },
      BACK_TO_MENU,
    ])
  }
  const names = k.types.map((t) => t.name.replace(/（.*?）/g, '')).join('、')
  const text = `常见骗局有：${names}。想了解哪一种，直接问我，比如「刷单返利是真的吗」。\n${k.hotlines.line}`
  return fit({ text, answered: true, intent: 'fraud' }, [])
}

/** A sentence with its closing full stop. */
function sentence(s: string | undefined): string | undefined {
  if (!s) return s
  return /[。！？!?]$/.test(s) ? s : `${s}。`
}

/** Appends the numbered menu 「回复 1 …」 to the text and puts the choices on the reply. */
export function withMenu<R extends ReplyWithMore>(reply: R, choices: Choice[]): R & { choices?: Choice[] } {
  if (!choices.length) return reply
  return { ...reply, text: `${reply.text}\n${menuText(choices)}`, choices }
}

/** 「回复 1 查看防骗提醒」, one line per choice. */
export function menuText(choices: Choice[]): string {
  return choices.map((c, i) => `回复 ${i + 1} ${c.label}`).join('\n')
}

/** Adds the hotline line when a text names neither 96110 nor 110. */
export function ensureHotline(text: string, line: string): string {
  return /96110|(^|\D)110(\D|$)/.test(text) ? text : `${text}\n${line}`
}

/**
 * Keeps a reply near the target length: whole lines past it move to `more` (the hotline line, always last, stays).
 * `extra` is added to `more` after them.
 */
export function fit(reply: ReplyWithMore, extra: string[]): ReplyWithMore {
  const lines = reply.text.split('\n')
  const moved: string[] = []
  const len = (ls: string[]): number => Array.from(ls.join('\n')).length
  while (len(lines) > REPLY_TARGET_CHARS && lines.length > 2) moved.push(...lines.splice(lines.length - 2, 1))
  const more = [...moved.reverse(), ...extra].filter(Boolean)
  const out: ReplyWithMore = { ...reply, text: lines.join('\n') }
  if (more.length) {
    out.text += '\n（回复「更多」看详细说明）'
    out.more = more.join('\n')
  }
  return out
}
