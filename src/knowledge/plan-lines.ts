/**
 * Turns a plan's raw text into logical blocks: prose paragraphs (with page-break line breaks rejoined
 * and Markdown marks removed) and tables (tab-flattened rows). Pure; shape-agnostic.
 */

/** A prose paragraph or a table, in document order. */
export type Block = { kind: 'para'; text: string } | { kind: 'table'; rows: string[][] }

const UNIT_LINE = /^(牵头|责任|配合)(部门|单位)[:：]/u
const TERMINAL = /[。；;！!？?：:”"」』）)〕】]$/u

/** Strips Markdown heading marks, bold marks and horizontal rules; trims ASCII and ideographic spaces. */
export function stripMarkup(line: string): string {
  return line
    .replace(/^\s*#{1,6}\s*/u, '')
    .replace(/\*\*/gu, '')
    .replace(/^\s*-{3,}\s*$/u, '')
    .replace(/^[\s\u3000]+|[\s\u3000]+$/gu, '')
}

/** True when a line starts a new unit by its shape (a numbering, a bullet, a unit line). */
export function startsNewItem(line: string): boolean {
  return (
    /^[一二三四五六七八九十]+、/u.test(line) ||
    /^[（(][一二三四五六七八九十\d]+[）)]/u.test(line) ||
    /^\d{1,2}\s*[.．、]\s*\S/u.test(line) ||
    /^——/u.test(line) ||
    UNIT_LINE.test(line)
  )
}

/** A short line without a comma reads as an unnumbered heading (乌海's 「青少年科学素质提升行动」). */
export function looksLikeHeading(line: string): boolean {
  return line.length <= 30 && !/[，,；;：:]/u.test(line) && !/[。]./u.test(line) && !/牵头|配合|负责|[〕]$/u.test(line)
}

/** True while a paragraph has an opening bracket it has not closed (a unit note cut by a page break). */
export function hasOpenBracket(text: string): boolean {
  const open = (text.match(/[（〔]/gu) ?? []).length
  const close = (text.match(/[）〕]/gu) ?? []).length
  return open > close
}

/**
 * Splits raw plan text into blocks. A paragraph that does not end in closing punctuation continues on
 * the next text line (page breaks cut gaoping's sentences), unless that line starts a new item or
 * looks like a heading. Lines that start with a tab belong to a table: a cell starts at each tab,
 * untabbed lines continue the cell above, and a blank line ends a row.
 */
export function splitBlocks(raw: string): Block[] {
  const lines = raw.replace(/\r\n?/gu, '\n').split('\n')
  const blocks: Block[] = []
  let para: string | undefined
  let table: string[][] | undefined
  let row: string[] | undefined

  const flushPara = (): void => {
    if (para !== undefined && para.length) blocks.push({ kind: 'para', text: para })
    para = undefined
  }
  const flushRow = (): void => {
    if (table && row && row.some((c) => c.trim())) table.push(row.map((c) => c.trim()))
    row = undefined
  }
  const flushTable = (): void => {
    flushRow()
    if (table?.length) blocks.push({ kind: 'table', rows: table })
    table = undefined
  }

  for (const rawLine of lines) {
    if (/^[ \u3000]*\t/u.test(rawLine)) {
      // A table cell (or several on one line).
      flushPara()
      table ??= []
      row ??= []
      const cells = rawLine.replace(/^[ \u3000]*\t/u, '').split('\t')
      for (const cell of cells) row.push(stripMarkup(cell))
      continue
    }
    const line = stripMarkup(rawLine)
    if (table) {
      if (!line) {
        flushRow()
        continue
      }
      if (row && row.length) {
        // An untabbed line inside a row continues its last cell (神木's stacked unit names).
        row[row.length - 1] = `${row[row.length - 1]}\n${line}`
        continue
      }
      flushTable()
    }
    if (!line) continue
    // A long paragraph without closing punctuation was cut by a page break; a short one is a heading.
    if (para !== undefined && !TERMINAL.test(para) && !startsNewItem(line) && !UNIT_LINE.test(para) && (!looksLikeHeading(para) || hasOpenBracket(para))) {
      para += line
      continue
    }
    flushPara()
    para = line
  }
  flushPara()
  flushTable()
  return blocks
}
