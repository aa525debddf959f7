import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ContentError } from '../../src/core/errors.js'
import { yamlFilesIn } from '../../src/knowledge/load-yaml.js'
import { cardFileSchema, LIMITS } from '../../src/kepu/card-schema.js'
import { kepuJsonSchema } from '../../src/kepu/kepu-json-schema.js'
import { loadCards } from '../../src/kepu/load-cards.js'
import { loadYaml } from '../../src/knowledge/load-yaml.js'

const CONTENT_DIR = join(import.meta.dirname, '..', '..', 'content')
const FILES = yamlFilesIn(join(CONTENT_DIR, 'kepu'))
const chars = (s: string): number => Array.from(s.trim()).length

describe.each(FILES.map((f) => [basename(f), f]))('content/kepu/%s', (name, file) => {
  const data = loadYaml(file, cardFileSchema, `kepu/${name}`)

  it('every card validates and has cards', () => {
    expect(data.cards.length).toBeGreaterThan(0)
  })

  it('every source is named: body, title, year', () => {
    for (const c of data.cards) {
      expect(c.source.org.trim().length, c.id).toBeGreaterThanOrEqual(2)
      expect(c.source.title.trim().length, c.id).toBeGreaterThanOrEqual(2)
      expect(c.source.year, c.id).toBeGreaterThanOrEqual(1980)
    }
  })

  it('no answer, elder form or step exceeds its limit', () => {
    for (const c of data.cards) {
      expect(chars(c.answer), c.id).toBeLessThanOrEqual(LIMITS.answer)
      expect(chars(c.elder), c.id).toBeLessThanOrEqual(LIMITS.elder)
      for (const s of c.steps ?? []) expect(chars(s), c.id).toBeLessThanOrEqual(LIMITS.step)
    }
  })

  it('a rumour card states the claim and its verdict; other cards do not', () => {
    for (const c of data.cards) expect(c.category === '辟谣', c.id).toBe(Boolean(c.claim && c.verdict))
  })
})

describe('all cards', () => {
  const cards = loadCards(CONTENT_DIR)

  it('load with ids unique across files', () => {
    expect(new Set(cards.map((c) => c.id)).size).toBe(cards.length)
  })

  it('cover every category', () => {
    expect(new Set(cards.map((c) => c.category))).toEqual(new Set(['应急避险', '健康', '数字生活', '辟谣', '科学常识', '农业技术']))
  })

  it('content/schema/kepu.schema.json is up to date with the zod schema', () => {
    expect(JSON.parse(readFileSync(join(CONTENT_DIR, 'schema', 'kepu.schema.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(kepuJsonSchema())))
  })
})

describe('loader errors: file with its folder, item, field, in one line', () => {
  const card = (id: string, extra = ''): string =>
    [
      `  - id: ${id}`,
      '    category: 健康',
      '    topic: 测试',
      '    questions: [测试问题]',
      `    answer: ${extra || '一句回答。'}`,
      '    elder: 简短。',
      '    source: {org: 国家卫生健康委, title: 测试文件, year: 2024}',
      '    reviewed: 2026-11-29',
    ].join('\n')
  const folder = (files: Record<string, string>): string => {
    const dir = mkdtempSync(join(tmpdir(), 'kepu-cards-'))
    mkdirSync(join(dir, 'kepu'))
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'kepu', name), text)
    return dir
  }
  const error = (dir: string): string => {
    try {
      loadCards(dir)
    } catch (err) {
      expect(err).toBeInstanceOf(ContentError)
      return (err as Error).message
    }
    throw new Error('no error')
  }

  it('names an answer over its limit', () => {
    const msg = error(folder({ 'a.yaml': `cards:\n${card('he-ok')}\n${card('he-long', '长'.repeat(201))}\n` }))
    expect(msg).toBe('content: kepu/a.yaml: cards item 2 (he-long): answer: 201 characters, at most 200')
  })

  it('names a missing source field', () => {
    const msg = error(folder({ 'b.yaml': `cards:\n${card('he-x').replace('title: 测试文件, ', '')}\n` }))
    expect(msg).toMatch(/^content: kepu\/b\.yaml: cards item 1 \(he-x\): source\.title: /)
    expect(msg).not.toContain('\n')
  })

  it('names a rumour card without its verdict', () => {
    const msg = error(folder({ 'c.yaml': `cards:\n${card('ru-x').replace('健康', '辟谣')}\n    claim: 某个说法\n` }))
    expect(msg).toMatch(/^content: kepu\/c\.yaml: cards item 1 \(ru-x\): verdict: a 辟谣 card needs a verdict/)
  })

  it('names an id used in two files', () => {
    const msg = error(folder({ 'a.yaml': `cards:\n${card('he-same')}\n`, 'b.yaml': `cards:\n${card('he-same')}\n` }))
    expect(msg).toBe('content: kepu/b.yaml: cards item 1 (he-same): id: also used in kepu/a.yaml')
  })
})
