import type { Generated } from 'kysely'

/**
 * The tables as Kysely sees them, the same on SQLite and PostgreSQL so that one query serves both:
 * times are integers (milliseconds since the epoch; BIGINT on PostgreSQL, read back as numbers), flags
 * are integers 0/1 (SQLite has no boolean), and structured values (targets, skills, dialogue state) are
 * JSON text. Column names follow the schema in `schema-steps.ts`.
 */
export interface KepuDatabase {
  users: UsersTable
  subscriptions: SubscriptionsTable
  blocked_chats: BlockedChatsTable
  announcements: AnnouncementsTable
  firings: FiringsTable
  outbox: OutboxTable
  unanswered: UnansweredTable
  unanswered_askers: UnansweredAskersTable
  store_meta: StoreMetaTable
  inbound_updates: InboundUpdatesTable
  leases: LeasesTable
  kv: KeyValueTable
  service_request_counters: ServiceRequestCountersTable
  service_requests: ServiceRequestsTable
  service_request_history: ServiceRequestHistoryTable
  volunteers: VolunteersTable
  console_sessions: ConsoleSessionsTable
  login_tokens: LoginTokensTable
  audit_log: AuditLogTable
  staff_events: StaffEventsTable
  announcement_drafts: AnnouncementDraftsTable
  unanswered_handled: UnansweredHandledTable
  question_stats: QuestionStatsTable
  handoff_threads: HandoffThreadsTable
  handoff_messages: HandoffMessagesTable
  feedback_counts: FeedbackCountsTable
  staff_content: StaffContentTable
}

export interface UsersTable {
  /** `channel:userId`. */
  key: string
  /** The `UserState` as JSON. */
  state: string
  updated_at: number
}

export interface SubscriptionsTable {
  channel: string
  chat_id: string
  is_group: number
  topic: string
  /** '' for topics that do not depend on a region (part of no key, but kept NOT NULL as in schema 1). */
  region: string
  created_at: number
}

export interface BlockedChatsTable {
  channel: string
  chat_id: string
  since: number
}

export interface AnnouncementsTable {
  id: Generated<number>
  name: string
  cron: string | null
  /** The `Target` as JSON. */
  target: string
  template: string
  /** The lead days as a JSON array, or null. */
  lead_days: string | null
  observance: string | null
  created_by: string
  created_at: number
  last_firing_at: number | null
  active: Generated<number>
}

export interface FiringsTable {
  id: Generated<number>
  announcement_id: number
  fire_at: number
  created_at: number
  recipients: number
}

export interface OutboxTable {
  id: Generated<number>
  firing_id: number
  channel: string
  chat_id: string
  is_group: Generated<number>
  topic: string | null
  text: string
  /** An `OutboxStatus`. */
  status: string
  attempts: Generated<number>
  next_attempt_at: number
  updated_at: number
  message_id: string | null
  route: string | null
  last_error: string | null
}

export interface UnansweredTable {
  id: Generated<number>
  channel: string
  region: string | null
  text: string
  normalized: string
  at: number
  /** A 没用 from a resident: the answer that was shown (step 8); null for a declined question. */
  answer: string | null
  /** What the resident said after 没用 (step 8). */
  comment: string | null
}

export interface UnansweredAskersTable {
  unanswered_id: number
  /** The salted SHA-256 of `channel:userId` (see `store_meta.asker_salt`). */
  asker: string
  at: number
}

/** Per-install values: `asker_salt`, the salt of the askers' hashes. */
export interface StoreMetaTable {
  key: string
  value: string
}

export interface InboundUpdatesTable {
  /** Where the id comes from, e.g. `telegram:<bot id>` or `wechat`. */
  source: string
  update_id: string
  seen_at: number
}

export interface LeasesTable {
  name: string
  holder: string
  acquired_at: number
  expires_at: number
}

export interface KeyValueTable {
  key: string
  value: string
  /** Null: never expires. */
  expires_at: number | null
  updated_at: number
}

export interface ServiceRequestCountersTable {
  year: number
  last: number
}

export interface ServiceRequestsTable {
  id: Generated<number>
  number: string
  year: number
  seq: number
  channel: string
  chat_id: string
  user_key: string
  region: string
  service_id: string
  place: string
  preferred_date: string
  audience_size: number | null
  contact: string
  /** A `ServiceRequestStatus`. */
  status: string
  team: string | null
  scheduled_at: number | null
  rating: number | null
  created_at: number
  updated_at: number
}

export interface ServiceRequestHistoryTable {
  id: Generated<number>
  request_id: number
  status: string
  /** Who made the change (`by` is an SQL keyword). */
  actor: string
  at: number
  note: string | null
}

export interface VolunteersTable {
  user_key: string
  name: string
  area: string
  /** The skills as a JSON array. */
  skills: string
  contact: string
  created_at: number
  updated_at: number
}

/** A staff console session; the id is kept only as its SHA-256. */
export interface ConsoleSessionsTable {
  id_hash: string
  user_key: string
  csrf: string
  created_at: number
  last_seen_at: number
}

/** A one-time login link; the token is kept only as its SHA-256. */
export interface LoginTokensTable {
  token_hash: string
  user_key: string
  created_at: number
  expires_at: number
  used_at: number | null
}

export interface AuditLogTable {
  id: Generated<number>
  at: number
  actor: string
  action: string
  subject: string
  /** JSON, or null (nothing before: a creation). */
  before_value: string | null
  after_value: string | null
}

export interface StaffEventsTable {
  id: Generated<number>
  /** The event's kebab-case id (`staff-…`), unique among YAML and stored events. */
  event_id: string
  region: string
  /** The `LocalEvent` as JSON. */
  event: string
  status: string
  created_by: string
  created_at: number
  updated_at: number
}

export interface AnnouncementDraftsTable {
  id: Generated<number>
  name: string
  cron: string | null
  /** The `Target` as JSON. */
  target: string
  template: string
  status: string
  created_by: string
  created_at: number
  approved_by: string | null
  approved_at: number | null
  /** 1 when the author approved it alone (KEPU_APPROVALS=1). */
  self_approved: Generated<number>
  announcement_id: number | null
}

export interface UnansweredHandledTable {
  normalized: string
  handled_by: string
  handled_at: number
}

export interface QuestionStatsTable {
  /** Asia/Shanghai day, YYYY-MM-DD. */
  day: string
  /** '' when the region is unknown. */
  region: string
  intent: string
  answered: number
  count: number
}

/** A resident's 「转人工」 conversation. */
export interface HandoffThreadsTable {
  id: Generated<number>
  user_key: string
  channel: string
  chat_id: string
  status: string
  opened_at: number
  updated_at: number
}

export interface HandoffMessagesTable {
  id: Generated<number>
  thread_id: number
  /** 1 for a staff reply, 0 for the resident's message. */
  from_staff: number
  /** `channel:userId` of whoever wrote it. */
  author: string
  text: string
  at: number
}

/** Residents' 有用 / 没用 per day (step 8). */
export interface FeedbackCountsTable {
  /** Asia/Shanghai day, YYYY-MM-DD. */
  day: string
  /** `useful` or `useless`. */
  verdict: string
  count: number
}

/** Knowledge cards and synonym groups staff add in the console (step 9). */
export interface StaffContentTable {
  id: Generated<number>
  /** `card` or `synonym`. */
  kind: string
  /** The card's id (`staff-…`), or the synonym group's (`syn-…`); unique per kind. */
  item_id: string
  /** The card or the group as JSON, validated by the content files' schema. */
  body: string
  /** `active` or `withdrawn`. */
  status: string
  /** 1, and one more at every change: other processes see a change by the sum (see `staffContentVersion`). */
  revision: number
  created_by: string
  created_at: number
  updated_at: number
}
