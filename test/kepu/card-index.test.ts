import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { cacheDir } from '../../src/core/cache-dir.js'
import { loadKepuKnowledge, type KepuKnowledge } from '../../src/kepu/kepu-knowledge.js'
import { RegionRegistry } from '../../src/knowledge/region-registry.js'
import { ANSWERED, NOT_CARDS } from './typical-questions.js'

const CONTENT_DIR = join(import.meta.dirname, '..', '..', 'content')
let k: KepuKnowledge
beforeAll(() => {
  k = loadKepuKnowledge({ contentDir: CONTENT_DIR, regions: RegionRegistry.load(join(CONTENT_DIR, 'regions.yaml')).all(), cacheDir: cacheDir() })
})

describe('card index: typical questions per category', () => {
  it.each([
    ['孩子的手被热油烫了', 'em-burn'],
    ['闻到家里有煤气味', 'em-gas-leak'],
    ['地震的时候在家里怎么躲', 'em-quake-indoor'],
    ['坐电梯被困住了怎么办', 'em-elevator-trapped'],
    ['糖尿病人主食怎么吃', 'he-diabetes-staple'],
    ['高血压能自己停药吗', 'he-bp-medication'],
    ['怎么把手机字体调大', 'di-phone-font-size'],
    ['微信扫码怎么扫', 'di-wechat-scan'],
    ['骚扰电话太多了怎么拦截', 'di-spam-call-block'],
    ['微波炉加热的饭会致癌吗', 'ru-microwave-cancer'],
    ['喝醋能软化血管吗', 'ru-vinegar-soften-vessels'],
    ['天为什么是蓝的', 'sc-sky-blue'],
    ['刚打过农药的菜几天能吃', 'ag-pesticide-interval'],
  ])('%s → %s', (question, id) => {
    expect(k.index.answer(question)?.card.id).toBe(id)
  })

  it('answers at least 90% of the typical questions with a right card', () => {
    const right = ANSWERED.filter(([q, ids]) => ids.includes(k.index.answer(q)?.card.id ?? ''))
    expect(right.length / ANSWERED.length).toBeGreaterThanOrEqual(0.9)
  })

  it.each(NOT_CARDS)('no card takes 「%s」', (question) => {
    expect(k.index.answer(question)).toBeUndefined()
  })
})

describe('card index: rumour claims in forwarded messages', () => {
  it('finds the claim a long message makes', () => {
    const hit = k.index.matchClaim('【扩散】微波炉热过的饭菜有辐射，吃了会致癌！家里有老人孩子的千万别再用微波炉了！')
    expect(hit?.card.id).toMatch(/microwave/)
  })

  it('finds nothing in a notice', () => {
    expect(k.index.matchClaim('【自来水公司】因管网维修，本周三上午8点至下午6点城区部分小区停水，请居民提前储水。')).toBeUndefined()
  })
})

describe('card index: words', () => {
  it('drops bigrams across two words no card uses, keeps words and characters', () => {
    const terms = k.index.wordTerms('七十岁了每天锻炼多少合适')
    expect(terms).toContain('锻炼')
    expect(terms).toContain('每天')
    expect(terms).not.toContain('天锻')
  })
})

describe('card index: a saved index', () => {
  it('answers every typical question and card phrasing exactly as the one built from the cards', () => {
    const regions = RegionRegistry.load(join(CONTENT_DIR, 'regions.yaml')).all()
    const folder = mkdtempSync(join(tmpdir(), 'kepu-cards-'))
    const built = loadKepuKnowledge({ contentDir: CONTENT_DIR, regions, cacheDir: folder })
    expect(built.index.built).toBe(true)
    const loaded = loadKepuKnowledge({ contentDir: CONTENT_DIR, regions, cacheDir: folder })
    expect(loaded.index.built).toBe(false)
    const questions = [...ANSWERED.map(([q]) => q), ...NOT_CARDS, ...built.index.cards.flatMap((c) => c.questions)]
    expect(questions.length).toBeGreaterThan(1000)
    for (const q of questions) {
      const a = built.index.search(q, { limit: 3 }).map((h) => [h.card.id, h.score])
      expect(loaded.index.search(q, { limit: 3 }).map((h) => [h.card.id, h.score]), q).toEqual(a)
    }
    const rumour = built.index.cards.find((c) => c.category === '辟谣' && c.claim)!
    expect(loaded.index.matchClaim(`转发：${rumour.claim!}，大家注意`)?.card.id).toBe(built.index.matchClaim(`转发：${rumour.claim!}，大家注意`)?.card.id)
  })
})
