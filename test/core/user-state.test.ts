import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { createBot } from '../../src/core/bot.js'
import { cacheDir } from '../../src/core/cache-dir.js'
import { MemoryLogger } from '../../src/core/logger.js'
import { DIALOGUE_TTL_MS, liveDialogue, MemoryUserStateStore, type UserState } from '../../src/core/user-state.js'
import { openStore } from '../../src/store/sql/open-store.js'
import { FakeClock } from '../fakes/fake-clock.js'
import { incoming, testApp } from '../helpers/app.js'

const regions = { byName: () => undefined, findIn: () => undefined }

describe('dialogue state', () => {
  it('is live for 30 quiet minutes by the given time, then gone', () => {
    const state: UserState = { dialogue: { at: '2026-05-05T01:00:00.000Z', question: 'q' } }
    expect(liveDialogue(state, new Date(Date.parse('2026-05-05T01:00:00Z') + DIALOGUE_TTL_MS))).toBeDefined()
    expect(liveDialogue(state, new Date(Date.parse('2026-05-05T01:00:00Z') + DIALOGUE_TTL_MS + 1))).toBeUndefined()
    expect(liveDialogue({ dialogue: { at: 'not a date' } }, new Date())).toBeUndefined()
  })

  it('is what the handler remembers, dropped by the bot after the quiet spell (injected clock)', async () => {
    const clock = new FakeClock('2026-05-05T01:00:00Z')
    const users = new MemoryUserStateStore()
    const seen: (string | undefined)[] = []
    const bot = createBot({
      clock,
      logger: new MemoryLogger(),
      users,
      regions,
      handlers: [async (ctx) => (seen.push(ctx.dialogue?.question), { text: 'ok', answered: true, intent: 'plan', remember: { question: ctx.text } })],
    })
    await bot.handle(incoming('第一问'))
    clock.advance(29 * 60_000)
    await bot.handle(incoming('第二问'))
    clock.advance(31 * 60_000)
    await bot.handle(incoming('第三问'))
    expect(seen).toEqual([undefined, '第一问', undefined])
    expect(users.get('test:u1')?.dialogue?.question).toBe('第三问')
  })

  it('works with an asynchronous store too', async () => {
    const map = new Map<string, UserState>()
    const users = { get: async (k: string) => map.get(k), set: async (k: string, s: UserState) => void map.set(k, s) }
    const bot = createBot({ clock: new FakeClock('2026-05-05T01:00:00Z'), logger: new MemoryLogger(), users, regions, handlers: [async (ctx) => ({ text: String(ctx.dialogue?.question), answered: true, intent: 'plan', remember: { question: ctx.text } })] })
    await bot.handle(incoming('一'))
    expect((await bot.handle(incoming('二'))).text).toBe('一')
  })
})

describe('a conversation survives a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kepu-dialogue-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('keeps region and context in the store and a new bot reads them back', async () => {
    const clock = new FakeClock('2026-10-15T01:00:00Z')
    const first = await openStore({ dataDir: dir })
    const before = createApp({ clock, cacheDir: cacheDir(), store: first })
    const who = { channel: 'telegram', userId: 'restart-1', chatId: 'restart-1' }
    expect((await before.bot.handle(incoming('俺家在东营垦利区', who))).text).toContain('垦利区')
    await before.bot.handle(incoming('咱市应急科普这块是怎么安排的', who))
    await first.close()

    clock.advance(2 * 60_000)
    const second = await openStore({ dataDir: dir })
    const after = createApp({ clock, cacheDir: cacheDir(), store: second })
    const r = await after.bot.handle(incoming('这个归哪个部门管', who))
    expect(r.text).toContain('市科协')
    expect(r.sources?.[0]?.region).toBe('东营市')
    const other = await after.bot.handle(incoming('那高平呢', who))
    expect(other.sources?.[0]?.region).toBe('高平市')
    await second.close()
  })
})

describe('replies fit a chat message', () => {
  const phrases = ['我在东营', '那高平呢', '接着说', '第三条', '这个归谁管', '还有哪些单位配合', '九月份呢', '带孩子能去的有吗', '不对，我想问的是', '青少年', '科普活动', '提升行动有哪些', '更多', '长辈模式', '菜单', '20', '好嘞', '【医保局】', 'http://x.cc', '转两万', '有啥', '多少', '谁牵头', '哪些', '防灾减灾日', '科学素质', '，', '？']
  it('no reply exceeds 4096 characters, whatever is typed in a conversation', async () => {
    const { bot } = testApp()
    let n = 0
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.array(fc.constantFrom(...phrases), { minLength: 1, maxLength: 4 }).map((a) => a.join('')), fc.string({ maxLength: 60 })), { minLength: 1, maxLength: 6 }), async (turns) => {
        const userId = `prop-${++n}`
        for (const t of turns) {
          const r = await bot.handle(incoming(t, { userId }))
          expect(Array.from(r.text).length).toBeLessThanOrEqual(4096)
        }
      }),
      { numRuns: 150 },
    )
  })
})
