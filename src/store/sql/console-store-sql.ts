import { sql, type Kysely, type Selectable } from 'kysely'
import type { AnnouncementDraft, AuditEntry, ConsoleSession, ConsoleStore, DraftStatus, HandoffMessage, HandoffThread, NewDraft, QuestionCount, StaffContentKind, StaffContentRow, StaffContentStatus, StaffEventRow, StaffEventStatus } from '../console-store.js'
import type { AnnouncementDraftsTable, HandoffThreadsTable, KepuDatabase, StaffContentTable, StaffEventsTable } from './database.js'

type Db = Kysely<KepuDatabase>

/** The console's store on the same Kysely instance as the async store (SqlStore.kysely); one query for both dialects. */
export class SqlConsoleStore implements ConsoleStore {
  constructor(private readonly db: Db) {}

  async addLoginToken(tokenHash: string, userKey: string, at: Date, expiresAt: Date): Promise<void> {
    await this.db.insertInto('login_tokens').values({ token_hash: tokenHash, user_key: userKey, created_at: at.getTime(), expires_at: expiresAt.getTime(), used_at: null }).execute()
  }

  async useLoginToken(tokenHash: string, now: Date): Promise<string | undefined> {
    const row = await this.db
      .updateTable('login_tokens')
      .set({ used_at: now.getTime() })
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now.getTime())
      .returning('user_key')
      .executeTakeFirst()
    // Expired and used links are of no further use: drop those older than a day.
    await this.db.deleteFrom('login_tokens').where('expires_at', '<', now.getTime() - 86_400_000).execute()
    return row?.user_key
  }

  async createSession(idHash: string, userKey: string, csrf: string, at: Date): Promise<void> {
    await this.db.insertInto('console_sessions').values({ id_hash: idHash, user_key: userKey, csrf, created_at: at.getTime(), last_seen_at: at.getTime() }).execute()
  }

  async touchSession(idHash: string, now: Date, idleMs: number): Promise<ConsoleSession | undefined> {
    const row = await this.db
      .updateTable('console_sessions')
      .set({ last_seen_at: now.getTime() })
      .where('id_hash', '=', idHash)
      .where('last_seen_at', '>', now.getTime() - idleMs)
      .returningAll()
      .executeTakeFirst()
    if (!row) {
      await this.db.deleteFrom('console_sessions').where('last_seen_at', '<=', now.getTime() - idleMs).execute()
      return undefined
    }
    return { userKey: row.user_key, csrf: row.csrf, createdAt: new Date(Number(row.created_at)), lastSeenAt: new Date(Number(row.last_seen_at)) }
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.deleteFrom('console_sessions').where('id_hash', '=', idHash).execute()
  }

  async audit(e: Omit<AuditEntry, 'id'>): Promise<void> {
    await this.db.insertInto('audit_log').values({ at: e.at.getTime(), actor: e.actor, action: e.action, subject: e.subject, before_value: e.before, after_value: e.after }).execute()
  }

  async auditLog(limit: number): Promise<AuditEntry[]> {
    const rows = await this.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit).execute()
    return rows.map((r) => ({ id: Number(r.id), at: new Date(Number(r.at)), actor: r.actor, action: r.action, subject: r.subject, before: r.before_value, after: r.after_value }))
  }

  async addStaffEvent(row: { eventId: string; region: string; event: string; createdBy: string }, at: Date): Promise<StaffEventRow> {
    const r = await this.db
      .insertInto('staff_events')
      .values({ event_id: row.eventId, region: row.region, event: row.event, status: 'active', created_by: row.createdBy, created_at: at.getTime(), updated_at: at.getTime() })
      .returningAll()
      .executeTakeFirstOrThrow()
    return eventOf(r)
  }

  async updateStaffEvent(id: number, change: { event?: string; region?: string; status?: StaffEventStatus }, at: Date): Promise<StaffEventRow | undefined> {
    const r = await this.db
      .updateTable('staff_events')
      .set({ ...(change.event !== undefined && { event: change.event }), ...(change.region !== undefined && { region: change.region }), ...(change.status && { status: change.status }), updated_at: at.getTime() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst()
    return r && eventOf(r)
  }

  async getStaffEvent(id: number): Promise<StaffEventRow | undefined> {
    const r = await this.db.selectFrom('staff_events').selectAll().where('id', '=', id).executeTakeFirst()
    return r && eventOf(r)
  }

  async listStaffEvents(): Promise<StaffEventRow[]> {
    return (await this.db.selectFrom('staff_events').selectAll().orderBy('id').execute()).map(eventOf)
  }

  async addStaffContent(row: { kind: StaffContentKind; itemId: string; body: string; createdBy: string }, at: Date): Promise<StaffContentRow> {
    const r = await this.db
      .insertInto('staff_content')
      .values({ kind: row.kind, item_id: row.itemId, body: row.body, status: 'active', revision: 1, created_by: row.createdBy, created_at: at.getTime(), updated_at: at.getTime() })
      .returningAll()
      .executeTakeFirstOrThrow()
    return contentOf(r)
  }

  async updateStaffContent(id: number, change: { body?: string; status?: StaffContentStatus }, at: Date): Promise<StaffContentRow | undefined> {
    // Only an active row changes (a second withdraw, or an edit of a withdrawn one, does nothing), and every
    // change counts one revision: the version other processes poll.
    const r = await this.db
      .updateTable('staff_content')
      .set({ ...(change.body !== undefined && { body: change.body }), ...(change.status && { status: change.status }), revision: sql<number>`revision + 1`, updated_at: at.getTime() })
      .where('id', '=', id)
      .where('status', '=', 'active')
      .returningAll()
      .executeTakeFirst()
    return r && contentOf(r)
  }

  async getStaffContent(id: number): Promise<StaffContentRow | undefined> {
    if (!Number.isSafeInteger(id)) return undefined
    const r = await this.db.selectFrom('staff_content').selectAll().where('id', '=', id).executeTakeFirst()
    return r && contentOf(r)
  }

  async listStaffContent(kind: StaffContentKind): Promise<StaffContentRow[]> {
    return (await this.db.selectFrom('staff_content').selectAll().where('kind', '=', kind).orderBy('id').execute()).map(contentOf)
  }

  async staffContentVersion(): Promise<string> {
    const r = await this.db
      .selectFrom('staff_content')
      .select([sql<number>`count(*)`.as('n'), sql<number>`coalesce(sum(revision), 0)`.as('r')])
      .executeTakeFirst()
    return `${Number(r?.n ?? 0)}.${Number(r?.r ?? 0)}`
  }

  async addDraft(d: NewDraft, at: Date): Promise<AnnouncementDraft> {
    const r = await this.db
      .insertInto('announcement_drafts')
      .values({ name: d.name, cron: d.cron, target: JSON.stringify(d.target), template: d.template, status: 'draft', created_by: d.createdBy, created_at: at.getTime(), approved_by: null, approved_at: null, announcement_id: null })
      .returningAll()
      .executeTakeFirstOrThrow()
    return draftOf(r)
  }

  async getDraft(id: number): Promise<AnnouncementDraft | undefined> {
    const r = await this.db.selectFrom('announcement_drafts').selectAll().where('id', '=', id).executeTakeFirst()
    return r && draftOf(r)
  }

  async listDrafts(): Promise<AnnouncementDraft[]> {
    return (await this.db.selectFrom('announcement_drafts').selectAll().orderBy('id', 'desc').execute()).map(draftOf)
  }

  async approveDraft(id: number, by: string, selfApproved: boolean, at: Date): Promise<AnnouncementDraft | undefined> {
    const r = await this.db
      .updateTable('announcement_drafts')
      .set({ status: 'approved', approved_by: by, approved_at: at.getTime(), self_approved: selfApproved ? 1 : 0 })
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .returningAll()
      .executeTakeFirst()
    return r && draftOf(r)
  }

  async linkDraft(id: number, announcementId: number): Promise<void> {
    await this.db.updateTable('announcement_drafts').set({ announcement_id: announcementId }).where('id', '=', id).execute()
  }

  async cancelDraft(id: number): Promise<AnnouncementDraft | undefined> {
    const r = await this.db.updateTable('announcement_drafts').set({ status: 'cancelled' }).where('id', '=', id).where('status', 'in', ['draft', 'approved']).returningAll().executeTakeFirst()
    return r && draftOf(r)
  }

  async markHandled(normalized: string, by: string, at: Date): Promise<void> {
    await this.db
      .insertInto('unanswered_handled')
      .values({ normalized, handled_by: by, handled_at: at.getTime() })
      .onConflict((oc) => oc.column('normalized').doUpdateSet({ handled_by: by, handled_at: at.getTime() }))
      .execute()
  }

  async handled(): Promise<Map<string, { by: string; at: Date }>> {
    const rows = await this.db.selectFrom('unanswered_handled').selectAll().execute()
    return new Map(rows.map((r) => [r.normalized, { by: r.handled_by, at: new Date(Number(r.handled_at)) }]))
  }

  async countQuestion(q: Omit<QuestionCount, 'count'>): Promise<void> {
    await this.db
      .insertInto('question_stats')
      .values({ day: q.day, region: q.region, intent: q.intent, answered: q.answered ? 1 : 0, count: 1 })
      .onConflict((oc) => oc.columns(['day', 'region', 'intent', 'answered']).doUpdateSet({ count: sql<number>`question_stats.count + 1` }))
      .execute()
  }

  async questionCounts(fromDay: string): Promise<QuestionCount[]> {
    const rows = await this.db.selectFrom('question_stats').selectAll().where('day', '>=', fromDay).orderBy('day').execute()
    return rows.map((r) => ({ day: r.day, region: r.region, intent: r.intent, answered: Number(r.answered) === 1, count: Number(r.count) }))
  }

  async openHandoff(userKey: string, channel: string, chatId: string, at: Date): Promise<HandoffThread> {
    const open = await this.db.selectFrom('handoff_threads').selectAll().where('user_key', '=', userKey).where('status', '=', 'open').orderBy('id', 'desc').executeTakeFirst()
    if (open) return threadOf(open)
    const r = await this.db
      .insertInto('handoff_threads')
      .values({ user_key: userKey, channel, chat_id: chatId, status: 'open', opened_at: at.getTime(), updated_at: at.getTime() })
      .returningAll()
      .executeTakeFirstOrThrow()
    return threadOf(r)
  }

  async activeHandoff(userKey: string, now: Date, idleMs: number): Promise<HandoffThread | undefined> {
    const r = await this.db.selectFrom('handoff_threads').selectAll().where('user_key', '=', userKey).where('status', '=', 'open').orderBy('id', 'desc').executeTakeFirst()
    if (!r) return undefined
    if (Number(r.updated_at) <= now.getTime() - idleMs) {
      await this.closeHandoff(Number(r.id), now)
      return undefined
    }
    return threadOf(r)
  }

  async addHandoffMessage(threadId: number, m: HandoffMessage): Promise<void> {
    await this.db.insertInto('handoff_messages').values({ thread_id: threadId, from_staff: m.fromStaff ? 1 : 0, author: m.author, text: m.text, at: m.at.getTime() }).execute()
    await this.db.updateTable('handoff_threads').set({ updated_at: m.at.getTime() }).where('id', '=', threadId).execute()
  }

  async closeHandoff(threadId: number, at: Date): Promise<boolean> {
    const res = await this.db.updateTable('handoff_threads').set({ status: 'closed', updated_at: at.getTime() }).where('id', '=', threadId).where('status', '=', 'open').executeTakeFirst()
    return Number(res.numUpdatedRows) > 0
  }

  async getHandoff(id: number): Promise<HandoffThread | undefined> {
    const r = await this.db.selectFrom('handoff_threads').selectAll().where('id', '=', id).executeTakeFirst()
    return r && threadOf(r)
  }

  async listHandoffs(status: 'open' | 'closed'): Promise<HandoffThread[]> {
    return (await this.db.selectFrom('handoff_threads').selectAll().where('status', '=', status).orderBy('updated_at', 'desc').limit(100).execute()).map(threadOf)
  }

  async purgeHandoffs(userKey: string): Promise<number> {
    // Messages first, then the threads: a stop in between leaves only an empty thread, never a message without one.
    const ids = (await this.db.selectFrom('handoff_threads').select('id').where('user_key', '=', userKey).execute()).map((r) => Number(r.id))
    if (!ids.length) return 0
    const res = await this.db.deleteFrom('handoff_messages').where('thread_id', 'in', ids).executeTakeFirst()
    await this.db.deleteFrom('handoff_threads').where('id', 'in', ids).execute()
    return Number(res.numDeletedRows)
  }

  async handoffMessages(threadId: number): Promise<HandoffMessage[]> {
    const rows = await this.db.selectFrom('handoff_messages').selectAll().where('thread_id', '=', threadId).orderBy('id').execute()
    return rows.map((r) => ({ fromStaff: Number(r.from_staff) === 1, author: r.author, text: r.text, at: new Date(Number(r.at)) }))
  }
}

function threadOf(r: Selectable<HandoffThreadsTable>): HandoffThread {
  return {
    id: Number(r.id),
    userKey: r.user_key,
    channel: r.channel,
    chatId: r.chat_id,
    status: r.status as HandoffThread['status'],
    openedAt: new Date(Number(r.opened_at)),
    updatedAt: new Date(Number(r.updated_at)),
  }
}

function eventOf(r: Selectable<StaffEventsTable>): StaffEventRow {
  return {
    id: Number(r.id),
    eventId: r.event_id,
    region: r.region,
    event: r.event,
    status: r.status as StaffEventStatus,
    createdBy: r.created_by,
    createdAt: new Date(Number(r.created_at)),
    updatedAt: new Date(Number(r.updated_at)),
  }
}

function contentOf(r: Selectable<StaffContentTable>): StaffContentRow {
  return {
    id: Number(r.id),
    kind: r.kind as StaffContentKind,
    itemId: r.item_id,
    body: r.body,
    status: r.status as StaffContentStatus,
    createdBy: r.created_by,
    createdAt: new Date(Number(r.created_at)),
    updatedAt: new Date(Number(r.updated_at)),
  }
}

function draftOf(r: Selectable<AnnouncementDraftsTable>): AnnouncementDraft {
  return {
    id: Number(r.id),
    name: r.name,
    cron: r.cron,
    target: JSON.parse(r.target) as AnnouncementDraft['target'],
    template: r.template,
    status: r.status as DraftStatus,
    createdBy: r.created_by,
    createdAt: new Date(Number(r.created_at)),
    approvedBy: r.approved_by ?? undefined,
    approvedAt: r.approved_at === null ? undefined : new Date(Number(r.approved_at)),
    selfApproved: Number(r.self_approved) === 1,
    announcementId: r.announcement_id === null ? undefined : Number(r.announcement_id),
  }
}

/** The console store over an async store that is a SqlStore (openStore's); undefined for any other store. */
export function consoleStoreOf(store: unknown): ConsoleStore | undefined {
  const db = (store as { kysely?: Db } | undefined)?.kysely
  return db ? new SqlConsoleStore(db) : undefined
}
