import { describe, expect, it } from 'vitest'
import { RegionRouter, type RegionSummary } from '../../src/search/region-router.js'

/** The plain reading of `pick`: every region's IDF-weighted sum, sorted, ties to the earlier region. */
function reference(summaries: RegionSummary[], terms: string[], limit: number): string[] {
  const df = new Map<string, number>()
  for (const s of summaries) for (const t of new Set(s.terms)) df.set(t, (df.get(t) ?? 0) + 1)
  const scored = summaries.map((s, i) => {
    let score = 0
    for (const t of new Set(terms)) if (s.terms.includes(t)) score += Math.log(1 + summaries.length / df.get(t)!)
    return { i, score }
  })
  return scored
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, limit)
    .map((x) => summaries[x.i]!.region)
}

describe('RegionRouter.pick', () => {
  it('picks the best regions as the plain reading does, call after call (random corpora)', () => {
    let seed = 7
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) % n)
    const vocabulary = Array.from({ length: 40 }, (_, i) => `词${i}`)
    for (let round = 0; round < 30; round++) {
      const summaries: RegionSummary[] = Array.from({ length: 1 + rand(60) }, (_, i) => ({
        region: `地区${i}`,
        common: [],
        terms: [...new Set(Array.from({ length: rand(12) }, () => vocabulary[rand(vocabulary.length)]!))],
      }))
      const router = new RegionRouter(summaries)
      for (let q = 0; q < 10; q++) {
        const terms = Array.from({ length: 1 + rand(5) }, () => vocabulary[rand(vocabulary.length)]!)
        const limit = 1 + rand(10)
        expect(router.pick(terms, limit), `${round}/${q}`).toEqual(reference(summaries, terms, limit))
      }
    }
  })

  it('gives nothing for terms no summary has', () => {
    const router = new RegionRouter([{ region: '东营市', common: [], terms: ['科普'] }])
    expect(router.pick(['机票'], 8)).toEqual([])
  })
})
