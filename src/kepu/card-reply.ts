import type { ReplyWithMore } from '../core/bot.js'
import type { Choice } from '../core/reply.js'
import type { Card, CardSource, Verdict } from './card-schema.js'

/** How to write: normal, or 长辈模式 (the card's elder form and a numbered menu). */
export interface CardRenderOptions {
  elder: boolean
}

/** A reply longer than this keeps its steps behind 「更多」. */
const TARGET_CHARS = 320
const BACK_TO_MENU: Choice = { label: '回到菜单', value: '长辈菜单' }

/** What a rumour card says first, by its verdict. */
export const VERDICT_LINE: Record<Verdict, string> = {
  谣言: '这是谣言。',
  不准确: '这个说法不准确。',
  部分正确: '这个说法只对了一部分，不能全信。',
}

/** 「来源：国家卫生健康委《中国公民健康素养—基本知识与技能（2024年版）》（2024）」 */
export function sourceLine(source: CardSource): string {
  const title = source.title.replace(/^《|》$/gu, '')
  return `（来源：${source.org}《${title}》（${source.year}））`
}

/** A rumour card's verdict line, unless its text already opens with one (「这是谣言。…」). */
export function verdictOf(card: Card, text: string): string {
  if (!card.verdict || VERDICT_OPENING.test(text)) return ''
  return VERDICT_LINE[card.verdict]
}
const VERDICT_OPENING = /^.{0,6}(谣言|不准确|不实|不对|误区|错误|没有科学依据|只对了|部分正确|夸大)/u

/** A card as a chat answer: the answer, the steps as a short numbered list, the source named. */
export function renderCard(card: Card, o: CardRenderOptions): ReplyWithMore {
  const verdict = verdictOf(card, o.elder ? card.elder : card.answer)
  const steps = (card.steps ?? []).map((s, i) => `${i + 1}. ${s}`)
  if (o.elder) {
    const text = [`${verdict}${card.elder}`, `（来源：${card.source.org}）`].join('\n')
    const more = [card.answer, ...steps].join('\n')
    // The label says 「更多」, so the core adds no second hint.
    const choices: Choice[] = [{ label: '看「更多」详细说明', value: '更多' }, BACK_TO_MENU]
    return { text: `${text}\n${choices.map((c, i) => `回复 ${i + 1} ${c.label}`).join('\n')}`, answered: true, intent: 'kepu', choices, more }
  }
  const head = verdict ? `${verdict}${card.answer}` : card.answer
  const source = sourceLine(card.source)
  const full = [head, ...(steps.length ? ['怎么做：', ...steps] : []), source].join('\n')
  if (Array.from(full).length <= TARGET_CHARS || !steps.length) return { text: full, answered: true, intent: 'kepu' }
  return { text: `${head}\n${source}\n回复「更多」看具体步骤`, answered: true, intent: 'kepu', more: ['怎么做：', ...steps].join('\n') }
}

/** A numbered menu of topics (长辈模式 and 「有哪些应急知识」): each choice asks that topic's first question. */
export function renderMenu(title: string, cards: readonly Card[], o: CardRenderOptions): ReplyWithMore {
  const choices: Choice[] = cards.map((c) => ({ label: c.topic, value: c.questions[0]! }))
  if (o.elder) choices.push(BACK_TO_MENU)
  const lines = [title, ...choices.map((c, i) => `回复 ${i + 1} ${c.label}`)]
  return { text: lines.join('\n'), answered: true, intent: 'kepu', choices }
}
