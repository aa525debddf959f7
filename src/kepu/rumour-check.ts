import type { CardHit, CardIndex } from './card-index.js'

/** What the rumour check found in a message or question. */
export type RumourFinding =
  /** A known rumour: the card says what is true, with its source. */
  | { kind: 'rumour'; hit: CardHit }
  /** A health or science claim no card covers: the bot cannot verify it. */
  | { kind: 'claim' }
  /** Nothing of the kind. */
  | { kind: 'none' }

/**
 * What a health or science claim looks like: a health or science subject (癌, 辐射, 疫苗, 偏方 …) and a
 * statement about it. A notice about a water cut has neither; 「吃隔夜菜会致癌，赶紧告诉家人」 has both.
 */
const SUBJECT = /癌|肿瘤|辐射|疫苗|病毒|细菌|致病|有毒|中毒|毒素|有害|农药|激素|转基因|添加剂|防腐剂|偏方|秘方|土方|养生|保健品|食疗|疗效|根治|治愈|治好|减肥|降血压|降血糖|降血脂|血管|长寿|抗衰|排毒|免疫力|营养|维生素|补钙|补血|补脑|辐射|电磁|5g|wifi|量子|地震预[测报]|预言|磁场|微波炉|隔夜|致死|猝死|中风|心梗|脑梗|结石|痴呆|不孕|近视/iu
const ASSERTION = /会|能|可以|竟然|千万|一定|必须|导致|引起|造成|治|防|专家|研究|医生|科学家|证实|发现|赶紧|转发|转给|告诉|速看|紧急|提醒|真相|震惊|是真的/u

/** True when a text states something about health or science (see SUBJECT and ASSERTION). */
export function looksLikeClaim(text: string): boolean {
  return SUBJECT.test(text) && ASSERTION.test(text)
}

/**
 * Checks a message or a question against the rumour cards. A long message (forwarded or pasted) is
 * matched by the share of a rumour card's claim it states; a short question (「喝红糖水能补血，是真的吗」)
 * by the card index like any question, among the rumour cards only.
 */
export function checkRumour(text: string, index: CardIndex, options: { region?: string | undefined; message: boolean }): RumourFinding {
  const region = options.region
  const asked = index.answer(text, { region, categories: ['辟谣'] })
  const claimed = options.message || !asked ? index.matchClaim(text, { region }) : undefined
  const hit = [asked, claimed].filter((h): h is CardHit => !!h).sort((a, b) => b.coverage - a.coverage)[0]
  if (hit) return { kind: 'rumour', hit }
  return looksLikeClaim(text) ? { kind: 'claim' } : { kind: 'none' }
}
