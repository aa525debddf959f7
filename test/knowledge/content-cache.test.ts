import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { schemaStamp, useContentCache } from '../../src/knowledge/content-cache.js'
import { loadYaml } from '../../src/knowledge/load-yaml.js'

const schema = z.object({ items: z.array(z.object({ name: z.string(), rule: z.object({ month: z.number() }), tags: z.array(z.string()).default([]) })) })
const temp = (): string => mkdtempSync(join(tmpdir(), 'kepu-content-cache-'))
const entries = (cache: string): string[] => readdirSync(join(cache, 'content')).filter((n) => n.endsWith('.json'))

afterEach(() => useContentCache(undefined))

describe('content cache', () => {
  it('saves validated data once and returns the same data from it', () => {
    const cache = temp()
    useContentCache(cache)
    const file = join(temp(), 'observances.yaml')
    writeFileSync(file, 'items:\n  - name: 世界水日\n    rule: { month: 3 }\n')
    const first = loadYaml(file, schema)
    expect(entries(cache)).toHaveLength(1)
    expect(loadYaml(file, schema)).toEqual(first)
    expect(first.items[0]?.tags).toEqual([])
  })

  it('a changed file is parsed and validated again: its error names file, item and field in one line, and the old entry goes', () => {
    const cache = temp()
    useContentCache(cache)
    const file = join(temp(), 'observances.yaml')
    writeFileSync(file, 'items:\n  - name: 世界水日\n    rule: { month: 3 }\n')
    loadYaml(file, schema)
    writeFileSync(file, 'items:\n  - name: 世界水日\n    rule: { month: 3 }\n  - name: 全国科普日\n    rule: { month: "九月" }\n')
    expect(() => loadYaml(file, schema)).toThrow(/^content: observances\.yaml: items item 2 \(全国科普日\): rule\.month: [^\n]+$/)
    writeFileSync(file, 'items:\n  - name: 全国科普日\n    rule: { month: 9 }\n')
    expect(loadYaml(file, schema).items[0]?.rule.month).toBe(9)
    expect(entries(cache)).toHaveLength(1)
  })

  it('a changed schema does not read data the old one validated', () => {
    const cache = temp()
    useContentCache(cache)
    const file = join(temp(), 'observances.yaml')
    writeFileSync(file, 'items:\n  - name: 世界水日\n    rule: { month: 3 }\n')
    loadYaml(file, schema)
    const stricter = z.object({ items: z.array(z.object({ name: z.string(), rule: z.object({ month: z.number().min(4) }) })) })
    expect(schemaStamp(stricter)).not.toBe(schemaStamp(schema))
    expect(() => loadYaml(file, stricter)).toThrow(/items item 1 \(世界水日\): rule\.month/)
    const refined = z.object({ items: z.array(z.object({ name: z.string().refine((n) => n.length > 9, 'too short') })) })
    const refinedOther = z.object({ items: z.array(z.object({ name: z.string().refine((n) => n.length > 1, 'too short') })) })
    expect(schemaStamp(refined)).not.toBe(schemaStamp(refinedOther))
  })

  it('data that JSON would change is not saved', () => {
    const cache = temp()
    useContentCache(cache)
    const file = join(temp(), 'dates.yaml')
    writeFileSync(file, 'day: 2026-05-05\n')
    const dated = z.object({ day: z.coerce.date() })
    expect(loadYaml(file, dated).day).toBeInstanceOf(Date)
    expect(loadYaml(file, dated).day).toBeInstanceOf(Date)
  })
})
