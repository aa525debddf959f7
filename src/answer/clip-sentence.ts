import { foldText } from '../search/fold-text.js'
import type { Tokenize } from '../search/tokenizer.js'

const FIGURE = /\d/u

/**
 * Shortens a long sentence to the clauses that answer: the clause sharing the most terms with the
 * question (a figure counts when the question asks for a number), widened with its neighbours while it
 * fits in `max` characters. Cut ends are marked with 「…」.
 */
export function clipSentence(sentence: string, queryTerms: ReadonlySet<string>, tokenize: Tokenize, max = 90, wantsFigure = false): string {
  if (sentence.length <= max) return sentence
  const clauses = sentence.split(/(?<=[，,、：:])/u)
  const scores = clauses.map((c) => {
    let s = 0
    for (const t of new Set(tokenize(foldText(c)))) if (queryTerms.has(t)) s += t.length
    if (wantsFigure && FIGURE.test(c)) s += 3
    return s
  })
  let best = 0
  scores.forEach((s, i) => {
    if (s > scores[best]!) best = i
  })
  let from = best
  let to = best
  let length = clauses[best]!.length
  for (;;) {
    const left = from > 0 ? clauses[from - 1]! : undefined
    const right = to < clauses.length - 1 ? clauses[to + 1]! : undefined
    const takeLeft = left !== undefined && length + left.length <= max && (right === undefined || scores[from - 1]! >= scores[to + 1]!)
    const takeRight = !takeLeft && right !== undefined && length + right.length <= max
    if (takeLeft) {
      from--
      length += left.length
    } else if (takeRight) {
      to++
      length += right.length
    } else break
  }
  let text = clauses.slice(from, to + 1).join('')
  if (text.length > max) text = text.slice(0, max)
  const cutEnd = to < clauses.length - 1
  if (cutEnd) text = `${text.replace(/[，,、：:]$/u, '')}…`
  return from > 0 ? `…${text}` : text
}
