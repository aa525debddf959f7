import { z } from 'zod'

/** The kinds of knowledge a card may be. */
export const CATEGORIES = ['应急避险', '健康', '数字生活', '辟谣', '科学常识', '农业技术'] as const
export type Category = (typeof CATEGORIES)[number]

/** A rumour card's finding about the claim it refutes. */
export const VERDICTS = ['谣言', '不准确', '部分正确'] as const
export type Verdict = (typeof VERDICTS)[number]

/** Limits a resident's chat screen sets, in characters (after trimming). */
export const LIMITS = { answer: 200, elder: 80, step: 40, steps: 8 } as const

const chars = (s: string): number => Array.from(s.trim()).length
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(2)
    .max(max, { error: (i) => `${chars(String(i.input))} characters, at most ${max}` })

/** Where a card's facts come from: an issuing body, a document or page title and a year. */
export const sourceSchema = z
  .object({
    org: z.string().trim().min(2).describe('issuing body: 应急管理部, 国家卫生健康委, 中国气象局, 科学辟谣平台 …'),
    title: z.string().trim().min(2).describe('document or page title, e.g. 《中国公民健康素养—基本知识与技能（2024年版）》'),
    year: z.number().int().min(1980).max(2100),
  })
  .strict()
export type CardSource = z.infer<typeof sourceSchema>

/** One knowledge card (content/kepu/*.yaml). */
export const cardSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a kebab-case id'),
    category: z.enum(CATEGORIES),
    /** A short name of what the card is about (高血压, 地震, 微信扫码 …): menus list it. */
    topic: z.string().trim().min(1).max(20),
    /** Phrasings residents use; several, in their words. */
    questions: z.array(z.string().trim().min(2)).min(1),
    /** Words residents use for it; a bare number (120, 12级) is read as text. */
    keywords: z.array(z.union([z.string().trim().min(1), z.number().transform(String)])).default([]),
    answer: text(LIMITS.answer),
    /** The 长辈模式 form: one idea, short. */
    elder: text(LIMITS.elder),
    steps: z.array(text(LIMITS.step)).max(LIMITS.steps).optional(),
    /** 辟谣 cards only: the claim, as it circulates, and the finding. */
    claim: z.string().trim().min(2).optional(),
    verdict: z.enum(VERDICTS).optional(),
    source: sourceSchema,
    reviewed: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'),
    /** Regions the card applies to (names as in the plans' titles); absent: everywhere. */
    regions: z.array(z.string().trim().min(2)).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.category === '辟谣') {
      if (!c.claim) ctx.addIssue({ code: 'custom', path: ['claim'], message: 'a 辟谣 card needs the claim it answers' })
      if (!c.verdict) ctx.addIssue({ code: 'custom', path: ['verdict'], message: `a 辟谣 card needs a verdict (${VERDICTS.join('|')})` })
    } else {
      if (c.claim !== undefined) ctx.addIssue({ code: 'custom', path: ['claim'], message: 'only 辟谣 cards have a claim' })
      if (c.verdict !== undefined) ctx.addIssue({ code: 'custom', path: ['verdict'], message: 'only 辟谣 cards have a verdict' })
    }
  })
export type Card = z.infer<typeof cardSchema>

/** One file under content/kepu/: a list of cards. */
export const cardFileSchema = z
  .object({ cards: z.array(cardSchema) })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Map<string, number>()
    file.cards.forEach((c, i) => {
      const prev = seen.get(c.id)
      if (prev !== undefined) ctx.addIssue({ code: 'custom', path: ['cards', i, 'id'], message: `duplicate id ${c.id} (also item ${prev + 1})` })
      else seen.set(c.id, i)
    })
  })
export type CardFile = z.infer<typeof cardFileSchema>
