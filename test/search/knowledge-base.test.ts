import { cpSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadKnowledgeBase } from '../../src/search/knowledge-base.js'

const root = join(__dirname, '../..')

/** A seeds folder with the bundled plans plus the given extra files. */
function seedsWith(extra: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kepu-seeds-'))
  cpSync(join(root, 'seeds'), dir, { recursive: true })
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(dir, name), text)
  return dir
}

describe('loadKnowledgeBase', () => {
  it('takes a new plan from a new file, its region included, with no code change', () => {
    const seedsDir = seedsWith({ 'mouxian.txt': '某某县全民科学素质行动规划纲要实施方案（2021—2025年）\n一、工作目标\n到2025年，全县公民具备科学素质的比例达到11%。\n' })
    const kb = loadKnowledgeBase({ contentDir: join(root, 'content'), seedsDir })
    expect(kb.regions.byName('某某县')?.short).toBe('某某')
    const hit = kb.index.search(kb.analyze('某某县2025年科学素质比例目标是多少'), { region: '某某县' })[0]
    expect(hit?.sentence).toContain('11%')
  })

  it('searches the national outline with every region, but not as a place', () => {
    const seedsDir = seedsWith({ 'national.txt': '全民科学素质行动规划纲要（2021—2035年）\n一、主要目标\n到2035年，我国公民具备科学素质的比例达到25%，科学素质大国。\n' })
    const kb = loadKnowledgeBase({ contentDir: join(root, 'content'), seedsDir })
    expect(kb.regions.byName('全国')).toBeUndefined()
    const hits = kb.index.search(kb.analyze('到2035年公民具备科学素质的比例达到多少'), { region: '东营市', limit: 5 })
    expect(hits.some((h) => h.passage.region === '全国' && h.sentence.includes('25%'))).toBe(true)
    expect(hits.every((h) => h.passage.region === '全国' || h.passage.region === '东营市')).toBe(true)
  })

  it('reuses a cached index only for the same content', () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'kepu-cache-'))
    const a = loadKnowledgeBase({ contentDir: join(root, 'content'), seedsDir: join(root, 'seeds'), cacheDir })
    const b = loadKnowledgeBase({ contentDir: join(root, 'content'), seedsDir: join(root, 'seeds'), cacheDir })
    expect(b.index.fingerprint).toBe(a.index.fingerprint)
    const changed = loadKnowledgeBase({ contentDir: join(root, 'content'), seedsDir: seedsWith({ 'x.txt': '某某县全民科学素质行动规划纲要实施方案\n一、目标\n到2025年比例达到11%。\n' }), cacheDir })
    expect(changed.index.fingerprint).not.toBe(a.index.fingerprint)
  })
})
