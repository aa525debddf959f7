/** Lead and responsible units found in a bracketed note or a 牵头部门/责任部门 line. */
export interface UnitNote {
  leads: string[]
  units: string[]
}

/** Splits a list of units written with 、，, or line breaks; drops 等/等单位 tails and generic filler. */
export function splitUnits(list: string): string[] {
  return list
    .replace(/等(有关)?(部门|单位)*$/u, '')
    .split(/[、，,;；\n]+/u)
    .map((u) => u.trim().replace(/^[和及与]/u, '').replace(/等$/u, '').trim())
    .filter((u) => u.length > 1 && !/^(市直|区直|各)?有关(部门|单位)+$|^各(县区|乡镇|有关)/u.test(u))
}

// （市教育局牵头，市直有关部门单位配合）  〔市农业农村局牵头,市委宣传部…等单位配合〕  （市教体局、市科协、职业技术学院牵头）
// A note's brackets: full-width （…） and 〔…〕 may hold half-width parentheses (市教育(科技)局).
const LEAD_NOTE = /（([^（）]*?)牵头(?:[，,]([^（）]*?)(?:等单位)?配合)?）|〔([^〔〕]*?)牵头(?:[，,]([^〔〕]*?)(?:等单位)?配合)?〕|\(([^()]*?)牵头(?:[，,]([^()]*?)(?:等单位)?配合)?\)/u
// （市委宣传部、市教育局…按职责分工负责）
const DUTY_NOTE = /(?:（([^（）]+?)|〔([^〔〕]+?)|\(([^()]+?))(?:按职责分工负责|按职责负责|负责)[）〕)]\s*$/u

/**
 * Finds the unit note in a text and returns it with the text that remains. The note is the bracket
 * that says 牵头 (leads, with 配合 units) or 按职责分工负责 (responsible units).
 */
export function extractUnitNote(text: string): { rest: string; note?: UnitNote } {
  const lead = LEAD_NOTE.exec(text)
  if (lead) {
    const rest = (text.slice(0, lead.index) + text.slice(lead.index + lead[0].length)).trim()
    return { rest, note: { leads: splitUnits(lead[1] ?? lead[3] ?? lead[5] ?? ''), units: splitUnits(lead[2] ?? lead[4] ?? lead[6] ?? '') } }
  }
  const duty = DUTY_NOTE.exec(text)
  if (duty) {
    return { rest: text.slice(0, duty.index).trim(), note: { leads: [], units: splitUnits(duty[1] ?? duty[2] ?? duty[3] ?? '') } }
  }
  return { rest: text }
}

/** `牵头部门：教育局` → leads; `责任部门：…` / `配合部门：…` → units; else undefined. */
export function parseUnitLine(line: string): UnitNote | undefined {
  const m = /^(牵头部门|牵头单位|责任部门|责任单位|配合部门|配合单位)[:：]\s*(.+)$/u.exec(line.trim())
  if (!m) return undefined
  const list = splitUnits(m[2] ?? '')
  return m[1]!.startsWith('牵头') ? { leads: list, units: [] } : { leads: [], units: list }
}
