import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { dailyCard, dailyCardText } from '../../src/kepu/daily-card.js'
import { loadCards } from '../../src/kepu/load-cards.js'
import { renderTemplate, emptyTemplateContent } from '../../src/announce/template.js'

const cards = loadCards(join(import.meta.dirname, '..', '..', 'content'))
const at = (iso: string): Date => new Date(`${iso}T00:30:00Z`)
const days = (from: string, n: number): Date[] => Array.from({ length: n }, (_, i) => new Date(at(from).getTime() + i * 86_400_000))
const text = (d: Date): string => { const c = dailyCard(cards, d)!; return [c.topic, ...c.keywords, ...c.questions].join(' ') }

describe('daily card', () => {
  it('is the same all day and changes the next day', () => {
    expect(dailyCard(cards, new Date('2026-07-10T00:10:00Z'))!.id).toBe(dailyCard(cards, new Date('2026-07-10T14:00:00Z'))!.id)
    expect(new Set(days('2026-07-01', 14).map((d) => dailyCard(cards, d)!.id)).size).toBeGreaterThan(10)
  })

  it('is mostly the season\'s: drowning and heat in summer, carbon monoxide and cold in winter', () => {
    const summer = days('2026-07-01', 30).map(text)
    expect(summer.filter((t) => /溺水|中暑|高温|暴雨|雷电|台风|洪水/u.test(t)).length).toBeGreaterThanOrEqual(15)
    expect(summer.some((t) => /一氧化碳|寒潮|暴雪/u.test(t))).toBe(false)
    const winter = days('2027-01-01', 30).map(text)
    expect(winter.filter((t) => /一氧化碳|寒潮|暴雪|结冰|取暖|燃气/u.test(t)).length).toBeGreaterThanOrEqual(15)
    expect(winter.some((t) => /溺水|中暑/u.test(t))).toBe(false)
  })

  it('fills {daily_kepu} with the card and its source', () => {
    const now = at('2026-08-01')
    const r = renderTemplate('【每日科普】{daily_kepu}', { ...emptyTemplateContent, dailyKepu: (d) => dailyCardText(cards, d) }, { now, region: undefined })
    expect(r.empty).toBe(false)
    expect(r.text).toContain('来源')
    expect(renderTemplate('{daily_kepu}', emptyTemplateContent, { now, region: undefined }).empty).toBe(true)
  })
})
