import type { AsPlainObject } from 'minisearch'
import { endianness } from 'node:os'
import { codeUnits, textOf } from './code-units.js'
import { CompactTerms, type CompactTermsJSON } from './compact-terms.js'
import { savedDocuments, type SavedDocuments } from './saved-shard-search.js'

/**
 * The serialised form of one shard (see `PlanIndex` and `ShardStore`): MiniSearch's documents without
 * its term index, the terms and their document frequencies in compact form, and the terms of every
 * passage's sentences, so that loading a shard neither builds objects per term nor runs the tokenizer.
 */
export interface PlanShardJSON {
  version: number
  fingerprint: string
  /** MiniSearch's saved form with an empty `index`. */
  index: AsPlainObject
  terms: CompactTermsJSON
  size: number
  /** Passage id → its sentences' terms (see `encodeSentences`). */
  sentences: Record<string, string>
}

/**
 * A saved shard as read back: the small parts parsed; the terms, the field lengths and the sentences'
 * terms as views of the file's bytes (see CompactTerms), outside the JS heap.
 */
export interface SavedShard {
  version: number
  fingerprint: string
  size: number
  /** MiniSearch's document figures; documents are numbered in the order the shard's passages were added. */
  documents: SavedDocuments
  terms: CompactTerms
  sentences: SavedSentences
  /** Gives the file's bytes back to whoever read them (see BytePool); the shard is not used after. */
  release(): void
}

/** The saved terms of each passage's sentences (see PlanShardJSON.sentences), read one passage at a time. */
export interface SavedSentences {
  /** The code units of every passage's lines, back to back. */
  units: Uint16Array
  /** Where a passage's lines are in `units` ([start, end)), or undefined when none were saved for it. */
  span(passageId: string): readonly [number, number] | undefined
  /** Every passage's lines as strings (tests). */
  entries(): [string, string][]
}

interface ShardFileHeader {
  version: number
  fingerprint: string
  size: number
  documentCount: number
  fieldIds: Record<string, number>
  averageFieldLength: number[]
  sentenceIds: string[]
  /** The byte order of the numbers and code units below the header (the machine's that wrote it). */
  endian: string
  /**
   * Entries of the term line offsets, of the sentence offsets and of the field lengths (Int32), then code
   * units of the terms and of the sentences.
   */
  lengths: [number, number, number, number, number]
}

/**
 * A saved shard as a file: a one-line JSON header (UTF-8, padded to a multiple of 4 bytes) with the small
 * parts, then, in the machine's byte order, the offsets of the term lines and of each passage's
 * sentences and every document's field lengths (Int32), and the two large strings as UTF-16 code units.
 * Reading it back parses the header and makes views of the rest: no string is decoded until a passage
 * is ranked. MiniSearch's document ids are not kept: they are the shard's passages in the order added.
 */
export function encodeShardFile(shard: PlanShardJSON): Buffer {
  const { documentCount, fieldIds, averageFieldLength, fieldLength } = savedDocuments(shard.index)
  const ids = Object.keys(shard.sentences)
  const entries = codeUnits(shard.terms.entries)
  const termStarts = CompactTerms.lineStarts(entries)
  const sentenceStarts = new Int32Array(ids.length + 1)
  let total = 0
  ids.forEach((id, i) => {
    sentenceStarts[i] = total
    total += shard.sentences[id]!.length
  })
  sentenceStarts[ids.length] = total
  const sentences = codeUnits(ids.map((id) => shard.sentences[id]!).join(''))
  const header: ShardFileHeader = {
    version: shard.version,
    fingerprint: shard.fingerprint,
    size: shard.size,
    documentCount,
    fieldIds,
    averageFieldLength,
    sentenceIds: ids,
    endian: endianness(),
    lengths: [termStarts.length, sentenceStarts.length, fieldLength.length, entries.length, sentences.length],
  }
  let line = JSON.stringify(header)
  const bytes = Buffer.byteLength(line, 'utf8') + 1
  line += ' '.repeat((4 - (bytes % 4)) % 4)
  const bytesOf = (a: Int32Array | Uint16Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength)
  return Buffer.concat([Buffer.from(`${line}\n`, 'utf8'), bytesOf(termStarts), bytesOf(sentenceStarts), bytesOf(fieldLength), bytesOf(entries), bytesOf(sentences)])
}

/**
 * Reads what `encodeShardFile` wrote; undefined for anything else (an older cache, a cut file, another
 * byte order). The views keep `buf`: `release` is called when the shard is dropped.
 */
export function decodeShardFile(buf: Buffer, release: () => void = () => {}): SavedShard | undefined {
  const newline = buf.indexOf(0x0a)
  if (newline < 0 || (newline + 1) % 4 !== 0) return undefined
  let header: ShardFileHeader
  try {
    header = JSON.parse(buf.toString('utf8', 0, newline)) as ShardFileHeader
  } catch {
    return undefined
  }
  const lengths = Array.isArray(header.lengths) && header.lengths.length === 5 && header.lengths.every((n) => Number.isInteger(n) && n >= 0) ? header.lengths : undefined
  if (!lengths || !Array.isArray(header.sentenceIds) || header.endian !== endianness() || !Array.isArray(header.averageFieldLength)) return undefined
  const [termLines, sentenceLines, fieldLengths, entryUnits, sentenceUnits] = lengths
  const ints = termLines + sentenceLines + fieldLengths
  const start = newline + 1
  if (buf.length !== start + 4 * ints + 2 * (entryUnits + sentenceUnits)) return undefined
  if (sentenceLines !== header.sentenceIds.length + 1 || fieldLengths !== header.documentCount * header.averageFieldLength.length) return undefined
  // Typed array views need aligned memory: pooled buffers are, a buffer from elsewhere is copied.
  const bytes = buf.byteOffset % 4 === 0 ? buf : aligned(buf)
  const at = bytes.byteOffset + start
  const termStarts = new Int32Array(bytes.buffer, at, termLines)
  const sentenceStarts = new Int32Array(bytes.buffer, at + 4 * termLines, sentenceLines)
  const fieldLength = new Int32Array(bytes.buffer, at + 4 * (termLines + sentenceLines), fieldLengths)
  const entries = new Uint16Array(bytes.buffer, at + 4 * ints, entryUnits)
  const sentenceText = new Uint16Array(bytes.buffer, at + 4 * ints + 2 * entryUnits, sentenceUnits)
  if (termStarts[termLines - 1] !== entryUnits + 1 || sentenceStarts[sentenceLines - 1] !== sentenceUnits) return undefined
  const ids = header.sentenceIds
  const sentence = (i: number): string => textOf(sentenceText.subarray(sentenceStarts[i]!, sentenceStarts[i + 1]!))
  return {
    version: header.version,
    fingerprint: header.fingerprint,
    size: header.size,
    documents: { documentCount: header.documentCount, fieldIds: header.fieldIds, averageFieldLength: header.averageFieldLength, fieldLength },
    terms: new CompactTerms(entries, termStarts),
    sentences: {
      units: sentenceText,
      span(id) {
        // A shard has some hundred passages, and a search ranks a few of them: no map is made per load.
        const i = ids.indexOf(id)
        return i < 0 ? undefined : [sentenceStarts[i]!, sentenceStarts[i + 1]!]
      },
      entries: () => ids.map((id, i) => [id, sentence(i)]),
    },
    release,
  }
}

/** A copy of `buf` at the start of its own memory. */
function aligned(buf: Buffer): Buffer {
  const copy = Buffer.allocUnsafeSlow(buf.length)
  buf.copy(copy)
  return copy
}
