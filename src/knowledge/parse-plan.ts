import { ContentError } from '../core/errors.js'
import type { Action, Passage, Plan } from './plan.js'
import { looksLikeHeading, splitBlocks, type Block } from './plan-lines.js'
import { extractUnitNote, parseUnitLine, splitUnits } from './unit-parser.js'

/**
 * Parses one plan's text, whatever its shape (numbered prose, Markdown, unnumbered headings with
 * 牵头部门 lines, a flattened task table, a trailing division table), into passages with their
 * headings and units. Throws a ContentError naming the file when no region or title can be found.
 */
export function parsePlan(raw: string, id: string): Plan {
  const blocks = splitBlocks(raw)
  const meta = readMeta(blocks, id)
  const state = new OutlineState(id, meta.region, meta.title)
  for (const block of blocks) {
    if (block.kind === 'table') state.table(block.rows)
    else state.paragraph(block.text)
  }
  const { actions, passages } = state.finish()
  return { id, ...meta, actions, passages }
}

interface Meta {
  region: string
  title: string
  docNumber?: string
  issued?: string
  draft: boolean
}

const TITLE_START = /^(?<region>[\u4e00-\u9fa5]{2,12}?(?:市|区|县|州|盟|旗)(?:[\u4e00-\u9fa5]{1,4}?(?:区|县))?)(?:贯彻)?《?全民科学素质/u
/** The national outline itself (国务院《全民科学素质行动规划纲要（2021—2035年）》) or a province's plan. */
const WIDER_TITLE = /^(?<region>[\u4e00-\u9fa5]{2,8}?(?:省|自治区))?《?全民科学素质行动(?:规划)?纲要/u

/** The region of national passages: searched together with every region's own. */
export const NATIONAL = '全国'

/** Finds the title (it may wrap over lines), its region, the issuing number and date. */
function readMeta(blocks: Block[], id: string): Meta {
  const paras = blocks.flatMap((b) => (b.kind === 'para' ? [b.text] : []))
  let title: string | undefined
  let region: string | undefined
  for (let i = 0; i < Math.min(paras.length, 40) && !title; i++) {
    const line = paras[i]!.replace(/^附件\d*[:：]?\s*/u, '')
    const m = TITLE_START.exec(line) ?? WIDER_TITLE.exec(line)
    if (!m || /关于|印发|通知/u.test(line)) continue
    let t = line
    for (let j = i + 1; j < paras.length && j <= i + 3 && !/实施方案|分工表/u.test(t); j++) t += paras[j]
    const draft = paras.slice(i, i + 5).find((p) => /^[（(]征求意见稿[）)]$/u.test(p))
    if (draft && !t.includes('征求意见稿')) t += draft
    title = t.replace(/\s+/gu, '')
    region = m.groups!.region ?? NATIONAL
  }
  if (!title || !region) throw new ContentError(`seeds: ${id}.txt: no plan title naming a region (e.g. 「某某市全民科学素质行动规划纲要实施方案」) in its first lines`)
  const head = paras.slice(0, 30).join('\n')
  // Only a number standing on its own line is the plan's own; numbers inside sentences are citations.
  const docNumber = paras.slice(0, 30).find((p) => /^[\u4e00-\u9fa5]{1,8}〔\d{4}〕\d+号$/u.test(p))
  const date = /(\d{4})年(\d{1,2})月(\d{1,2})日/u.exec(head)
  const issued = date ? `${date[1]}-${date[2]!.padStart(2, '0')}-${date[3]!.padStart(2, '0')}` : undefined
  return { region, title, draft: title.includes('征求意见稿'), ...(docNumber ? { docNumber } : {}), ...(issued ? { issued } : {}) }
}

interface Heading {
  level: number
  /** The numbering as printed, normalised: 三、 （一） 1. — empty for an unnumbered heading. */
  label: string
  name: string
}

const CN_NUM = '一二三四五六七八九十'

/** Heading level 1 to 3 and the parts of a numbered line, or undefined for plain text. */
function numbered(text: string): { level: number; label: string; body: string } | undefined {
  let m = /^([一二三四五六七八九十]+)、\s*(.*)$/u.exec(text)
  if (m) return { level: 1, label: `${m[1]}、`, body: m[2]! }
  m = /^[（(]([一二三四五六七八九十]+|\d{1,2})[）)]\s*(.*)$/u.exec(text)
  if (m) return { level: 2, label: `（${/\d/.test(m[1]!) ? CN_NUM[Number(m[1]) - 1] ?? m[1] : m[1]}）`, body: m[2]! }
  m = /^(\d{1,2})\s*[.．、]\s*(.*)$/u.exec(text)
  if (m && !/^\d/.test(m[2]!)) return { level: 3, label: `${m[1]}.`, body: m[2]! }
  return undefined
}

/** `青少年科学素质提升行动` from `实施青少年科学素质提升行动。` */
export function actionName(text: string): string {
  return text.replace(/[。.]$/u, '').replace(/^实施/u, '').trim()
}

const ACTION_NAME = /(行动|工程)$/u

class OutlineState {
  private readonly stack: Heading[] = []
  private readonly passages: Passage[] = []
  private readonly actions = new Map<string, Action>()
  private currentAction: Action | undefined
  private started = false
  private bulletCount = 0

  constructor(
    private readonly planId: string,
    private readonly region: string,
    private readonly title: string,
  ) {}

  paragraph(text: string): void {
    const units = parseUnitLine(text)
    if (units) {
      if (this.currentAction) {
        this.currentAction.leads.push(...units.leads)
        this.currentAction.units.push(...units.units)
      }
      return
    }
    const num = numbered(text)
    if (num) {
      this.started = true
      const { title, body } = splitTitle(num.body, num.level === 3)
      const { rest: name, note } = extractUnitNote(title)
      if (num.level < 3 || !body) {
        this.push({ level: num.level, label: num.label, name: name.replace(/[。：:]$/u, '') })
        if (note) this.noteForHeading(note)
        if (body) this.addPassage(body, name)
        return
      }
      this.addPassage(num.body, name, num.label)
      return
    }
    // A short line without a comma is a heading, unless it states a figure (「到2025年比例达到11%。」).
    if (looksLikeHeading(text) && !/^[（(]/u.test(text) && !/\d/u.test(text)) {
      if (!this.started && !/^前言|^总体要求|^指导思想/u.test(text)) return
      this.started = true
      const name = text.replace(/[。]$/u, '')
      // Unnumbered headings: an action or project sits below a section.
      this.push({ level: ACTION_NAME.test(name) && name.length >= 6 ? 2 : 1, label: '', name })
      return
    }
    if (!this.started && (text.length < 40 || /关于印发|印发给/u.test(text) || this.title.includes(text.replace(/\s+/gu, '')))) return
    if (/^——/u.test(text)) {
      this.bulletCount++
      this.addPassage(text.replace(/^——\s*/u, ''), undefined, `——${this.bulletCount}`)
      return
    }
    this.addPassage(text)
  }

  /** A flattened table: a task table becomes passages; a division-of-work table feeds the actions. */
  table(rows: string[][]): void {
    const [header, ...body] = rows
    if (!header || !body.length) return
    const roles = columnRoles(header, Math.max(...body.map((r) => r.length)))
    const isDivision = roles.includes('leads') && !roles.includes('action')
    const prev: string[] = []
    for (const row of body) {
      const cell = (role: string): string => {
        const i = roles.indexOf(role)
        if (i < 0) return ''
        const v = (row[i] ?? '').trim()
        if (v || role === 'content') return v
        return prev[i] ?? ''
      }
      row.forEach((v, i) => {
        if (v.trim()) prev[i] = v.trim()
      })
      if (isDivision) {
        const name = actionName(cell('content'))
        if (!name) continue
        const action = this.findAction(name) ?? this.addAction(name, '')
        action.leads.push(...splitUnits(cell('leads')))
        action.units.push(...splitUnits(cell('units')))
        continue
      }
      const content = cell('content')
      if (!content) continue
      const { rest: actionTitle, note } = extractUnitNote(cell('action'))
      const name = actionName(actionTitle)
      const action = name ? (this.findAction(name) ?? this.addAction(name, '')) : undefined
      if (action && note) {
        for (const l of note.leads) if (!action.leads.includes(l)) action.leads.push(l)
      }
      const task = cell('task')
      const n = this.passages.length
      this.passages.push({
        id: `${this.planId}#${n}`,
        planId: this.planId,
        region: this.region,
        ref: [name, task].filter(Boolean).join(' › '),
        headings: [name, task].filter(Boolean),
        title: task || name,
        text: content,
        ...(action ? { action: action.name } : {}),
        leads: splitUnits(cell('leads')),
        units: splitUnits(cell('units')),
      })
    }
  }

  finish(): { actions: Action[]; passages: Passage[] } {
    const actions = [...this.actions.values()]
    for (const a of actions) {
      if (!a.leads.length) {
        // 高平: leads are given per item; the action's leads are its items' leads, most frequent first.
        const count = new Map<string, number>()
        for (const p of this.passages) if (p.action === a.name) for (const l of p.leads) count.set(l, (count.get(l) ?? 0) + 1)
        a.leads = [...count.entries()].sort((x, y) => y[1] - x[1]).map(([l]) => l)
      }
      a.leads = unique(a.leads)
      a.units = unique(a.units.filter((u) => !a.leads.includes(u)))
    }
    for (const p of this.passages) {
      const a = p.action ? this.actions.get(p.action) : undefined
      if (a && !p.leads.length) p.leads = [...a.leads]
      if (a && !p.units.length) p.units = [...a.units]
    }
    return { actions, passages: this.passages }
  }

  private push(h: Heading): void {
    while (this.stack.length && this.stack[this.stack.length - 1]!.level >= h.level) this.stack.pop()
    this.stack.push(h)
    this.bulletCount = 0
    if (h.level <= 2) {
      const name = actionName(h.name)
      this.currentAction = h.level === 2 && ACTION_NAME.test(name) ? (this.findAction(name) ?? this.addAction(name, this.ref())) : undefined
    }
  }

  private noteForHeading(note: { leads: string[]; units: string[] }): void {
    if (!this.currentAction) return
    this.currentAction.leads.push(...note.leads)
    this.currentAction.units.push(...note.units)
  }

  private ref(own?: string): string {
    const parts = this.stack.map((h) => h.label || h.name)
    if (own) parts.push(own.replace(/\.$/u, ''))
    return parts.reduce((acc, p) => (!acc ? p : /[、）]$/u.test(acc) && !/^[\u4e00-\u9fa5]{2}/u.test(p) ? acc + p : `${acc} › ${p}`), '')
  }

  private addPassage(text: string, title?: string, label?: string): void {
    const { rest, note } = extractUnitNote(text)
    if (rest.length < 8) return
    const n = this.passages.length
    const headings = this.stack.map((h) => h.name)
    this.passages.push({
      id: `${this.planId}#${n}`,
      planId: this.planId,
      region: this.region,
      ref: this.ref(label),
      headings,
      title: title ?? firstSentence(rest) ?? headings[headings.length - 1] ?? '',
      text: rest,
      ...(this.currentAction ? { action: this.currentAction.name } : {}),
      leads: note?.leads ?? [],
      units: note?.units ?? [],
    })
  }

  private findAction(name: string): Action | undefined {
    const key = actionKey(name)
    for (const a of this.actions.values()) if (actionKey(a.name) === key) return a
    return undefined
  }

  private addAction(name: string, ref: string): Action {
    const a: Action = { name, ref, leads: [], units: [] }
    this.actions.set(name, a)
    return a
  }
}

/** Actions compare by their core words: 科普基础设施建设工程 ≈ 科普基础设施工程 is not assumed, only 实施/spacing. */
function actionKey(name: string): string {
  return actionName(name).replace(/\s+/gu, '')
}

/** Column roles of a table header; extra leading cells in rows (a category column) get no role. */
function columnRoles(header: string[], width: number): string[] {
  const role = (h: string): string => {
    const s = h.replace(/\s+/gu, '')
    if (/牵头/u.test(s)) return 'leads'
    if (/负责|责任|配合/u.test(s)) return 'units'
    if (/重点行动|重点工程|^行动/u.test(s)) return 'action'
    if (/任务/u.test(s)) return 'task'
    if (/内容/u.test(s)) return 'content'
    if (/序号/u.test(s)) return 'index'
    return ''
  }
  const roles = header.map(role)
  if (width <= roles.length) return roles
  // 汕尾: 4 header cells over 5 row cells. The first header cell keeps its place; the others align right.
  const out: string[] = new Array<string>(width).fill('')
  out[0] = roles[0]!
  for (let i = 1; i < roles.length; i++) out[width - (roles.length - i)] = roles[i]!
  return out
}

/** The lead-in sentence of an item (`弘扬和传承科学精神。聚焦…` → title + body). */
function splitTitle(body: string, isItem: boolean): { title: string; body: string } {
  const m = /^([^。：:]{2,40}?)[。：:]\s*(.*)$/u.exec(body)
  if (m && (m[2] || !isItem)) {
    // A heading line may carry its unit note after the title: 「青少年科学素质提升行动。（市教育局牵头…）」
    const rest = m[2]!
    if (/^[（(〔][^）)〕]*牵头/u.test(rest) && extractUnitNote(rest).rest === '') return { title: `${m[1]}${rest}`, body: '' }
    return { title: m[1]!, body: rest }
  }
  if (body.length <= 40 || /[（(〔][^）)〕]*牵头[^）)〕]*[）)〕]$/u.test(body)) return { title: body, body: '' }
  return { title: firstSentence(body) ?? body.slice(0, 20), body }
}

function firstSentence(text: string): string | undefined {
  const m = /^([^。；;]{2,40})[。；;]/u.exec(text)
  return m?.[1]
}

function unique(list: string[]): string[] {
  return [...new Set(list.map((s) => s.trim()).filter(Boolean))]
}
