import { describe, expect, it } from 'vitest'
import { incoming, testApp } from '../helpers/app.js'

describe('calendar and plans together', () => {
  it('a kind of event with nothing on the calendar falls to the handlers after it (venues, plans) when they answer', async () => {
    const r = await testApp().bot.handle(incoming('高平市科技馆在哪', { userId: 'cal-fallback' }))
    expect(r.answered).toBe(true)
    expect(r.intent).not.toBe('event')
    expect(r.text).not.toMatch(/没有查到/)
  })
})

describe('events for older people', () => {
  it('「最近有啥适合老人的活动」 lists events, it does not offer 长辈模式', async () => {
    const r = await testApp().bot.handle(incoming('最近有啥适合老人的活动', { userId: 'elder-events', region: '东营市', now: new Date('2026-05-01T01:00:00Z') }))
    expect(r.intent).toBe('event')
    expect(r.events?.length).toBeGreaterThan(0)
  })
})
