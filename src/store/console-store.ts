import type { Target } from './store.js'

/**
 * What the staff web console keeps (src/console): sessions, one-time login links, the audit log,
 * events and announcement drafts entered by staff, handled unanswered questions and daily question
 * counts. Secrets (session ids, login tokens) arrive here already hashed; the store never sees them.
 * Times are `Date`s at the surface; every method that depends on the time takes it.
 */
export interface ConsoleSession {
  userKey: string
  csrf: string
  createdAt: Date
  lastSeenAt: Date
}

export interface AuditEntry {
  id: number
  at: Date
  /** `channel:userId` of the admin. */
  actor: string
  /** A stable code: `login`, `event.add`, `event.edit`, `event.cancel`, `draft.add`, `draft.approve` … */
  action: string
  subject: string
  /** JSON of the value before and after; null for none. */
  before: string | null
  after: string | null
}

export type StaffEventStatus = 'active' | 'cancelled'

export interface StaffEventRow {
  id: number
  eventId: string
  region: string
  /** The LocalEvent as JSON (validated by the caller). */
  event: string
  status: StaffEventStatus
  createdBy: string
  createdAt: Date
  updatedAt: Date
}

/** What staff add to the content in the console: a knowledge card or a synonym group. */
export type StaffContentKind = 'card' | 'synonym'
export type StaffContentStatus = 'active' | 'withdrawn'

export interface StaffContentRow {
  id: number
  kind: StaffContentKind
  /** The card's id (`staff-…`) or the group's (`syn-…`): unique per kind. */
  itemId: string
  /** The card or the synonym group as JSON (validated by the caller with the content files' schema). */
  body: string
  status: StaffContentStatus
  createdBy: string
  createdAt: Date
  updatedAt: Date
}

export type DraftStatus = 'draft' | 'approved' | 'cancelled'

export interface AnnouncementDraft {
  id: number
  name: string
  cron: string | null
  target: Target
  template: string
  status: DraftStatus
  createdBy: string
  createdAt: Date
  approvedBy: string | undefined
  approvedAt: Date | undefined
  /** True when the author approved it alone (KEPU_APPROVALS=1). */
  selfApproved: boolean
  announcementId: number | undefined
}

export interface NewDraft {
  name: string
  cron: string | null
  target: Target
  template: string
  createdBy: string
}

export interface QuestionCount {
  day: string
  region: string
  intent: string
  answered: boolean
  count: number
}

export interface HandoffMessage {
  fromStaff: boolean
  author: string
  text: string
  at: Date
}

export interface HandoffThread {
  id: number
  userKey: string
  channel: string
  chatId: string
  status: 'open' | 'closed'
  openedAt: Date
  updatedAt: Date
}

export interface ConsoleStore {
  // ——— login links and sessions ———
  addLoginToken(tokenHash: string, userKey: string, at: Date, expiresAt: Date): Promise<void>
  /** Marks the token used and returns its user, in one conditional update: unknown, used or expired → undefined. */
  useLoginToken(tokenHash: string, now: Date): Promise<string | undefined>
  createSession(idHash: string, userKey: string, csrf: string, at: Date): Promise<void>
  /** The session, touched (last seen = now), when it exists and was seen within `idleMs`; an idle one is deleted. */
  touchSession(idHash: string, now: Date, idleMs: number): Promise<ConsoleSession | undefined>
  deleteSession(idHash: string): Promise<void>

  // ——— audit ———
  audit(entry: Omit<AuditEntry, 'id'>): Promise<void>
  auditLog(limit: number): Promise<AuditEntry[]>

  // ——— events entered by staff ———
  addStaffEvent(row: { eventId: string; region: string; event: string; createdBy: string }, at: Date): Promise<StaffEventRow>
  updateStaffEvent(id: number, change: { event?: string; region?: string; status?: StaffEventStatus }, at: Date): Promise<StaffEventRow | undefined>
  getStaffEvent(id: number): Promise<StaffEventRow | undefined>
  listStaffEvents(): Promise<StaffEventRow[]>

  // ——— knowledge cards and synonym groups added by staff ———
  addStaffContent(row: { kind: StaffContentKind; itemId: string; body: string; createdBy: string }, at: Date): Promise<StaffContentRow>
  /** Changes a row (its body, or its status from `active`); undefined when there is no such row, or it is not active. */
  updateStaffContent(id: number, change: { body?: string; status?: StaffContentStatus }, at: Date): Promise<StaffContentRow | undefined>
  getStaffContent(id: number): Promise<StaffContentRow | undefined>
  /** Every row of a kind, oldest first (the order they are merged after the files' content). */
  listStaffContent(kind: StaffContentKind): Promise<StaffContentRow[]>
  /** A short text that changes whenever any row is added or changed: polled by every process to reload. */
  staffContentVersion(): Promise<string>

  // ——— announcement drafts ———
  addDraft(d: NewDraft, at: Date): Promise<AnnouncementDraft>
  getDraft(id: number): Promise<AnnouncementDraft | undefined>
  listDrafts(): Promise<AnnouncementDraft[]>
  /** draft → approved, only from `draft` (a second click or a race approves once). */
  approveDraft(id: number, by: string, selfApproved: boolean, at: Date): Promise<AnnouncementDraft | undefined>
  /** Records the announcement an approved draft became. */
  linkDraft(id: number, announcementId: number): Promise<void>
  /** draft or approved → cancelled (the caller removes the scheduled announcement). */
  cancelDraft(id: number): Promise<AnnouncementDraft | undefined>

  // ——— unanswered questions marked handled ———
  markHandled(normalized: string, by: string, at: Date): Promise<void>
  handled(): Promise<Map<string, { by: string; at: Date }>>

  // ——— question counts (one row per day, region, intent and answered) ———
  countQuestion(q: Omit<QuestionCount, 'count'>): Promise<void>
  questionCounts(fromDay: string): Promise<QuestionCount[]>

  // ——— handoff inbox (「转人工」) ———
  /** The resident's open thread, or a new one. */
  openHandoff(userKey: string, channel: string, chatId: string, at: Date): Promise<HandoffThread>
  /** The resident's open thread that saw a message within `idleMs`; an older one is closed (the timeout). */
  activeHandoff(userKey: string, now: Date, idleMs: number): Promise<HandoffThread | undefined>
  addHandoffMessage(threadId: number, m: HandoffMessage): Promise<void>
  closeHandoff(threadId: number, at: Date): Promise<boolean>
  getHandoff(id: number): Promise<HandoffThread | undefined>
  listHandoffs(status: 'open' | 'closed'): Promise<HandoffThread[]>
  handoffMessages(threadId: number): Promise<HandoffMessage[]>
  /** Deletes a resident's handoff threads and their messages (kepu data purge); returns the messages deleted. */
  purgeHandoffs(userKey: string): Promise<number>
}
