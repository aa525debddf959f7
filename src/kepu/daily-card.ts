import { sourceLine } from './card-reply.js'
import type { Card } from './card-schema.js'

/** What each season brings to mind: its cards come first on most days, and never out of season. */
const SEASONS: { months: number[]; re: RegExp }[] = [
  { months: [6, 7, 8], re: /溺水|中暑|高温|防暑|暴雨|内涝|洪水|山洪|泥石流|雷电|台风|冰雹|食物中毒|蘑菇|登革热|蚊/u },
  { months: [12, 1, 2], re: /一氧化碳|煤气中毒|寒潮|暴雪|结冰|冰面|冬季|取暖|燃气|凌汛|大棚防冻|冬剪/u },
  { months: [3, 4, 5], re: /沙尘|花粉|春季|踩踏|流感|地震|森林草原火灾/u },
  { months: [9, 10, 11], re: /火灾|灭火器|流感疫苗|秋|秸秆|森林草原火灾|大雾/u },
]

const DAY_MS = 86_400_000

/** The month (1–12) and the day number of an instant, in Asia/Shanghai. */
function shanghai(now: Date): { month: number; day: number } {
  const local = new Date(now.getTime() + 8 * 3_600_000)
  return { month: local.getUTCMonth() + 1, day: Math.floor(local.getTime() / DAY_MS) }
}

const textOf = (c: Card): string => [c.topic, ...c.keywords, ...c.questions].join(' ')

/**
 * The card of the day: everyone gets the same one today and another tomorrow. Two days in three it is one
 * of the season's (防溺水, 中暑 in summer; 一氧化碳, 寒潮 in winter); a card of another season never
 * comes out of season. Rumour cards take part too.
 */
export function dailyCard(cards: readonly Card[], now: Date): Card | undefined {
  if (!cards.length) return undefined
  const { month, day } = shanghai(now)
  const season = SEASONS.find((s) => s.months.includes(month))!
  const offSeason = SEASONS.filter((s) => s !== season)
  const inSeason = cards.filter((c) => season.re.test(textOf(c)))
  const anyTime = cards.filter((c) => !season.re.test(textOf(c)) && !offSeason.some((s) => s.re.test(textOf(c))))
  const pool = day % 3 !== 2 && inSeason.length ? inSeason : anyTime.length ? anyTime : cards
  // Spread consecutive days over the pool (a stride coprime with most pool sizes) rather than walk it in file order.
  return pool[(Math.floor(day / 3) * 7 + (day % 3)) % pool.length]
}

/** The daily card as announcement text: topic, answer, source. */
export function dailyCardText(cards: readonly Card[], now: Date): string {
  const c = dailyCard(cards, now)
  return c ? `【${c.topic}】${c.answer}\n${sourceLine(c.source)}` : ''
}
