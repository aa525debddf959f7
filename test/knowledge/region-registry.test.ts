import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { RegionRegistry } from '../../src/knowledge/region-registry.js'

const registry = (): RegionRegistry => RegionRegistry.load(join(__dirname, '../../content/regions.yaml'))

describe('RegionRegistry', () => {
  it('finds regions by name, short form and alias', () => {
    const r = registry()
    expect(r.byName('东营')?.name).toBe('东营市')
    expect(r.byName('汕尾城区')?.name).toBe('汕尾市城区')
    expect(r.byName('北京')).toBeUndefined()
  })

  it('finds the first region named in free text, longest spelling first', () => {
    const r = registry()
    expect(r.findIn('东营每年培训多少人')?.name).toBe('东营市')
    expect(r.findIn('汕尾市城区的目标')?.name).toBe('汕尾市城区')
    expect(r.findIn('主城区有什么活动')).toBeUndefined()
    expect(r.findIn('明天天气')).toBeUndefined()
  })

  it('adds a region named by a new plan, deriving its short form', () => {
    const r = registry()
    const added = r.add({ name: '某某县' })
    expect(added.short).toBe('某某')
    expect(r.findIn('某某县的目标')?.name).toBe('某某县')
  })
})
