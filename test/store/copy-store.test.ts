import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import type { Store } from '../../src/store/async-store.js'
import { copyStore } from '../../src/store/copy-store.js'
import { openStore } from '../../src/store/sql/open-store.js'

const url = process.env.KEPU_TEST_DATABASE_URL
const t0 = new Date('2026-11-01T01:00:00Z')

/** A store with something in every kind of table. */
async function filled(): Promise<Store> {
  const s = await openStore({ file: ':memory:' })
  await s.subscribe({ channel: 'telegram', chatId: '42', topic: 'fraud-tip', region: undefined }, t0)
  await s.subscribe({ channel: 'telegram', chatId: '43', topic: 'weekly', region: '东营市' }, t0)
  await s.users.set('telegram:42', { region: '东营市', elder: true })
  const a = await s.addAnnouncement({ name: '每日防骗提醒', cron: '0 8 * * *', target: { kind: 'topic', topic: 'fraud-tip' }, template: '{daily_tip}', createdBy: 'test' }, t0)
  const f = await s.recordFiring(a.id, t0, [{ channel: 'telegram', chatId: '42', text: '提醒一', topic: 'fraud-tip' }], t0)
  const [row] = await s.rowsOf(f!.id)
  await s.claim(row!.id, t0)
  await s.markSent(row!.id, t0, '7')
  await s.recordUnanswered({ channel: 'telegram', region: '东营市', text: '黄河口有什么鸟', normalized: '黄河口有什么鸟', at: t0, userKey: 'telegram:42' })
  const rated = await s.recordUnhelpful({ channel: 'telegram', region: '东营市', text: '防灾减灾日是哪天', normalized: '防灾减灾日是哪天', at: t0, userKey: 'telegram:42', answer: '5月12日' })
  await s.commentUnanswered(rated!, '没说几点')
  await s.countFeedback('2026-11-01', 'useful')
  await s.createRequest({ channel: 'telegram', chatId: '42', userKey: 'telegram:42', region: '东营市', serviceId: 'farm-tech', place: '垦利区', preferredDate: '下个月', audienceSize: 30, contact: '王' }, t0)
  return s
}

async function expectSameContent(from: Store, to: Store): Promise<void> {
  expect(await to.subscriptionsOf('telegram', '43')).toEqual(await from.subscriptionsOf('telegram', '43'))
  expect(await to.users.get('telegram:42')).toEqual(await from.users.get('telegram:42'))
  expect(await to.listAnnouncements(true)).toEqual(await from.listAnnouncements(true))
  expect(await to.reports(new Date(0))).toEqual(await from.reports(new Date(0)))
  expect(await to.unansweredSince(new Date(0))).toEqual(await from.unansweredSince(new Date(0)))
  expect(await to.feedbackCounts('2026-01-01')).toEqual([{ day: '2026-11-01', verdict: 'useful', count: 1 }])
  expect(await to.listRequests()).toEqual(await from.listRequests())
  // Counters continue after the copied ids, and the copy is a working store.
  const a = await to.addAnnouncement({ name: '新公告', cron: null, target: { kind: 'chats', chats: [] }, template: 'x', createdBy: 'test' }, t0)
  expect(a.id).toBeGreaterThan((await from.listAnnouncements(true)).at(-1)!.id)
  const next = await to.createRequest({ channel: 'telegram', chatId: '43', userKey: 'telegram:43', region: '东营市', serviceId: 'farm-tech', place: '利津', preferredDate: '周末', audienceSize: 10, contact: '李' }, t0)
  expect(next.number).not.toBe((await from.listRequests())[0]!.number)
}

describe('copyStore (kepu store migrate)', () => {
  it('copies every table into an empty store: same subscriptions, users, announcements, reports, unanswered, requests', async () => {
    const from = await filled()
    const to = await openStore({ file: ':memory:' })
    try {
      const counts = await copyStore(from, to)
      expect(counts).toMatchObject({ subscriptions: 2, users: 1, announcements: 1, firings: 1, outbox: 1, unanswered: 2, feedback_counts: 1, service_requests: 1 })
      await expectSameContent(from, to)
    } finally {
      await from.close()
      await to.close()
    }
  })

  it('refuses a target that already holds data', async () => {
    const from = await filled()
    const to = await filled()
    try {
      await expect(copyStore(from, to)).rejects.toThrow(/already holds data/)
    } finally {
      await from.close()
      await to.close()
    }
  })

  const schema = `kepu_copy_${process.pid}_${randomBytes(3).toString('hex')}`
  let admin: pg.Client | undefined
  afterAll(async () => {
    await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await admin?.end()
  })

  it.skipIf(!url)('moves a SQLite store into PostgreSQL', async () => {
    admin = new pg.Client({ connectionString: url })
    await admin.connect()
    await admin.query(`CREATE SCHEMA ${schema}`)
    const from = await filled()
    const to = await openStore({ url: url!, schema, pool: 2 })
    try {
      await copyStore(from, to)
      await expectSameContent(from, to)
    } finally {
      await from.close()
      await to.close()
    }
  })
})
