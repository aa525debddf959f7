import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadPlanTree } from '../../src/knowledge/load-plans.js'
import { PlanIndex, SHARD_BYTES_PER_CHAR } from '../../src/search/plan-index.js'
import { decodeShardFile, encodeShardFile, type PlanShardJSON } from '../../src/search/shard-file.js'
import type { RoutingJSON } from '../../src/search/region-router.js'
import { loadKnowledgeBase } from '../../src/search/knowledge-base.js'
import { testApp } from '../helpers/app.js'

const root = join(import.meta.dirname, '../..')

/** A saved shard file read back, as the file store does. */
const fileOf = (file: Buffer | undefined) => (file ? decodeShardFile(file) : undefined)

describe('PlanIndex with a memory budget', () => {
  const kb = testApp().knowledge

  it('keeps at most the budget loaded, drops the least recently searched shard, and answers the same', () => {
    const saved = new Map<string, Buffer>()
    let routing: RoutingJSON | undefined
    const store = { read: (r: string) => fileOf(saved.get(r)), write: (r: string, s: PlanShardJSON) => void saved.set(r, encodeShardFile(s)), readRouting: () => routing, writeRouting: (j: RoutingJSON) => void (routing = j) }
    const all = new PlanIndex(kb.plans, kb.tokenize, 'fp', store)
    all.warm()
    const largest = Math.max(...kb.plans.map((p) => p.passages.reduce((n, x) => n + x.text.length + x.title.length, 0)))
    const budget = 2 * largest * SHARD_BYTES_PER_CHAR
    const small = new PlanIndex(kb.plans, kb.tokenize, 'fp', store, { memoryBudget: budget })
    small.warm()
    expect(small.loaded().bytes).toBeLessThanOrEqual(budget)
    for (const [region, q] of [['东营市', '每年培训科技辅导员多少人次'], ['乌海市', '科普志愿者队伍有多少人'], ['神木市', '科技馆'], ['东营市', '要培育多少高素质农民']] as const) {
      const a = kb.analyze(q)
      expect(small.search(a, { region }).map((h) => h.passage.id)).toEqual(all.search(a, { region }).map((h) => h.passage.id))
      expect(small.loaded().shards).toBeLessThanOrEqual(2)
    }
    const q = kb.analyze('科普志愿者队伍有多少人')
    expect(small.search(q).map((h) => h.passage.id)).toEqual(all.search(q).map((h) => h.passage.id))
    expect(small.isVague(kb.analyze('科学是什么'))).toBe(all.isVague(kb.analyze('科学是什么')))
  })

  it('reads nothing of a shard after releasing it: released bytes overwritten, answers unchanged', () => {
    const saved = new Map<string, Buffer>()
    new PlanIndex(kb.plans, kb.tokenize, 'fp', { read: () => undefined, write: (r: string, s: PlanShardJSON) => void saved.set(r, encodeShardFile(s)) }).warm()
    let released = 0
    // Each read gets its own aligned copy (as the pool's buffers are), garbage once released.
    const poisoned = {
      read: (r: string) => {
        const file = saved.get(r)
        if (!file) return undefined
        const own = Buffer.allocUnsafeSlow(file.length)
        file.copy(own)
        return decodeShardFile(own, () => {
          released++
          own.fill(0xff)
        })
      },
      write: () => {},
    }
    const all = new PlanIndex(kb.plans, kb.tokenize, 'fp', poisoned)
    const largest = Math.max(...kb.plans.map((p) => p.passages.reduce((n, x) => n + x.text.length + x.title.length, 0)))
    const one = new PlanIndex(kb.plans, kb.tokenize, 'fp', poisoned, { memoryBudget: largest * SHARD_BYTES_PER_CHAR })
    // Region after region, so that nearly every question loads its shard and drops another.
    const questions = Array.from({ length: 12 }, (_, i) => kb.plans.flatMap((p) => (p.passages[i] ? [{ q: `${p.passages[i].title}是多少`, region: p.region }] : []))).flat()
    for (const { q, region } of [...questions, ...questions.reverse()]) {
      const a = kb.analyze(q)
      expect(one.search(a, { region, limit: 5 }), q).toEqual(all.search(a, { region, limit: 5 }))
    }
    expect(released).toBeGreaterThan(questions.length / 2)
  })
})

describe('a shard loaded from its saved form', () => {
  const kb = testApp().knowledge

  it('ranks exactly as the shard it was saved from, on every passage title as a question', () => {
    const saved = new Map<string, Buffer>()
    const store = { read: (r: string) => fileOf(saved.get(r)), write: (r: string, s: PlanShardJSON) => void saved.set(r, encodeShardFile(s)) }
    // Built without a store, the shards are MiniSearch's own; saved and loaded, they are compact.
    const built = new PlanIndex(kb.plans, kb.tokenize, 'fp')
    built.warm()
    new PlanIndex(kb.plans, kb.tokenize, 'fp', store).warm()
    expect(saved.size).toBe(kb.plans.length)
    const loaded = new PlanIndex(kb.plans, kb.tokenize, 'fp', store)
    expect(loaded.warm()).toBe(0)
    const questions = kb.plans.flatMap((p) => p.passages.map((x) => ({ q: `${x.title}是多少`, region: p.region })))
    expect(questions.length).toBeGreaterThan(300)
    for (const { q, region } of questions) {
      const a = kb.analyze(q)
      const got = loaded.search(a, { region, limit: 10 }).map((h) => [h.passage.id, h.score])
      expect(got, q).toEqual(built.search(a, { region, limit: 10 }).map((h) => [h.passage.id, h.score]))
    }
    const q = kb.analyze('科普志愿者队伍有多少人')
    expect(loaded.search(q, { limit: 12 })).toEqual(built.search(q, { limit: 12 }))
  })
})

describe('a corpus folder', () => {
  it('reads nested folders, searches a provincial plan with the regions below it, and caches parsed plans', () => {
    const seeds = mkdtempSync(join(tmpdir(), 'kepu-seeds-'))
    mkdirSync(join(seeds, 'sx', 'jc'), { recursive: true })
    // A province-level copy of 高平's plan above 高平 itself (the title names the region).
    const gaoping = readFileSync(join(root, 'seeds/gaoping.txt'), 'utf8')
    writeFileSync(join(seeds, 'sx', 'province.txt'), gaoping.replace(/高平市/gu, '晋城市'))
    cpSync(join(root, 'seeds/gaoping.txt'), join(seeds, 'sx', 'jc', 'gaoping.txt'))
    cpSync(join(root, 'seeds/dongying.txt'), join(seeds, 'dongying.txt'))
    const cache = mkdtempSync(join(tmpdir(), 'kepu-cache-'))
    const tree = loadPlanTree(seeds, { cacheDir: cache })
    expect(tree.plans.map((p) => p.id)).toEqual(['dongying', 'sx/jc/gaoping', 'sx/province'])
    expect(tree.above.get('高平市')).toEqual(['晋城市'])
    expect(readdirSync(join(cache, 'plans'))).toHaveLength(3)
    expect(loadPlanTree(seeds, { cacheDir: cache }).plans).toEqual(tree.plans)
    const kb = loadKnowledgeBase({ contentDir: join(root, 'content'), seedsDir: seeds, cacheDir: cache })
    const regions = new Set(kb.index.search(kb.analyze('科普志愿者'), { region: '高平市', limit: 20 }).map((h) => h.passage.region))
    expect([...regions].sort()).toEqual(['晋城市', '高平市'])
  })
})
