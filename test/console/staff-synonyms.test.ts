import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { describeGroup, synonymFromForm, synonymGroups, synonymsYaml } from '../../src/console/staff-synonyms.js'
import { loadQueryVocabulary, type SynonymEntry } from '../../src/search/query-vocabulary.js'
import type { StaffContentRow } from '../../src/store/console-store.js'

const FILE: SynonymEntry[] = [{ same: ['比赛', '竞赛'] }, { say: ['老人', '长辈'], means: ['老年人'] }]
const row = (id: number, entry: SynonymEntry, status: 'active' | 'withdrawn' = 'active'): StaffContentRow => ({ id, kind: 'synonym', itemId: `syn-${id}`, body: JSON.stringify(entry), status, createdBy: 'telegram:1', createdAt: new Date(0), updatedAt: new Date(0) })
const groups = synonymGroups(FILE, [row(7, { say: ['汪星人'], means: ['狗'] }), row(8, { same: ['甲', '乙'] }, 'withdrawn')])
const read = (fields: Record<string, string>) => synonymFromForm(new URLSearchParams(fields), groups)

describe('the synonym form', () => {
  it("lists the file's groups and the active stored ones", () => {
    expect(groups.map((g) => [g.key, describeGroup(g.entry)])).toEqual([
      ['file:0', '比赛、竞赛（意思相同）'],
      ['file:1', '老人、长辈 → 老年人'],
      ['staff:7', '汪星人 → 狗'],
    ])
  })

  it('reads the three ways, words split at 、，, spaces', () => {
    expect(read({ kind: 'say', say: '喵星人，主子', means: '猫' })).toEqual({ entry: { say: ['喵星人', '主子'], means: ['猫'] } })
    expect(read({ kind: 'same', same: '娃 小孩、 孩子' })).toEqual({ entry: { same: ['娃', '小孩', '孩子'] } })
    const extended = read({ kind: 'extend', group: 'file:1', words: '老人家' })
    expect(extended).toMatchObject({ entry: { say: ['老人', '长辈', '老人家'], means: ['老年人'] }, extends: { key: 'file:1' } })
    expect(read({ kind: 'extend', group: 'file:0', words: '大赛' })).toMatchObject({ entry: { same: ['比赛', '竞赛', '大赛'] } })
  })

  it.each([
    [{ kind: '' }, '方式：请选择一种'],
    [{ kind: 'say', say: '', means: '狗' }, '居民的说法：至少写一个词'],
    [{ kind: 'say', say: '汪星人', means: '' }, '标准说法：至少写一个词'],
    [{ kind: 'same', same: '狗' }, '意思相同的词：至少写两个词'],
    [{ kind: 'extend', group: 'staff:8', words: '丙' }, '已有的一组：请从列表中选择'],
    [{ kind: 'extend', group: 'file:1', words: '' }, '要加的词：至少写一个词'],
    [{ kind: 'extend', group: 'file:1', words: '長輩' }, '要加的词：「長輩」已在这一组里'],
    [{ kind: 'same', same: '竞赛 比赛' }, '这组同义词已经有了'],
  ])('%j → %s', (fields, message) => {
    expect(read(fields)).toEqual({ errors: [message] })
  })
})

describe('synonyms as YAML', () => {
  it("exports the active groups as content/synonyms.yaml's list, which its schema reads back", () => {
    const text = synonymsYaml([row(1, { say: ['汪星人'], means: ['狗'] }), row(2, { same: ['甲', '乙'] }, 'withdrawn'), row(3, { same: ['比赛', '竞赛', '大赛'] })])
    expect(text).toContain('- same: [比赛, 竞赛, 大赛]')
    const dir = mkdtempSync(join(tmpdir(), 'kepu-syn-'))
    writeFileSync(join(dir, 'synonyms.yaml'), text)
    expect(loadQueryVocabulary(join(dir, 'synonyms.yaml')).synonyms.map((s) => s.say).sort()).toEqual(['大赛', '比赛', '汪星人', '竞赛'].sort())
  })
})
