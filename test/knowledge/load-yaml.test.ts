import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ContentError } from '../../src/core/errors.js'
import { loadYaml } from '../../src/knowledge/load-yaml.js'

const schema = z.object({ items: z.array(z.object({ name: z.string(), rule: z.object({ month: z.number() }) })) })
const file = (text: string): string => {
  const f = join(mkdtempSync(join(tmpdir(), 'kepu-yaml-')), 'observances.yaml')
  writeFileSync(f, text)
  return f
}

describe('loadYaml', () => {
  it('names the file, the item and the field in one line', () => {
    const f = file('items:\n  - name: 世界水日\n    rule: { month: 3 }\n  - name: 全国科普日\n    rule: { month: "九月" }\n')
    expect(() => loadYaml(f, schema)).toThrow(ContentError)
    try {
      loadYaml(f, schema)
    } catch (err) {
      expect((err as Error).message).toMatch(/^content: observances\.yaml: items item 2 \(全国科普日\): rule\.month: /)
      expect((err as Error).message).not.toContain('\n')
    }
  })

  it('reports unreadable YAML with the file name', () => {
    expect(() => loadYaml(file('items: [\n'), schema)).toThrow(/observances\.yaml: not readable YAML/)
  })

  it('returns the validated data', () => {
    expect(loadYaml(file('items:\n  - name: a\n    rule: { month: 1 }\n'), schema).items[0]?.rule.month).toBe(1)
  })
})
