import * as OpenCC from 'opencc-js'

// Traditional (Taiwan, Hong Kong and generic) to mainland simplified: 東營 → 东营, 科學素質 → 科学素质.
const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' })

/**
 * Folds text for matching: NFKC (full-width letters, digits and punctuation to half-width), traditional
 * to simplified Chinese, lower case, one kind of dash. Index and queries are folded alike.
 */
export function foldText(text: string): string {
  return toSimplified(text.normalize('NFKC')).toLowerCase().replace(/[—–－~～]/gu, '-')
}
