import { randomBytes } from 'node:crypto'
import type { KeyValueStore } from '../store/async-store.js'

/** What is kept of an answer that offered feedback, until the resident rates it or it expires. */
export interface AnswerRecord {
  /** The question as answered, cleaned for staff (no links, contact details or personal numbers). */
  question: string
  /** The answer as shown (its text; the store cuts it further when a 没用 lands among the unanswered). */
  answer: string
  region?: string
  channel: string
}

/** A Telegram button stays under its answer: a press counts for this long after the answer. */
export const ANSWER_RECORD_TTL_MS = 7 * 86_400_000

/** The longest answer text kept in a record (the unanswered row keeps 300 characters of it). */
const MAX_ANSWER_CHARS = 600

const KEY = (answerId: string): string => `feedback:answer:${answerId}`
/** What a record becomes once rated: a second press is thanked, not counted again. */
const RATED = 'rated'

/** A short random id for an answer: 48 bits, URL-safe, fits a Telegram button's callback data. */
export function newAnswerId(): string {
  return randomBytes(6).toString('base64url')
}

/**
 * The answers residents may rate, in the store's key-value table under `feedback:answer:<id>` for
 * ANSWER_RECORD_TTL_MS: the question (cleaned for staff), the answer shown, the region and channel — never
 * who asked, so an expired or purged resident leaves nothing that names them here.
 */
export class AnswerRecords {
  constructor(private readonly kv: KeyValueStore) {}

  async save(answerId: string, record: AnswerRecord, now: Date): Promise<void> {
    const kept: AnswerRecord = { ...record, answer: Array.from(record.answer).slice(0, MAX_ANSWER_CHARS).join('') }
    await this.kv.setValue(KEY(answerId), JSON.stringify(kept), now, ANSWER_RECORD_TTL_MS)
  }

  /**
   * Takes the record to rate it: the record, `rated` when it was rated before, or undefined when it expired
   * (or never was). A taken record is marked rated for the rest of its time.
   */
  async take(answerId: string, now: Date): Promise<AnswerRecord | 'rated' | undefined> {
    const raw = await this.kv.getValue(KEY(answerId), now)
    if (raw === undefined) return undefined
    if (raw === RATED) return 'rated'
    await this.kv.setValue(KEY(answerId), RATED, now, ANSWER_RECORD_TTL_MS)
    try {
      const r = JSON.parse(raw) as Partial<AnswerRecord>
      return typeof r.question === 'string' && typeof r.answer === 'string' && typeof r.channel === 'string'
        ? { question: r.question, answer: r.answer, channel: r.channel, ...(typeof r.region === 'string' ? { region: r.region } : {}) }
        : undefined
    } catch {
      return undefined
    }
  }
}
