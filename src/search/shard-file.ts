import type { PlanShardJSON } from './plan-index.js'

/**
 * A saved shard as a file: a one-line JSON header (UTF-8) with the small parts, then the two large
 * strings (the terms' entries and the sentences' terms) as UTF-16: reading them back is a copy, where
 * UTF-8 decoding and `JSON.parse` of the same Chinese text cost several times the whole load. The
 * header gives each string's length in UTF-16 code units and the passages the sentences belong to.
 */
export function encodeShardFile(shard: PlanShardJSON): Buffer {
  const ids = Object.keys(shard.sentences)
  const sentences = ids.map((id) => shard.sentences[id]!).join('\u0000')
  const { terms, sentences: _omitted, ...rest } = shard
  const header = JSON.stringify({ ...rest, sentenceIds: ids, lengths: [terms.entries.length, sentences.length] })
  return Buffer.concat([Buffer.from(`${header}\n`, 'utf8'), Buffer.from(terms.entries, 'utf16le'), Buffer.from(sentences, 'utf16le')])
}

interface ShardFileHeader extends Omit<PlanShardJSON, 'terms' | 'sentences'> {
  sentenceIds: string[]
  lengths: [number, number]
}

/** Reads what `encodeShardFile` wrote; undefined for anything else (an older cache, a cut file). */
export function decodeShardFile(buf: Buffer): PlanShardJSON | undefined {
  const newline = buf.indexOf(0x0a)
  if (newline < 0) return undefined
  let header: ShardFileHeader
  try {
    header = JSON.parse(buf.toString('utf8', 0, newline)) as ShardFileHeader
  } catch {
    return undefined
  }
  const [termsLength, sentencesLength] = Array.isArray(header.lengths) ? header.lengths : []
  if (!Array.isArray(header.sentenceIds) || typeof termsLength !== 'number' || typeof sentencesLength !== 'number') return undefined
  const start = newline + 1
  if (buf.length !== start + 2 * (termsLength + sentencesLength)) return undefined
  const entries = buf.toString('utf16le', start, start + 2 * termsLength)
  const joined = buf.toString('utf16le', start + 2 * termsLength)
  const parts = header.sentenceIds.length ? joined.split('\u0000') : []
  if (parts.length !== header.sentenceIds.length) return undefined
  const sentences: Record<string, string> = {}
  header.sentenceIds.forEach((id, i) => (sentences[id] = parts[i]!))
  const { sentenceIds: _ids, lengths: _lengths, ...rest } = header
  return { ...rest, terms: { entries }, sentences }
}
