import { lunar as lunarLib } from './rrule-lib.js'
import { addDays, lastDayOfMonth, makeDay, partsOf, type LocalDay } from './local-day.js'

/** A stretch of days a question asks about, inclusive, with the words that named it. */
export interface DateWindow {
  from: LocalDay
  to: LocalDay
  /** How the question put it: 本周末, 下个月, 5月 … */
  label: string
}

/** The year a question pins (今年/明年/去年/2027年), if any. */
export interface YearHint {
  year: number
  word: '今年' | '明年' | '去年' | '后年' | 'explicit'
}

/** How long 「最近」 and a bare 「有什么活动」 look ahead. */
export const RECENT_DAYS = 30

const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 }
const NUM = '(\\d{1,2}|[一二三四五六七八九十]{1,3})'
const WEEKDAY_CHARS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 0, 天: 0, 末: 6 }

/** 「十二」 → 12, 「5」 → 5; undefined for anything else. */
export function parseSmallNumber(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s)
  if (s === '十') return 10
  const m = /^([一二三四五六七八九])?十([一二三四五六七八九])?$/.exec(s)
  if (m) return (m[1] ? CN_DIGITS[m[1]]! : 1) * 10 + (m[2] ? CN_DIGITS[m[2]]! : 0)
  if (s.length === 1 && s in CN_DIGITS) return CN_DIGITS[s]
  return undefined
}

/** The year a question pins, if any. */
export function parseYearHint(text: string, today: LocalDay): YearHint | undefined {
  const year = partsOf(today).year
  const explicit = /(20\d{2})\s*年/.exec(text)
  if (explicit) return { year: Number(explicit[1]), word: 'explicit' }
  if (text.includes('今年')) return { year, word: '今年' }
  if (text.includes('明年')) return { year: year + 1, word: '明年' }
  if (text.includes('后年')) return { year: year + 2, word: '后年' }
  if (text.includes('去年')) return { year: year - 1, word: '去年' }
  return undefined
}

/**
 * Reads the stretch of days a Chinese question means, relative to `today` (Asia/Shanghai): 今天, 明天,
 * 后天, 这周/本周, 这周末, 下周(末), 周六, 这个月, 下个月, N月, N月N日, 最近, 未来N天, 今年/明年, 国庆,
 * 五一, 元旦, 春节(前后), 清明, 端午, 中秋, 暑假. Past dates named without a year roll to next year.
 * Pure: no clock, no I/O. Undefined when the text names no time.
 */
export function parseDateWindow(text: string, today: LocalDay): DateWindow | undefined {
  const t = text.replace(/\s+/g, '')
  const p = partsOf(today)
  const hint = parseYearHint(t, today)
  const monday = addDays(today, -((p.weekday + 6) % 7))

  // A full date first: 2026年5月12日, 5月12号, 五月十二日.
  const full = new RegExp(`(?:(20\\d{2})年)?${NUM}月${NUM}[日号]`).exec(t)
  if (full) {
    const month = parseSmallNumber(full[2]!)
    const day = parseSmallNumber(full[3]!)
    if (month && day && month <= 12 && day <= 31) {
      const year = full[1] ? Number(full[1]) : hint?.year ?? p.year
      let d = makeDay(year, month, day)
      if (!full[1] && !hint && d < today) d = makeDay(year + 1, month, day)
      if (partsOf(d).month === month) return { from: d, to: d, label: `${month}月${day}日` }
    }
  }

  const rel = relativeDay(t, today)
  if (rel) return rel

  if (/下(个)?周末|下(个)?星期末|下礼拜末/.test(t)) {
    const sat = addDays(monday, 12)
    return { from: sat, to: addDays(sat, 1), label: '下周末' }
  }
  const weekday = /(下|这|本)?(?:个)?(?:周|星期|礼拜)([一二三四五六日天])/.exec(t)
  if (weekday && !/周末/.test(weekday[0])) {
    const wd = WEEKDAY_CHARS[weekday[2]!]!
    const offset = (wd + 6) % 7
    let d = addDays(monday, offset + (weekday[1] === '下' ? 7 : 0))
    if (!weekday[1] && d < today) d = addDays(d, 7)
    return { from: d, to: d, label: weekday[0] }
  }
  if (/周末|星期末|礼拜末|双休日/.test(t)) {
    const sat = addDays(monday, 5)
    const sun = addDays(monday, 6)
    return { from: today > sat ? today : sat, to: sun, label: '本周末' }
  }
  if (/下(个)?(周|星期|礼拜)/.test(t)) return { from: addDays(monday, 7), to: addDays(monday, 13), label: '下周' }
  if (/(这|本)(个)?(周|星期|礼拜)|这几天|一周内|未来一周|七天内|7天内/.test(t)) {
    if (/这几天|一周内|未来一周|七天内|7天内/.test(t)) return { from: today, to: addDays(today, 6), label: '未来一周' }
    return { from: today, to: addDays(monday, 6), label: '本周' }
  }
  const nDays = new RegExp(`(?:未来|接下来|近)${NUM}天`).exec(t)
  if (nDays) {
    const n = parseSmallNumber(nDays[1]!)
    if (n && n > 0 && n <= 366) return { from: today, to: addDays(today, n - 1), label: `未来${n}天` }
  }
  if (/下(个)?月/.test(t)) {
    const first = makeDay(p.year, p.month + 1, 1)
    const q = partsOf(first)
    return { from: first, to: lastDayOfMonth(q.year, q.month), label: '下个月' }
  }
  if (/(这|本)(个)?月|当月/.test(t)) return { from: today, to: lastDayOfMonth(p.year, p.month), label: '本月' }

  const festival = festivalWindow(t, today, hint)
  if (festival) return festival

  const month = new RegExp(`(?:(20\\d{2})年)?${NUM}月份?`).exec(t)
  if (month && !/[几哪]月/.test(month[0])) {
    const m = parseSmallNumber(month[2]!)
    if (m && m >= 1 && m <= 12) {
      let year = month[1] ? Number(month[1]) : hint?.year ?? p.year
      if (!month[1] && !hint && lastDayOfMonth(year, m) < today) year++
      const first = makeDay(year, m, 1)
      const from = first < today && year === p.year && m === p.month ? today : first
      return { from, to: lastDayOfMonth(year, m), label: `${year === p.year ? '' : `${year}年`}${m}月` }
    }
  }
  if (/最近|近期|近日|近来|这段时间|这阵子|接下来|即将|马上|快到了/.test(t)) {
    return { from: today, to: addDays(today, RECENT_DAYS - 1), label: '最近' }
  }
  if (hint && /年(有|都有|还有|的)?(什么|哪些|啥)/.test(t)) {
    const from = hint.year === p.year ? today : makeDay(hint.year, 1, 1)
    return { from, to: makeDay(hint.year, 12, 31), label: hint.word === 'explicit' ? `${hint.year}年` : hint.word }
  }
  return undefined
}

function relativeDay(t: string, today: LocalDay): DateWindow | undefined {
  const table: [RegExp, number, string][] = [
    [/大后天/, 3, '大后天'],
    [/后天/, 2, '后天'],
    [/明天|明日/, 1, '明天'],
    [/今天|今日|今儿|今晚/, 0, '今天'],
  ]
  if (/这两天|这俩天/.test(t)) return { from: today, to: addDays(today, 1), label: '这两天' }
  for (const [re, n, label] of table) if (re.test(t)) return { from: addDays(today, n), to: addDays(today, n), label }
  return undefined
}

/** Holidays and seasons people plan by; this year's unless it is over (or the question names the year). */
function festivalWindow(t: string, today: LocalDay, hint: YearHint | undefined): DateWindow | undefined {
  const defs: [RegExp, string, (year: number) => { from: LocalDay; to: LocalDay }][] = [
    [/国庆|十一(?![月日号])(?:假期|长假|黄金周|期间|放假|有|那)/, '国庆', (y) => ({ from: makeDay(y, 10, 1), to: makeDay(y, 10, 7) })],
    [/五一|劳动节/, '五一', (y) => ({ from: makeDay(y, 5, 1), to: makeDay(y, 5, 5) })],
    [/元旦/, '元旦', (y) => ({ from: makeDay(y, 1, 1), to: makeDay(y, 1, 3) })],
    [/春节前后|过年前后|过年期间|过年/, '春节前后', (y) => around(lunar(y, 1, 1), -15, 15)],
    [/春节|大年初一/, '春节', (y) => around(lunar(y, 1, 1), 0, 6)],
    [/清明/, '清明', (y) => around(term(y, '清明'), 0, 2)],
    [/端午/, '端午', (y) => around(lunar(y, 5, 5), 0, 2)],
    [/中秋/, '中秋', (y) => around(lunar(y, 8, 15), 0, 2)],
    [/暑假/, '暑假', (y) => ({ from: makeDay(y, 7, 10), to: makeDay(y, 8, 31) })],
    [/寒假/, '寒假', (y) => around(lunar(y, 1, 1), -21, 21)],
  ]
  const year = partsOf(today).year
  for (const [re, label, at] of defs) {
    if (!re.test(t)) continue
    let w = at(hint?.year ?? year)
    if (!hint && w.to < today) w = at(year + 1)
    const from = w.from < today && w.to >= today ? today : w.from
    return { from, to: w.to, label }
  }
  return undefined
}

function lunar(year: number, month: number, day: number): LocalDay {
  return lunarLib().Lunar.fromYmd(year, month, day).getSolar().toYmd()
}

function term(year: number, name: string): LocalDay {
  const s = lunarLib().Solar.fromYmd(year, 6, 1).getLunar().getJieQiTable()[name]
  return s ? s.toYmd() : makeDay(year, 4, 5)
}

function around(day: LocalDay, before: number, after: number): { from: LocalDay; to: LocalDay } {
  return { from: addDays(day, before), to: addDays(day, after) }
}
