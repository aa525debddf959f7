import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadPlanTree } from '../../src/knowledge/load-plans.js'

const SEEDS = join(import.meta.dirname, '..', '..', 'seeds')

describe('loadPlanTree with a cache folder', () => {
  it('reads back from the cache exactly the plans it parsed, and cached passages share their empty lists', () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'kepu-plans-'))
    const parsed = loadPlanTree(SEEDS, { cacheDir })
    expect(readdirSync(join(cacheDir, 'plans')).length).toBe(parsed.plans.length)
    const cached = loadPlanTree(SEEDS, { cacheDir })
    expect(cached).toEqual(parsed)
    expect(cached).toEqual(loadPlanTree(SEEDS))
    // Passages without lead units share one empty list (memory for a national corpus).
    const passages = cached.plans.flatMap((p) => p.passages)
    expect(passages.some((p) => !p.leads.length)).toBe(true)
    expect(passages.filter((p) => !p.leads.length).every((p) => Object.isFrozen(p.leads))).toBe(true)
  })
})
