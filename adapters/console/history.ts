import { maskPersonal } from '../../src/core/mask-personal.js'

/**
 * The pure half of the terminal's line history: what is kept of the lines typed, before it is written to
 * `console-history` (newest first, as readline keeps it). A resident's paste or phone number is not kept
 * for ever: lines longer than `maxLineChars` are left out, numbers are masked, and the file stays under
 * `maxLines` lines and `maxBytes` bytes.
 */
export interface HistoryLimits {
  maxLines: number
  maxBytes: number
  maxLineChars: number
}

export const HISTORY_LIMITS: HistoryLimits = { maxLines: 500, maxBytes: 64 * 1024, maxLineChars: 500 }

/** The lines to keep, newest first: no blanks, no over-long lines, no repeats, numbers masked, within the caps. */
export function capHistory(lines: readonly string[], limits: HistoryLimits = HISTORY_LIMITS): string[] {
  const out: string[] = []
  const seen = new Set<string>()
  let bytes = 0
  for (const raw of lines) {
    if (out.length >= limits.maxLines) break
    const line = raw.replace(/[\r\n]+/g, ' ').trim()
    if (!line || Array.from(line).length > limits.maxLineChars) continue
    const kept = maskPersonal(line)
    if (seen.has(kept)) continue
    const size = Buffer.byteLength(kept, 'utf8') + 1
    if (bytes + size > limits.maxBytes) break
    seen.add(kept)
    bytes += size
    out.push(kept)
  }
  return out
}

/** The history file's text for the kept lines ('' when none). */
export function historyText(lines: readonly string[]): string {
  return lines.length ? `${lines.join('\n')}\n` : ''
}
