import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { InputError } from '../../src/core/errors.js'
import type { DeliveryReport, NewServiceRequest, OutgoingRow, Store } from '../../src/store/async-store.js'
import { NEWEST_SCHEMA_VERSION } from '../../src/store/sql/schema-steps.js'
import { StoreError } from '../../src/store/store-error.js'

/**
 * The one store test suite, registered for each database by `sqlite-async-store.test.ts` and
 * `postgres-store.test.ts`. Every rule the callers rely on is checked here once, against the real database:
 * row semantics (statuses, reports that add up), the races replicas run into (one firing, one claimer,
 * one lease holder, one answer per update, unique request numbers) and migrations.
 */

/** A new, empty database of one dialect. */
export interface TestDatabase {
  /** Opens a store on it, as one replica would (on PostgreSQL a pool of its own). Closed after the test. */
  open(): Promise<Store>
  /** The schema version recorded in the database, 0 when none. */
  schemaVersion(): Promise<number>
  /** Pretends a newer kepu migrated it (call with no store open). */
  setSchemaVersion(version: number): Promise<void>
}

/** What the suite needs from a dialect. */
export interface StoreHarness {
  dialect: 'sqlite' | 'postgres'
  /** A new, empty database (SQLite: a file in a temp dir; PostgreSQL: a new schema). */
  database(): Promise<TestDatabase>
  /** Closes what the test opened. */
  cleanup(): Promise<void>
  /** Removes what the file created (temp dirs, schemas). */
  dispose(): Promise<void>
}

const at = new Date('2026-09-14T01:00:00Z')
const later = (ms: number) => new Date(at.getTime() + ms)

function sum(r: DeliveryReport): number {
  return r.pending + r.sending + r.sent + r.failed + r.blocked + r.inDoubt + r.cancelled
}

const chats = (n: number, channel = 'telegram', from = 1): OutgoingRow[] =>
  Array.from({ length: n }, (_, i) => ({ channel, chatId: String(from + i), text: `hi ${from + i}` }))

function request(over: Partial<NewServiceRequest> = {}): NewServiceRequest {
  return {
    channel: 'telegram',
    chatId: '42',
    userKey: 'telegram:42',
    region: '东营市',
    serviceId: 'fraud-talk',
    place: '胜利街道社区活动室',
    preferredDate: '下周六上午',
    audienceSize: 40,
    contact: '13800000000',
    ...over,
  }
}

/** Registers the store suite for one dialect. */
export function storeSuite(harness: StoreHarness): void {
  afterEach(() => harness.cleanup())
  afterAll(() => harness.dispose())

  async function open(): Promise<Store> {
    return (await harness.database()).open()
  }
  /** A store and a second one on the same database: two replicas. */
  async function pair(): Promise<[Store, Store]> {
    const db = await harness.database()
    return [await db.open(), await db.open()]
  }
  async function announcement(s: Store, name = 'tip') {
    return s.addAnnouncement({ name, cron: '0 8 * * *', target: { kind: 'topic', topic: 'fraud-tip' }, template: '{daily_tip}', createdBy: 'cli' }, at)
  }

  describe('subscriptions', () => {
    it('says whether a subscription is new, updates it, lists it and filters subscribers by region', async () => {
      const s = await open()
      expect(s.dialect).toBe(harness.dialect)
      expect(await s.subscribe({ channel: 'telegram', chatId: '1', topic: 'weekly', region: '东营市' }, at)).toBe(true)
      expect(await s.subscribe({ channel: 'telegram', chatId: '1', topic: 'weekly', region: '乌海市', isGroup: true }, later(1))).toBe(false)
      await s.subscribe({ channel: 'wechat', chatId: 'w', topic: 'weekly', region: '东营市' }, at)
      await s.subscribe({ channel: 'telegram', chatId: '1', topic: 'fraud-tip', region: undefined }, later(2))
      expect(await s.subscriptionsOf('telegram', '1')).toEqual([
        { channel: 'telegram', chatId: '1', isGroup: true, topic: 'weekly', region: '乌海市', createdAt: at },
        { channel: 'telegram', chatId: '1', isGroup: false, topic: 'fraud-tip', region: undefined, createdAt: later(2) },
      ])
      expect((await s.subscribers('weekly')).map((x) => x.chatId)).toEqual(['1', 'w'])
      expect((await s.subscribers('weekly', '东营市')).map((x) => x.chatId)).toEqual(['w'])
      expect(await s.subscribers('nothing')).toEqual([])
      expect(await s.countSubscriptions()).toBe(3)
    })

    it('leaves blocked chats out of subscribers until they subscribe again', async () => {
      const s = await open()
      await s.subscribe({ channel: 'telegram', chatId: '1', topic: 'fraud-tip', region: undefined }, at)
      expect(await s.isBlocked('telegram', '1')).toBe(false)
      await s.block('telegram', '1', at)
      await s.block('telegram', '1', later(1))
      expect(await s.isBlocked('telegram', '1')).toBe(true)
      expect(await s.subscribers('fraud-tip')).toEqual([])
      await s.subscribe({ channel: 'telegram', chatId: '1', topic: 'fraud-tip', region: undefined }, at)
      expect(await s.isBlocked('telegram', '1')).toBe(false)
      expect(await s.subscribers('fraud-tip')).toHaveLength(1)
    })

    it('unsubscribing cancels the chat’s queued messages of that topic, or of every topic', async () => {
      const s = await open()
      await s.subscribe({ channel: 'telegram', chatId: '1', topic: 'fraud-tip', region: undefined }, at)
      await s.subscribe({ channel: 'telegram', chatId: '1', topic: 'weekly', region: '东营市' }, at)
      const a = await announcement(s)
      const f = (await s.recordFiring(a.id, at, [{ channel: 'telegram', chatId: '1', text: 'tip', topic: 'fraud-tip' }], at))!
      const g = (await s.recordFiring(a.id, later(60_000), [{ channel: 'telegram', chatId: '1', text: 'w', topic: 'weekly' }], at))!
      const h = (await s.recordFiring(a.id, later(120_000), [{ channel: 'telegram', chatId: '1', text: 'direct' }], at))!
      expect(await s.unsubscribe('telegram', '1', 'fraud-tip', later(5))).toBe(1)
      expect((await s.rowsOf(f.id))[0]!.status).toBe('cancelled')
      expect((await s.rowsOf(g.id))[0]!.status).toBe('pending')
      expect(await s.unsubscribe('telegram', '1', undefined, later(6))).toBe(1)
      expect((await s.rowsOf(g.id))[0]!.status).toBe('cancelled')
      // A message sent to named chats (no topic) is not a subscription's: it stays queued.
      expect((await s.rowsOf(h.id))[0]!.status).toBe('pending')
      expect(await s.unsubscribe('telegram', '1')).toBe(0)
    })

    it('two replicas subscribing the same chat at once: one of them reports it new', async () => {
      const [a, b] = await pair()
      const sub = { channel: 'telegram', chatId: '7', topic: 'weekly', region: '东营市' }
      const results = await Promise.all([a.subscribe(sub, at), b.subscribe(sub, at), a.subscribe(sub, at), b.subscribe(sub, at)])
      expect(results.filter(Boolean)).toHaveLength(1)
      expect(await a.countSubscriptions()).toBe(1)
    })
  })

  describe('announcements and firings', () => {
    it('adds, reads, lists and removes announcements with every field', async () => {
      const s = await open()
      const a = await s.addAnnouncement(
        { name: 'days', cron: '0 9 * * *', target: { kind: 'topic', topic: 'events', region: '东营市' }, template: '{observance}', leadDays: [3, 1], observance: '全国科普日', createdBy: 'admin' },
        at,
      )
      const b = await s.addAnnouncement({ name: 'once', cron: null, target: { kind: 'chats', chats: [{ channel: 'telegram', chatId: '9', isGroup: true }] }, template: 'hi', createdBy: 'cli' }, later(1))
      expect(a).toEqual({
        id: a.id,
        name: 'days',
        cron: '0 9 * * *',
        target: { kind: 'topic', topic: 'events', region: '东营市' },
        template: '{observance}',
        leadDays: [3, 1],
        observance: '全国科普日',
        createdBy: 'admin',
        createdAt: at,
        lastFiringAt: undefined,
        active: true,
      })
      expect(b.leadDays).toBeUndefined()
      expect(b.observance).toBeUndefined()
      expect(await s.getAnnouncement(b.id)).toEqual(b)
      expect(await s.getAnnouncement(b.id + 1000)).toBeUndefined()
      expect((await s.listAnnouncements()).map((x) => x.id)).toEqual([a.id, b.id])
      const f = (await s.recordFiring(a.id, at, chats(2), at))!
      expect(await s.removeAnnouncement(a.id, later(5))).toBe(true)
      expect(await s.removeAnnouncement(a.id)).toBe(false)
      expect(await s.removeAnnouncement(9999)).toBe(false)
      expect((await s.listAnnouncements()).map((x) => x.id)).toEqual([b.id])
      expect((await s.listAnnouncements(true)).map((x) => [x.id, x.active])).toEqual([
        [a.id, false],
        [b.id, true],
      ])
      expect((await s.rowsOf(f.id)).map((r) => r.status)).toEqual(['cancelled', 'cancelled'])
    })

    it('queues a firing once: the same (announcement, time) again writes nothing', async () => {
      const s = await open()
      const a = await announcement(s)
      const t = new Date('2026-09-15T00:00:00Z')
      const rows: OutgoingRow[] = [
        { channel: 'telegram', chatId: '1', text: 'hi', topic: 'fraud-tip' },
        { channel: 'telegram', chatId: '2', text: 'hi', isGroup: true },
        // The same chat twice is one message.
        { channel: 'telegram', chatId: '1', text: 'again', topic: 'fraud-tip' },
      ]
      const f = await s.recordFiring(a.id, t, rows, at)
      expect(f).toEqual({ id: f!.id, announcementId: a.id, fireAt: t, recipients: 2 })
      expect(await s.recordFiring(a.id, t, rows, at)).toBeUndefined()
      expect(await s.getFiring(a.id, t)).toEqual(f)
      expect(await s.getFiring(a.id, at)).toBeUndefined()
      expect(await s.rowsOf(f!.id)).toEqual([
        { id: expect.any(Number), firingId: f!.id, channel: 'telegram', chatId: '1', isGroup: false, topic: 'fraud-tip', text: 'hi', status: 'pending', attempts: 0, nextAttemptAt: at.getTime() },
        { id: expect.any(Number), firingId: f!.id, channel: 'telegram', chatId: '2', isGroup: true, topic: undefined, text: 'hi', status: 'pending', attempts: 0, nextAttemptAt: at.getTime() },
      ])
      expect((await s.getAnnouncement(a.id))!.lastFiringAt).toEqual(t)
    })

    it('a firing with no recipients is still recorded once', async () => {
      const s = await open()
      const a = await announcement(s)
      expect(await s.recordFiring(a.id, at, [], at)).toMatchObject({ recipients: 0 })
      expect(await s.recordFiring(a.id, at, [], at)).toBeUndefined()
    })

    it('two replicas ticking at once queue a 1,200-recipient firing once', async () => {
      const [a, b] = await pair()
      const ann = await announcement(a)
      const messages = chats(1200)
      const results = await Promise.all([a.recordFiring(ann.id, at, messages, at), b.recordFiring(ann.id, at, messages, later(1)), a.recordFiring(ann.id, at, messages, later(2))])
      const fired = results.filter((r) => r !== undefined)
      expect(fired).toHaveLength(1)
      expect(fired[0]!.recipients).toBe(1200)
      expect(await b.rowsOf(fired[0]!.id)).toHaveLength(1200)
      expect((await b.report(fired[0]!.id))!.total).toBe(1200)
    })

    it('moves the last firing time forward only', async () => {
      const s = await open()
      const a = await announcement(s)
      await s.advanceLastFiring(a.id, later(10_000))
      await s.advanceLastFiring(a.id, later(5_000))
      expect((await s.getAnnouncement(a.id))!.lastFiringAt).toEqual(later(10_000))
      await s.recordFiring(a.id, later(1_000), chats(1), at)
      expect((await s.getAnnouncement(a.id))!.lastFiringAt).toEqual(later(10_000))
    })
  })

  describe('outbox', () => {
    it('walks rows through claim, sent, failed, blocked and recovery, with a report that adds up', async () => {
      const s = await open()
      const a = await announcement(s)
      const f = (await s.recordFiring(a.id, at, chats(6), at))!
      const [r1, r2, r3, r4, , r6] = await s.dueRows('telegram', at, 10)
      expect(await s.claim(r1!.id, at)).toBe(true)
      expect(await s.claim(r1!.id, at)).toBe(false)
      await s.markSent(r1!.id, later(1), '77')
      await s.claim(r2!.id, at)
      await s.markFailed(r2!.id, 'E_DELIVERY_PERMANENT', at)
      await s.claim(r3!.id, at)
      await s.markBlocked(r3!.id, at)
      await s.claim(r4!.id, at)
      await s.claim(r6!.id, at)
      await s.markInDoubt(r6!.id, 'E_DELIVERY_IN_DOUBT', at)
      expect((await s.report(f.id))!.sending).toBe(1)
      // r4 stays "sending": a crash. Recovery makes it in doubt, not pending.
      expect(await s.recoverSending('report', later(2))).toBe(1)
      expect(await s.recoverSending('report', later(2))).toBe(0)
      const report = (await s.report(f.id))!
      expect(report).toEqual({
        firingId: f.id,
        announcementId: a.id,
        name: 'tip',
        fireAt: at,
        total: 6,
        pending: 1,
        sending: 0,
        sent: 1,
        failed: 1,
        blocked: 1,
        inDoubt: 2,
        cancelled: 0,
      })
      expect(sum(report)).toBe(report.total)
      expect(await s.isBlocked('telegram', '3')).toBe(true)
      expect(await s.sentSince('telegram', at)).toBe(1)
      expect(await s.sentSince('telegram', later(2))).toBe(0)
      expect(await s.sentSince('wechat', at)).toBe(0)
      const rows = await s.rowsOf(f.id)
      expect(rows.map((r) => [r.status, r.attempts])).toEqual([
        ['sent', 1],
        ['failed', 1],
        ['blocked', 1],
        ['in_doubt', 1],
        ['pending', 0],
        ['in_doubt', 1],
      ])
      expect(await s.report(f.id + 1000)).toBeUndefined()
    })

    it('blocking a chat cancels its other pending rows as blocked', async () => {
      const s = await open()
      const a = await announcement(s)
      const f = (await s.recordFiring(a.id, at, [{ channel: 'telegram', chatId: '1', text: 'a' }], at))!
      const g = (await s.recordFiring(a.id, later(1), [{ channel: 'telegram', chatId: '1', text: 'b' }, { channel: 'telegram', chatId: '2', text: 'b' }], at))!
      const [row] = await s.rowsOf(f.id)
      await s.claim(row!.id, at)
      await s.markBlocked(row!.id, at)
      expect((await s.rowsOf(g.id)).map((r) => r.status)).toEqual(['blocked', 'pending'])
      await s.markBlocked(999_999, at)
    })

    it('recovery with the resend policy puts rows back in the queue, for one channel or all', async () => {
      const s = await open()
      const a = await announcement(s)
      await s.recordFiring(a.id, at, [...chats(2), ...chats(1, 'wechat')], at)
      for (const r of [...(await s.dueRows('telegram', at, 5)), ...(await s.dueRows('wechat', at, 5))]) await s.claim(r.id, at)
      expect(await s.dueRows('telegram', at, 5)).toEqual([])
      expect(await s.recoverSending('resend', at, 'wechat')).toBe(1)
      expect(await s.dueRows('wechat', at, 5)).toHaveLength(1)
      expect(await s.dueRows('telegram', at, 5)).toHaveLength(0)
      expect(await s.recoverSending('resend', at)).toBe(2)
      expect((await s.dueRows('telegram', at, 5)).map((r) => r.attempts)).toEqual([1, 1])
    })

    it('serves due rows oldest first, per channel, and respects deferral', async () => {
      const s = await open()
      const a = await announcement(s)
      await s.recordFiring(a.id, at, [...chats(3), ...chats(1, 'wechat')], at)
      expect(await s.nextDueAt('telegram')).toBe(at.getTime())
      expect(await s.nextDueAt('sms')).toBeUndefined()
      const [first] = await s.dueRows('telegram', at, 10)
      await s.defer(first!.id, at.getTime() + 5000)
      expect((await s.dueRows('telegram', at, 10)).map((r) => r.chatId)).toEqual(['2', '3'])
      expect((await s.dueRows('telegram', at, 1)).map((r) => r.chatId)).toEqual(['2'])
      expect((await s.dueRows('telegram', later(5000), 10)).map((r) => r.chatId)).toEqual(['2', '3', '1'])
      expect((await s.pendingChannels()).sort()).toEqual(['telegram', 'wechat'])
      for (const r of await s.dueRows('telegram', later(5000), 10)) await s.claim(r.id, at)
      expect(await s.nextDueAt('telegram')).toBeUndefined()
      expect(await s.pendingChannels()).toEqual(['wechat'])
      // Deferring a row that is no longer pending changes nothing.
      await s.defer(first!.id, 1)
      expect((await s.rowsOf(first!.firingId)).find((r) => r.id === first!.id)!.nextAttemptAt).toBe(at.getTime() + 5000)
    })

    it('retries later: an error counts as an attempt, a rate limit does not', async () => {
      const s = await open()
      const a = await announcement(s)
      await s.recordFiring(a.id, at, chats(2), at)
      const [r1, r2] = await s.dueRows('telegram', at, 5)
      await s.claim(r1!.id, at)
      await s.retryLater(r1!.id, at.getTime() + 2000, 'E_DELIVERY_TRANSIENT', at)
      await s.claim(r2!.id, at)
      await s.retryLater(r2!.id, at.getTime() + 1000, 'E_DELIVERY_RATE_LIMITED', at, false)
      // Only a row being sent can be put back: a second call changes nothing.
      await s.retryLater(r2!.id, at.getTime() + 9000, 'x', at, false)
      expect(await s.dueRows('telegram', at, 5)).toEqual([])
      expect((await s.dueRows('telegram', later(2000), 5)).map((r) => [r.chatId, r.attempts, r.nextAttemptAt])).toEqual([
        ['2', 0, at.getTime() + 1000],
        ['1', 1, at.getTime() + 2000],
      ])
    })

    it('claims due rows in a batch: oldest first, one channel, only due ones, attempts counted', async () => {
      const s = await open()
      const a = await announcement(s)
      await s.recordFiring(a.id, at, [...chats(5), ...chats(2, 'wechat')], at)
      const [first] = await s.dueRows('telegram', at, 1)
      await s.defer(first!.id, at.getTime() + 60_000)
      const batch = await s.claimDue('telegram', at, 3)
      expect(batch.map((r) => [r.chatId, r.status, r.attempts])).toEqual([
        ['2', 'sending', 1],
        ['3', 'sending', 1],
        ['4', 'sending', 1],
      ])
      expect((await s.claimDue('telegram', at, 10)).map((r) => r.chatId)).toEqual(['5'])
      expect(await s.claimDue('telegram', at, 10)).toEqual([])
      expect((await s.claimDue('telegram', later(60_000), 10)).map((r) => r.chatId)).toEqual(['1'])
      expect(await s.dueRows('wechat', at, 10)).toHaveLength(2)
    })

    it('two replicas claiming at once never get the same row, and together get every row', async () => {
      const [a, b] = await pair()
      const ann = await announcement(a)
      await a.recordFiring(ann.id, at, chats(240), at)
      const claimed: number[][] = [[], []]
      const drain = async (s: Store, into: number[]) => {
        for (;;) {
          const rows = await s.claimDue('telegram', at, 7)
          if (rows.length === 0) return
          into.push(...rows.map((r) => r.id))
        }
      }
      await Promise.all([drain(a, claimed[0]!), drain(b, claimed[1]!), drain(a, claimed[0]!), drain(b, claimed[1]!)])
      const all = [...claimed[0]!, ...claimed[1]!]
      expect(new Set(all).size).toBe(all.length)
      expect(all).toHaveLength(240)
      // Single-row claims race the same way.
      await a.recordFiring(ann.id, later(1), chats(1, 'wechat'), at)
      const [row] = await a.dueRows('wechat', at, 1)
      const wins = await Promise.all([a.claim(row!.id, at), b.claim(row!.id, at), a.claim(row!.id, at), b.claim(row!.id, at)])
      expect(wins.filter(Boolean)).toHaveLength(1)
    })

    it('lists reports of firings queued since an instant, newest first', async () => {
      const s = await open()
      const a = await announcement(s, 'first')
      const b = await announcement(s, 'second')
      const f = (await s.recordFiring(a.id, at, chats(2), at))!
      const g = (await s.recordFiring(b.id, at, chats(1), later(1000)))!
      const e = (await s.recordFiring(b.id, later(5), [], later(2000)))!
      expect((await s.reports(at)).map((r) => [r.firingId, r.name, r.total])).toEqual([
        [e.id, 'second', 0],
        [g.id, 'second', 1],
        [f.id, 'first', 2],
      ])
      expect((await s.reports(later(1000))).map((r) => r.firingId)).toEqual([e.id, g.id])
      expect(await s.reports(later(5000))).toEqual([])
      for (const r of await s.reports(at)) expect(sum(r)).toBe(r.total)
    })

    it('counts the route each sent message took, when the adapter said (客服消息 or template)', async () => {
      const s = await open()
      const a = await announcement(s, 'routed')
      const f = (await s.recordFiring(a.id, at, chats(3), at))!
      const [r1, r2, r3] = await s.rowsOf(f.id)
      for (const r of [r1!, r2!, r3!]) await s.claim(r.id, at)
      await s.markSent(r1!.id, at, '1', 'custom')
      await s.markSent(r2!.id, at, '2', 'template')
      await s.markSent(r3!.id, at, '3', 'custom')
      expect((await s.report(f.id))!.routes).toEqual({ custom: 2, template: 1 })
      const plain = (await s.recordFiring(a.id, later(1), chats(1), at))!
      expect((await s.report(plain.id))!.routes).toBeUndefined()
    })
  })

  describe('unanswered questions', () => {
    it('keeps them in time order and cuts very long ones by characters', async () => {
      const s = await open()
      expect(await s.recordUnanswered({ channel: 'telegram', region: '东营市', text: '😀'.repeat(2000), normalized: 'x', at: later(5) })).toBe('recorded')
      await s.recordUnanswered({ channel: 'wechat', region: undefined, text: '哪里能打疫苗', normalized: '哪里能打疫苗', at })
      const [first, second] = await s.unansweredSince(new Date(at.getTime() - 1))
      expect(first).toEqual({ channel: 'wechat', region: undefined, text: '哪里能打疫苗', normalized: '哪里能打疫苗', at })
      expect(Array.from(second!.text)).toHaveLength(500)
      expect(second!.text).toBe('😀'.repeat(500))
      expect(await s.unansweredSince(later(6))).toEqual([])
    })

    it('keeps the asker as a salted hash, and holds each asker to one per text and a daily cap', async () => {
      const [s, peer] = await pair()
      const limit = { since: at, maxPerAsker: 3 }
      const ask = (store: Store, userKey: string, text: string, t = later(1)) =>
        store.recordUnanswered({ channel: 'telegram', region: '东营市', text, normalized: text, at: t, userKey }, limit)
      expect(await ask(s, 'telegram:1', '甲')).toBe('recorded')
      expect(await ask(peer, 'telegram:1', '甲')).toBe('duplicate')
      expect(await ask(s, 'telegram:2', '甲')).toBe('recorded')
      expect(await ask(s, 'telegram:1', '乙')).toBe('recorded')
      expect(await ask(peer, 'telegram:1', '丙')).toBe('recorded')
      expect(await ask(s, 'telegram:1', '丁')).toBe('capped')
      // Yesterday's questions do not count towards today's cap.
      expect(await s.recordUnanswered({ channel: 'telegram', region: undefined, text: '戊', normalized: '戊', at, userKey: 'telegram:3' }, { since: later(1), maxPerAsker: 1 })).toBe('recorded')
      expect(await s.recordUnanswered({ channel: 'telegram', region: undefined, text: '己', normalized: '己', at: later(2), userKey: 'telegram:3' }, { since: later(1), maxPerAsker: 1 })).toBe('recorded')
      // Without a limit nothing is refused.
      expect(await s.recordUnanswered({ channel: 'telegram', region: '东营市', text: '甲', normalized: '甲', at: later(1), userKey: 'telegram:1' })).toBe('recorded')
      const all = await peer.unansweredSince(at)
      const askers = new Set(all.map((q) => q.asker))
      expect(askers.size).toBe(3)
      for (const a of askers) expect(a).toMatch(/^[0-9a-f]{64}$/)
      expect(JSON.stringify(all)).not.toContain('telegram:')
      expect(all.filter((q) => q.text === '甲').map((q) => q.asker)).toHaveLength(3)
    })

    it('keeps the salt per database: reopened, the same resident is the same asker; another database, another', async () => {
      const db = await harness.database()
      const ask = (s: Store, text: string) => s.recordUnanswered({ channel: 'telegram', region: undefined, text, normalized: text, at, userKey: 'telegram:1' })
      const first = await db.open()
      await ask(first, '问题')
      const [{ asker } = {}] = await first.unansweredSince(at)
      expect(asker).toMatch(/^[0-9a-f]{64}$/)
      await first.close()
      const again = await db.open()
      await ask(again, '问题二')
      expect((await again.unansweredSince(at)).map((q) => q.asker)).toEqual([asker, asker])
      const other = await open()
      await ask(other, '问题')
      expect((await other.unansweredSince(at))[0]!.asker).not.toBe(asker)
    })

    it('of replicas recording one asker’s questions at once, the cap holds', async () => {
      const [a, b] = await pair()
      const limit = { since: at, maxPerAsker: 5 }
      const outcomes = await Promise.all(
        Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).recordUnanswered({ channel: 'wechat', region: undefined, text: `问${i % 8}`, normalized: `问${i % 8}`, at, userKey: 'wechat:w' }, limit)),
      )
      expect(outcomes.filter((o) => o === 'recorded')).toHaveLength(5)
      expect(await a.unansweredSince(at)).toHaveLength(5)
    })
  })

  describe('feedback on answers', () => {
    it('records a 没用 among the unanswered with the answer shown (cut to 300 characters), then its comment', async () => {
      const [s, peer] = await pair()
      const answer = `全国防灾减灾日是5月12日。${'说'.repeat(400)}`
      const id = await s.recordUnhelpful({ channel: 'telegram', region: '东营市', text: '防灾减灾日是哪天', normalized: '防灾减灾日是哪天', at: later(1), userKey: 'telegram:7', answer }, { since: at, maxPerAsker: 5 })
      expect(id).toEqual(expect.any(Number))
      await s.recordUnanswered({ channel: 'wechat', region: undefined, text: '火星上有人吗', normalized: '火星上有人吗', at: later(2) })
      expect(await peer.commentUnanswered(id!, `日期对，${'缺'.repeat(600)}`)).toBe(true)
      const [rated, declined] = await peer.unansweredSince(at)
      expect(rated).toMatchObject({ channel: 'telegram', region: '东营市', text: '防灾减灾日是哪天', at: later(1), asker: expect.stringMatching(/^[0-9a-f]{64}$/) })
      expect(Array.from(rated!.answer!)).toHaveLength(300)
      expect(rated!.answer!.startsWith('全国防灾减灾日是5月12日。')).toBe(true)
      expect(rated!.answer!.endsWith('…')).toBe(true)
      expect(Array.from(rated!.comment!)).toHaveLength(500)
      // A declined question has neither, and takes no comment.
      expect(declined).toEqual({ channel: 'wechat', region: undefined, text: '火星上有人吗', normalized: '火星上有人吗', at: later(2) })
      expect(await s.commentUnanswered(id! + 1, '评论')).toBe(false)
      expect(await s.commentUnanswered(id! + 100, '评论')).toBe(false)
    })

    it('holds a 没用 to the asker’s daily share of unanswered questions, but not to one per text', async () => {
      const s = await open()
      const limit = { since: at, maxPerAsker: 2 }
      const rate = (text: string) => s.recordUnhelpful({ channel: 'telegram', region: undefined, text, normalized: text, at: later(1), userKey: 'telegram:8', answer: '答' }, limit)
      expect(await s.recordUnanswered({ channel: 'telegram', region: undefined, text: '甲', normalized: '甲', at: later(1), userKey: 'telegram:8' }, limit)).toBe('recorded')
      expect(await rate('甲')).toEqual(expect.any(Number))
      expect(await rate('乙')).toBeUndefined()
      expect(await s.recordUnanswered({ channel: 'telegram', region: undefined, text: '丙', normalized: '丙', at: later(1), userKey: 'telegram:8' }, limit)).toBe('capped')
      expect(await s.unansweredSince(at)).toHaveLength(2)
    })

    it('counts 有用 and 没用 per day, also from replicas at once, and a purge removes the user’s 没用 rows', async () => {
      const [a, b] = await pair()
      await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).countFeedback('2026-09-14', i < 7 ? 'useful' : 'useless')))
      await a.countFeedback('2026-09-13', 'useless')
      await a.countFeedback('2026-09-15', 'useful')
      expect(await b.feedbackCounts('2026-09-14')).toEqual([
        { day: '2026-09-14', verdict: 'useful', count: 7 },
        { day: '2026-09-14', verdict: 'useless', count: 3 },
        { day: '2026-09-15', verdict: 'useful', count: 1 },
      ])
      await a.recordUnhelpful({ channel: 'telegram', region: undefined, text: '问', normalized: '问', at, userKey: 'telegram:9', answer: '答' })
      expect((await a.purgeUser('telegram:9')).unanswered).toBe(1)
      expect(await a.unansweredSince(at)).toEqual([])
    })
  })

  describe('dialogue state', () => {
    it('keeps a user’s state, replaces it, and another replica reads it', async () => {
      const [a, b] = await pair()
      expect(await a.users.get('telegram:1')).toBeUndefined()
      await a.users.set('telegram:1', { region: '东营市', elder: true }, at)
      await a.users.set('telegram:1', { region: '东营市', elder: true, more: '更多内容', choices: [{ label: '一', value: '1' }] }, later(1))
      expect(await b.users.get('telegram:1')).toEqual({ region: '东营市', elder: true, more: '更多内容', choices: [{ label: '一', value: '1' }] })
      expect(await b.users.get('telegram:2')).toBeUndefined()
    })

    it('masks phone and ID numbers in the last question it keeps', async () => {
      const s = await open()
      await s.users.set('wechat:w', { dialogue: { at: at.toISOString(), intent: 'fraud', question: '有人打13800138000说我医保卡冻结了' } }, at)
      expect((await s.users.get('wechat:w'))!.dialogue!.question).toBe('有人打＊＊＊说我医保卡冻结了')
    })
  })

  describe('inbound update ids', () => {
    it('answers an update once within the ttl, again after it, per source; purges old ids', async () => {
      const s = await open()
      const ttl = 60_000
      expect(await s.seen('telegram:1', '1001', at, ttl)).toBe(false)
      expect(await s.seen('telegram:1', '1001', later(59_999), ttl)).toBe(true)
      expect(await s.seen('telegram:2', '1001', at, ttl)).toBe(false)
      expect(await s.seen('telegram:1', '1002', later(10_000), ttl)).toBe(false)
      // Expired: counts as new and is recorded again from then.
      expect(await s.seen('telegram:1', '1001', later(60_000), ttl)).toBe(false)
      expect(await s.seen('telegram:1', '1001', later(100_000), ttl)).toBe(true)
      expect(await s.purgeSeen(later(70_000), ttl)).toBe(2)
      expect(await s.purgeSeen(later(70_000), ttl)).toBe(0)
      expect(await s.seen('telegram:2', '1001', later(70_000), ttl)).toBe(false)
      expect(await s.seen('telegram:1', '1001', later(70_000), ttl)).toBe(true)
    })

    it('of two replicas receiving the same update at once, exactly one answers', async () => {
      const [a, b] = await pair()
      for (let i = 0; i < 20; i++) {
        const results = await Promise.all([a.seen('wechat', `m${i}`, at, 60_000), b.seen('wechat', `m${i}`, at, 60_000), b.seen('wechat', `m${i}`, at, 60_000)])
        expect(results.filter((r) => !r)).toHaveLength(1)
      }
    })
  })

  describe('leases', () => {
    it('takes, renews, refuses others, expires, is taken over and released', async () => {
      const s = await open()
      const name = 'sender:telegram:123'
      expect(await s.holderOf(name, at)).toBeUndefined()
      expect(await s.acquire(name, 'replica-a', at, 10_000)).toBe(true)
      expect(await s.acquire(name, 'replica-b', later(5_000), 10_000)).toBe(false)
      expect(await s.holderOf(name, later(5_000))).toBe('replica-a')
      // Renewal moves the expiry: b still cannot take it at the first expiry.
      expect(await s.acquire(name, 'replica-a', later(8_000), 10_000)).toBe(true)
      expect(await s.acquire(name, 'replica-b', later(12_000), 10_000)).toBe(false)
      // a stops renewing (died): after the expiry b takes over, and a is refused.
      expect(await s.holderOf(name, later(18_000))).toBeUndefined()
      expect(await s.acquire(name, 'replica-b', later(18_000), 10_000)).toBe(true)
      expect(await s.holderOf(name, later(18_000))).toBe('replica-b')
      expect(await s.acquire(name, 'replica-a', later(19_000), 10_000)).toBe(false)
      expect(await s.release(name, 'replica-a')).toBe(false)
      expect(await s.release(name, 'replica-b')).toBe(true)
      expect(await s.holderOf(name, later(19_000))).toBeUndefined()
      expect(await s.acquire(name, 'replica-a', later(19_000), 10_000)).toBe(true)
      expect(await s.acquire('sender:wechat', 'replica-b', later(19_000), 10_000)).toBe(true)
    })

    it('of replicas racing for a free or expired lease, exactly one wins', async () => {
      const [a, b] = await pair()
      for (let i = 0; i < 10; i++) {
        const t = later(i * 20_000)
        const results = await Promise.all([a.acquire('sender', 'a', t, 10_000), b.acquire('sender', 'b', t, 10_000), b.acquire('sender', 'c', t, 10_000)])
        expect(results.filter(Boolean)).toHaveLength(1)
      }
    })
  })

  describe('key-value', () => {
    it('gets, replaces, expires and deletes values', async () => {
      const s = await open()
      expect(await s.getValue('wechat:access_token', at)).toBeUndefined()
      await s.setValue('wechat:access_token', 'tok-1', at, 7_200_000)
      expect(await s.getValue('wechat:access_token', later(7_199_999))).toBe('tok-1')
      expect(await s.getValue('wechat:access_token', later(7_200_000))).toBeUndefined()
      await s.setValue('wechat:access_token', 'tok-2', later(7_200_000), 7_200_000)
      expect(await s.getValue('wechat:access_token', later(7_200_001))).toBe('tok-2')
      await s.setValue('forever', '{"a":1}', at)
      expect(await s.getValue('forever', later(10 ** 12))).toBe('{"a":1}')
      expect(await s.deleteValue('forever')).toBe(true)
      expect(await s.deleteValue('forever')).toBe(false)
      expect(await s.getValue('forever', at)).toBeUndefined()
    })
  })

  describe('service requests (科技志愿服务「群众点单」)', () => {
    it('numbers requests per year and keeps every field and its history', async () => {
      const s = await open()
      const r1 = await s.createRequest(request(), at)
      expect(r1).toEqual({
        id: expect.any(Number),
        number: 'KP-2026-0001',
        ...request(),
        status: 'new',
        team: undefined,
        scheduledAt: undefined,
        rating: undefined,
        createdAt: at,
        updatedAt: at,
        history: [{ status: 'new', by: 'telegram:42', at }],
      })
      const r2 = await s.createRequest(request({ audienceSize: undefined, userKey: 'wechat:w1', channel: 'wechat', chatId: 'w1' }), later(1))
      expect(r2.number).toBe('KP-2026-0002')
      expect(r2.audienceSize).toBeUndefined()
      // 00:30 on 1 January in Shanghai is still 31 December in UTC: it opens the new year's numbers.
      const r3 = await s.createRequest(request(), new Date('2026-12-31T16:30:00Z'))
      expect(r3.number).toBe('KP-2027-0001')
      expect(await s.getRequest('KP-2026-0002')).toEqual(r2)
      expect(await s.getRequest('KP-2026-0099')).toBeUndefined()
    })

    it('gives unique, gap-free numbers to requests created at once by two replicas', async () => {
      const [a, b] = await pair()
      const made = await Promise.all(Array.from({ length: 24 }, (_, i) => (i % 2 ? a : b).createRequest(request({ userKey: `telegram:${i}` }), later(i))))
      const numbers = made.map((r) => r.number).sort()
      expect(numbers).toEqual(Array.from({ length: 24 }, (_, i) => `KP-2026-${String(i + 1).padStart(4, '0')}`))
    })

    it('lists and filters by status, region and user, newest first', async () => {
      const s = await open()
      const r1 = await s.createRequest(request(), at)
      const r2 = await s.createRequest(request({ region: '乌海市' }), later(1))
      const r3 = await s.createRequest(request({ userKey: 'telegram:7' }), later(2))
      await s.updateRequestStatus(r2.number, { status: 'assigned', by: 'staff:li', at: later(3), team: '乌海市科协志愿服务队' })
      expect((await s.listRequests()).map((r) => r.number)).toEqual([r3.number, r2.number, r1.number])
      expect((await s.listRequests({ status: 'new' })).map((r) => r.number)).toEqual([r3.number, r1.number])
      expect((await s.listRequests({ status: ['assigned', 'scheduled'] })).map((r) => r.number)).toEqual([r2.number])
      expect(await s.listRequests({ status: [] })).toEqual([])
      expect((await s.listRequests({ region: '东营市', status: 'new' })).map((r) => r.number)).toEqual([r3.number, r1.number])
      expect((await s.listRequests({ userKey: 'telegram:7' })).map((r) => r.number)).toEqual([r3.number])
      expect((await s.listRequests({ limit: 1 })).map((r) => r.number)).toEqual([r3.number])
      expect((await s.listRequests({ region: '乌海市' }))[0]!.history.map((h) => h.status)).toEqual(['new', 'assigned'])
    })

    it('changes status with who and when, a team and a date, guarded by the expected status', async () => {
      const s = await open()
      const r = await s.createRequest(request(), at)
      const day = new Date('2026-09-26T01:00:00Z')
      expect(await s.updateRequestStatus(r.number, { status: 'assigned', by: 'staff:li', at: later(1), team: '东营科普志愿队', from: ['new'] })).toMatchObject({
        status: 'assigned',
        team: '东营科普志愿队',
        updatedAt: later(1),
      })
      expect(await s.updateRequestStatus(r.number, { status: 'assigned', by: 'staff:wang', at: later(2), from: ['new'] })).toBeUndefined()
      const scheduled = (await s.updateRequestStatus(r.number, { status: 'scheduled', by: 'staff:li', at: later(3), scheduledAt: day, note: '已电话确认' }))!
      expect(scheduled.scheduledAt).toEqual(day)
      expect(scheduled.team).toBe('东营科普志愿队')
      const closed = (await s.updateRequestStatus(r.number, { status: 'closed', by: 'staff:li', at: later(4) }))!
      expect(closed.history).toEqual([
        { status: 'new', by: 'telegram:42', at },
        { status: 'assigned', by: 'staff:li', at: later(1) },
        { status: 'scheduled', by: 'staff:li', at: later(3), note: '已电话确认' },
        { status: 'closed', by: 'staff:li', at: later(4) },
      ])
      expect(await s.getRequest(r.number)).toEqual(closed)
      expect(await s.updateRequestStatus('KP-2026-9999', { status: 'closed', by: 'x', at })).toBeUndefined()
    })

    it('of two staff taking the same new request at once, one succeeds', async () => {
      const [a, b] = await pair()
      const r = await a.createRequest(request(), at)
      const results = await Promise.all([
        a.updateRequestStatus(r.number, { status: 'assigned', by: 'staff:li', at: later(1), team: 'A', from: ['new'] }),
        b.updateRequestStatus(r.number, { status: 'assigned', by: 'staff:wang', at: later(1), team: 'B', from: ['new'] }),
      ])
      expect(results.filter((x) => x !== undefined)).toHaveLength(1)
      expect((await a.getRequest(r.number))!.history).toHaveLength(2)
    })

    it('records a rating of 1 to 5 and refuses anything else', async () => {
      const s = await open()
      const r = await s.createRequest(request(), at)
      expect(await s.rateRequest(r.number, 5, later(1))).toBe(true)
      expect((await s.getRequest(r.number))!.rating).toBe(5)
      expect(await s.rateRequest('KP-2026-9999', 4, at)).toBe(false)
      for (const bad of [0, 6, 3.5, Number.NaN]) await expect(s.rateRequest(r.number, bad, at)).rejects.toThrow(InputError)
    })
  })

  describe('volunteers', () => {
    it('registers, updates on registering again, and lists by area', async () => {
      const s = await open()
      const v = await s.registerVolunteer({ userKey: 'telegram:1', name: '张老师', area: '东营市', skills: ['天文', '急救'], contact: '13900000000' }, at)
      expect(v).toEqual({ userKey: 'telegram:1', name: '张老师', area: '东营市', skills: ['天文', '急救'], contact: '13900000000', createdAt: at, updatedAt: at })
      await s.registerVolunteer({ userKey: 'wechat:w', name: '李医生', area: '乌海市', skills: [], contact: 'w' }, later(1))
      const again = await s.registerVolunteer({ userKey: 'telegram:1', name: '张老师', area: '东营市', skills: ['天文'], contact: '13900000001' }, later(2))
      expect(again).toMatchObject({ skills: ['天文'], contact: '13900000001', createdAt: at, updatedAt: later(2) })
      expect((await s.listVolunteers()).map((x) => x.userKey)).toEqual(['telegram:1', 'wechat:w'])
      expect((await s.listVolunteers({ area: '乌海市' })).map((x) => x.name)).toEqual(['李医生'])
    })
  })

  describe('purging a user', () => {
    it('removes or anonymises the user’s data in every table, leaves others alone, keeps reports adding up', async () => {
      const s = await open()
      const user = 'telegram:42'
      await s.users.set(user, { region: '东营市' }, at)
      await s.users.set('telegram:43', { region: '东营市' }, at)
      await s.subscribe({ channel: 'telegram', chatId: '42', topic: 'fraud-tip', region: undefined }, at)
      await s.subscribe({ channel: 'telegram', chatId: '42', topic: 'weekly', region: '东营市' }, at)
      await s.subscribe({ channel: 'telegram', chatId: '43', topic: 'weekly', region: '东营市' }, at)
      await s.block('telegram', '42', at)
      const a = await announcement(s)
      const f = (await s.recordFiring(a.id, at, [{ channel: 'telegram', chatId: '42', text: '给42的' }, { channel: 'telegram', chatId: '43', text: '给43的' }], at))!
      const g = (await s.recordFiring(a.id, later(1), [{ channel: 'telegram', chatId: '42', text: '第二条' }], at))!
      const [sent] = await s.rowsOf(f.id)
      await s.claim(sent!.id, at)
      await s.markSent(sent!.id, at, 'm1')
      const req = await s.createRequest(request({ userKey: user }), at)
      await s.updateRequestStatus(req.number, { status: 'cancelled', by: user, at: later(1), note: '改天再约' })
      const other = await s.createRequest(request({ userKey: 'telegram:43', chatId: '43' }), at)
      await s.registerVolunteer({ userKey: user, name: '王阿姨', area: '东营市', skills: [], contact: '138' }, at)
      await s.recordUnanswered({ channel: 'telegram', region: '东营市', text: '我的问题', normalized: '我的问题', at, userKey: user })
      await s.recordUnanswered({ channel: 'telegram', region: '东营市', text: '别人的问题', normalized: '别人的问题', at, userKey: 'telegram:43' })
      await s.recordUnanswered({ channel: 'telegram', region: '东营市', text: '无名的问题', normalized: '无名的问题', at })

      expect(await s.purgeUser(user)).toEqual({ users: 1, subscriptions: 2, blockedChats: 1, outbox: 2, unanswered: 1, serviceRequests: 1, serviceRequestHistory: 2, volunteers: 1 })

      expect(await s.users.get(user)).toBeUndefined()
      expect(await s.subscriptionsOf('telegram', '42')).toEqual([])
      expect(await s.isBlocked('telegram', '42')).toBe(false)
      const rows = [...(await s.rowsOf(f.id)), ...(await s.rowsOf(g.id))]
      expect(rows.some((r) => r.chatId === '42' || r.text.includes('42') || r.text === '第二条')).toBe(false)
      expect(rows.map((r) => r.status)).toEqual(['sent', 'pending', 'cancelled'])
      const report = (await s.report(f.id))!
      expect([report.total, report.sent, sum(report)]).toEqual([2, 1, 2])
      expect(await s.sentSince('telegram', at)).toBe(1)
      const anon = (await s.getRequest(req.number))!
      expect(anon).toMatchObject({ userKey: 'purged', chatId: '', contact: '', place: '', region: '东营市', serviceId: 'fraud-talk', status: 'cancelled' })
      expect(anon.history.map((h) => [h.by, h.note])).toEqual([
        ['purged', undefined],
        ['purged', undefined],
      ])
      expect(await s.listRequests({ userKey: user })).toEqual([])
      expect(await s.listVolunteers()).toEqual([])
      expect((await s.unansweredSince(at)).map((q) => q.text)).toEqual(['别人的问题', '无名的问题'])
      // Someone else's data is untouched.
      expect(await s.users.get('telegram:43')).toEqual({ region: '东营市' })
      expect(await s.subscriptionsOf('telegram', '43')).toHaveLength(1)
      expect(await s.getRequest(other.number)).toMatchObject({ userKey: 'telegram:43', contact: '13800000000' })

      expect(await s.purgeUser(user)).toEqual({ users: 0, subscriptions: 0, blockedChats: 0, outbox: 0, unanswered: 0, serviceRequests: 0, serviceRequestHistory: 0, volunteers: 0 })
    })
  })

  describe('migrations', () => {
    it('creates the newest schema once; opening again changes nothing and keeps the data', async () => {
      const db = await harness.database()
      expect(await db.schemaVersion()).toBe(0)
      const a = await db.open()
      expect(await db.schemaVersion()).toBe(NEWEST_SCHEMA_VERSION)
      await a.subscribe({ channel: 'telegram', chatId: '1', topic: 'weekly', region: '东营市' }, at)
      await a.close()
      const b = await db.open()
      expect(await db.schemaVersion()).toBe(NEWEST_SCHEMA_VERSION)
      expect(await b.countSubscriptions()).toBe(1)
    })

    it('replicas opening a new database at once migrate it once and all work', async () => {
      const db = await harness.database()
      const stores = await Promise.all([db.open(), db.open(), db.open()])
      expect(await db.schemaVersion()).toBe(NEWEST_SCHEMA_VERSION)
      for (const [i, s] of stores.entries()) expect(await s.subscribe({ channel: 'telegram', chatId: String(i), topic: 't', region: undefined }, at)).toBe(true)
      expect(await stores[0]!.countSubscriptions()).toBe(3)
    })

    it('refuses a database written by a newer kepu', async () => {
      const db = await harness.database()
      await (await db.open()).close()
      await db.setSchemaVersion(99)
      const err = await db.open().then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(err).toBeInstanceOf(StoreError)
      expect(err).toMatchObject({ code: 'E_STORE_VERSION', message: expect.stringMatching(/schema version 99/) })
    })
  })
}
