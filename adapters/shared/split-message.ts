/** Telegram's limit on one message's text, in UTF-16 code units (the default piece size). */
export const TELEGRAM_MAX_TEXT = 4096

// Strongest boundary first: a paragraph, a line, the end of a sentence, a clause, a space.
const BOUNDARIES: RegExp[] = [/\n\s*\n/g, /\n/g, /[。！？!?…]+[」』”’）)]*|[.;；](?=\s)/g, /[，,；;、：:]/g, /\s+/g]

/**
 * Cuts a text into pieces of at most `max` UTF-16 code units, each ending on the strongest boundary that
 * leaves the piece at least half full (paragraph, line, sentence, clause, space), else a hard cut that never
 * splits a surrogate pair. Joining the pieces gives back the text up to white space at the cuts.
 */
export function splitMessage(text: string, max = TELEGRAM_MAX_TEXT): string[] {
  if (max < 2) throw new RangeError('splitMessage: max must be at least 2')
  const out: string[] = []
  let rest = text.trim()
  while (rest.length > max) {
    const cut = cutPoint(rest, max)
    const piece = rest.slice(0, cut).trimEnd()
    if (piece) out.push(piece)
    rest = rest.slice(cut).trimStart()
  }
  if (rest) out.push(rest)
  return out
}

/** Where to cut `text` (longer than max): just after the last good boundary within the window. */
function cutPoint(text: string, max: number): number {
  const window = text.slice(0, max)
  const floor = Math.floor(max / 2)
  for (const re of BOUNDARIES) {
    let best = -1
    re.lastIndex = 0
    for (let m = re.exec(window); m; m = re.exec(window)) {
      const end = m.index + m[0].length
      if (end <= max && end >= floor) best = end
      if (m[0].length === 0) re.lastIndex++
    }
    if (best > 0) return best
  }
  // No boundary in the second half: cut hard, but not between the halves of a surrogate pair.
  const code = text.charCodeAt(max - 1)
  return code >= 0xd800 && code <= 0xdbff ? max - 1 : max
}
