import type { Options } from 'minisearch'
import { foldText } from './fold-text.js'
import type { Tokenize } from './tokenizer.js'

/**
 * MiniSearch options for a shard cut by our tokenizer on folded text, with terms kept as the tokenizer
 * gives them and no stored fields: the same for indexing and for searching, for plans and cards alike.
 */
export function foldedMiniSearchOptions<T>(fields: readonly string[], tokenize: Tokenize): Options<T> {
  const cut = (text: string): string[] => tokenize(foldText(text))
  const keep = (term: string): string => term
  return { fields: [...fields], storeFields: [], tokenize: cut, processTerm: keep, searchOptions: { tokenize: cut, processTerm: keep } }
}
