import { afterEach, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { GROUP_ADMIN_ONLY } from '../../src/announce/subscription-handler.js'
import { loadConfig } from '../../src/config.js'
import type { Adapter } from '../../src/core/adapter.js'
import { cacheDir } from '../../src/core/cache-dir.js'
import type { Incoming } from '../../src/core/incoming.js'
import { silentLogger } from '../../src/core/logger.js'
import type { Store } from '../../src/store/async-store.js'
import { FakeClock } from '../fakes/fake-clock.js'
import { memoryStore } from '../helpers/store.js'

// The subscriptions skill asks the adapter a group message came through whether its sender administers the group.

let store: Store | undefined
afterEach(async () => {
  await store?.close()
  store = undefined
})

const fakeTelegram = (admins: Set<string>): Adapter => ({
  name: 'telegram',
  start: async () => {},
  stop: async () => {},
  send: async () => ({}),
  isGroupAdmin: async (chatId, userId) => admins.has(`${chatId}/${userId}`),
})

describe('subscriptions skill: who may unsubscribe a group', () => {
  it('asks the running adapter (isGroupAdmin) and refuses before start and after its undo', async () => {
    store = await memoryStore()
    const s = store
    const clock = new FakeClock('2026-09-14T01:00:00Z')
    const config = loadConfig({ env: { KEPU_DEFAULT_ANNOUNCEMENTS: 'off' }, envFile: false })
    const app = createApp({ store: s, clock, config, logger: silentLogger, cacheDir: cacheDir() })
    const skill = app.skills.find((x) => x.skill === 'subscriptions')!
    const say = (userId: string) => app.bot.handle({ channel: 'telegram', chatId: '-100', userId, isGroup: true, mentioned: true, forwarded: false, text: '全部退订' } satisfies Incoming)
    const sub = () => s.subscribe({ channel: 'telegram', chatId: '-100', isGroup: true, topic: 'fraud-tip', region: undefined }, clock.now())
    await sub()
    expect((await say('8')).text).toBe(GROUP_ADMIN_ONLY)
    const undo = await skill.start!({ config, clock, logger: silentLogger, store: s, adapters: new Map([['telegram', fakeTelegram(new Set(['-100/8']))]]) })
    try {
      expect((await say('7')).text).toBe(GROUP_ADMIN_ONLY)
      expect((await say('8')).text).toContain('已为您退订全部推送')
      await sub()
    } finally {
      if (undo) await undo()
    }
    expect((await say('8')).text).toBe(GROUP_ADMIN_ONLY)
    expect(await s.subscriptionsOf('telegram', '-100')).toHaveLength(1)
  })
})
