import { randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import { foldText } from '../search/fold-text.js'
import { synonymEntrySchema, type SynonymEntry } from '../search/query-vocabulary.js'
import type { StaffContentRow } from '../store/console-store.js'
import { wordsOf } from './staff-cards.js'

/** A synonym group staff may add a word to: one of content/synonyms.yaml's, or one kept in the console. */
export interface SynonymGroup {
  /** `file:3` (the file's fourth group) or `staff:12` (the row's id). */
  key: string
  entry: SynonymEntry
  /** The stored row, for a group kept in the console. */
  row?: StaffContentRow
}

/** How a group reads on a page: 「比赛、竞赛、大赛（意思相同）」 or 「老人、长辈 → 老年人」. */
export function describeGroup(entry: SynonymEntry): string {
  return 'same' in entry ? `${entry.same.join('、')}（意思相同）` : `${entry.say.join('、')} → ${entry.means.join('、')}`
}

/** The groups staff may extend: the file's first, then the active stored ones. */
export function synonymGroups(file: readonly SynonymEntry[], rows: readonly StaffContentRow[]): SynonymGroup[] {
  return [
    ...file.map((entry, i) => ({ key: `file:${i}`, entry })),
    ...rows.filter((r) => r.kind === 'synonym' && r.status === 'active').map((row) => ({ key: `staff:${row.id}`, entry: JSON.parse(row.body) as SynonymEntry, row })),
  ]
}

/** What the synonym form asks for. */
export type SynonymFormResult = { entry: SynonymEntry; extends?: SynonymGroup } | { errors: string[] }

/**
 * Reads the synonym form: `kind` is `say` (a resident's words → the words they stand for), `same` (words
 * that mean the same, both ways) or `extend` (words added to an existing group). The group is validated
 * by the same schema as content/synonyms.yaml; an error is Chinese and names the field. A word added to
 * a group gives the whole group with it (the file's groups are not changed: the stored one is read after).
 */
export function synonymFromForm(form: URLSearchParams, groups: readonly SynonymGroup[]): SynonymFormResult {
  const kind = form.get('kind') ?? ''
  let entry: unknown
  let extended: SynonymGroup | undefined
  if (kind === 'say') entry = { say: wordsOf(form.get('say')), means: wordsOf(form.get('means')) }
  else if (kind === 'same') entry = { same: wordsOf(form.get('same')) }
  else if (kind === 'extend') {
    extended = groups.find((g) => g.key === form.get('group'))
    if (!extended) return { errors: ['已有的一组：请从列表中选择'] }
    const words = wordsOf(form.get('words'))
    const has = new Set(('same' in extended.entry ? extended.entry.same : extended.entry.say).map(foldText))
    const already = words.filter((w) => has.has(foldText(w)))
    if (already.length) return { errors: [`要加的词：「${already.join('、')}」已在这一组里`] }
    if (!words.length) return { errors: ['要加的词：至少写一个词'] }
    entry = 'same' in extended.entry ? { same: [...extended.entry.same, ...words] } : { say: [...extended.entry.say, ...words], means: extended.entry.means }
  } else return { errors: ['方式：请选择一种'] }
  const parsed = synonymEntrySchema.safeParse(entry)
  if (!parsed.success) return { errors: [problemOf(kind, entry)] }
  const key = groupKey(parsed.data)
  if (groups.some((g) => g !== extended && groupKey(g.entry) === key)) return { errors: ['这组同义词已经有了'] }
  return { entry: parsed.data, ...(extended ? { extends: extended } : {}) }
}

/**
 * The first problem of a group the schema refused, in Chinese with its field. The union's own message
 * names neither branch, so the fields are looked at here; the schema stays the judge of what passes.
 */
function problemOf(kind: string, entry: unknown): string {
  const e = entry as { say?: string[]; means?: string[]; same?: string[] }
  if (kind === 'same') return '意思相同的词：至少写两个词'
  if (kind === 'extend') return '要加的词：至少写一个词'
  if (!e.say?.length) return '居民的说法：至少写一个词'
  return '标准说法：至少写一个词'
}

/** A group's words, folded and sorted, whatever their order: the same group written twice is one. */
function groupKey(entry: SynonymEntry): string {
  const sorted = (words: readonly string[]): string => [...new Set(words.map(foldText))].sort().join('、')
  return 'same' in entry ? `same:${sorted(entry.same)}` : `say:${sorted(entry.say)}>${sorted(entry.means)}`
}

/** A new stored group's id. */
export function newSynonymId(): string {
  return `syn-${randomBytes(5).toString('hex')}`
}

/**
 * The active stored groups as content/synonyms.yaml's `synonyms:` list, for whoever keeps the file: a group
 * that extends one of the file's replaces it there (it holds all of its words).
 */
export function synonymsYaml(rows: readonly StaffContentRow[]): string {
  const synonyms = rows.filter((r) => r.kind === 'synonym' && r.status === 'active').map((r) => JSON.parse(r.body) as SynonymEntry)
  const { dump } = createRequire(import.meta.url)('js-yaml') as typeof import('js-yaml')
  return `# 管理台里添加的同义词；并入 content/synonyms.yaml 的 synonyms 列表（与文件里某组词相同的，替换那一组）\n${dump({ synonyms }, { lineWidth: 120, flowLevel: 3 })}`
}
