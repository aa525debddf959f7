import type { UserStateStore } from '../core/user-state.js'

/**
 * The persistence the bot needs, as interfaces: the SQLite store implements them today, and a server
 * database can replace it without touching the rest of the code. Every method is synchronous because
 * an embedded database answers in microseconds; a network implementation would wrap the callers.
 * Times are `Date`s at the surface and milliseconds inside.
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
}

/** A declined question to record: `userKey` (`channel:userId`) is hashed by the store, never kept as is. */
export interface NewUnanswered extends Omit<UnansweredQuestion, 'asker'> {
  userKey?: string
}

/** Limits applied when recording, in the same transaction: per asker, since `since` (the start of their day). */
export interface UnansweredLimit {
  since: Date
  /** At most this many questions per asker since `since`. */
  maxPerAsker: number
}

/** What became of a question handed to `recordUnanswered`. */
export type UnansweredOutcome = 'recorded' | 'duplicate' | 'capped'

/** How many rows `purgeUser` deleted or anonymised, per table. */
export interface PurgeCounts {
  users: number
  subscriptions: number
  blockedChats: number
  /** Messages to the user's private chat: queued ones cancelled, every one with its chat id and text cleared. */
  outbox: number
  /** Declined questions the user asked (attributable since askers are kept). */
  unanswered: number
}

/** Subscriptions and the chats that blocked the bot. */
export interface SubscriptionStore {
  /** Adds or updates a subscription; true when it is new. A new subscription lifts a block on the chat. */
  subscribe(sub: Omit<Subscription, 'createdAt'>, at: Date): boolean
  /** Removes one topic (or all when absent) and cancels the chat's queued messages of it; returns how many were removed. */
  unsubscribe(channel: string, chatId: string, topic?: string): number
  subscriptionsOf(channel: string, chatId: string): Subscription[]
  /** Subscribers of a topic, in one region or all, without blocked chats. */
  subscribers(topic: string, region?: string): Subscription[]
  countSubscriptions(): number
  block(channel: string, chatId: string, at: Date): void
  isBlocked(channel: string, chatId: string): boolean
}

/** Announcements and their firings. */
export interface AnnouncementStore {
  addAnnouncement(a: NewAnnouncement, at: Date): Announcement
  getAnnouncement(id: number): Announcement | undefined
  /** Active announcements, oldest first (all when `includeRemoved`). */
  listAnnouncements(includeRemoved?: boolean): Announcement[]
  /** Deactivates an announcement and cancels its queued messages; false when there is none active with that id. */
  removeAnnouncement(id: number): boolean
  /**
   * Queues one firing in one transaction: the firing (unique per announcement and time), one outbox row per
   * message, and the announcement's last firing time. Returns undefined, writing nothing, when that firing
   * was already recorded: a firing happens once.
   */
  recordFiring(announcementId: number, fireAt: Date, messages: OutgoingRow[], at: Date): Firing | undefined
  /** Moves the last firing time forward without queueing anything (missed firings that are skipped). */
  advanceLastFiring(announcementId: number, fireAt: Date): void
  getFiring(announcementId: number, fireAt: Date): Firing | undefined
}

/** The queue the delivery worker drains. */
export interface OutboxStore {
  /** Pending rows of a channel due at `now`, oldest first. */
  dueRows(channel: string, now: Date, limit: number): OutboxRow[]
  /** When the next pending row of a channel falls due (ms), or undefined when none is pending. */
  nextDueAt(channel: string): number | undefined
  /** Channels with pending rows. */
  pendingChannels(): string[]
  /** pending → sending, committed before the request goes out; false when the row is no longer pending. */
  claim(id: number, at: Date): boolean
  markSent(id: number, at: Date, messageId?: string): void
  /** sending → pending at a later time (transient error, rate limit); `countAttempt` false for rate limits. */
  retryLater(id: number, nextAttemptAt: number, error: string, at: Date, countAttempt?: boolean): void
  /** Moves a pending row's due time (the chat is at its own limit). */
  defer(id: number, nextAttemptAt: number): void
  markFailed(id: number, error: string, at: Date): void
  /** Marks the row blocked and the chat blocked, and cancels the chat's other pending rows as blocked. */
  markBlocked(id: number, at: Date): void
  markInDoubt(id: number, error: string, at: Date): void
  /**
   * After a restart: every row left `sending` was in flight when the process stopped. `report` makes it
   * `in_doubt` (never resent); `resend` puts it back to `pending` (may duplicate). Returns how many.
   */
  recoverSending(policy: 'report' | 'resend', at: Date): number
  /** Rows of a channel sent since an instant (the daily cap survives restarts). */
  sentSince(channel: string, since: Date): number
  report(firingId: number): DeliveryReport | undefined
  /** Reports of firings queued since an instant, newest first. */
  reports(since: Date): DeliveryReport[]
  rowsOf(firingId: number): OutboxRow[]
}

/** Questions the bot declined, for staff to add content. */
export interface UnansweredStore {
  /**
   * Records a declined question. With a `userKey` and a `limit`: a question whose folded text the same
   * asker already asked since `limit.since` is a `duplicate`, and one past `limit.maxPerAsker` is `capped`;
   * neither is written.
   */
  recordUnanswered(q: NewUnanswered, limit?: UnansweredLimit): UnansweredOutcome
  unansweredSince(since: Date): UnansweredQuestion[]
}

/** A resident's right to erasure. */
export interface PrivacyStore {
  /**
   * Removes a user's personal data in one transaction: their state, the subscriptions and block of their
   * private chat (same channel, chat id = user id), the messages queued to it (cancelled; all rows to it
   * anonymised, so delivery reports still add up) and the declined questions they asked. `userKey` is
   * `channel:userId`.
   */
  purgeUser(userKey: string): PurgeCounts
}

/** Everything the bot keeps. */
export interface Store extends SubscriptionStore, AnnouncementStore, OutboxStore, UnansweredStore, PrivacyStore {
  /** Region and mode of each user (the core's `UserStateStore`). */
  readonly users: UserStateStore
  close(): void
}
