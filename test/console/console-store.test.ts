import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import type { Store } from '../../src/store/async-store.js'
import type { ConsoleStore } from '../../src/store/console-store.js'
import { consoleStoreOf } from '../../src/store/sql/console-store-sql.js'
import { openStore } from '../../src/store/sql/open-store.js'

/** The console's store on SQLite, and on PostgreSQL when KEPU_TEST_DATABASE_URL is set (.ci/run sets it). */
const url = process.env['KEPU_TEST_DATABASE_URL']?.trim() || undefined
const schema = `kepu_console_${process.pid}_${randomBytes(3).toString('hex')}`
const opened: Store[] = []

async function open(dialect: 'sqlite' | 'postgres'): Promise<ConsoleStore> {
  let store: Store
  if (dialect === 'sqlite') store = await openStore({ file: ':memory:' })
  else {
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
    await admin.end()
    store = await openStore({ url: url!, schema, pool: 2 })
  }
  opened.push(store)
  return consoleStoreOf(store)!
}

afterAll(async () => {
  for (const s of opened) await s.close()
  if (url) {
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await admin.end()
  }
})

const T0 = new Date('2026-12-02T02:00:00Z')
const at = (ms: number) => new Date(T0.getTime() + ms)

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(dialect === 'postgres' && !url)(`console store on ${dialect}`, () => {
    it('a login token is used once, and not after it expired', async () => {
      const s = await open(dialect)
      await s.addLoginToken('h1', 'telegram:1', T0, at(600_000))
      expect(await s.useLoginToken('h1', at(1000))).toBe('telegram:1')
      expect(await s.useLoginToken('h1', at(2000))).toBeUndefined()
      await s.addLoginToken('h2', 'telegram:1', T0, at(600_000))
      expect(await s.useLoginToken('h2', at(600_000))).toBeUndefined()
      expect(await s.useLoginToken('nope', T0)).toBeUndefined()
    })

    it('a session is touched while in use and gone after the idle time', async () => {
      const s = await open(dialect)
      await s.createSession('s1', 'telegram:1', 'csrf1', T0)
      expect(await s.touchSession('s1', at(1000), 60_000)).toMatchObject({ userKey: 'telegram:1', csrf: 'csrf1' })
      expect(await s.touchSession('s1', at(60_500), 60_000)).toBeDefined()
      expect(await s.touchSession('s1', at(200_000), 60_000)).toBeUndefined()
      expect(await s.touchSession('s1', at(200_001), 600_000)).toBeUndefined()
    })

    it('events, drafts (approved once), handled questions, counts and the audit log', async () => {
      const s = await open(dialect)
      const e = await s.addStaffEvent({ eventId: 'staff-a1', region: '东营市', event: '{"title":"x"}', createdBy: 'telegram:1' }, T0)
      expect((await s.updateStaffEvent(e.id, { status: 'cancelled' }, at(1)))!.status).toBe('cancelled')
      expect(await s.listStaffEvents()).toHaveLength(1)

      const d = await s.addDraft({ name: 'n', cron: '0 9 * * 1', target: { kind: 'topic', topic: 'weekly', region: '东营市' }, template: 'a\nb', createdBy: 'telegram:1' }, T0)
      expect(d).toMatchObject({ status: 'draft', template: 'a\nb', target: { topic: 'weekly' } })
      const [first, second] = await Promise.all([s.approveDraft(d.id, 'telegram:2', false, at(1)), s.approveDraft(d.id, 'telegram:3', false, at(1))])
      expect([first, second].filter(Boolean)).toHaveLength(1)
      await s.linkDraft(d.id, 77)
      expect((await s.getDraft(d.id))!.announcementId).toBe(77)
      expect((await s.cancelDraft(d.id))!.status).toBe('cancelled')
      expect(await s.cancelDraft(d.id)).toBeUndefined()

      await s.markHandled('q1', 'telegram:1', T0)
      await s.markHandled('q1', 'telegram:2', at(5))
      expect((await s.handled()).get('q1')).toEqual({ by: 'telegram:2', at: at(5) })

      for (let i = 0; i < 3; i++) await s.countQuestion({ day: '2026-12-02', region: '东营市', intent: 'plan', answered: true })
      await s.countQuestion({ day: '2026-12-01', region: '', intent: 'none', answered: false })
      expect(await s.questionCounts('2026-12-02')).toEqual([{ day: '2026-12-02', region: '东营市', intent: 'plan', answered: true, count: 3 }])

      await s.audit({ at: T0, actor: 'telegram:1', action: 'event.add', subject: 'staff-a1', before: null, after: '{}' })
      expect((await s.auditLog(5))[0]).toMatchObject({ actor: 'telegram:1', action: 'event.add', at: T0 })
    })

    it('handoff threads: one open per resident, messages in order, closed by the idle timeout', async () => {
      const s = await open(dialect)
      const a = await s.openHandoff('telegram:9', 'telegram', '9', T0)
      expect((await s.openHandoff('telegram:9', 'telegram', '9', at(1))).id).toBe(a.id)
      await s.addHandoffMessage(a.id, { fromStaff: false, author: 'telegram:9', text: '你好', at: at(2) })
      await s.addHandoffMessage(a.id, { fromStaff: true, author: 'telegram:1', text: '您好', at: at(3) })
      expect((await s.handoffMessages(a.id)).map((m) => m.text)).toEqual(['你好', '您好'])
      expect((await s.activeHandoff('telegram:9', at(10), 1000))?.id).toBe(a.id)
      expect(await s.activeHandoff('telegram:9', at(5000), 1000)).toBeUndefined()
      expect((await s.getHandoff(a.id))!.status).toBe('closed')
      expect(await s.closeHandoff(a.id, at(6000))).toBe(false)
      expect(await s.listHandoffs('closed')).toHaveLength(1)
    })

    it('cards and synonym groups staff add: kept by kind, changed only while active, every change seen in the version', async () => {
      const s = await open(dialect)
      const v0 = await s.staffContentVersion()
      const card = await s.addStaffContent({ kind: 'card', itemId: 'staff-a1', body: '{"topic":"绿萝"}', createdBy: 'telegram:1' }, T0)
      const group = await s.addStaffContent({ kind: 'synonym', itemId: 'syn-b2', body: '{"same":["甲","乙"]}', createdBy: 'telegram:1' }, at(1))
      const v1 = await s.staffContentVersion()
      expect(v1).not.toBe(v0)
      expect(await s.listStaffContent('card')).toEqual([card])
      expect((await s.listStaffContent('synonym')).map((r) => r.itemId)).toEqual(['syn-b2'])
      await expect(s.addStaffContent({ kind: 'card', itemId: 'staff-a1', body: '{}', createdBy: 'telegram:1' }, at(2))).rejects.toThrow()
      // An edit in the same millisecond still moves the version: it counts revisions, not times.
      const edited = await s.updateStaffContent(card.id, { body: '{"topic":"绿萝养护"}' }, at(1))
      expect(edited).toMatchObject({ body: '{"topic":"绿萝养护"}', status: 'active', updatedAt: at(1) })
      const v2 = await s.staffContentVersion()
      expect(v2).not.toBe(v1)
      expect((await s.updateStaffContent(group.id, { status: 'withdrawn' }, at(3)))!.status).toBe('withdrawn')
      expect(await s.staffContentVersion()).not.toBe(v2)
      // A withdrawn row stays withdrawn: a second withdraw or an edit does nothing.
      expect(await s.updateStaffContent(group.id, { status: 'withdrawn' }, at(4))).toBeUndefined()
      expect(await s.updateStaffContent(group.id, { body: '{}' }, at(4))).toBeUndefined()
      expect((await s.getStaffContent(group.id))!.body).toBe('{"same":["甲","乙"]}')
      expect(await s.getStaffContent(Number.NaN)).toBeUndefined()
      expect(await s.getStaffContent(99_999)).toBeUndefined()
    })
  })
}
