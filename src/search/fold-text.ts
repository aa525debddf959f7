import { toSimplified } from '../core/to-simplified.js'

/**
 * Folds text for matching: NFKC (full-width letters, digits and punctuation to half-width), traditional
 * to simplified Chinese, lower case, one kind of dash. Index and queries are folded alike.
 */
export function foldText(text: string): string {
  return toSimplified(text.normalize('NFKC')).toLowerCase().replace(/[—–－~～]/gu, '-')
}
