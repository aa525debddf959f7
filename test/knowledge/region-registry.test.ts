import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { RegionRegistry, RegionsFileSchema } from '../../src/knowledge/region-registry.js'

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

describe('districts', () => {
  const reg = registry()
  it.each([
    ['我家在利津', '东营市', '利津县'],
    ['俺家在东营垦利区', '东营市', '垦利区'],
    ['高平米山镇', '高平市', '米山镇'],
    ['乌海海南区', '乌海市', '海南区'],
    ['乌海海南', '乌海市', '海南区'],
    ['我们这是神木大柳塔', '神木市', '大柳塔镇'],
  ])('「%s」 names %s (%s)', (text, region, district) => {
    const places = reg.placesIn(text)
    expect(places.every((p) => p.region.name === region)).toBe(true)
    expect(places.some((p) => p.district === district)).toBe(true)
  })

  it.each(['我在海南', '黄河口', '三甲医院', '东城区的医院'])('a short name that is another place or word counts only after its region: 「%s」', (text) => {
    expect(reg.findIn(text)).toBeUndefined()
  })

  it('byName takes a district or its unambiguous short form, not an ambiguous one', () => {
    expect(reg.byName('垦利')?.name).toBe('东营市')
    expect(reg.byName('海南区')?.name).toBe('乌海市')
    expect(reg.byName('海南')).toBeUndefined()
  })

  it('rejects a district listed under two regions, naming it', () => {
    expect(() => RegionsFileSchema.parse({ regions: [{ name: '甲市', short: '甲', districts: ['某区'] }, { name: '乙市', short: '乙', districts: ['某区'] }] })).toThrow(/某区/)
  })
})
