/**
 * Finds which named thing a question mentions, tolerating the ways residents shorten and mistype names:
 * 「丰收节」 for 中国农民丰收节, 「科普日」 for 全国科普日, 「防灾减灾曰」 for 防灾减灾日.
 */

/** One name to look for and what it stands for. */
export interface AliasEntry<T> {
  key: string
  value: T
}

/** The best match in a text: longer keys win, exact beats one-character slips. */
export interface AliasHit<T> {
  value: T
  key: string
  exact: boolean
}

/** Prefixes that residents usually drop (全国科普日 → 科普日). */
const DROPPABLE_PREFIXES = ['联合国', '全国', '中国', '世界', '国际', '全民']
/** Quotes and brackets that names are often wrapped in. */
const PUNCT = /[\s"'“”‘’「」『』《》〈〉()（）【】·•]/g
/** Keys this long or longer also match with one character wrong, missing or extra. */
const FUZZY_MIN = 4
/** Fuzzy matching is for short questions; a long paste only matches exactly. */
const FUZZY_MAX_TEXT = 80

/** Folds text for matching: no white space, quotes or brackets, lower case. */
export function foldForMatch(text: string): string {
  return text.normalize('NFKC').replace(PUNCT, '').toLowerCase()
}

/**
 * Builds a matcher over names and aliases. Each name also yields its short form without a prefix
 * like 全国/世界 when that short form is at least three characters and is not part of another entry's
 * name (减灾日 would otherwise steal 防灾减灾日 questions).
 */
export function createAliasMatcher<T>(items: { names: string[]; value: T }[]): (text: string) => AliasHit<T> | undefined {
  const explicit: AliasEntry<T>[] = []
  for (const item of items) for (const n of item.names) explicit.push({ key: foldForMatch(n), value: item.value })
  const derived: AliasEntry<T>[] = []
  for (const item of items) {
    for (const n of item.names) {
      const folded = foldForMatch(n)
      for (const p of DROPPABLE_PREFIXES) {
        if (!folded.startsWith(p)) continue
        const short = folded.slice(p.length)
        if (short.length < 3) continue
        if (explicit.some((e) => e.value !== item.value && e.key.includes(short))) continue
        derived.push({ key: short, value: item.value })
      }
    }
  }
  const entries = dedupe([...explicit, ...derived]).sort((a, b) => b.key.length - a.key.length)
  // The keys long enough for a slip, as characters once: every short question is compared with each.
  const fuzzy = entries.filter((e) => e.key.length >= FUZZY_MIN).map((e) => ({ ...e, chars: Array.from(e.key) }))

  return (text: string) => {
    const t = foldForMatch(text)
    if (!t) return undefined
    for (const e of entries) if (e.key && t.includes(e.key)) return { value: e.value, key: e.key, exact: true }
    if (t.length > FUZZY_MAX_TEXT) return undefined
    const chars = Array.from(t)
    for (const e of fuzzy) {
      if (containsWithinOneEdit(chars, e.chars)) return { value: e.value, key: e.key, exact: false }
    }
    return undefined
  }
}

function dedupe<T>(entries: AliasEntry<T>[]): AliasEntry<T>[] {
  const seen = new Set<string>()
  return entries.filter((e) => {
    if (seen.has(e.key)) return false
    seen.add(e.key)
    return true
  })
}

/**
 * True when some substring of `text` is at most one edit (substitute, insert, delete) away from `key`,
 * keeping the key's first and last character: the last one (日/周/月/节) tells a day from a week, and
 * 「科技活动」 alone must not read as 科技活动周.
 */
export function containsWithinOneEdit(text: string | readonly string[], key: string | readonly string[]): boolean {
  const k = typeof key === 'string' ? Array.from(key) : key
  // Every match keeps the key's first and last character: most keys fail here, before any comparing.
  if (!k.length) return false
  if (typeof text === 'string' ? !text.includes(k[0]!) || !text.includes(k[k.length - 1]!) : !text.includes(k[0]!) || !text.includes(k[k.length - 1]!)) return false
  const t = typeof text === 'string' ? Array.from(text) : text
  // The key's length, one shorter, one longer (a character wrong, missing, extra).
  for (let d = 0; d < 3; d++) {
    const len = k.length + (d === 0 ? 0 : d === 1 ? -1 : 1)
    for (let i = 0; i + len <= t.length; i++) {
      if (t[i] === k[0] && t[i + len - 1] === k[k.length - 1] && withinOneEdit(t, i, len, k)) return true
    }
  }
  return false
}

/** Whether the `len` characters of `a` from `from` are at most one edit from `b` (compared in place: questions are matched against every key). */
function withinOneEdit(a: readonly string[], from: number, len: number, b: readonly string[]): boolean {
  if (Math.abs(len - b.length) > 1) return false
  let i = 0
  let j = 0
  let edits = 0
  while (i < len && j < b.length) {
    if (a[from + i] === b[j]) {
      i++
      j++
      continue
    }
    if (++edits > 1) return false
    if (len > b.length) i++
    else if (len < b.length) j++
    else {
      i++
      j++
    }
  }
  return edits + (len - i) + (b.length - j) <= 1
}
