import { describe, expect, it } from 'vitest'
import { BytePool } from '../../src/search/byte-pool.js'

describe('BytePool', () => {
  it('gives back a returned buffer for a load that fits it, and a new one otherwise', () => {
    const pool = new BytePool()
    const a = pool.take(200_000)
    expect(a.length).toBeGreaterThanOrEqual(200_000)
    expect(a.byteOffset).toBe(0)
    pool.give(a)
    expect(pool.take(150_000)).toBe(a)
    pool.give(a)
    // Much smaller: a fresh buffer rather than holding a large one for a small file.
    const small = pool.take(10_000)
    expect(small).not.toBe(a)
    // Larger than any returned: fresh.
    expect(pool.take(a.length + 1)).not.toBe(a)
    expect(pool.take(a.length)).toBe(a)
  })

  it('takes the smallest returned buffer that fits', () => {
    const pool = new BytePool()
    const big = pool.take(300_000)
    const mid = pool.take(220_000)
    pool.give(big)
    pool.give(mid)
    expect(pool.take(200_000)).toBe(mid)
    expect(pool.take(200_000)).toBe(big)
  })

  it('keeps at most its limit of returned bytes, dropping the oldest', () => {
    const pool = new BytePool(300_000)
    const first = pool.take(100_000)
    const second = pool.take(100_000)
    const third = pool.take(100_000)
    for (const b of [first, second, third]) pool.give(b)
    expect(pool.idleBytes).toBeLessThanOrEqual(300_000)
    expect(pool.take(100_000)).not.toBe(first)
  })
})
