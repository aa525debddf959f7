import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createLiveContent } from '../../src/announce/live-content.js'
import { renderTemplate } from '../../src/announce/template.js'
import { loadCalendar } from '../../src/calendar/load-calendar.js'
import { packageRoot } from '../../src/core/package-root.js'
import { fromLocal } from '../../src/core/shanghai-time.js'
import { loadFraudKnowledge } from '../../src/fraud/fraud-knowledge.js'

const contentDir = join(packageRoot(), 'content')
const content = createLiveContent({ calendar: loadCalendar(contentDir), fraud: loadFraudKnowledge(contentDir) })

describe('live template content (the real calendar and tips)', () => {
  it('lists the week’s events from the day of the firing, short enough for chat', () => {
    const text = content.weekEvents('东营市', fromLocal(2026, 9, 14, 9))
    expect(text).toContain('全国科普日')
    expect(text.split('\n').length).toBeLessThanOrEqual(9)
  })

  it('names the next observance with the days left, and reminders see it coming', () => {
    const now = fromLocal(2026, 9, 17, 9)
    expect(content.nextObservance(now)).toMatch(/还有 \d+ 天|就是今天/)
    expect(content.upcomingObservances!(now, 4).map((o) => o.name)).toContain('全国科普日')
  })

  it('gives a tip that changes from one day to the next, with the hotline', () => {
    const a = content.dailyTip(fromLocal(2026, 9, 14, 8))
    const b = content.dailyTip(fromLocal(2026, 9, 15, 8))
    expect(a).toContain('96110')
    expect(a).not.toBe(b)
    expect(content.dailyTip(fromLocal(2026, 9, 14, 20))).toBe(a)
  })

  it('renders a template and drops what has nothing to say', () => {
    const r = renderTemplate('本周：{week_events}', content, { now: fromLocal(2026, 9, 14, 9), region: '东营市' })
    expect(r.empty).toBe(false)
    const none = renderTemplate('提醒：{reminders}', content, { now: fromLocal(2026, 9, 14, 9), region: undefined })
    expect(none.empty).toBe(true)
  })
})
