import { createHash, randomBytes } from 'node:crypto'
import { sql, type Kysely, type Selectable } from 'kysely'
import { InputError } from '../../core/errors.js'
import { maskPersonal } from '../../core/mask-personal.js'
import type {
  Announcement,
  AsyncUserStateStore,
  DeliveryReport,
  FeedbackCount,
  Firing,
  NewAnnouncement,
  NewServiceRequest,
  NewUnanswered,
  NewUnhelpful,
  NewVolunteer,
  OutboxRow,
  OutboxStatus,
  OutgoingRow,
  PurgeCounts,
  ServiceRequest,
  ServiceRequestFilter,
  ServiceRequestUpdate,
  Store,
  Subscription,
  UnansweredLimit,
  UnansweredOutcome,
  UnansweredQuestion,
  UserState,
  Volunteer,
} from '../async-store.js'
import type { KepuDatabase, ServiceRequestHistoryTable, ServiceRequestsTable } from './database.js'
import { formatRequestNumber, requestYear } from './request-number.js'
import {
  OUTBOX_COLUMNS,
  toAnnouncement,
  toOutboxRow,
  toReport,
  toServiceRequest,
  toSubscription,
  toVolunteer,
  type ReportDbRow,
} from './rows.js'
import type { Transact } from './transact.js'

/** The longest text kept for one unanswered question (characters, not UTF-16 units). */
export const MAX_UNANSWERED_CHARS = 500
/** The longest answer kept with a 没用: enough for staff to see what was said. */
export const MAX_SHOWN_ANSWER_CHARS = 300

/** Cut by code points, so that a surrogate pair (an emoji) is never split; `mark` ends a cut text. */
function cut(text: string, max: number, mark = ''): string {
  const chars = Array.from(text)
  return chars.length > max ? chars.slice(0, max - Array.from(mark).length).join('') + mark : text
}

/** Outbox rows per INSERT: well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters. */
const INSERT_CHUNK = 500

/** What stands in for a purged user's key, chat id, contact and place. */
const PURGED = 'purged'

type Db = Kysely<KepuDatabase>

/** How the two dialects differ for the store: the write transaction, and row locks. */
export interface SqlStoreDialect {
  name: 'sqlite' | 'postgres'
  transact: Transact
  /** Closes the connection or pool. */
  release(): Promise<void>
}

/**
 * The store on Kysely, one implementation for both dialects. Where they differ it says so: write
 * transactions (`BEGIN IMMEDIATE` vs READ COMMITTED), row locks (`FOR UPDATE [SKIP LOCKED]` on PostgreSQL
 * only; SQLite's single writer needs none). Races between replicas are settled in the database —
 * unique keys with `ON CONFLICT`, conditional updates, row locks — never by reading and then writing.
 */
export class SqlStore implements Store {
  readonly users: AsyncUserStateStore
  readonly dialect: 'sqlite' | 'postgres'
  private readonly transact: Transact
  private closed = false
  private salt: string | undefined

  constructor(
    private readonly db: Db,
    private readonly d: SqlStoreDialect,
  ) {
    this.dialect = d.name
    this.transact = d.transact
    this.users = new SqlUserStates(db)
  }

  /** The Kysely instance, for the stores of other roles on the same database (the staff console's). */
  get kysely(): Db {
    return this.db
  }

  private get pg(): boolean {
    return this.dialect === 'postgres'
  }

  // ——— subscriptions ———

  async subscribe(sub: Omit<Subscription, 'createdAt'>, at: Date): Promise<boolean> {
    return this.transact(async (trx) => {
      // Insert-or-nothing first: of two concurrent subscribers of the same chat and topic, one sees "new".
      const inserted = await trx
        .insertInto('subscriptions')
        .values({ channel: sub.channel, chat_id: sub.chatId, is_group: sub.isGroup ? 1 : 0, topic: sub.topic, region: sub.region ?? '', created_at: at.getTime() })
        .onConflict((oc) => oc.columns(['channel', 'chat_id', 'topic']).doNothing())
        .returning('topic')
        .executeTakeFirst()
      if (!inserted) {
        await trx
          .updateTable('subscriptions')
          .set({ region: sub.region ?? '', is_group: sub.isGroup ? 1 : 0 })
          .where('channel', '=', sub.channel)
          .where('chat_id', '=', sub.chatId)
          .where('topic', '=', sub.topic)
          .execute()
      }
      await trx.deleteFrom('blocked_chats').where('channel', '=', sub.channel).where('chat_id', '=', sub.chatId).execute()
      return inserted !== undefined
    })
  }

  async unsubscribe(channel: string, chatId: string, topic?: string, at: Date = new Date()): Promise<number> {
    return this.transact(async (trx) => {
      await trx
        .updateTable('outbox')
        .set({ status: 'cancelled', updated_at: at.getTime() })
        .where('channel', '=', channel)
        .where('chat_id', '=', chatId)
        .where('status', '=', 'pending')
        .where((eb) => (topic === undefined ? eb('topic', 'is not', null) : eb('topic', '=', topic)))
        .execute()
      const res = await trx
        .deleteFrom('subscriptions')
        .where('channel', '=', channel)
        .where('chat_id', '=', chatId)
        .$if(topic !== undefined, (qb) => qb.where('topic', '=', topic!))
        .executeTakeFirst()
      return Number(res.numDeletedRows)
    })
  }

  async subscriptionsOf(channel: string, chatId: string): Promise<Subscription[]> {
    const rows = await this.db
      .selectFrom('subscriptions')
      .selectAll()
      .where('channel', '=', channel)
      .where('chat_id', '=', chatId)
      .orderBy('created_at')
      .orderBy('topic')
      .execute()
    return rows.map(toSubscription)
  }

  async subscribers(topic: string, region?: string): Promise<Subscription[]> {
    const rows = await this.db
      .selectFrom('subscriptions as s')
      .selectAll('s')
      .where('s.topic', '=', topic)
      .$if(region !== undefined, (qb) => qb.where('s.region', '=', region!))
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('blocked_chats as b').select('b.channel').whereRef('b.channel', '=', 's.channel').whereRef('b.chat_id', '=', 's.chat_id'))),
      )
      .orderBy('s.channel')
      .orderBy('s.chat_id')
      .execute()
    return rows.map(toSubscription)
  }

  async countSubscriptions(): Promise<number> {
    const row = await this.db.selectFrom('subscriptions').select(sql<number>`count(*)`.as('n')).executeTakeFirst()
    return Number(row?.n ?? 0)
  }

  async block(channel: string, chatId: string, at: Date): Promise<void> {
    await this.db
      .insertInto('blocked_chats')
      .values({ channel, chat_id: chatId, since: at.getTime() })
      .onConflict((oc) => oc.columns(['channel', 'chat_id']).doNothing())
      .execute()
  }

  async isBlocked(channel: string, chatId: string): Promise<boolean> {
    const row = await this.db.selectFrom('blocked_chats').select('since').where('channel', '=', channel).where('chat_id', '=', chatId).executeTakeFirst()
    return row !== undefined
  }

  // ——— announcements ———

  async addAnnouncement(a: NewAnnouncement, at: Date): Promise<Announcement> {
    const row = await this.db
      .insertInto('announcements')
      .values({
        name: a.name,
        cron: a.cron,
        target: JSON.stringify(a.target),
        template: a.template,
        lead_days: a.leadDays?.length ? JSON.stringify(a.leadDays) : null,
        observance: a.observance ?? null,
        created_by: a.createdBy,
        created_at: at.getTime(),
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    return toAnnouncement(row)
  }

  async getAnnouncement(id: number): Promise<Announcement | undefined> {
    const row = await this.db.selectFrom('announcements').selectAll().where('id', '=', id).executeTakeFirst()
    return row ? toAnnouncement(row) : undefined
  }

  async listAnnouncements(includeRemoved = false): Promise<Announcement[]> {
    const rows = await this.db
      .selectFrom('announcements')
      .selectAll()
      .$if(!includeRemoved, (qb) => qb.where('active', '=', 1))
      .orderBy('id')
      .execute()
    return rows.map(toAnnouncement)
  }

  async removeAnnouncement(id: number, at: Date = new Date()): Promise<boolean> {
    return this.transact(async (trx) => {
      const res = await trx.updateTable('announcements').set({ active: 0 }).where('id', '=', id).where('active', '=', 1).executeTakeFirst()
      if (Number(res.numUpdatedRows) === 0) return false
      await trx
        .updateTable('outbox')
        .set({ status: 'cancelled', updated_at: at.getTime() })
        .where('status', '=', 'pending')
        .where('firing_id', 'in', (eb) => eb.selectFrom('firings').select('id').where('announcement_id', '=', id))
        .execute()
      return true
    })
  }

  async recordFiring(announcementId: number, fireAt: Date, messages: OutgoingRow[], at: Date): Promise<Firing | undefined> {
    const t = fireAt.getTime()
    const now = at.getTime()
    return this.transact(async (trx) => {
      // The unique (announcement, time) key decides: a second caller — another replica's tick — inserts
      // nothing (on PostgreSQL it waits for the first to commit) and leaves without queueing a message.
      const firing = await trx
        .insertInto('firings')
        .values({ announcement_id: announcementId, fire_at: t, created_at: now, recipients: 0 })
        .onConflict((oc) => oc.columns(['announcement_id', 'fire_at']).doNothing())
        .returning('id')
        .executeTakeFirst()
      if (!firing) return undefined
      let n = 0
      for (let i = 0; i < messages.length; i += INSERT_CHUNK) {
        const chunk = messages.slice(i, i + INSERT_CHUNK).map((m) => ({
          firing_id: firing.id,
          channel: m.channel,
          chat_id: m.chatId,
          is_group: m.isGroup ? 1 : 0,
          topic: m.topic ?? null,
          text: m.text,
          status: 'pending',
          next_attempt_at: now,
          updated_at: now,
        }))
        const res = await trx
          .insertInto('outbox')
          .values(chunk)
          .onConflict((oc) => oc.columns(['firing_id', 'channel', 'chat_id']).doNothing())
          .executeTakeFirst()
        n += Number(res.numInsertedOrUpdatedRows ?? 0)
      }
      await trx.updateTable('firings').set({ recipients: n }).where('id', '=', firing.id).execute()
      await this.advance(trx, announcementId, t)
      return { id: firing.id, announcementId, fireAt: new Date(t), recipients: n }
    })
  }

  private async advance(db: Db, announcementId: number, t: number): Promise<void> {
    await db
      .updateTable('announcements')
      .set({ last_firing_at: t })
      .where('id', '=', announcementId)
      .where((eb) => eb.or([eb('last_firing_at', 'is', null), eb('last_firing_at', '<', t)]))
      .execute()
  }

  async advanceLastFiring(announcementId: number, fireAt: Date): Promise<void> {
    await this.advance(this.db, announcementId, fireAt.getTime())
  }

  async getFiring(announcementId: number, fireAt: Date): Promise<Firing | undefined> {
    const r = await this.db
      .selectFrom('firings')
      .select(['id', 'announcement_id', 'fire_at', 'recipients'])
      .where('announcement_id', '=', announcementId)
      .where('fire_at', '=', fireAt.getTime())
      .executeTakeFirst()
    return r ? { id: r.id, announcementId: r.announcement_id, fireAt: new Date(r.fire_at), recipients: r.recipients } : undefined
  }

  // ——— outbox ———

  async dueRows(channel: string, now: Date, limit: number): Promise<OutboxRow[]> {
    const rows = await this.db
      .selectFrom('outbox')
      .select(OUTBOX_COLUMNS)
      .where('channel', '=', channel)
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now.getTime())
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(limit)
      .execute()
    return rows.map(toOutboxRow)
  }

  async nextDueAt(channel: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.min('next_attempt_at').as('t'))
      .where('channel', '=', channel)
      .where('status', '=', 'pending')
      .executeTakeFirst()
    return row?.t === null || row?.t === undefined ? undefined : Number(row.t)
  }

  async pendingChannels(): Promise<string[]> {
    const rows = await this.db.selectFrom('outbox').select('channel').distinct().where('status', '=', 'pending').execute()
    return rows.map((r) => r.channel)
  }

  async claim(id: number, at: Date): Promise<boolean> {
    const res = await this.db
      .updateTable('outbox')
      .set((eb) => ({ status: 'sending', attempts: eb('attempts', '+', 1), updated_at: at.getTime() }))
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst()
    return Number(res.numUpdatedRows) > 0
  }

  async claimDue(channel: string, now: Date, limit: number): Promise<OutboxRow[]> {
    const t = now.getTime()
    const claim = (db: Db) =>
      db
        // The rows are chosen once, in a materialized CTE. As a plain `id IN (SELECT … LIMIT n FOR UPDATE
        // SKIP LOCKED)` PostgreSQL may run the subquery more than once and update more than `limit` rows.
        .with(
          (cte) => cte('due').materialized(),
          (qb) =>
            qb
              .selectFrom('outbox')
              .select('id')
              .where('channel', '=', channel)
              .where('status', '=', 'pending')
              .where('next_attempt_at', '<=', t)
              .orderBy('next_attempt_at')
              .orderBy('id')
              .limit(limit)
              // Rows another replica is claiming right now are skipped, not waited for: each claimer gets
              // different rows and nobody blocks. SQLite has one writer at a time and needs no row locks.
              .$if(this.pg, (q) => q.forUpdate().skipLocked()),
        )
        .updateTable('outbox')
        .set((eb) => ({ status: 'sending', attempts: eb('attempts', '+', 1), updated_at: t }))
        .where('status', '=', 'pending')
        .where('id', 'in', (eb) => eb.selectFrom('due').select('due.id'))
        .returning(OUTBOX_COLUMNS)
        .execute()
    // One statement is atomic on PostgreSQL; on SQLite the immediate transaction holds the write lock from
    // the choice of rows to their update, against other processes.
    const rows = this.pg ? await claim(this.db) : await this.transact(claim)
    // RETURNING promises no order.
    return rows.map(toOutboxRow).sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.id - b.id)
  }

  async markSent(id: number, at: Date, messageId?: string, route?: string): Promise<void> {
    await this.db.updateTable('outbox').set({ status: 'sent', message_id: messageId ?? null, route: route ?? null, last_error: null, updated_at: at.getTime() }).where('id', '=', id).execute()
  }

  async retryLater(id: number, nextAttemptAt: number, error: string, at: Date, countAttempt = true): Promise<void> {
    await this.db
      .updateTable('outbox')
      .set((eb) => ({
        status: 'pending',
        next_attempt_at: nextAttemptAt,
        last_error: error,
        // A rate limit is the platform's pace, not a failed attempt: give the claim's attempt back.
        attempts: eb('attempts', '-', countAttempt ? 0 : 1),
        updated_at: at.getTime(),
      }))
      .where('id', '=', id)
      .where('status', '=', 'sending')
      .execute()
  }

  async defer(id: number, nextAttemptAt: number): Promise<void> {
    await this.db.updateTable('outbox').set({ next_attempt_at: nextAttemptAt }).where('id', '=', id).where('status', '=', 'pending').execute()
  }

  async markFailed(id: number, error: string, at: Date): Promise<void> {
    await this.setStatus(id, 'failed', error, at)
  }

  async markInDoubt(id: number, error: string, at: Date): Promise<void> {
    await this.setStatus(id, 'in_doubt', error, at)
  }

  private async setStatus(id: number, status: OutboxStatus, error: string, at: Date): Promise<void> {
    await this.db.updateTable('outbox').set({ status, last_error: error, updated_at: at.getTime() }).where('id', '=', id).execute()
  }

  async markBlocked(id: number, at: Date): Promise<void> {
    const now = at.getTime()
    await this.transact(async (trx) => {
      const chat = await trx
        .updateTable('outbox')
        .set({ status: 'blocked', updated_at: now })
        .where('id', '=', id)
        .returning(['channel', 'chat_id'])
        .executeTakeFirst()
      if (!chat) return
      await trx
        .insertInto('blocked_chats')
        .values({ channel: chat.channel, chat_id: chat.chat_id, since: now })
        .onConflict((oc) => oc.columns(['channel', 'chat_id']).doNothing())
        .execute()
      await trx
        .updateTable('outbox')
        .set({ status: 'blocked', updated_at: now })
        .where('channel', '=', chat.channel)
        .where('chat_id', '=', chat.chat_id)
        .where('status', '=', 'pending')
        .execute()
    })
  }

  async recoverSending(policy: 'report' | 'resend', at: Date, channel?: string): Promise<number> {
    const res = await this.db
      .updateTable('outbox')
      .set(
        policy === 'resend'
          ? { status: 'pending', last_error: 'in flight when the process stopped; resent by policy', updated_at: at.getTime() }
          : { status: 'in_doubt', last_error: 'in flight when the process stopped', updated_at: at.getTime() },
      )
      .where('status', '=', 'sending')
      .$if(channel !== undefined, (qb) => qb.where('channel', '=', channel!))
      .executeTakeFirst()
    return Number(res.numUpdatedRows)
  }

  async sentSince(channel: string, since: Date): Promise<number> {
    const row = await this.db
      .selectFrom('outbox')
      .select(sql<number>`count(*)`.as('n'))
      .where('channel', '=', channel)
      .where('status', '=', 'sent')
      .where('updated_at', '>=', since.getTime())
      .executeTakeFirst()
    return Number(row?.n ?? 0)
  }

  private reportQuery() {
    // CASE rather than SQLite's SUM(boolean), which PostgreSQL does not accept.
    const count = (status: OutboxStatus) => sql<number>`coalesce(sum(case when o.status = ${sql.lit(status)} then 1 else 0 end), 0)`
    return this.db
      .selectFrom('firings as f')
      .innerJoin('announcements as a', 'a.id', 'f.announcement_id')
      .leftJoin('outbox as o', 'o.firing_id', 'f.id')
      .select(['f.id', 'f.announcement_id', 'a.name', 'f.fire_at'])
      .select((eb) => [
        eb.fn.count<number>('o.id').as('total'),
        count('pending').as('pending'),
        count('sending').as('sending'),
        count('sent').as('sent'),
        count('failed').as('failed'),
        count('blocked').as('blocked'),
        count('in_doubt').as('in_doubt'),
        count('cancelled').as('cancelled'),
      ])
      .groupBy(['f.id', 'f.announcement_id', 'a.name', 'f.fire_at', 'f.created_at'])
  }

  async report(firingId: number): Promise<DeliveryReport | undefined> {
    const row = await this.reportQuery().where('f.id', '=', firingId).executeTakeFirst()
    return row ? (await this.withRoutes([toReport(numeric(row))]))[0] : undefined
  }

  async reports(since: Date): Promise<DeliveryReport[]> {
    const rows = await this.reportQuery().where('f.created_at', '>=', since.getTime()).orderBy('f.created_at', 'desc').orderBy('f.id', 'desc').execute()
    return this.withRoutes(rows.map((r) => toReport(numeric(r))))
  }

  /** Adds how many sent messages took each route, for firings where an adapter said. */
  private async withRoutes(reports: DeliveryReport[]): Promise<DeliveryReport[]> {
    if (!reports.length) return reports
    const rows = await this.db
      .selectFrom('outbox')
      .select(['firing_id', 'route', sql<number>`count(*)`.as('n')])
      .where('firing_id', 'in', reports.map((r) => r.firingId))
      .where('status', '=', 'sent')
      .where('route', 'is not', null)
      .groupBy(['firing_id', 'route'])
      .execute()
    const by = new Map<number, Record<string, number>>()
    for (const r of rows) {
      const routes = by.get(Number(r.firing_id)) ?? {}
      routes[r.route!] = Number(r.n)
      by.set(Number(r.firing_id), routes)
    }
    return reports.map((r) => (by.has(r.firingId) ? { ...r, routes: by.get(r.firingId)! } : r))
  }

  async rowsOf(firingId: number): Promise<OutboxRow[]> {
    const rows = await this.db.selectFrom('outbox').select(OUTBOX_COLUMNS).where('firing_id', '=', firingId).orderBy('id').execute()
    return rows.map(toOutboxRow)
  }

  // ——— unanswered questions ———

  async recordUnanswered(q: NewUnanswered, limit?: UnansweredLimit): Promise<UnansweredOutcome> {
    const row = unansweredRow(q)
    if (q.userKey === undefined) {
      await this.db.insertInto('unanswered').values(row).execute()
      return 'recorded'
    }
    const asker = await this.askerOf(q.userKey)
    return this.transact(async (trx): Promise<UnansweredOutcome> => {
      if (limit) {
        // One asker's questions are counted and written one transaction at a time, across replicas too.
        if (this.pg) await sql`select pg_advisory_xact_lock(hashtext(${'kepu:asker:' + asker}))`.execute(trx)
        const since = limit.since.getTime()
        const asked = await trx
          .selectFrom('unanswered_askers as a')
          .innerJoin('unanswered as u', 'u.id', 'a.unanswered_id')
          .select('a.unanswered_id')
          .where('a.asker', '=', asker)
          .where('a.at', '>=', since)
          .where('u.normalized', '=', q.normalized)
          .limit(1)
          .executeTakeFirst()
        if (asked) return 'duplicate'
        const count = await trx
          .selectFrom('unanswered_askers')
          .select(sql<number>`count(*)`.as('n'))
          .where('asker', '=', asker)
          .where('at', '>=', since)
          .executeTakeFirst()
        if (Number(count?.n ?? 0) >= limit.maxPerAsker) return 'capped'
      }
      const inserted = await trx.insertInto('unanswered').values(row).returning('id').executeTakeFirstOrThrow()
      await trx.insertInto('unanswered_askers').values({ unanswered_id: inserted.id, asker, at: row.at }).execute()
      return 'recorded'
    })
  }

  async recordUnhelpful(q: NewUnhelpful, limit?: UnansweredLimit): Promise<number | undefined> {
    const row = { ...unansweredRow(q), answer: cut(q.answer, MAX_SHOWN_ANSWER_CHARS, '…') }
    if (q.userKey === undefined) {
      const inserted = await this.db.insertInto('unanswered').values(row).returning('id').executeTakeFirstOrThrow()
      return Number(inserted.id)
    }
    const asker = await this.askerOf(q.userKey)
    return this.transact(async (trx): Promise<number | undefined> => {
      if (limit) {
        // The same share as declined questions, under the same lock: 没用 cannot be used to flood the list.
        if (this.pg) await sql`select pg_advisory_xact_lock(hashtext(${'kepu:asker:' + asker}))`.execute(trx)
        const count = await trx
          .selectFrom('unanswered_askers')
          .select(sql<number>`count(*)`.as('n'))
          .where('asker', '=', asker)
          .where('at', '>=', limit.since.getTime())
          .executeTakeFirst()
        if (Number(count?.n ?? 0) >= limit.maxPerAsker) return undefined
      }
      const inserted = await trx.insertInto('unanswered').values(row).returning('id').executeTakeFirstOrThrow()
      await trx.insertInto('unanswered_askers').values({ unanswered_id: inserted.id, asker, at: row.at }).execute()
      return Number(inserted.id)
    })
  }

  async commentUnanswered(id: number, comment: string): Promise<boolean> {
    const res = await this.db
      .updateTable('unanswered')
      .set({ comment: cut(comment, MAX_UNANSWERED_CHARS) })
      .where('id', '=', id)
      .where('answer', 'is not', null)
      .executeTakeFirst()
    return Number(res.numUpdatedRows) > 0
  }

  async unansweredSince(since: Date): Promise<UnansweredQuestion[]> {
    const rows = await this.db
      .selectFrom('unanswered as u')
      .leftJoin('unanswered_askers as a', 'a.unanswered_id', 'u.id')
      .select(['u.channel', 'u.region', 'u.text', 'u.normalized', 'u.at', 'u.answer', 'u.comment', 'a.asker'])
      .where('u.at', '>=', since.getTime())
      .orderBy('u.at')
      .orderBy('u.id')
      .execute()
    return rows.map((r) => ({
      channel: r.channel,
      region: r.region ?? undefined,
      text: r.text,
      normalized: r.normalized,
      at: new Date(r.at),
      ...(r.asker ? { asker: r.asker } : {}),
      ...(r.answer !== null ? { answer: r.answer } : {}),
      ...(r.comment !== null ? { comment: r.comment } : {}),
    }))
  }

  // ——— feedback on answers ———

  async countFeedback(day: string, verdict: FeedbackCount['verdict']): Promise<void> {
    await this.db
      .insertInto('feedback_counts')
      .values({ day, verdict, count: 1 })
      .onConflict((oc) => oc.columns(['day', 'verdict']).doUpdateSet({ count: sql<number>`feedback_counts.count + 1` }))
      .execute()
  }

  async feedbackCounts(fromDay: string): Promise<FeedbackCount[]> {
    const rows = await this.db.selectFrom('feedback_counts').selectAll().where('day', '>=', fromDay).orderBy('day').orderBy('verdict').execute()
    return rows.map((r) => ({ day: r.day, verdict: r.verdict === 'useful' ? 'useful' : 'useless', count: Number(r.count) }))
  }

  /**
   * The pseudonym of a user among the askers: SHA-256 of the install's salt and `channel:userId` — the
   * same as the old synchronous store's, so a migrated database keeps recognising its askers.
   */
  private async askerOf(userKey: string): Promise<string> {
    this.salt ??= await this.loadSalt()
    return createHash('sha256').update(`${this.salt}\n${userKey}`).digest('hex')
  }

  /** The per-install salt, made on first use; of replicas racing, the first one written is kept by all. */
  private async loadSalt(): Promise<string> {
    const read = () => this.db.selectFrom('store_meta').select('value').where('key', '=', 'asker_salt').executeTakeFirst()
    const existing = await read()
    if (existing) return existing.value
    await this.db
      .insertInto('store_meta')
      .values({ key: 'asker_salt', value: randomBytes(32).toString('hex') })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute()
    return (await read())!.value
  }

  // ——— inbound update ids ———

  async seen(source: string, id: string, now: Date, ttlMs: number): Promise<boolean> {
    const t = now.getTime()
    // One statement: insert, or refresh an expired record; a row comes back only when this call recorded
    // the id. A conflicting fresh record returns nothing — that is the duplicate.
    const recorded = await this.db
      .insertInto('inbound_updates')
      .values({ source, update_id: id, seen_at: t })
      .onConflict((oc) =>
        oc
          .columns(['source', 'update_id'])
          .doUpdateSet({ seen_at: (eb) => eb.ref('excluded.seen_at') })
          .where('inbound_updates.seen_at', '<=', t - ttlMs),
      )
      .returning('seen_at')
      .executeTakeFirst()
    return recorded === undefined
  }

  async purgeSeen(now: Date, ttlMs: number): Promise<number> {
    const res = await this.db.deleteFrom('inbound_updates').where('seen_at', '<=', now.getTime() - ttlMs).executeTakeFirst()
    return Number(res.numDeletedRows)
  }

  // ——— leases ———

  async acquire(name: string, holder: string, now: Date, ttlMs: number): Promise<boolean> {
    const t = now.getTime()
    // One statement: take a free name, renew one's own lease, or take over an expired one. A live lease of
    // another holder makes the WHERE false, so nothing is written and nothing returned.
    const row = await this.db
      .insertInto('leases')
      .values({ name, holder, acquired_at: t, expires_at: t + ttlMs })
      .onConflict((oc) =>
        oc
          .column('name')
          .doUpdateSet({
            holder: (eb) => eb.ref('excluded.holder'),
            expires_at: (eb) => eb.ref('excluded.expires_at'),
            acquired_at: sql<number>`case when leases.holder = excluded.holder then leases.acquired_at else excluded.acquired_at end`,
          })
          .where((eb) => eb.or([eb('leases.holder', '=', eb.ref('excluded.holder')), eb('leases.expires_at', '<=', t)])),
      )
      .returning('holder')
      .executeTakeFirst()
    return row !== undefined
  }

  async release(name: string, holder: string): Promise<boolean> {
    const res = await this.db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).executeTakeFirst()
    return Number(res.numDeletedRows) > 0
  }

  async holderOf(name: string, now: Date): Promise<string | undefined> {
    const row = await this.db.selectFrom('leases').select('holder').where('name', '=', name).where('expires_at', '>', now.getTime()).executeTakeFirst()
    return row?.holder
  }

  // ——— key-value ———

  async getValue(key: string, now: Date): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('kv')
      .select('value')
      .where('key', '=', key)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now.getTime())]))
      .executeTakeFirst()
    return row?.value
  }

  async setValue(key: string, value: string, now: Date, ttlMs?: number): Promise<void> {
    const row = { key, value, expires_at: ttlMs === undefined ? null : now.getTime() + ttlMs, updated_at: now.getTime() }
    await this.db
      .insertInto('kv')
      .values(row)
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, expires_at: row.expires_at, updated_at: row.updated_at }))
      .execute()
  }

  async deleteValue(key: string): Promise<boolean> {
    const res = await this.db.deleteFrom('kv').where('key', '=', key).executeTakeFirst()
    return Number(res.numDeletedRows) > 0
  }

  // ——— service requests ———

  async createRequest(r: NewServiceRequest, at: Date): Promise<ServiceRequest> {
    const now = at.getTime()
    const year = requestYear(at)
    return this.transact(async (trx) => {
      // The counter row is the lock: an upsert that increments it returns this request's place, and a
      // concurrent creator (another replica) waits on the row until this transaction commits.
      const counter = await trx
        .insertInto('service_request_counters')
        .values({ year, last: 1 })
        .onConflict((oc) => oc.column('year').doUpdateSet({ last: sql<number>`service_request_counters.last + 1` }))
        .returning('last')
        .executeTakeFirstOrThrow()
      const seq = Number(counter.last)
      const row = await trx
        .insertInto('service_requests')
        .values({
          number: formatRequestNumber(year, seq),
          year,
          seq,
          channel: r.channel,
          chat_id: r.chatId,
          user_key: r.userKey,
          region: r.region,
          service_id: r.serviceId,
          place: r.place,
          preferred_date: r.preferredDate,
          audience_size: r.audienceSize ?? null,
          contact: r.contact,
          status: 'new',
          team: null,
          scheduled_at: null,
          rating: null,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow()
      const history = await trx
        .insertInto('service_request_history')
        .values({ request_id: row.id, status: 'new', actor: r.userKey, at: now, note: null })
        .returningAll()
        .execute()
      return toServiceRequest(row, history)
    })
  }

  async getRequest(number: string): Promise<ServiceRequest | undefined> {
    const row = await this.db.selectFrom('service_requests').selectAll().where('number', '=', number).executeTakeFirst()
    if (!row) return undefined
    return (await this.withHistory(this.db, [row]))[0]
  }

  async listRequests(filter: ServiceRequestFilter = {}): Promise<ServiceRequest[]> {
    const statuses = filter.status === undefined ? undefined : Array.isArray(filter.status) ? filter.status : [filter.status]
    if (statuses?.length === 0) return []
    const rows = await this.db
      .selectFrom('service_requests')
      .selectAll()
      .$if(statuses !== undefined, (qb) => qb.where('status', 'in', statuses!))
      .$if(filter.region !== undefined, (qb) => qb.where('region', '=', filter.region!))
      .$if(filter.userKey !== undefined, (qb) => qb.where('user_key', '=', filter.userKey!))
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .$if(filter.limit !== undefined, (qb) => qb.limit(filter.limit!))
      .execute()
    return this.withHistory(this.db, rows)
  }

  private async withHistory(db: Db, rows: Selectable<ServiceRequestsTable>[]): Promise<ServiceRequest[]> {
    if (rows.length === 0) return []
    const byRequest = new Map<number, Selectable<ServiceRequestHistoryTable>[]>()
    // In slices, so that a long list stays under the bound-parameter limits.
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const ids = rows.slice(i, i + INSERT_CHUNK).map((r) => r.id)
      const history = await db.selectFrom('service_request_history').selectAll().where('request_id', 'in', ids).orderBy('id').execute()
      for (const h of history) {
        const list = byRequest.get(h.request_id) ?? []
        list.push(h)
        byRequest.set(h.request_id, list)
      }
    }
    return rows.map((r) => toServiceRequest(r, byRequest.get(r.id) ?? []))
  }

  async updateRequestStatus(number: string, u: ServiceRequestUpdate): Promise<ServiceRequest | undefined> {
    const now = u.at.getTime()
    return this.transact(async (trx) => {
      // Lock the row on PostgreSQL so that the `from` check and the update see the same status.
      const current = await trx
        .selectFrom('service_requests')
        .selectAll()
        .where('number', '=', number)
        .$if(this.pg, (qb) => qb.forUpdate())
        .executeTakeFirst()
      if (!current) return undefined
      if (u.from && !u.from.includes(current.status as ServiceRequest['status'])) return undefined
      const row = await trx
        .updateTable('service_requests')
        .set({
          status: u.status,
          updated_at: now,
          ...(u.team !== undefined ? { team: u.team } : {}),
          ...(u.scheduledAt !== undefined ? { scheduled_at: u.scheduledAt.getTime() } : {}),
        })
        .where('id', '=', current.id)
        .returningAll()
        .executeTakeFirstOrThrow()
      await trx.insertInto('service_request_history').values({ request_id: row.id, status: u.status, actor: u.by, at: now, note: u.note ?? null }).execute()
      return (await this.withHistory(trx, [row]))[0]
    })
  }

  async rateRequest(number: string, rating: number, at: Date): Promise<boolean> {
    if (!Number.isInteger(rating) || rating < 1 || rating > 5) {
      throw new InputError(`store: a rating is a whole number from 1 to 5 (got ${rating})`)
    }
    const res = await this.db.updateTable('service_requests').set({ rating, updated_at: at.getTime() }).where('number', '=', number).executeTakeFirst()
    return Number(res.numUpdatedRows) > 0
  }

  // ——— volunteers ———

  async registerVolunteer(v: NewVolunteer, at: Date): Promise<Volunteer> {
    const now = at.getTime()
    const values = { user_key: v.userKey, name: v.name, area: v.area, skills: JSON.stringify(v.skills), contact: v.contact }
    const row = await this.db
      .insertInto('volunteers')
      .values({ ...values, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('user_key').doUpdateSet({ name: values.name, area: values.area, skills: values.skills, contact: values.contact, updated_at: now }))
      .returningAll()
      .executeTakeFirstOrThrow()
    return toVolunteer(row)
  }

  async listVolunteers(filter: { area?: string } = {}): Promise<Volunteer[]> {
    const rows = await this.db
      .selectFrom('volunteers')
      .selectAll()
      .$if(filter.area !== undefined, (qb) => qb.where('area', '=', filter.area!))
      .orderBy('created_at')
      .orderBy('user_key')
      .execute()
    return rows.map(toVolunteer)
  }

  // ——— privacy ———

  async purgeUser(userKey: string): Promise<PurgeCounts> {
    const colon = userKey.indexOf(':')
    // The user's private chat: same channel, chat id = user id. A key without a channel names no chat.
    const chat = colon > 0 && colon < userKey.length - 1 ? { channel: userKey.slice(0, colon), chatId: userKey.slice(colon + 1) } : undefined
    const asker = await this.askerOf(userKey)
    return this.transact(async (trx) => {
      const counts: PurgeCounts = { users: 0, subscriptions: 0, blockedChats: 0, outbox: 0, unanswered: 0, serviceRequests: 0, serviceRequestHistory: 0, volunteers: 0 }
      counts.users = Number((await trx.deleteFrom('users').where('key', '=', userKey).executeTakeFirst()).numDeletedRows)
      if (chat) {
        counts.subscriptions = Number(
          (await trx.deleteFrom('subscriptions').where('channel', '=', chat.channel).where('chat_id', '=', chat.chatId).executeTakeFirst()).numDeletedRows,
        )
        counts.blockedChats = Number(
          (await trx.deleteFrom('blocked_chats').where('channel', '=', chat.channel).where('chat_id', '=', chat.chatId).executeTakeFirst()).numDeletedRows,
        )
        // Delivery records stay (a firing's report must still add up) but no longer say to whom: the chat
        // id becomes unique filler and the text goes. Queued messages are cancelled. `updated_at` is kept
        // so the daily sent count does not move.
        counts.outbox = Number(
          (
            await trx
              .updateTable('outbox')
              .set({
                status: sql<string>`case when status = 'pending' then 'cancelled' else status end`,
                chat_id: sql<string>`${sql.lit(PURGED + ':')} || cast(id as text)`,
                text: '',
              })
              .where('channel', '=', chat.channel)
              .where('chat_id', '=', chat.chatId)
              .executeTakeFirst()
          ).numUpdatedRows,
        )
      }
      // The askers' rows go with their questions (ON DELETE CASCADE).
      counts.unanswered = Number(
        (
          await trx
            .deleteFrom('unanswered')
            .where('id', 'in', (eb) => eb.selectFrom('unanswered_askers').select('unanswered_id').where('asker', '=', asker))
            .executeTakeFirst()
        ).numDeletedRows,
      )
      counts.serviceRequests = Number(
        (
          await trx
            .updateTable('service_requests')
            .set({ user_key: PURGED, chat_id: '', contact: '', place: '' })
            .where('user_key', '=', userKey)
            .executeTakeFirst()
        ).numUpdatedRows,
      )
      counts.serviceRequestHistory = Number(
        (await trx.updateTable('service_request_history').set({ actor: PURGED, note: null }).where('actor', '=', userKey).executeTakeFirst()).numUpdatedRows,
      )
      counts.volunteers = Number((await trx.deleteFrom('volunteers').where('user_key', '=', userKey).executeTakeFirst()).numDeletedRows)
      return counts
    })
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.d.release()
  }
}

/** Dialogue state as JSON text, one row per user. */
class SqlUserStates implements AsyncUserStateStore {
  constructor(private readonly db: Db) {}

  async get(key: string): Promise<UserState | undefined> {
    const row = await this.db.selectFrom('users').select('state').where('key', '=', key).executeTakeFirst()
    if (!row) return undefined
    try {
      return JSON.parse(row.state) as UserState
    } catch {
      return undefined
    }
  }

  async set(key: string, state: UserState, at: Date = new Date()): Promise<void> {
    // The 「更多」 text and choices are short-lived but must survive between two messages (and a move to
    // another replica), so they are kept too.
    // The resident's own words (the last question) are kept with phone and ID numbers masked.
    const kept = state.dialogue?.question ? { ...state, dialogue: { ...state.dialogue, question: maskPersonal(state.dialogue.question) } } : state
    const value = JSON.stringify(kept)
    await this.db
      .insertInto('users')
      .values({ key, state: value, updated_at: at.getTime() })
      .onConflict((oc) => oc.column('key').doUpdateSet({ state: value, updated_at: at.getTime() }))
      .execute()
  }
}

/** Aggregates come back as numbers from both drivers here, but typed loosely by Kysely: make them numbers. */
function numeric(r: Record<keyof ReportDbRow, unknown>): ReportDbRow {
  return {
    id: Number(r.id),
    announcement_id: Number(r.announcement_id),
    name: String(r.name),
    fire_at: Number(r.fire_at),
    total: Number(r.total),
    pending: Number(r.pending),
    sending: Number(r.sending),
    sent: Number(r.sent),
    failed: Number(r.failed),
    blocked: Number(r.blocked),
    in_doubt: Number(r.in_doubt),
    cancelled: Number(r.cancelled),
  }
}

/** The columns every unanswered row has, from what the recorder gives. */
function unansweredRow(q: NewUnanswered): { channel: string; region: string | null; text: string; normalized: string; at: number } {
  return { channel: q.channel, region: q.region ?? null, text: cut(q.text, MAX_UNANSWERED_CHARS), normalized: q.normalized, at: q.at.getTime() }
}
