import { describe, expect, it } from 'vitest'
import { PlanIndex } from '../../src/search/plan-index.js'
import { decodeShardFile, encodeShardFile, type PlanShardJSON } from '../../src/search/shard-file.js'
import { testApp } from '../helpers/app.js'

/** A saved shard file read back, as the file store does. */
const fileOf = (file: Buffer | undefined) => (file ? decodeShardFile(file) : undefined)

describe('PlanIndex', () => {
  const kb = testApp().knowledge

  it('answers within one region only when asked to', () => {
    const hits = kb.index.search(kb.analyze('每年培训科技辅导员多少人次'), { region: '东营市' })
    expect(hits.length).toBeGreaterThan(0)
    expect(hits.every((h) => h.passage.region === '东营市')).toBe(true)
    expect(hits[0]!.sentence).toContain('150')
  })

  it('prefers the sentence with a figure for a 多少 question', () => {
    const hit = kb.index.search(kb.analyze('要培育多少高素质农民'), { region: '东营市' })[0]!
    expect(hit.sentence).toContain('4000')
    expect(hit.coverage).toBeGreaterThan(0.5)
  })

  it('finds nothing for questions outside the plans', () => {
    for (const q of ['帮我订一张明天去北京的机票', '今天股票会涨吗', 'asdfgh']) {
      const hits = kb.index.search(kb.analyze(q))
      expect(hits.every((h) => h.coverage < 0.4), q).toBe(true)
    }
  })

  it('a saved shard loads and answers the same as a built one', () => {
    const saved = new Map<string, Buffer>()
    const store = { read: (r: string) => fileOf(saved.get(r)), write: (r: string, s: PlanShardJSON) => void saved.set(r, encodeShardFile(s)) }
    const built = new PlanIndex(kb.plans, kb.tokenize, 'fp', store)
    expect(built.warm()).toBe(kb.plans.length)
    expect(saved.size).toBe(kb.plans.length)
    const loaded = new PlanIndex(kb.plans, kb.tokenize, 'fp', store)
    expect(loaded.warm()).toBe(0)
    const q = kb.analyze('科普志愿者队伍有多少人')
    expect(loaded.search(q).map((h) => h.passage.id)).toEqual(built.search(q).map((h) => h.passage.id))
    const otherContent = new PlanIndex(kb.plans, kb.tokenize, 'another', store)
    expect(otherContent.warm()).toBe(kb.plans.length)
  })
})
