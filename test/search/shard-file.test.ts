import { describe, expect, it } from 'vitest'
import { decodeShardFile, encodeShardFile, type PlanShardJSON, type SavedShard } from '../../src/search/shard-file.js'
import { testApp } from '../helpers/app.js'

/** What a file keeps of a shard's JSON, read back (MiniSearch's document ids are the passages' order). */
function kept(saved: SavedShard) {
  const { documentCount, fieldIds, averageFieldLength, fieldLength } = saved.documents
  const fields = averageFieldLength.length
  return {
    version: saved.version,
    fingerprint: saved.fingerprint,
    size: saved.size,
    documents: { documentCount, fieldIds, averageFieldLength, fieldLength: Array.from({ length: documentCount }, (_, d) => [...fieldLength.subarray(d * fields, (d + 1) * fields)]) },
    terms: saved.terms.toJSON(),
    sentences: Object.fromEntries(saved.sentences.entries()),
  }
}

function keptOf(shard: PlanShardJSON) {
  const { documentCount, fieldIds, averageFieldLength, fieldLength } = shard.index
  return {
    version: shard.version,
    fingerprint: shard.fingerprint,
    size: shard.size,
    documents: { documentCount, fieldIds, averageFieldLength, fieldLength: Array.from({ length: documentCount }, (_, d) => (fieldLength as Record<string, number[]>)[d]) },
    terms: shard.terms,
    sentences: shard.sentences,
  }
}

describe('shard files', () => {
  const kb = testApp().knowledge
  const region = kb.plans[0]!.region
  const shard = kb.index.shardJSON(region)!

  it('read back exactly what was written, Chinese, tabs and all', () => {
    expect(Object.keys(shard.sentences).length).toBeGreaterThan(10)
    expect(kept(decodeShardFile(encodeShardFile(shard))!)).toEqual(keptOf(shard))
    expect(shard.index.documentCount).toBeGreaterThan(10)
    const odd: PlanShardJSON = { ...shard, terms: { entries: '' }, sentences: {} }
    expect(kept(decodeShardFile(encodeShardFile(odd))!)).toEqual(keptOf(odd))
  })

  it('give one passage\'s sentences at a time, and the terms as the JSON has them', () => {
    const saved = decodeShardFile(encodeShardFile(shard))!
    const { units } = saved.sentences
    for (const [id, text] of Object.entries(shard.sentences)) {
      const [start, end] = saved.sentences.span(id)!
      expect(String.fromCharCode(...units.subarray(start, end))).toBe(text)
    }
    expect(saved.sentences.span('no such passage')).toBeUndefined()
    const terms = [...saved.terms]
    expect(terms.length).toBeGreaterThan(100)
    for (const [term, n] of terms.slice(0, 200)) expect(saved.terms.get(term)).toBe(n)
  })

  it('read from any place in memory: a buffer that is not aligned for the views is copied', () => {
    const file = encodeShardFile(shard)
    const odd = Buffer.alloc(file.length + 1)
    file.copy(odd, 1)
    expect(kept(decodeShardFile(odd.subarray(1))!)).toEqual(keptOf(shard))
  })

  it('refuse a cut file, an older cache, another byte order and garbage instead of misreading them', () => {
    const file = encodeShardFile(shard)
    expect(decodeShardFile(file.subarray(0, file.length - 2))).toBeUndefined()
    expect(decodeShardFile(Buffer.from(JSON.stringify(shard)))).toBeUndefined()
    expect(decodeShardFile(Buffer.from('{"lengths":[1,1]}\nabcd'))).toBeUndefined()
    expect(decodeShardFile(Buffer.from('{"lengths":[1,1,0,0,0]}  \n\u0000\u0000\u0000\u0000'))).toBeUndefined()
    expect(decodeShardFile(Buffer.from('not json\n'))).toBeUndefined()
    const header = file.subarray(0, file.indexOf(0x0a)).toString('utf8')
    const flipped = header.replace(/"endian":"(LE|BE)"/u, (_m, e: string) => `"endian":"${e === 'LE' ? 'BE' : 'LE'}"`)
    expect(flipped).not.toBe(header)
    expect(decodeShardFile(Buffer.concat([Buffer.from(flipped), file.subarray(header.length)]))).toBeUndefined()
  })

  it('call back when the shard is released, so its bytes can be reused', () => {
    let released = 0
    decodeShardFile(encodeShardFile(shard), () => released++)!.release()
    expect(released).toBe(1)
  })
})
