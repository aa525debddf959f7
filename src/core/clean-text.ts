import { toSimplified } from './to-simplified.js'

/** The longest question the core reads; longer input is cut and the reply says so. */
export const MAX_QUESTION_CHARS = 2000

/** A cleaned question and whether it was cut. */
export interface CleanText {
  text: string
  truncated: boolean
}

// Zero-width and bidi controls and other control characters are dropped; tabs and newlines become spaces.
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\u00AD]/g
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g

/**
 * Makes user input safe to process: NFKC (full-width letters and digits to half-width), traditional
 * characters as simplified, no control or zero-width characters, white space folded, at most
 * `MAX_QUESTION_CHARS` characters (cut on a code point).
 */
export function cleanText(raw: string, max = MAX_QUESTION_CHARS): CleanText {
  let s = String(raw ?? '')
  // Cut generously before normalising so that a 100 KB paste costs little.
  const pre = s.length > max * 4
  if (pre) s = s.slice(0, max * 4)
  s = toSimplified(s.normalize('NFKC')).replace(INVISIBLE, '').replace(CONTROL, '').replace(/[\t\r\n\u3000 ]+/g, ' ').trim()
  const chars = Array.from(s)
  if (chars.length > max) return { text: chars.slice(0, max).join(''), truncated: true }
  return { text: s, truncated: pre }
}
