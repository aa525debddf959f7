import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { MIGRATIONS, migrate } from '../../src/store/migrations.js'
import { openSqliteStore, STORE_FILE } from '../../src/store/sqlite-store.js'
import type { Store } from '../../src/store/store.js'

const at = new Date('2026-09-14T01:00:00Z')
const dirs: string[] = []
const stores: Store[] = []

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'kepu-store-'))
  dirs.push(d)
  return d
}
function open(dataDir?: string): Store {
  const s = dataDir ? openSqliteStore({ dataDir }) : openSqliteStore({ file: ':memory:' })
  stores.push(s)
  return s
}

afterEach(() => {
  for (const s of stores.splice(0)) s.close()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function announcement(s: Store) {
  return s.addAnnouncement({ name: 'tip', cron: '0 8 * * *', target: { kind: 'topic', topic: 'fraud-tip' }, template: '{daily_tip}', createdBy: 'cli' }, at)
}

describe('migrations', () => {
  it('creates the schema once and records its version; reopening changes nothing', () => {
    const dir = tempDir()
    open(dir).close()
    const db = new Database(join(dir, STORE_FILE))
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version)
    expect(migrate(db)).toBe(MIGRATIONS.at(-1)!.version)
    db.close()
  })

  it('refuses a database written by a newer version', () => {
    const db = new Database(':memory:')
    db.pragma('user_version = 99')
    expect(() => migrate(db)).toThrow(/schema version 99/)
    db.close()
  })

  it('applies a later step on top of an earlier one', () => {
    const db = new Database(':memory:')
    migrate(db)
    const v = migrate(db, [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'extra', sql: 'CREATE TABLE extra (x INTEGER)' }])
    expect(v).toBe(MIGRATIONS.length + 1)
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'extra'").get()).toBeTruthy()
    db.close()
  })
})

describe('SqliteStore', () => {
  it('keeps user states and subscriptions across reopening', () => {
    const dir = tempDir()
    const a = open(dir)
    a.users.set('telegram:1', { region: '东营市', elder: true })
    a.subscribe({ channel: 'telegram', chatId: '1', topic: 'weekly', region: '东营市' }, at)
    a.close()
    const b = open(dir)
    expect(b.users.get('telegram:1')).toEqual({ region: '东营市', elder: true })
    expect(b.users.get('telegram:2')).toBeUndefined()
    expect(b.subscriptionsOf('telegram', '1')).toMatchObject([{ topic: 'weekly', region: '东营市' }])
  })

  it('says whether a subscription is new and filters subscribers by region', () => {
    const s = open()
    expect(s.subscribe({ channel: 'telegram', chatId: '1', topic: 'weekly', region: '东营市' }, at)).toBe(true)
    expect(s.subscribe({ channel: 'telegram', chatId: '1', topic: 'weekly', region: '东营市' }, at)).toBe(false)
    s.subscribe({ channel: 'wechat', chatId: 'w', topic: 'weekly', region: '乌海市' }, at)
    expect(s.subscribers('weekly').map((x) => x.chatId)).toEqual(['1', 'w'])
    expect(s.subscribers('weekly', '乌海市').map((x) => x.chatId)).toEqual(['w'])
    expect(s.subscribers('fraud-tip')).toEqual([])
  })

  it('queues a firing once: the same (announcement, time) again writes nothing', () => {
    const s = open()
    const a = announcement(s)
    const t = new Date('2026-09-15T00:00:00Z')
    const rows = [{ channel: 'telegram', chatId: '1', text: 'hi', topic: 'fraud-tip' }, { channel: 'telegram', chatId: '2', text: 'hi' }]
    const f = s.recordFiring(a.id, t, rows, at)
    expect(f).toMatchObject({ recipients: 2 })
    expect(s.recordFiring(a.id, t, rows, at)).toBeUndefined()
    expect(s.rowsOf(f!.id)).toHaveLength(2)
    expect(s.getAnnouncement(a.id)!.lastFiringAt).toEqual(t)
  })

  it('unsubscribing cancels the chat’s queued messages of that topic only', () => {
    const s = open()
    s.subscribe({ channel: 'telegram', chatId: '1', topic: 'fraud-tip', region: undefined }, at)
    const a = announcement(s)
    const f = s.recordFiring(a.id, at, [{ channel: 'telegram', chatId: '1', text: 'tip', topic: 'fraud-tip' }], at)!
    const g = s.recordFiring(a.id, new Date(at.getTime() + 60_000), [{ channel: 'telegram', chatId: '1', text: 'w', topic: 'weekly' }], at)!
    expect(s.unsubscribe('telegram', '1', 'fraud-tip')).toBe(1)
    expect(s.rowsOf(f.id)[0]!.status).toBe('cancelled')
    expect(s.rowsOf(g.id)[0]!.status).toBe('pending')
    expect(s.unsubscribe('telegram', '1')).toBe(0)
    expect(s.rowsOf(g.id)[0]!.status).toBe('cancelled')
  })

  it('walks a row through claim, sent, and reports counts that add up', () => {
    const s = open()
    const a = announcement(s)
    const f = s.recordFiring(a.id, at, ['1', '2', '3', '4', '5'].map((chatId) => ({ channel: 'telegram', chatId, text: 't' })), at)!
    const [r1, r2, r3, r4] = s.dueRows('telegram', at, 10)
    expect(s.claim(r1!.id, at)).toBe(true)
    expect(s.claim(r1!.id, at)).toBe(false)
    s.markSent(r1!.id, at, '77')
    s.claim(r2!.id, at)
    s.markFailed(r2!.id, 'E_DELIVERY_PERMANENT', at)
    s.claim(r3!.id, at)
    s.markBlocked(r3!.id, at)
    s.claim(r4!.id, at)
    // r4 stays "sending": a crash. Recovery makes it in doubt, not pending.
    expect(s.recoverSending('report', at)).toBe(1)
    const report = s.report(f.id)!
    expect(report).toMatchObject({ total: 5, sent: 1, failed: 1, blocked: 1, inDoubt: 1, pending: 1, sending: 0 })
    expect(report.sent + report.failed + report.blocked + report.inDoubt + report.pending + report.cancelled + report.sending).toBe(report.total)
    expect(s.isBlocked('telegram', '3')).toBe(true)
    expect(s.sentSince('telegram', at)).toBe(1)
    expect(s.reports(at).map((r) => r.firingId)).toEqual([f.id])
  })

  it('recovery with the resend policy puts rows back in the queue', () => {
    const s = open()
    const a = announcement(s)
    s.recordFiring(a.id, at, [{ channel: 'telegram', chatId: '1', text: 't' }], at)
    const [r] = s.dueRows('telegram', at, 1)
    s.claim(r!.id, at)
    expect(s.recoverSending('resend', at)).toBe(1)
    expect(s.dueRows('telegram', at, 1)).toHaveLength(1)
  })

  it('a blocked chat is left out of subscribers until it subscribes again', () => {
    const s = open()
    s.subscribe({ channel: 'telegram', chatId: '1', topic: 'fraud-tip', region: undefined }, at)
    s.block('telegram', '1', at)
    expect(s.subscribers('fraud-tip')).toEqual([])
    s.subscribe({ channel: 'telegram', chatId: '1', topic: 'fraud-tip', region: undefined }, at)
    expect(s.subscribers('fraud-tip')).toHaveLength(1)
  })

  it('serves due rows oldest first and respects deferral and other channels', () => {
    const s = open()
    const a = announcement(s)
    s.recordFiring(a.id, at, ['1', '2'].map((chatId) => ({ channel: 'telegram', chatId, text: 't' })).concat([{ channel: 'wechat', chatId: 'w', text: 't' }]), at)
    const [first] = s.dueRows('telegram', at, 10)
    s.defer(first!.id, at.getTime() + 5000)
    expect(s.dueRows('telegram', at, 10).map((r) => r.chatId)).toEqual(['2'])
    expect(s.nextDueAt('telegram')).toBe(at.getTime())
    expect(s.pendingChannels().sort()).toEqual(['telegram', 'wechat'])
  })

  it('removing an announcement cancels its queued messages and hides it', () => {
    const s = open()
    const a = announcement(s)
    const f = s.recordFiring(a.id, at, [{ channel: 'telegram', chatId: '1', text: 't' }], at)!
    expect(s.removeAnnouncement(a.id)).toBe(true)
    expect(s.removeAnnouncement(a.id)).toBe(false)
    expect(s.listAnnouncements()).toEqual([])
    expect(s.rowsOf(f.id)[0]!.status).toBe('cancelled')
  })

  it('keeps unanswered questions and cuts very long ones', () => {
    const s = open()
    s.recordUnanswered({ channel: 'telegram', region: '东营市', text: '长'.repeat(2000), normalized: 'x', at })
    const [q] = s.unansweredSince(new Date(at.getTime() - 1))
    expect(Array.from(q!.text)).toHaveLength(500)
    expect(s.unansweredSince(new Date(at.getTime() + 1))).toEqual([])
  })
})

describe('personal data in the SQLite store', () => {
  it('adds the asker table and the salt outside the numbered steps, idempotently, keeping user_version', () => {
    const dir = tempDir()
    const first = open(dir)
    first.recordUnanswered({ channel: 'telegram', region: undefined, text: '问题', normalized: '问题', at, userKey: 'telegram:1' })
    const asker = first.unansweredSince(new Date(0))[0]!.asker
    first.close()
    const again = open(dir)
    again.recordUnanswered({ channel: 'telegram', region: undefined, text: '问题二', normalized: '问题二', at, userKey: 'telegram:1' })
    // The salt is per install and survives reopening: the same user has the same pseudonym.
    expect(again.unansweredSince(new Date(0)).map((r) => r.asker)).toEqual([asker, asker])
    again.close()
    const db = new Database(join(dir, STORE_FILE))
    expect(db.pragma('user_version', { simple: true })).toBe(1)
    db.close()
    // Another install, another salt.
    const other = open()
    other.recordUnanswered({ channel: 'telegram', region: undefined, text: '问题', normalized: '问题', at, userKey: 'telegram:1' })
    expect(other.unansweredSince(new Date(0))[0]!.asker).not.toBe(asker)
  })

  it('records a declined question once per asker and text, and at most N per asker since a time', () => {
    const s = open()
    const limit = { since: new Date(at.getTime() - 1000), maxPerAsker: 2 }
    const q = (text: string, userKey?: string) => s.recordUnanswered({ channel: 'telegram', region: '东营市', text, normalized: text, at, ...(userKey ? { userKey } : {}) }, limit)
    expect(q('甲', 'telegram:1')).toBe('recorded')
    expect(q('甲', 'telegram:1')).toBe('duplicate')
    expect(q('乙', 'telegram:1')).toBe('recorded')
    expect(q('丙', 'telegram:1')).toBe('capped')
    expect(q('甲', 'telegram:2')).toBe('recorded')
    expect(q('甲')).toBe('recorded')
    const rows = s.unansweredSince(new Date(0))
    expect(rows.map((r) => r.text)).toEqual(['甲', '乙', '甲', '甲'])
    expect(rows[3]!.asker).toBeUndefined()
  })

  it('masks phone and ID numbers in the question kept in a user state', () => {
    const s = open()
    s.users.set('telegram:1', { region: '东营市', dialogue: { at: at.toISOString(), question: '一三八零零一三八零零零是不是诈骗电话' } })
    expect(s.users.get('telegram:1')).toEqual({ region: '东营市', dialogue: { at: at.toISOString(), question: '＊＊＊是不是诈骗电话' } })
  })

  it('purges a user: state, their private chat’s subscriptions, block and queued messages, their unanswered questions', () => {
    const s = open()
    s.users.set('telegram:42', { region: '东营市' })
    s.users.set('telegram:7', { region: '乌海市' })
    s.subscribe({ channel: 'telegram', chatId: '42', topic: 'fraud-tip', region: undefined }, at)
    s.subscribe({ channel: 'telegram', chatId: '42', topic: 'weekly', region: '东营市' }, at)
    s.subscribe({ channel: 'telegram', chatId: '7', topic: 'fraud-tip', region: undefined }, at)
    s.subscribe({ channel: 'wechat', chatId: '42', topic: 'fraud-tip', region: undefined }, at)
    const a = announcement(s)
    s.recordFiring(a.id, at, [
      { channel: 'telegram', chatId: '42', text: '提醒一', topic: 'fraud-tip' },
      { channel: 'telegram', chatId: '7', text: '提醒一', topic: 'fraud-tip' },
    ], at)
    const f2 = s.recordFiring(a.id, new Date(at.getTime() + 86_400_000), [{ channel: 'telegram', chatId: '42', text: '提醒二', topic: 'fraud-tip' }], at)!
    const [sentRow] = s.dueRows('telegram', new Date(at.getTime() + 1), 1)
    s.claim(sentRow!.id, at)
    s.markSent(sentRow!.id, at)
    s.recordUnanswered({ channel: 'telegram', region: undefined, text: '甲', normalized: '甲', at, userKey: 'telegram:42' })
    s.recordUnanswered({ channel: 'telegram', region: undefined, text: '乙', normalized: '乙', at, userKey: 'telegram:42' })
    s.recordUnanswered({ channel: 'telegram', region: undefined, text: '丙', normalized: '丙', at, userKey: 'telegram:7' })

    expect(s.purgeUser('telegram:42')).toEqual({ users: 1, subscriptions: 2, blockedChats: 0, outbox: 2, unanswered: 2 })
    expect(s.users.get('telegram:42')).toBeUndefined()
    expect(s.users.get('telegram:7')).toEqual({ region: '乌海市' })
    expect(s.subscriptionsOf('telegram', '42')).toEqual([])
    expect(s.subscriptionsOf('wechat', '42')).toHaveLength(1)
    expect(s.subscriptionsOf('telegram', '7')).toHaveLength(1)
    expect(s.unansweredSince(new Date(0)).map((r) => r.text)).toEqual(['丙'])
    // Nothing more goes to the purged chat, and no row says who it was or what it said; reports still add up.
    const all = [...s.rowsOf(1), ...s.rowsOf(f2.id)]
    expect(all.filter((r) => r.chatId === '42')).toEqual([])
    expect(all.filter((r) => r.chatId.startsWith('purged:')).map((r) => [r.status, r.text])).toEqual([
      ['sent', ''],
      ['cancelled', ''],
    ])
    expect(s.report(1)).toMatchObject({ total: 2, sent: 1, pending: 1 })
    expect(s.purgeUser('telegram:42')).toEqual({ users: 0, subscriptions: 0, blockedChats: 0, outbox: 0, unanswered: 0 })
  })
})
