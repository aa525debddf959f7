import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { cacheDir } from '../../src/core/cache-dir.js'
import { cardSchema } from '../../src/kepu/card-schema.js'
import { loadKepuKnowledge, type KepuKnowledge } from '../../src/kepu/kepu-knowledge.js'
import type { LoadedCard } from '../../src/kepu/load-cards.js'
import { RegionRegistry } from '../../src/knowledge/region-registry.js'
import { SynonymRegistry } from '../../src/search/synonym-registry.js'
import { ANSWERED } from './typical-questions.js'

const CONTENT_DIR = join(import.meta.dirname, '..', '..', 'content')
let k: KepuKnowledge
const synonyms = new SynonymRegistry()
beforeAll(() => {
  k = loadKepuKnowledge({ contentDir: CONTENT_DIR, regions: RegionRegistry.load(join(CONTENT_DIR, 'regions.yaml')).all(), cacheDir: cacheDir(), synonyms })
})

/** A card as the console stores it: validated by the files' schema. */
function staffCard(id: string, extra: Partial<LoadedCard> = {}): LoadedCard {
  const card = cardSchema.parse({
    id,
    category: '科学常识',
    topic: '绿萝养护',
    questions: ['绿萝叶子发黄怎么办', '绿萝多久浇一次水'],
    keywords: ['绿萝', '黄叶'],
    answer: '绿萝叶子发黄多半是浇水太勤、盆土积水烂根，也可能是长期晒不到散射光。等盆土表面干了再浇透，盆底要能排水；放在明亮但不直晒的地方，剪掉黄叶。',
    elder: '绿萝黄叶多是水浇多了，土干了再浇，放亮堂但不晒的地方。',
    source: { org: '中国科学院植物研究所', title: '《室内观叶植物养护常识》', year: 2022 },
    reviewed: '2026-12-01',
    ...extra,
  })
  return { ...card, file: 'console' }
}

const answers = (): (string | undefined)[] => ANSWERED.map(([q]) => k.index.answer(q)?.card.id)

describe('card index: cards staff keep in the console', () => {
  it('answers with a stored card at once, and no longer once it is withdrawn', () => {
    const question = '家里的绿萝叶子发黄是咋回事'
    expect(k.index.answer(question)).toBeUndefined()
    const before = answers()
    expect(k.index.setStoredCards([staffCard('staff-pothos')])).toEqual([])
    expect(k.index.answer(question)?.card.id).toBe('staff-pothos')
    expect(k.cards.some((c) => c.id === 'staff-pothos')).toBe(true)
    expect(k.index.get('staff-pothos')?.topic).toBe('绿萝养护')
    k.index.setStoredCards([])
    expect(k.index.answer(question)).toBeUndefined()
    expect(k.cards.some((c) => c.id === 'staff-pothos')).toBe(false)
    // Setting and withdrawing leaves the files' cards answering exactly as before.
    expect(answers()).toEqual(before)
  })

  it('ranks the same whatever was set before: the index is a function of the cards given', () => {
    const a = staffCard('staff-a')
    const b = staffCard('staff-b', { topic: '绿萝繁殖', questions: ['绿萝怎么水培扦插'], keywords: ['扦插', '绿萝'] })
    k.index.setStoredCards([a, b])
    k.index.setStoredCards([a])
    const afterHistory = k.index.search('绿萝总是黄叶子')
    k.index.setStoredCards([])
    k.index.setStoredCards([a])
    expect(k.index.search('绿萝总是黄叶子')).toEqual(afterHistory)
    k.index.setStoredCards([])
  })

  it("leaves out a stored card whose id a file uses (the file's card wins)", () => {
    expect(k.index.setStoredCards([staffCard('em-gas-leak')])).toEqual(['em-gas-leak'])
    expect(k.index.get('em-gas-leak')?.topic).not.toBe('绿萝养护')
    k.index.setStoredCards([])
  })
})

describe('card index: synonyms', () => {
  it('understands a word no card uses through a stored synonym, at the next question', () => {
    const question = '被汪星人咬了怎么办'
    expect(k.index.answer(question)).toBeUndefined()
    synonyms.set([{ say: ['汪星人'], means: ['狗'] }])
    expect(k.index.answer(question)?.card.id).toBe('em-dog-bite')
    synonyms.set([])
    expect(k.index.answer(question)).toBeUndefined()
  })
})

describe('card index: the words of a question, for a synonym', () => {
  it('keeps dictionary words and takes a run the dictionary cut into characters whole, without particles at its ends', () => {
    expect(k.index.questionWords('被汪星人咬了怎么办')).toEqual(['汪星人咬'])
    expect(k.index.questionWords('家里的绿萝叶子发黄是咋回事')).toEqual(expect.arrayContaining(['绿萝', '叶子', '发黄']))
    expect(k.index.questionWords('家里的绿萝叶子发黄是咋回事')).not.toContain('的绿萝')
  })
})
