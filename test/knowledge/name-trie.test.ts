import { describe, expect, it } from 'vitest'
import { NameTrie } from '../../src/knowledge/name-trie.js'
import { RegionRegistry } from '../../src/knowledge/region-registry.js'

describe('NameTrie', () => {
  it('finds every occurrence of every name, overlapping ones too', () => {
    const trie = new NameTrie<string>()
    trie.add('东营', 'a')
    trie.add('东营市', 'b')
    trie.add('营市', 'c')
    expect(trie.matches('我在东营市东营').map((m) => [m.at, m.length, m.values.join()])).toEqual([
      [2, 2, 'a'],
      [2, 3, 'b'],
      [3, 2, 'c'],
      [5, 2, 'a'],
    ])
  })
})

describe('RegionRegistry at scale', () => {
  it('adds 3,000 regions with districts quickly and finds the one named, the longest spelling winning', () => {
    const reg = new RegionRegistry()
    const started = performance.now()
    for (let i = 0; i < 3000; i++) reg.add({ name: `测${i}市`, districts: [`测${i}甲区`, `测${i}乙镇`] })
    expect(performance.now() - started).toBeLessThan(2000)
    expect(reg.findIn('测2999乙镇的科普活动')?.name).toBe('测2999市')
    expect(reg.placesIn('测12甲区')).toEqual([{ region: reg.byName('测12市'), district: '测12甲区', at: 0, length: 5 }])
    expect(reg.byName('测77')?.name).toBe('测77市')
  })
})
