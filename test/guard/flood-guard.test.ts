import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createBot } from '../../src/core/bot.js'
import { MemoryLogger } from '../../src/core/logger.js'
import { MemoryUserStateStore } from '../../src/core/user-state.js'
import { createFloodGuard, TOO_FAST } from '../../src/guard/flood-guard.js'
import { FakeClock } from '../fakes/fake-clock.js'
import { incoming } from '../helpers/app.js'

const regions = { byName: () => undefined, findIn: () => undefined }

function rig() {
  const logger = new MemoryLogger()
  let answered = 0
  const bot = createBot({
    handlers: [
      { name: 'flood-guard', stage: 'observe', handle: createFloodGuard({ logger, limits: { burst: 5, burstSeconds: 10, sustained: 20, sustainedSeconds: 600 } }) },
      { name: 'answer', stage: 'answer', handle: async () => (answered++, { text: '答', answered: true, intent: 'plan' }) },
    ],
    clock: new FakeClock('2026-01-01T00:00:00Z'),
    logger,
    users: new MemoryUserStateStore(),
    regions,
  })
  return { bot, logger, answered: () => answered }
}

describe('flood guard', () => {
  // rate-limiter-flexible keeps its windows on timers and Date.now: the test runs on fake timers.
  beforeEach(() => vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') }))
  afterEach(() => vi.useRealTimers())

  it('one chat sending 1,000 messages: the burst is answered, one polite line, the rest dropped and counted in one log line', async () => {
    const { bot, logger, answered } = rig()
    const replies = []
    for (let i = 0; i < 1000; i++) replies.push(await bot.handle(incoming(`刷屏${i}`, { userId: 'spammer', chatId: 'spammer' })))
    expect(answered()).toBe(5)
    expect(replies.filter((r) => r.text === TOO_FAST)).toHaveLength(1)
    expect(replies.filter((r) => r.silent)).toHaveLength(994)
    expect(logger.records.filter((r) => JSON.stringify(r).includes('E_FLOOD'))).toHaveLength(1)
    // Others are not affected.
    expect((await bot.handle(incoming('你好', { userId: 'neighbour', chatId: 'neighbour' }))).text).toBe('答')
  })

  it('lets the user in again after the burst window, up to the sustained limit', async () => {
    const { bot, answered } = rig()
    for (let i = 0; i < 6; i++) await bot.handle(incoming(`q${i}`, { userId: 'u' }))
    expect(answered()).toBe(5)
    vi.advanceTimersByTime(10_500)
    expect((await bot.handle(incoming('again', { userId: 'u' }))).text).toBe('答')
    for (let w = 0; w < 5; w++) {
      vi.advanceTimersByTime(10_500)
      for (let i = 0; i < 5; i++) await bot.handle(incoming(`w${w}-${i}`, { userId: 'u' }))
    }
    // 20 in ten minutes: the sustained limit holds whatever the bursts.
    expect(answered()).toBe(20)
  })

  it('does not count unmentioned group chatter', async () => {
    const { bot, answered } = rig()
    for (let i = 0; i < 50; i++) await bot.handle(incoming(`聊天${i}`, { userId: 'g1', chatId: 'group', isGroup: true, mentioned: false }))
    expect((await bot.handle(incoming('@科普助手 你好', { userId: 'g1', chatId: 'group', isGroup: true, mentioned: true }))).text).toBe('答')
    expect(answered()).toBeGreaterThan(0)
  })
})
