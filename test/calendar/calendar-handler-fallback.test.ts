import { describe, expect, it } from 'vitest'
import { incoming, testApp } from '../helpers/app.js'

describe('calendar and plans together', () => {
  it('a kind of event with nothing on the calendar falls to the plans when they answer', async () => {
    const r = await testApp().bot.handle(incoming('高平市科技馆在哪', { userId: 'cal-fallback' }))
    expect(r.intent).toBe('plan')
    expect(r.text).toContain('科技馆')
    expect(r.sources?.[0]?.region).toBe('高平市')
  })
})
