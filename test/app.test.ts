import { describe, expect, it } from 'vitest'
import { createApp } from '../src/app.js'
import { cacheDir } from '../src/core/cache-dir.js'
import { FakeClock } from './fakes/fake-clock.js'
import { SKILLS } from '../src/skills.js'
import type { KepuSkill } from '../src/skills/skill-env.js'
import { incoming } from './helpers/app.js'
import { memoryStore } from './helpers/store.js'

// The recipe of docs/skills.md: a new skill is one object and one line in the array.
const weatherSkill: KepuSkill = {
  name: 'toy-weather',
  summary: '玩具技能：回答「天气」',
  setup: (env) => ({
    handlers: [
      {
        name: 'toy-weather',
        stage: 'answer',
        handle: async (ctx, next) => (ctx.text.includes('天气') ? { text: `${ctx.region?.name ?? '本地'}今天晴（${env.clock.now().getUTCFullYear()}）`, answered: true, intent: 'help' } : next()),
      },
    ],
    topics: [{ id: 'toy-weather', label: '天气提醒', regional: true }],
  }),
}

describe('createApp: the skills array', () => {
  it('composes every skill once; a toy skill added to the array answers in its place', async () => {
    const app = createApp({ clock: new FakeClock('2026-05-05T01:00:00Z'), cacheDir: cacheDir(), skills: [...SKILLS, weatherSkill] })
    expect(app.skills.map((s) => s.skill)).toEqual([...SKILLS.map((s) => s.name), 'toy-weather'])
    const r = await app.bot.handle(incoming('东营天气怎么样'))
    expect(r.text).toBe('东营市今天晴（2026）')
    expect(app.chain.filter((h) => h.stage === 'answer').at(-1)?.name).toBe('toy-weather')
  })

  it('turns on the skills that keep data only with a store', async () => {
    const without = createApp({ cacheDir: cacheDir() })
    expect(without.chain.map((h) => h.name)).not.toContain('subscriptions')
    expect(without.chain.map((h) => h.name)).not.toContain('unanswered-recorder')
    expect(without.chain.map((h) => h.name)).not.toContain('flood-guard')
    const store = await memoryStore()
    try {
      const withStore = createApp({ cacheDir: cacheDir(), store })
      expect(withStore.chain.slice(0, 2).map((h) => h.name)).toEqual(['flood-guard', 'unanswered-recorder'])
      expect(withStore.chain.map((h) => h.name)).toContain('subscriptions')
      expect(withStore.skills.find((s) => s.skill === 'subscriptions')?.start).toBeTypeOf('function')
    } finally {
      await store.close()
    }
  })
})
