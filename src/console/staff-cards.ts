import { randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import type { z } from 'zod'
import { cardSchema, LIMITS, type Card } from '../kepu/card-schema.js'
import type { StaffContentRow } from '../store/console-store.js'

/** The Chinese name of each card field, for errors on the form (a path's first one or two parts). */
const FIELD_NAMES: Record<string, string> = {
  category: '分类',
  topic: '主题',
  questions: '居民的问法',
  keywords: '关键词',
  answer: '回答',
  elder: '长辈模式的回答',
  steps: '步骤',
  claim: '谣言的说法',
  verdict: '结论',
  'source.org': '来源：发布机构',
  'source.title': '来源：文件或页面标题',
  'source.year': '来源：年份',
  reviewed: '核对日期',
  regions: '适用地区',
}

/** Lines of a textarea, trimmed, blank ones dropped. */
export function linesOf(value: string | null): string[] {
  return (value ?? '')
    .split(/\r?\n/u)
    .map((l) => l.trim())
    .filter(Boolean)
}

/** Words of a one-line field: split at spaces, commas, 、 and semicolons. */
export function wordsOf(value: string | null): string[] {
  return (value ?? '')
    .split(/[\s,，、;；/]+/u)
    .map((w) => w.trim())
    .filter(Boolean)
}

/**
 * Reads the card form: the card, validated by the same schema as content/kepu/*.yaml (cardSchema), or the
 * problems in Chinese, one per field (`回答：212 字，最多 200 字`). `today` (YYYY-MM-DD) is the review
 * date when the form leaves it empty.
 */
export function cardFromForm(form: URLSearchParams, regions: readonly string[], id: string, today: string): { card: Card } | { errors: string[] } {
  const text = (name: string): string => (form.get(name) ?? '').trim()
  const steps = linesOf(form.get('steps'))
  const chosen = form.getAll('regions')
  const year = text('year')
  const candidate = {
    id,
    category: text('category'),
    topic: text('topic'),
    questions: linesOf(form.get('questions')),
    keywords: wordsOf(form.get('keywords')),
    answer: text('answer'),
    elder: text('elder'),
    ...(steps.length ? { steps } : {}),
    ...(text('claim') ? { claim: text('claim') } : {}),
    ...(text('verdict') ? { verdict: text('verdict') } : {}),
    source: { org: text('org'), title: text('title'), year: /^\d{1,4}$/u.test(year) ? Number(year) : year },
    reviewed: text('reviewed') || today,
    ...(chosen.length ? { regions: chosen } : {}),
  }
  const errors: string[] = []
  const unknown = chosen.filter((r) => !regions.includes(r))
  if (unknown.length) errors.push(`适用地区：「${unknown.join('、')}」不在地区列表里`)
  const parsed = cardSchema.safeParse(candidate)
  if (!parsed.success) {
    const seen = new Set<string>()
    for (const issue of parsed.error.issues) {
      const field = fieldOf(issue.path)
      if (seen.has(field)) continue
      seen.add(field)
      errors.push(`${FIELD_NAMES[field] ?? field}：${chineseIssue(field, issue, issue.path)}`)
    }
  }
  if (errors.length || !parsed.success) return { errors }
  return { card: parsed.data }
}

/** `source.org` for a source field, the field alone otherwise (an item's index is said in the message). */
function fieldOf(path: readonly PropertyKey[]): string {
  const [first, second] = path.map(String)
  return first === 'source' && second ? `source.${second}` : (first ?? '')
}

type Issue = z.core.$ZodIssue

function chineseIssue(field: string, issue: Issue, path: readonly PropertyKey[]): string {
  const item = typeof path[1] === 'number' ? `（第 ${path[1] + 1} 条）` : ''
  if (field === 'source.year') return '请写四位年份，如 2024'
  if (field === 'reviewed') return '日期格式应为 2026-12-01'
  if (field === 'category') return '请从列表中选择'
  if (field === 'verdict') return issue.code === 'custom' && issue.message.startsWith('only') ? '只有辟谣卡片才选结论' : '辟谣卡片要选结论（谣言、不准确或部分正确）'
  if (field === 'claim') return issue.code === 'custom' && issue.message.startsWith('only') ? '只有辟谣卡片才写谣言的说法' : '辟谣卡片要写谣言的说法'
  if (issue.code === 'too_big') {
    if (field === 'steps' && path.length === 1) return `最多 ${LIMITS.steps} 步`
    const max = Number(issue.maximum)
    const m = /^(\d+) characters/u.exec(issue.message)
    return `${item}${m ? `${m[1]} 字，` : ''}最多 ${max} 字`
  }
  if (issue.code === 'too_small') {
    if (path.length === 1 && (field === 'questions' || field === 'steps')) return '至少写一条'
    return Number(issue.minimum) <= 1 ? `${item}不能空着` : `${item}至少 ${Number(issue.minimum)} 个字`
  }
  return `${item}格式不对`
}

/** A new stored card's id: kebab-case like the files' ids, never one of theirs. */
export function newCardId(): string {
  return `staff-${randomBytes(5).toString('hex')}`
}

/** A stored card row's card (its body). */
export function cardOf(row: StaffContentRow): Card {
  return JSON.parse(row.body) as Card
}

/**
 * The active stored cards as a content/kepu/ file (`cards:`), which the files' schema reads back as it
 * is: staff can hand it to whoever keeps the content files.
 */
export function cardsYaml(rows: readonly StaffContentRow[]): string {
  const cards = rows.filter((r) => r.kind === 'card' && r.status === 'active').map(cardOf)
  // js-yaml only when exporting: the bot's start never loads it for this.
  const { dump } = createRequire(import.meta.url)('js-yaml') as typeof import('js-yaml')
  return `# 管理台里添加的知识卡片；可另存为 content/kepu/extra-管理台.yaml（格式同 content/kepu/*.yaml）\n${dump({ cards }, { lineWidth: 120 })}`
}
