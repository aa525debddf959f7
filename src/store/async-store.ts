import type { UserState } from '../core/user-state.js'
import type {
  Announcement,
  DeliveryReport,
  FeedbackCount,
  Firing,
  NewAnnouncement,
  NewUnanswered,
  NewUnhelpful,
  OutboxRow,
  OutgoingRow,
  Subscription,
  UnansweredLimit,
  UnansweredOutcome,
  UnansweredQuestion,
} from './store.js'

/**
 * The persistence the bot needs, as asynchronous interfaces by role, so that one process or many replicas
 * can share a server database (PostgreSQL) as well as the embedded one (SQLite). `openStore` in
 * `sql/open-store.ts` returns both behind this one interface.
 *
 * The roles keep the row semantics of the old synchronous store (the row types are in `store.ts`) and add
 * what replicas need: inbound update de-duplication, leases, a shared key-value cache, and the volunteer
 * service requests. Times are `Date`s at the surface and milliseconds since the epoch inside; every
 * method that depends on the time takes it as an argument, so tests run on fake time.
 */

export type {
  Announcement,
  ChatRef,
  DeliveryReport,
  FeedbackCount,
  Firing,
  NewAnnouncement,
  NewUnanswered,
  NewUnhelpful,
  OutboxRow,
  OutboxStatus,
  OutgoingRow,
  Subscription,
  Target,
  UnansweredLimit,
  UnansweredOutcome,
  UnansweredQuestion,
} from './store.js'
export type { UserState } from '../core/user-state.js'

/** Subscriptions and the chats that blocked the bot. */
export interface SubscriptionStore {
  /** Adds or updates a subscription; true when it is new. A new subscription lifts a block on the chat. */
  subscribe(sub: Omit<Subscription, 'createdAt'>, at: Date): Promise<boolean>
  /** Removes one topic (or all when absent) and cancels the chat's queued messages of it; returns how many were removed. */
  unsubscribe(channel: string, chatId: string, topic?: string, at?: Date): Promise<number>
  subscriptionsOf(channel: string, chatId: string): Promise<Subscription[]>
  /** Subscribers of a topic, in one region or all, without blocked chats. */
  subscribers(topic: string, region?: string): Promise<Subscription[]>
  countSubscriptions(): Promise<number>
  block(channel: string, chatId: string, at: Date): Promise<void>
  isBlocked(channel: string, chatId: string): Promise<boolean>
}

/** Announcements and their firings. */
export interface AnnouncementStore {
  addAnnouncement(a: NewAnnouncement, at: Date): Promise<Announcement>
  getAnnouncement(id: number): Promise<Announcement | undefined>
  /** Active announcements, oldest first (all when `includeRemoved`). */
  listAnnouncements(includeRemoved?: boolean): Promise<Announcement[]>
  /** Deactivates an announcement and cancels its queued messages; false when there is none active with that id. */
  removeAnnouncement(id: number, at?: Date): Promise<boolean>
  /**
   * Queues one firing in one transaction: the firing (unique per announcement and time), one outbox row per
   * message, and the announcement's last firing time. Resolves to undefined, writing nothing, when that
   * firing was already recorded — by this process or another replica: a firing happens once.
   */
  recordFiring(announcementId: number, fireAt: Date, messages: OutgoingRow[], at: Date): Promise<Firing | undefined>
  /** Moves the last firing time forward without queueing anything (missed firings that are skipped). */
  advanceLastFiring(announcementId: number, fireAt: Date): Promise<void>
  getFiring(announcementId: number, fireAt: Date): Promise<Firing | undefined>
}

/** The queue the delivery worker drains. */
export interface OutboxStore {
  /** Pending rows of a channel due at `now`, oldest first. */
  dueRows(channel: string, now: Date, limit: number): Promise<OutboxRow[]>
  /** When the next pending row of a channel falls due (ms), or undefined when none is pending. */
  nextDueAt(channel: string): Promise<number | undefined>
  /** Channels with pending rows. */
  pendingChannels(): Promise<string[]>
  /** pending → sending, committed before the request goes out; false when the row is no longer pending. */
  claim(id: number, at: Date): Promise<boolean>
  /**
   * Claims up to `limit` due rows of a channel at once (pending → sending, attempts + 1) and returns them,
   * oldest first. Two replicas claiming together never get the same row (PostgreSQL: `FOR UPDATE SKIP
   * LOCKED`; SQLite: one immediate transaction). Every claimed row is in doubt if the process dies before
   * settling it, so claim no more than will be sent next.
   */
  claimDue(channel: string, now: Date, limit: number): Promise<OutboxRow[]>
  /** `route`: which way the platform took it (e.g. `custom` or `template` on a WeChat Official Account). */
  markSent(id: number, at: Date, messageId?: string, route?: string): Promise<void>
  /** sending → pending at a later time (transient error, rate limit); `countAttempt` false for rate limits. */
  retryLater(id: number, nextAttemptAt: number, error: string, at: Date, countAttempt?: boolean): Promise<void>
  /** Moves a pending row's due time (the chat is at its own limit). */
  defer(id: number, nextAttemptAt: number): Promise<void>
  markFailed(id: number, error: string, at: Date): Promise<void>
  /** Marks the row blocked and the chat blocked, and cancels the chat's other pending rows as blocked. */
  markBlocked(id: number, at: Date): Promise<void>
  markInDoubt(id: number, error: string, at: Date): Promise<void>
  /**
   * After a restart, or when this replica takes over a channel's sender lease from a dead holder: every
   * row left `sending` (of `channel`, or of all channels) was in flight when its sender stopped. `report`
   * makes it `in_doubt` (never resent); `resend` puts it back to `pending` (may duplicate). Returns how many.
   */
  recoverSending(policy: 'report' | 'resend', at: Date, channel?: string): Promise<number>
  /** Rows of a channel sent since an instant (the daily cap survives restarts). */
  sentSince(channel: string, since: Date): Promise<number>
  report(firingId: number): Promise<DeliveryReport | undefined>
  /** Reports of firings queued since an instant, newest first. */
  reports(since: Date): Promise<DeliveryReport[]>
  rowsOf(firingId: number): Promise<OutboxRow[]>
}

/** Questions the bot declined, for staff to add content. The caller masks personal data; the store cuts the text to 500 characters. */
export interface UnansweredStore {
  /**
   * Records a declined question; a `userKey` is kept only as the asker's salted hash. With a `userKey` and
   * a `limit`: a question whose folded text the same asker already asked since `limit.since` is a
   * `duplicate`, and one past `limit.maxPerAsker` is `capped`; neither is written. The check and the write
   * are one transaction (on PostgreSQL under a lock per asker, so replicas cannot both slip under the cap).
   */
  recordUnanswered(q: NewUnanswered, limit?: UnansweredLimit): Promise<UnansweredOutcome>
  /**
   * Records a question the bot answered and the resident called 没用, with the answer shown (cut to 300
   * characters), so staff see it among the unanswered. The asker's daily cap applies as for declined
   * questions (one transaction); the one-per-text rule does not (each answer is rated on its own).
   * Resolves to the row's id, for `commentUnanswered`, or undefined when the asker is over the cap.
   */
  recordUnhelpful(q: NewUnhelpful, limit?: UnansweredLimit): Promise<number | undefined>
  /** Adds the resident's comment (masked by the caller, cut to 500 characters) to a 没用 row; false when there is none with that id. */
  commentUnanswered(id: number, comment: string): Promise<boolean>
  /** Oldest first, each with its asker's hash when one was kept, and the answer and comment of a 没用. */
  unansweredSince(since: Date): Promise<UnansweredQuestion[]>
}

/** Residents' 有用 / 没用 on answers, counted per day: numbers only, no text and no user. */
export interface FeedbackStore {
  /** Counts one verdict on `day` (Asia/Shanghai, YYYY-MM-DD); safe when replicas count at once. */
  countFeedback(day: string, verdict: FeedbackCount['verdict']): Promise<void>
  /** The counts of `fromDay` and later, oldest first. */
  feedbackCounts(fromDay: string): Promise<FeedbackCount[]>
}

/**
 * Dialogue state per user, keyed `channel:userId` (region, elder mode, the 「更多」 text, numbered choices),
 * in the database so that a conversation can move between replicas.
 */
export interface AsyncUserStateStore {
  get(key: string): Promise<UserState | undefined>
  /** Replaces the state; the last question of the dialogue is kept with phone and ID numbers masked. */
  set(key: string, state: UserState, at?: Date): Promise<void>
}

/**
 * Inbound update ids (Telegram `update_id`, WeChat `MsgId`), so that a platform's retry that lands on
 * another replica is answered once.
 */
export interface UpdateDedupStore {
  /**
   * Records `id` from `source` and resolves to true when it was already recorded less than `ttlMs` before
   * `now` (a duplicate: do not answer). Atomic: of two replicas seeing the same id at once, one gets false.
   * An id recorded longer ago counts as new and is recorded again.
   */
  seen(source: string, id: string, now: Date, ttlMs: number): Promise<boolean>
  /** Deletes ids recorded `ttlMs` or more before `now`; returns how many. */
  purgeSeen(now: Date, ttlMs: number): Promise<number>
}

/**
 * Named leases with an expiry, e.g. `sender:telegram:<bot id>`: one sender per bot account across replicas,
 * because the platform's rate limit is per account. A holder renews before expiry; when it dies, the
 * lease expires and another replica takes it over.
 */
export interface LeaseStore {
  /** Takes the lease, renews it when `holder` already holds it, or takes it over when expired; false when someone else holds it. */
  acquire(name: string, holder: string, now: Date, ttlMs: number): Promise<boolean>
  /** Gives the lease up (only when `holder` holds it); true when it was held. */
  release(name: string, holder: string): Promise<boolean>
  /** Who holds the lease at `now`, or undefined when free or expired. */
  holderOf(name: string, now: Date): Promise<string | undefined>
}

/** Small shared values with an optional expiry (a WeChat access_token shared by replicas). */
export interface KeyValueStore {
  /** The value, or undefined when absent or expired at `now`. */
  getValue(key: string, now: Date): Promise<string | undefined>
  /** Sets (or replaces) a value; it expires `ttlMs` after `now`, never when `ttlMs` is absent. */
  setValue(key: string, value: string, now: Date, ttlMs?: number): Promise<void>
  /** Removes a value; true when there was one. */
  deleteValue(key: string): Promise<boolean>
}

/** Where a 科技志愿服务 request (「群众点单」) stands. `closed` and `cancelled` end it. */
export type ServiceRequestStatus = 'new' | 'assigned' | 'scheduled' | 'closed' | 'cancelled'

/** Every status, in workflow order. */
export const SERVICE_REQUEST_STATUSES: readonly ServiceRequestStatus[] = ['new', 'assigned', 'scheduled', 'closed', 'cancelled']

/** What a resident asks for. */
export interface NewServiceRequest {
  channel: string
  chatId: string
  /** `channel:userId`, the same key as the dialogue state. */
  userKey: string
  region: string
  /** The service from the catalogue (content), e.g. `fraud-talk`. */
  serviceId: string
  place: string
  /** The resident's words (「下周六上午」), not a parsed date. */
  preferredDate: string
  audienceSize?: number
  contact: string
}

/** One status change of a request: who made it and when. */
export interface ServiceRequestChange {
  status: ServiceRequestStatus
  /** A staff member's id, or the resident's `userKey`. */
  by: string
  at: Date
  note?: string
}

/** A stored request. */
export interface ServiceRequest extends NewServiceRequest {
  id: number
  /** `KP-<year>-<seq>`, e.g. `KP-2026-0012`: unique, sequential per year (Asia/Shanghai). */
  number: string
  status: ServiceRequestStatus
  team: string | undefined
  scheduledAt: Date | undefined
  /** 1–5, once the resident rated the service. */
  rating: number | undefined
  createdAt: Date
  updatedAt: Date
  /** Oldest first; the first entry is the creation (`new`). */
  history: ServiceRequestChange[]
}

/** Which requests to list; all conditions must hold. */
export interface ServiceRequestFilter {
  status?: ServiceRequestStatus | ServiceRequestStatus[]
  region?: string
  userKey?: string
  /** At most this many, newest first. */
  limit?: number
}

/** A status change as staff make it; `team` and `scheduledAt` are set when given. */
export interface ServiceRequestUpdate extends ServiceRequestChange {
  team?: string
  scheduledAt?: Date
  /** Only when the request is in one of these statuses (two staff acting at once): otherwise nothing changes. */
  from?: ServiceRequestStatus[]
}

/** 科技志愿服务「群众点单」: residents' requests, numbered and tracked. */
export interface ServiceRequestStore {
  /** Stores a request with the next number of the year of `at` (safe when replicas create requests at once). */
  createRequest(r: NewServiceRequest, at: Date): Promise<ServiceRequest>
  getRequest(number: string): Promise<ServiceRequest | undefined>
  /** Newest first. */
  listRequests(filter?: ServiceRequestFilter): Promise<ServiceRequest[]>
  /** Changes the status and records who did it; undefined when there is no such request or it is not in `from`. */
  updateRequestStatus(number: string, update: ServiceRequestUpdate): Promise<ServiceRequest | undefined>
  /** Records the resident's rating (an integer 1–5); false when there is no such request. */
  rateRequest(number: string, rating: number, at: Date): Promise<boolean>
}

/** A resident's offer to volunteer. */
export interface NewVolunteer {
  /** `channel:userId`; one registration per user (registering again updates it). */
  userKey: string
  name: string
  area: string
  skills: string[]
  contact: string
}

/** A stored volunteer. */
export interface Volunteer extends NewVolunteer {
  createdAt: Date
  updatedAt: Date
}

/** Volunteers who registered interest. */
export interface VolunteerStore {
  registerVolunteer(v: NewVolunteer, at: Date): Promise<Volunteer>
  /** Oldest first; in one area when given. */
  listVolunteers(filter?: { area?: string }): Promise<Volunteer[]>
}

/** How many rows `purgeUser` deleted or anonymised, per table. */
export interface PurgeCounts {
  users: number
  subscriptions: number
  blockedChats: number
  /** Queued and past messages to the user's chat: pending ones cancelled, all with the chat id and text cleared (reports still add up). */
  outbox: number
  /** Declined questions the user asked (attributable since askers are kept). */
  unanswered: number
  /** Requests anonymised (contact, place, chat and user cleared; the number, region, service, status and rating kept for statistics). */
  serviceRequests: number
  /** Status changes whose actor was the user, anonymised. */
  serviceRequestHistory: number
  volunteers: number
}

/** A resident's right to erasure. */
export interface PrivacyStore {
  /**
   * Removes a user's personal data from every table that holds it, in one transaction: their state, the
   * subscriptions and block of their private chat (same channel, chat id = user id), the messages to it,
   * the declined questions they asked, their service requests (anonymised) and volunteer registration.
   * `userKey` is `channel:userId`.
   */
  purgeUser(userKey: string): Promise<PurgeCounts>
}

/** Everything the bot keeps, on one database. */
export interface Store
  extends SubscriptionStore,
    AnnouncementStore,
    OutboxStore,
    UnansweredStore,
    FeedbackStore,
    UpdateDedupStore,
    LeaseStore,
    KeyValueStore,
    ServiceRequestStore,
    VolunteerStore,
    PrivacyStore {
  /** Region and mode of each user. */
  readonly users: AsyncUserStateStore
  readonly dialect: 'sqlite' | 'postgres'
  /** Closes the connection (pool); the store is unusable afterwards. Idempotent. */
  close(): Promise<void>
}
