import { describe, expect, it } from 'vitest'
import { createBot, type Handler } from '../../src/core/bot.js'
import { FakeClock } from '../fakes/fake-clock.js'
import { MemoryLogger } from '../../src/core/logger.js'
import { MemoryUserStateStore } from '../../src/core/user-state.js'
import { incoming } from '../helpers/app.js'

const regions = { byName: (n: string) => (n === '东营' || n === '东营市' ? { name: '东营市', short: '东营' } : undefined), findIn: (t: string) => (t.includes('东营') ? { name: '东营市', short: '东营' } : undefined) }

function bot(handlers: Handler[], logger = new MemoryLogger()) {
  return { bot: createBot({ handlers, clock: new FakeClock('2026-01-01T00:00:00Z'), logger, users: new MemoryUserStateStore(), regions }), logger }
}

describe('createBot', () => {
  it('runs handlers in order until one answers', async () => {
    const seen: string[] = []
    const { bot: b } = bot([
      async (_ctx, next) => (seen.push('a'), next()),
      async () => (seen.push('b'), { text: 'B', answered: true, intent: 'plan' }),
      async () => (seen.push('c'), { text: 'C', answered: true, intent: 'plan' }),
    ])
    expect((await b.handle(incoming('x'))).text).toBe('B')
    expect(seen).toEqual(['a', 'b'])
  })

  it('declines when every handler passes', async () => {
    const r = await bot([async (_c, next) => next()]).bot.handle(incoming('x'))
    expect(r).toMatchObject({ answered: false, intent: 'none' })
  })

  it('turns a failing handler into a friendly reply and logs only the code', async () => {
    const { bot: b, logger } = bot([
      async () => {
        throw new Error('secret token 123:ABC leaked in message')
      },
    ])
    const r = await b.handle(incoming('你好'))
    expect(r.text).toContain('抱歉')
    expect(r.text).not.toContain('secret')
    expect(JSON.stringify(logger.records)).not.toContain('secret')
    expect(logger.records[0]?.obj).toMatchObject({ code: 'E_INTERNAL' })
  })

  it('gives handlers the region: question first, then channel, then remembered', async () => {
    const got: (string | undefined)[] = []
    const { bot: b } = bot([async (ctx) => (got.push(ctx.region?.name), { text: '', answered: true, intent: 'plan' })])
    await b.handle(incoming('东营的目标'))
    await b.handle(incoming('目标', { region: '东营' }))
    await b.handle(incoming('目标', { region: '北京' }))
    expect(got).toEqual(['东营市', '东营市', undefined])
  })

  it('uses the injected clock unless the message carries its own time', async () => {
    const times: string[] = []
    const { bot: b } = bot([async (ctx) => (times.push(ctx.now.toISOString()), { text: '', answered: true, intent: 'plan' })])
    await b.handle(incoming('a'))
    await b.handle(incoming('a', { now: new Date('2026-05-05T01:00:00Z') }))
    expect(times).toEqual(['2026-01-01T00:00:00.000Z', '2026-05-05T01:00:00.000Z'])
  })
})

describe('createBot: the handler contract', () => {
  it('throws when a handler calls next() twice, naming the handler in the log; the resident gets a polite reply', async () => {
    const logger = new MemoryLogger()
    let laterRuns = 0
    const b = createBot({
      handlers: [
        { name: 'greedy', stage: 'answer', handle: async (_ctx, next) => (await next(), next()) },
        { name: 'later', stage: 'answer', handle: async () => (laterRuns++, { text: 'L', answered: true, intent: 'plan' }) },
      ],
      clock: new FakeClock('2026-01-01T00:00:00Z'),
      logger,
      users: new MemoryUserStateStore(),
      regions,
    })
    const r = await b.handle(incoming('x'))
    expect(laterRuns).toBe(1)
    expect(r).toMatchObject({ answered: false })
    expect(r.text).toContain('抱歉')
    expect(JSON.stringify(logger.records)).toContain('"handler":"greedy"')
    expect(JSON.stringify(logger.records)).toContain('E_HANDLER')
  })

  it('names the failing handler in the log', async () => {
    const logger = new MemoryLogger()
    const b = createBot({
      handlers: [
        { name: 'passes', stage: 'command', handle: async (_c, next) => next() },
        { name: 'breaks', stage: 'answer', handle: async () => { throw new TypeError('boom') } },
      ],
      clock: new FakeClock('2026-01-01T00:00:00Z'),
      logger,
      users: new MemoryUserStateStore(),
      regions,
    })
    await b.handle(incoming('x'))
    expect(logger.records.some((r) => JSON.stringify(r).includes('"handler":"breaks"'))).toBe(true)
  })

  it('marks a reply that keeps more with hasMore and the 「更多」 hint, and serves it on 「更多」', async () => {
    const users = new MemoryUserStateStore()
    const b = createBot({
      handlers: [
        async (ctx, next) => (ctx.text === '更多' ? { text: ctx.user.more ?? '无', answered: true, intent: 'more' } : next()),
        async () => ({ text: '第一段', answered: true, intent: 'plan', more: '第二段' }),
      ],
      clock: new FakeClock('2026-01-01T00:00:00Z'),
      logger: new MemoryLogger(),
      users,
      regions,
    })
    const first = await b.handle(incoming('问'))
    expect(first.hasMore).toBe(true)
    expect(first.text).toContain('「更多」')
    expect('more' in first).toBe(false)
    const second = await b.handle(incoming('更多'))
    expect(second.text).toBe('第二段')
    expect(second.hasMore).toBeUndefined()
  })
})
