/**
 * The rows the store keeps, as the rest of the code sees them. The store's interfaces, all asynchronous, are
 * in `async-store.ts` (which re-exports these types); `sql/open-store.ts` implements them on SQLite and
 * PostgreSQL. Times are `Date`s at the surface and milliseconds inside.
 */

/** A chat a message can go to. */
export interface ChatRef {
  channel: string
  chatId: string
  isGroup?: boolean
}

/** A resident's (or group's) subscription to a topic, with the region it was made for. */
export interface Subscription extends ChatRef {
  topic: string
  /** The region name (e.g. 东营市), or undefined for topics that do not depend on a region. */
  region: string | undefined
  createdAt: Date
}

/** Who an announcement goes to: the subscribers of a topic (in one region, or in all), or named chats. */
export type Target =
  | { kind: 'topic'; topic: string; region?: string }
  | { kind: 'chats'; chats: ChatRef[] }

/** What staff write to create an announcement. */
export interface NewAnnouncement {
  name: string
  /** A cron expression in Asia/Shanghai; null for a one-off broadcast. */
  cron: string | null
  target: Target
  template: string
  /** For observance reminders: send this many days before (e.g. [3, 1]). */
  leadDays?: number[]
  /** For observance reminders: only this observance (by name); all when absent. */
  observance?: string
  createdBy: string
}

/** A stored announcement. */
export interface Announcement extends NewAnnouncement {
  id: number
  createdAt: Date
  /** The last firing time handled (fired or skipped); firings after it are due. */
  lastFiringAt: Date | undefined
  active: boolean
}

/** One message of a firing, before it is queued. */
export interface OutgoingRow extends ChatRef {
  text: string
  topic?: string
}

/** A queued firing as recorded. */
export interface Firing {
  id: number
  announcementId: number
  fireAt: Date
  recipients: number
}

/**
 * Where a queued message stands. `sending` is written (and committed) before the request goes out, so
 * that a crash leaves a trace; on restart a `sending` row becomes `in_doubt`.
 */
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'blocked' | 'in_doubt' | 'cancelled'

/** One queued message. */
export interface OutboxRow {
  id: number
  firingId: number
  channel: string
  chatId: string
  isGroup: boolean
  topic: string | undefined
  text: string
  status: OutboxStatus
  attempts: number
  /** Milliseconds since the epoch. */
  nextAttemptAt: number
}

/** What happened to one firing's messages. The counts add up to `total`. */
export interface DeliveryReport {
  firingId: number
  announcementId: number
  name: string
  fireAt: Date
  total: number
  pending: number
  sending: number
  sent: number
  failed: number
  blocked: number
  inDoubt: number
  cancelled: number
  /** Sent messages by the route they took (`custom`, `template` …), when the adapter says. */
  routes?: Record<string, number>
}

/** A question the bot declined. */
export interface UnansweredQuestion {
  channel: string
  region: string | undefined
  text: string
  /** The text folded for grouping (no punctuation or spaces, lower case). */
  normalized: string
  at: Date
  /**
   * Who asked, pseudonymous: the salted SHA-256 of `channel:userId` (the salt is per install and never
   * leaves the store). Undefined for questions recorded before askers were kept.
   */
  asker?: string
  /**
   * Present when the bot did answer and the resident said 没用 (the feedback skill): the answer they were
   * shown, cut to 300 characters.
   */
  answer?: string
  /** What the resident said was wrong or missing after 没用, when they said it (cleaned for staff). */
  comment?: string
}

/** A declined question to record: `userKey` (`channel:userId`) is hashed by the store, never kept as is. */
export interface NewUnanswered extends Omit<UnansweredQuestion, 'asker' | 'answer' | 'comment'> {
  userKey?: string
}

/** A 没用 to record among the unanswered questions: the question and the answer that was shown. */
export interface NewUnhelpful extends NewUnanswered {
  answer: string
}

/** How many residents said 有用 or 没用 on one day (Asia/Shanghai, YYYY-MM-DD). */
export interface FeedbackCount {
  day: string
  verdict: 'useful' | 'useless'
  count: number
}

/** Limits applied when recording, in the same transaction: per asker, since `since` (the start of their day). */
export interface UnansweredLimit {
  since: Date
  /** At most this many questions per asker since `since`. */
  maxPerAsker: number
}

/** What became of a question handed to `recordUnanswered`. */
export type UnansweredOutcome = 'recorded' | 'duplicate' | 'capped'
