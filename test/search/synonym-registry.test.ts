import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadQueryVocabulary, synonymEntrySchema, withStoredSynonyms } from '../../src/search/query-vocabulary.js'
import { SynonymRegistry } from '../../src/search/synonym-registry.js'

const FILE = join(import.meta.dirname, '..', '..', 'content', 'synonyms.yaml')

describe('stored synonyms', () => {
  it("are read at every question after the file's, folded, and go again when replaced", () => {
    const registry = new SynonymRegistry()
    const file = loadQueryVocabulary(FILE)
    const live = withStoredSynonyms(file, registry)
    expect(live.synonyms).toEqual(file.synonyms)
    registry.set([{ same: ['汪星人', '狗狗'] }, { say: ['喵星人'], means: ['貓'] }])
    expect(live.synonyms).toEqual(expect.arrayContaining([{ say: '汪星人', means: ['狗狗'] }, { say: '狗狗', means: ['汪星人'] }, { say: '喵星人', means: ['猫'] }]))
    expect(live.synonyms.length).toBe(file.synonyms.length + 3)
    // Longest spelling first, as the file's are.
    expect(live.synonyms.map((s) => s.say.length)).toEqual([...live.synonyms.map((s) => s.say.length)].sort((a, b) => b - a))
    expect(registry.version).toBe(1)
    registry.set([])
    expect(live.synonyms).toEqual(file.synonyms)
    // The file's vocabulary itself is never changed.
    expect(file.synonyms.some((s) => s.say === '汪星人')).toBe(false)
  })

  it("validate with the file's schema", () => {
    expect(synonymEntrySchema.safeParse({ say: ['汪星人'], means: ['狗'] }).success).toBe(true)
    expect(synonymEntrySchema.safeParse({ same: ['狗'] }).success).toBe(false)
    expect(synonymEntrySchema.safeParse({ say: [], means: ['狗'] }).success).toBe(false)
  })
})
