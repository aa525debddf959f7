import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { KepuError } from '../core/errors.js'
import { maskPersonal } from '../core/mask-personal.js'
import type { UserState, UserStateStore } from '../core/user-state.js'
import { ADDITIVE_SCHEMA, migrate } from './migrations.js'
import type {
  Announcement,
  DeliveryReport,
  Firing,
  NewAnnouncement,
  NewUnanswered,
  OutboxRow,
  OutboxStatus,
  OutgoingRow,
  Store,
  Subscription,
  PurgeCounts,
  Target,
  UnansweredLimit,
  UnansweredOutcome,
  UnansweredQuestion,
} from './store.js'

/** The database file inside the data directory. */
export const STORE_FILE = 'kepu.sqlite'

export interface SqliteStoreOptions {
  /** The data directory (KEPU_DATA_DIR); the file is `<dataDir>/kepu.sqlite`. Created when missing. */
  dataDir?: string
  /** A database file path instead of `dataDir`, or `:memory:` for tests. */
  file?: string
}

/** The longest text kept for one unanswered question. */
const MAX_UNANSWERED_CHARS = 500

/** What stands in for a purged user's chat id in delivery records. */
const PURGED = 'purged'

interface AnnouncementRow {
  id: number
  name: string
  cron: string | null
  target: string
  template: string
  lead_days: string | null
  observance: string | null
  created_by: string
  created_at: number
  last_firing_at: number | null
  active: number
}

interface OutboxDbRow {
  id: number
  firing_id: number
  channel: string
  chat_id: string
  is_group: number
  topic: string | null
  text: string
  status: OutboxStatus
  attempts: number
  next_attempt_at: number
}

interface SubscriptionRow {
  channel: string
  chat_id: string
  is_group: number
  topic: string
  region: string
  created_at: number
}

/**
 * Opens (creating and migrating as needed) the SQLite store. WAL mode lets `kepu announce` and
 * `kepu broadcast` write while `kepu serve` runs; with `synchronous = NORMAL` a commit survives a crash
 * of the process (SIGKILL), which is what exactly-once delivery relies on.
 */
export function openSqliteStore(options: SqliteStoreOptions = {}): Store {
  const file = options.file ?? join(resolve(options.dataDir ?? './data'), STORE_FILE)
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  let db: Database.Database
  try {
    db = new Database(file)
  } catch (err) {
    throw new KepuError('E_STORE_OPEN', `store: cannot open ${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
  }
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('busy_timeout = 5000')
  db.pragma('foreign_keys = ON')
  migrate(db)
  db.exec(ADDITIVE_SCHEMA)
  return new SqliteStore(db)
}

class SqliteUserStates implements UserStateStore {
  private readonly getStmt: Database.Statement<[string], { state: string }>
  private readonly setStmt: Database.Statement<[string, string, number]>
  constructor(db: Database.Database) {
    this.getStmt = db.prepare('SELECT state FROM users WHERE key = ?')
    this.setStmt = db.prepare(
      'INSERT INTO users (key, state, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at',
    )
  }
  get(key: string): UserState | undefined {
    const row = this.getStmt.get(key)
    if (!row) return undefined
    try {
      return JSON.parse(row.state) as UserState
    } catch {
      return undefined
    }
  }
  set(key: string, state: UserState): void {
    // The 「更多」 text and choices are short-lived but must survive between two messages, so they are kept too.
    // The resident's own words (the last question) are kept with phone and ID numbers masked.
    const kept = state.dialogue?.question ? { ...state, dialogue: { ...state.dialogue, question: maskPersonal(state.dialogue.question) } } : state
    this.setStmt.run(key, JSON.stringify(kept), Date.now())
  }
}

class SqliteStore implements Store {
  readonly users: UserStateStore
  private readonly s

  private salt: string | undefined

  constructor(private readonly db: Database.Database) {
    this.users = new SqliteUserStates(db)
    this.s = {
      subscribe: db.prepare(
        `INSERT INTO subscriptions (channel, chat_id, is_group, topic, region, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (channel, chat_id, topic) DO UPDATE SET region = excluded.region, is_group = excluded.is_group`,
      ),
      hasSub: db.prepare('SELECT 1 FROM subscriptions WHERE channel = ? AND chat_id = ? AND topic = ?'),
      unblock: db.prepare('DELETE FROM blocked_chats WHERE channel = ? AND chat_id = ?'),
      unsubOne: db.prepare('DELETE FROM subscriptions WHERE channel = ? AND chat_id = ? AND topic = ?'),
      unsubAll: db.prepare('DELETE FROM subscriptions WHERE channel = ? AND chat_id = ?'),
      cancelChatTopic: db.prepare(
        `UPDATE outbox SET status = 'cancelled', updated_at = ? WHERE channel = ? AND chat_id = ? AND status = 'pending' AND topic = ?`,
      ),
      cancelChatAllTopics: db.prepare(
        `UPDATE outbox SET status = 'cancelled', updated_at = ? WHERE channel = ? AND chat_id = ? AND status = 'pending' AND topic IS NOT NULL`,
      ),
      subsOf: db.prepare<[string, string], SubscriptionRow>('SELECT * FROM subscriptions WHERE channel = ? AND chat_id = ? ORDER BY created_at'),
      subscribersAll: db.prepare<[string], SubscriptionRow>(
        `SELECT s.* FROM subscriptions s WHERE s.topic = ?
         AND NOT EXISTS (SELECT 1 FROM blocked_chats b WHERE b.channel = s.channel AND b.chat_id = s.chat_id) ORDER BY s.channel, s.chat_id`,
      ),
      subscribersIn: db.prepare<[string, string], SubscriptionRow>(
        `SELECT s.* FROM subscriptions s WHERE s.topic = ? AND s.region = ?
         AND NOT EXISTS (SELECT 1 FROM blocked_chats b WHERE b.channel = s.channel AND b.chat_id = s.chat_id) ORDER BY s.channel, s.chat_id`,
      ),
      countSubs: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM subscriptions'),
      block: db.prepare('INSERT INTO blocked_chats (channel, chat_id, since) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
      isBlocked: db.prepare('SELECT 1 FROM blocked_chats WHERE channel = ? AND chat_id = ?'),
      addAnn: db.prepare(
        `INSERT INTO announcements (name, cron, target, template, lead_days, observance, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      getAnn: db.prepare<[number], AnnouncementRow>('SELECT * FROM announcements WHERE id = ?'),
      listAnn: db.prepare<[], AnnouncementRow>('SELECT * FROM announcements WHERE active = 1 ORDER BY id'),
      listAnnAll: db.prepare<[], AnnouncementRow>('SELECT * FROM announcements ORDER BY id'),
      removeAnn: db.prepare('UPDATE announcements SET active = 0 WHERE id = ? AND active = 1'),
      cancelAnn: db.prepare(
        `UPDATE outbox SET status = 'cancelled', updated_at = ? WHERE status = 'pending' AND firing_id IN (SELECT id FROM firings WHERE announcement_id = ?)`,
      ),
      insertFiring: db.prepare(
        'INSERT INTO firings (announcement_id, fire_at, created_at, recipients) VALUES (?, ?, ?, ?) ON CONFLICT (announcement_id, fire_at) DO NOTHING',
      ),
      getFiring: db.prepare<[number, number], { id: number; announcement_id: number; fire_at: number; recipients: number }>(
        'SELECT id, announcement_id, fire_at, recipients FROM firings WHERE announcement_id = ? AND fire_at = ?',
      ),
      setRecipients: db.prepare('UPDATE firings SET recipients = ? WHERE id = ?'),
      insertRow: db.prepare(
        `INSERT INTO outbox (firing_id, channel, chat_id, is_group, topic, text, status, next_attempt_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (firing_id, channel, chat_id) DO NOTHING`,
      ),
      advance: db.prepare('UPDATE announcements SET last_firing_at = ? WHERE id = ? AND (last_firing_at IS NULL OR last_firing_at < ?)'),
      due: db.prepare<[string, number, number], OutboxDbRow>(
        `SELECT id, firing_id, channel, chat_id, is_group, topic, text, status, attempts, next_attempt_at FROM outbox
         WHERE channel = ? AND status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
      ),
      nextDue: db.prepare<[string], { t: number | null }>(
        `SELECT MIN(next_attempt_at) AS t FROM outbox WHERE channel = ? AND status = 'pending'`,
      ),
      pendingChannels: db.prepare<[], { channel: string }>(`SELECT DISTINCT channel FROM outbox WHERE status = 'pending'`),
      claim: db.prepare(`UPDATE outbox SET status = 'sending', attempts = attempts + 1, updated_at = ? WHERE id = ? AND status = 'pending'`),
      sent: db.prepare(`UPDATE outbox SET status = 'sent', message_id = ?, last_error = NULL, updated_at = ? WHERE id = ?`),
      retry: db.prepare(
        `UPDATE outbox SET status = 'pending', next_attempt_at = ?, last_error = ?, attempts = attempts - ?, updated_at = ? WHERE id = ? AND status = 'sending'`,
      ),
      defer: db.prepare(`UPDATE outbox SET next_attempt_at = ? WHERE id = ? AND status = 'pending'`),
      failed: db.prepare(`UPDATE outbox SET status = 'failed', last_error = ?, updated_at = ? WHERE id = ?`),
      inDoubt: db.prepare(`UPDATE outbox SET status = 'in_doubt', last_error = ?, updated_at = ? WHERE id = ?`),
      blockedRow: db.prepare(`UPDATE outbox SET status = 'blocked', updated_at = ? WHERE id = ?`),
      rowChat: db.prepare<[number], { channel: string; chat_id: string }>('SELECT channel, chat_id FROM outbox WHERE id = ?'),
      blockChatRows: db.prepare(`UPDATE outbox SET status = 'blocked', updated_at = ? WHERE channel = ? AND chat_id = ? AND status = 'pending'`),
      recoverReport: db.prepare(`UPDATE outbox SET status = 'in_doubt', last_error = 'in flight when the process stopped', updated_at = ? WHERE status = 'sending'`),
      recoverResend: db.prepare(`UPDATE outbox SET status = 'pending', last_error = 'in flight when the process stopped; resent by policy', updated_at = ? WHERE status = 'sending'`),
      sentSince: db.prepare<[string, number], { n: number }>(`SELECT COUNT(*) AS n FROM outbox WHERE channel = ? AND status = 'sent' AND updated_at >= ?`),
      reportOne: db.prepare<[number], ReportRow>(REPORT_SQL + ' WHERE f.id = ? GROUP BY f.id'),
      reportsSince: db.prepare<[number], ReportRow>(REPORT_SQL + ' WHERE f.created_at >= ? GROUP BY f.id ORDER BY f.created_at DESC, f.id DESC'),
      rowsOf: db.prepare<[number], OutboxDbRow>(
        'SELECT id, firing_id, channel, chat_id, is_group, topic, text, status, attempts, next_attempt_at FROM outbox WHERE firing_id = ? ORDER BY id',
      ),
      addUnanswered: db.prepare('INSERT INTO unanswered (channel, region, text, normalized, at) VALUES (?, ?, ?, ?, ?)'),
      addAsker: db.prepare('INSERT INTO unanswered_askers (unanswered_id, asker, at) VALUES (?, ?, ?)'),
      askerCount: db.prepare<[string, number], { n: number }>('SELECT COUNT(*) AS n FROM unanswered_askers WHERE asker = ? AND at >= ?'),
      askerAsked: db.prepare<[string, number, string], { one: number }>(
        'SELECT 1 AS one FROM unanswered_askers a JOIN unanswered u ON u.id = a.unanswered_id WHERE a.asker = ? AND a.at >= ? AND u.normalized = ? LIMIT 1',
      ),
      unansweredSince: db.prepare<[number], { channel: string; region: string | null; text: string; normalized: string; at: number; asker: string | null }>(
        'SELECT u.channel, u.region, u.text, u.normalized, u.at, a.asker FROM unanswered u LEFT JOIN unanswered_askers a ON a.unanswered_id = u.id WHERE u.at >= ? ORDER BY u.at, u.id',
      ),
      getMeta: db.prepare<[string], { value: string }>('SELECT value FROM store_meta WHERE key = ?'),
      putMeta: db.prepare('INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING'),
      purgeUser: db.prepare('DELETE FROM users WHERE key = ?'),
      purgeBlocked: db.prepare('DELETE FROM blocked_chats WHERE channel = ? AND chat_id = ?'),
      purgeOutbox: db.prepare(
        `UPDATE outbox SET status = CASE WHEN status = 'pending' THEN 'cancelled' ELSE status END, chat_id = ? || ':' || id, text = ''
         WHERE channel = ? AND chat_id = ?`,
      ),
      purgeUnanswered: db.prepare('DELETE FROM unanswered WHERE id IN (SELECT unanswered_id FROM unanswered_askers WHERE asker = ?)'),
    }
  }

  subscribe(sub: Omit<Subscription, 'createdAt'>, at: Date): boolean {
    return this.db.transaction(() => {
      const existed = this.s.hasSub.get(sub.channel, sub.chatId, sub.topic) !== undefined
      this.s.subscribe.run(sub.channel, sub.chatId, sub.isGroup ? 1 : 0, sub.topic, sub.region ?? '', at.getTime())
      this.s.unblock.run(sub.channel, sub.chatId)
      return !existed
    })()
  }

  unsubscribe(channel: string, chatId: string, topic?: string): number {
    const now = Date.now()
    return this.db.transaction(() => {
      if (topic === undefined) {
        this.s.cancelChatAllTopics.run(now, channel, chatId)
        return this.s.unsubAll.run(channel, chatId).changes
      }
      this.s.cancelChatTopic.run(now, channel, chatId, topic)
      return this.s.unsubOne.run(channel, chatId, topic).changes
    })()
  }

  subscriptionsOf(channel: string, chatId: string): Subscription[] {
    return this.s.subsOf.all(channel, chatId).map(toSubscription)
  }

  subscribers(topic: string, region?: string): Subscription[] {
    const rows = region === undefined ? this.s.subscribersAll.all(topic) : this.s.subscribersIn.all(topic, region)
    return rows.map(toSubscription)
  }

  countSubscriptions(): number {
    return this.s.countSubs.get()?.n ?? 0
  }

  block(channel: string, chatId: string, at: Date): void {
    this.s.block.run(channel, chatId, at.getTime())
  }

  isBlocked(channel: string, chatId: string): boolean {
    return this.s.isBlocked.get(channel, chatId) !== undefined
  }

  addAnnouncement(a: NewAnnouncement, at: Date): Announcement {
    const info = this.s.addAnn.run(
      a.name,
      a.cron,
      JSON.stringify(a.target),
      a.template,
      a.leadDays?.length ? JSON.stringify(a.leadDays) : null,
      a.observance ?? null,
      a.createdBy,
      at.getTime(),
    )
    return this.getAnnouncement(Number(info.lastInsertRowid))!
  }

  getAnnouncement(id: number): Announcement | undefined {
    const row = this.s.getAnn.get(id)
    return row ? toAnnouncement(row) : undefined
  }

  listAnnouncements(includeRemoved = false): Announcement[] {
    return (includeRemoved ? this.s.listAnnAll : this.s.listAnn).all().map(toAnnouncement)
  }

  removeAnnouncement(id: number): boolean {
    return this.db.transaction(() => {
      const changed = this.s.removeAnn.run(id).changes > 0
      if (changed) this.s.cancelAnn.run(Date.now(), id)
      return changed
    })()
  }

  recordFiring(announcementId: number, fireAt: Date, messages: OutgoingRow[], at: Date): Firing | undefined {
    const t = fireAt.getTime()
    const now = at.getTime()
    return this.db.transaction(() => {
      const info = this.s.insertFiring.run(announcementId, t, now, 0)
      if (info.changes === 0) return undefined
      const firingId = Number(info.lastInsertRowid)
      let n = 0
      for (const m of messages) {
        n += this.s.insertRow.run(firingId, m.channel, m.chatId, m.isGroup ? 1 : 0, m.topic ?? null, m.text, now, now).changes
      }
      this.s.setRecipients.run(n, firingId)
      this.s.advance.run(t, announcementId, t)
      return { id: firingId, announcementId, fireAt: new Date(t), recipients: n }
    })()
  }

  advanceLastFiring(announcementId: number, fireAt: Date): void {
    const t = fireAt.getTime()
    this.s.advance.run(t, announcementId, t)
  }

  getFiring(announcementId: number, fireAt: Date): Firing | undefined {
    const r = this.s.getFiring.get(announcementId, fireAt.getTime())
    return r ? { id: r.id, announcementId: r.announcement_id, fireAt: new Date(r.fire_at), recipients: r.recipients } : undefined
  }

  dueRows(channel: string, now: Date, limit: number): OutboxRow[] {
    return this.s.due.all(channel, now.getTime(), limit).map(toOutboxRow)
  }

  nextDueAt(channel: string): number | undefined {
    return this.s.nextDue.get(channel)?.t ?? undefined
  }

  pendingChannels(): string[] {
    return this.s.pendingChannels.all().map((r) => r.channel)
  }

  claim(id: number, at: Date): boolean {
    return this.s.claim.run(at.getTime(), id).changes > 0
  }

  markSent(id: number, at: Date, messageId?: string): void {
    this.s.sent.run(messageId ?? null, at.getTime(), id)
  }

  retryLater(id: number, nextAttemptAt: number, error: string, at: Date, countAttempt = true): void {
    this.s.retry.run(nextAttemptAt, error, countAttempt ? 0 : 1, at.getTime(), id)
  }

  defer(id: number, nextAttemptAt: number): void {
    this.s.defer.run(nextAttemptAt, id)
  }

  markFailed(id: number, error: string, at: Date): void {
    this.s.failed.run(error, at.getTime(), id)
  }

  markBlocked(id: number, at: Date): void {
    this.db.transaction(() => {
      this.s.blockedRow.run(at.getTime(), id)
      const chat = this.s.rowChat.get(id)
      if (!chat) return
      this.s.block.run(chat.channel, chat.chat_id, at.getTime())
      this.s.blockChatRows.run(at.getTime(), chat.channel, chat.chat_id)
    })()
  }

  markInDoubt(id: number, error: string, at: Date): void {
    this.s.inDoubt.run(error, at.getTime(), id)
  }

  recoverSending(policy: 'report' | 'resend', at: Date): number {
    return (policy === 'resend' ? this.s.recoverResend : this.s.recoverReport).run(at.getTime()).changes
  }

  sentSince(channel: string, since: Date): number {
    return this.s.sentSince.get(channel, since.getTime())?.n ?? 0
  }

  report(firingId: number): DeliveryReport | undefined {
    const r = this.s.reportOne.get(firingId)
    return r ? toReport(r) : undefined
  }

  reports(since: Date): DeliveryReport[] {
    return this.s.reportsSince.all(since.getTime()).map(toReport)
  }

  rowsOf(firingId: number): OutboxRow[] {
    return this.s.rowsOf.all(firingId).map(toOutboxRow)
  }

  recordUnanswered(q: NewUnanswered, limit?: UnansweredLimit): UnansweredOutcome {
    const text = Array.from(q.text).slice(0, MAX_UNANSWERED_CHARS).join('')
    const at = q.at.getTime()
    if (q.userKey === undefined) {
      this.s.addUnanswered.run(q.channel, q.region ?? null, text, q.normalized, at)
      return 'recorded'
    }
    const asker = this.askerOf(q.userKey)
    return this.db.transaction((): UnansweredOutcome => {
      if (limit) {
        const since = limit.since.getTime()
        if (this.s.askerAsked.get(asker, since, q.normalized)) return 'duplicate'
        if ((this.s.askerCount.get(asker, since)?.n ?? 0) >= limit.maxPerAsker) return 'capped'
      }
      const info = this.s.addUnanswered.run(q.channel, q.region ?? null, text, q.normalized, at)
      this.s.addAsker.run(Number(info.lastInsertRowid), asker, at)
      return 'recorded'
    })()
  }

  unansweredSince(since: Date): UnansweredQuestion[] {
    return this.s.unansweredSince.all(since.getTime()).map((r) => ({
      channel: r.channel,
      region: r.region ?? undefined,
      text: r.text,
      normalized: r.normalized,
      at: new Date(r.at),
      ...(r.asker ? { asker: r.asker } : {}),
    }))
  }

  purgeUser(userKey: string): PurgeCounts {
    const colon = userKey.indexOf(':')
    // The user's private chat: the same channel, chat id = user id.
    const chat = colon > 0 && colon < userKey.length - 1 ? { channel: userKey.slice(0, colon), chatId: userKey.slice(colon + 1) } : undefined
    const asker = this.askerOf(userKey)
    return this.db.transaction((): PurgeCounts => {
      const counts: PurgeCounts = { users: 0, subscriptions: 0, blockedChats: 0, outbox: 0, unanswered: 0 }
      counts.users = this.s.purgeUser.run(userKey).changes
      if (chat) {
        counts.subscriptions = this.s.unsubAll.run(chat.channel, chat.chatId).changes
        counts.blockedChats = this.s.purgeBlocked.run(chat.channel, chat.chatId).changes
        // Delivery records stay (a firing's report must still add up) but no longer say to whom or what.
        counts.outbox = this.s.purgeOutbox.run(PURGED, chat.channel, chat.chatId).changes
      }
      counts.unanswered = this.s.purgeUnanswered.run(asker).changes
      return counts
    })()
  }

  /** The pseudonym of a user in the unanswered table: SHA-256 of the install's salt and `channel:userId`. */
  private askerOf(userKey: string): string {
    this.salt ??= this.loadSalt()
    return createHash('sha256').update(`${this.salt}\n${userKey}`).digest('hex')
  }

  /** The per-install salt, made on first use; two processes racing keep the first one written. */
  private loadSalt(): string {
    const existing = this.s.getMeta.get('asker_salt')
    if (existing) return existing.value
    this.s.putMeta.run('asker_salt', randomBytes(32).toString('hex'))
    return this.s.getMeta.get('asker_salt')!.value
  }

  close(): void {
    if (this.db.open) this.db.close()
  }
}

interface ReportRow {
  id: number
  announcement_id: number
  name: string
  fire_at: number
  total: number
  pending: number
  sending: number
  sent: number
  failed: number
  blocked: number
  in_doubt: number
  cancelled: number
}

const REPORT_SQL = `SELECT f.id, f.announcement_id, a.name, f.fire_at, COUNT(o.id) AS total,
  COALESCE(SUM(o.status = 'pending'), 0) AS pending, COALESCE(SUM(o.status = 'sending'), 0) AS sending,
  COALESCE(SUM(o.status = 'sent'), 0) AS sent, COALESCE(SUM(o.status = 'failed'), 0) AS failed,
  COALESCE(SUM(o.status = 'blocked'), 0) AS blocked, COALESCE(SUM(o.status = 'in_doubt'), 0) AS in_doubt,
  COALESCE(SUM(o.status = 'cancelled'), 0) AS cancelled
  FROM firings f JOIN announcements a ON a.id = f.announcement_id LEFT JOIN outbox o ON o.firing_id = f.id`

function toReport(r: ReportRow): DeliveryReport {
  return {
    firingId: r.id,
    announcementId: r.announcement_id,
    name: r.name,
    fireAt: new Date(r.fire_at),
    total: r.total,
    pending: r.pending,
    sending: r.sending,
    sent: r.sent,
    failed: r.failed,
    blocked: r.blocked,
    inDoubt: r.in_doubt,
    cancelled: r.cancelled,
  }
}

function toSubscription(r: SubscriptionRow): Subscription {
  return {
    channel: r.channel,
    chatId: r.chat_id,
    isGroup: r.is_group === 1,
    topic: r.topic,
    region: r.region || undefined,
    createdAt: new Date(r.created_at),
  }
}

function toAnnouncement(r: AnnouncementRow): Announcement {
  const a: Announcement = {
    id: r.id,
    name: r.name,
    cron: r.cron,
    target: JSON.parse(r.target) as Target,
    template: r.template,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at),
    lastFiringAt: r.last_firing_at === null ? undefined : new Date(r.last_firing_at),
    active: r.active === 1,
  }
  if (r.lead_days) a.leadDays = JSON.parse(r.lead_days) as number[]
  if (r.observance) a.observance = r.observance
  return a
}

function toOutboxRow(r: OutboxDbRow): OutboxRow {
  return {
    id: r.id,
    firingId: r.firing_id,
    channel: r.channel,
    chatId: r.chat_id,
    isGroup: r.is_group === 1,
    topic: r.topic ?? undefined,
    text: r.text,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
  }
}
