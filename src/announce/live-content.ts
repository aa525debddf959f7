import type { Calendar } from '../calendar/calendar.js'
import { formatSpan } from '../calendar/format-day.js'
import { addDays, daysBetween, dayOf, partsOf } from '../calendar/local-day.js'
import type { FraudKnowledge } from '../fraud/fraud-knowledge.js'
import type { Card } from '../kepu/card-schema.js'
import { dailyCardText } from '../kepu/daily-card.js'
import type { TemplateContent } from './template.js'

export interface LiveContentDeps {
  calendar: Calendar
  fraud: Pick<FraudKnowledge, 'tips' | 'hotlines'>
  /** The knowledge cards, for {daily_kepu}; loaded on first use. */
  cards?: () => readonly Card[]
}

/** The most events one weekly message lists (chat messages stay short). */
const MAX_WEEK_ITEMS = 8

/**
 * Template content from the loaded calendar and anti-fraud knowledge: this week's events (today and the
 * six days after, so a Monday push covers Monday to Sunday), the next observance, a tip that changes every
 * day, and the observances coming up for reminders.
 */
export function createLiveContent(deps: LiveContentDeps): TemplateContent {
  const { calendar, fraud } = deps
  return {
    weekEvents(region, now) {
      const today = dayOf(now)
      const year = partsOf(today).year
      const items = calendar.occurrences(today, addDays(today, 6), region ? { region } : {})
      if (items.length === 0) return ''
      const lines = items.slice(0, MAX_WEEK_ITEMS).map((o) => `· ${formatSpan(o.start, o.end, year)} ${o.name}`)
      if (items.length > MAX_WEEK_ITEMS) lines.push(`……共 ${items.length} 项，发送「这周有什么科普活动」查看全部`)
      return lines.join('\n')
    },
    nextObservance(now) {
      const today = dayOf(now)
      const next = calendar.occurrences(today, addDays(today, 366), { kind: 'observance' }).find((o) => o.start >= today)
      if (!next) return ''
      const days = daysBetween(today, next.start)
      return `${formatSpan(next.start, next.end, partsOf(today).year)} ${next.name}${days === 0 ? '（就是今天）' : `（还有 ${days} 天）`}`
    },
    dailyTip(now) {
      if (fraud.tips.length === 0) return ''
      // The day number picks the tip, so everyone gets the same one today and a different one tomorrow.
      const n = Math.floor((Date.parse(`${dayOf(now)}T00:00:00Z`)) / 86_400_000)
      return `${fraud.tips[n % fraud.tips.length]} 遇到可疑情况请拨打 ${fraud.hotlines.antiFraud}。`
    },
    dailyKepu(now) {
      return deps.cards ? dailyCardText(deps.cards(), now) : ''
    },
        upcomingObservances(now, days) {
      const today = dayOf(now)
      return calendar
        .occurrences(today, addDays(today, days), { kind: 'observance' })
        .filter((o) => o.start >= today)
        .map((o) => ({ name: o.name, date: o.start }))
    },
  }
}
