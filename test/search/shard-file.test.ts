import { describe, expect, it } from 'vitest'
import type { PlanShardJSON } from '../../src/search/plan-index.js'
import { decodeShardFile, encodeShardFile } from '../../src/search/shard-file.js'
import { testApp } from '../helpers/app.js'

describe('shard files', () => {
  const kb = testApp().knowledge
  const region = kb.plans[0]!.region
  const shard = kb.index.shardJSON(region)!

  it('read back exactly what was written, Chinese, tabs and all', () => {
    expect(Object.keys(shard.sentences).length).toBeGreaterThan(10)
    expect(decodeShardFile(encodeShardFile(shard))).toEqual(shard)
    const odd: PlanShardJSON = { ...shard, terms: { entries: '' }, sentences: {} }
    expect(decodeShardFile(encodeShardFile(odd))).toEqual(odd)
  })

  it('refuse a cut file, an older JSON cache and garbage instead of misreading them', () => {
    const file = encodeShardFile(shard)
    expect(decodeShardFile(file.subarray(0, file.length - 2))).toBeUndefined()
    expect(decodeShardFile(Buffer.from(JSON.stringify(shard)))).toBeUndefined()
    expect(decodeShardFile(Buffer.from('{"lengths":[1,1]}\nabcd'))).toBeUndefined()
    expect(decodeShardFile(Buffer.from('not json\n'))).toBeUndefined()
  })
})
