import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { createAnnouncements } from '../../src/announce/announcements.js'
import { emptyTemplateContent } from '../../src/announce/template.js'
import { systemClock } from '../../src/core/clock.js'
import { openStore } from '../../src/store/sql/open-store.js'
import { FakeBotApi } from '../fakes/fake-bot-api.js'

// Two `kepu serve` replicas (real processes, the built CLI) on one PostgreSQL database, sending a
// 1,000-recipient announcement through the real telegraf client to the loopback fake Bot API. The
// replica holding the sender lease is killed with SIGKILL three times (and restarted): nothing is sent
// twice, nothing is lost, at most the send window is in doubt per kill, the report adds up, and the
// surviving replica takes over sending within 10 s.

const url = process.env.KEPU_TEST_DATABASE_URL
const root = resolve(import.meta.dirname, '../..')
const built = existsSync(join(root, 'dist/src/cli.js'))
const RECIPIENTS = 1000
const KILLS = 3
const WINDOW = 16

describe.skipIf(!url || !built)('two serve replicas on PostgreSQL, sender killed three times', () => {
  const dbName = `kepu_rep_${process.pid}_${randomBytes(3).toString('hex')}`
  const children = new Set<ChildProcess>()
  let admin: pg.Client
  let fake: FakeBotApi
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL')
    await fake?.close()
    await admin?.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {})
    await admin?.end()
  })

  it('0 duplicates, 0 lost, in doubt ≤ the window per kill, takeover within 10 s, a report that adds up', async () => {
    admin = new pg.Client({ connectionString: url })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${dbName}`)
    const dbUrl = new URL(url!)
    dbUrl.pathname = `/${dbName}`
    const databaseUrl = dbUrl.toString()
    fake = await FakeBotApi.start({ token: '616161:AAE-replica-token', limits: { perChatPerSecond: 1, perBotPerSecond: 30 } })

    // Queue the announcement first (as `kepu broadcast` does), then start the replicas.
    const store = await openStore({ url: databaseUrl, pool: 2 })
    const t0 = new Date()
    for (let i = 1; i <= RECIPIENTS; i++) await store.subscribe({ channel: 'telegram', chatId: String(10_000 + i), topic: 'fraud-tip', region: undefined }, t0)
    const announcements = createAnnouncements({ store, content: emptyTemplateContent, clock: systemClock })
    const firing = await announcements.broadcast({ kind: 'topic', topic: 'fraud-tip' }, '今日防骗提醒：陌生来电要转账，先挂断再核实。', 'test')
    expect(firing.recipients).toBe(RECIPIENTS)

    const start = (): ChildProcess => {
      const child = spawn(process.execPath, [join(root, 'bin/kepu.js'), 'serve'], {
        cwd: root,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? root,
          KEPU_ADAPTERS: 'telegram',
          TELEGRAM_BOT_TOKEN: fake.token,
          TELEGRAM_API_ROOT: fake.apiRoot,
          // Replicas take Telegram through the webhook (polling allows one consumer); no update is pushed here.
          TELEGRAM_WEBHOOK_URL: 'http://127.0.0.1/telegram/hook',
          TELEGRAM_WEBHOOK_SECRET: 'replica_secret',
          KEPU_HTTP_PORT: '0',
          KEPU_DATABASE_URL: databaseUrl,
          KEPU_DATABASE_POOL: '4',
          KEPU_DEFAULT_ANNOUNCEMENTS: '0',
          KEPU_TELEGRAM_RATE: '30',
          // A short lease: the bound checked below (10 s) keeps a wide margin on a busy machine.
          KEPU_SENDER_LEASE_S: '3',
          KEPU_CACHE_DIR: join(root, 'node_modules/.cache/kepu'),
          KEPU_LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'ignore', 'ignore'],
      })
      children.add(child)
      child.on('exit', () => children.delete(child))
      return child
    }
    const byPid = new Map<number, ChildProcess>()
    for (const c of [start(), start()]) byPid.set(c.pid!, c)

    const senderPid = async (): Promise<number | undefined> => {
      const c = new pg.Client({ connectionString: databaseUrl })
      await c.connect()
      try {
        const row = (await c.query<{ holder: string; expires_at: string }>(`SELECT holder, expires_at FROM leases WHERE name = 'sender:telegram'`)).rows[0]
        if (!row || Number(row.expires_at) < Date.now()) return undefined
        return Number(row.holder.split(':')[0])
      } finally {
        await c.end()
      }
    }
    const until = async (check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> => {
      const end = Date.now() + ms
      while (Date.now() < end) {
        if (await check()) return true
        await new Promise((r) => setTimeout(r, 100))
      }
      return check()
    }

    const takeovers: number[] = []
    for (let k = 0; k < KILLS; k++) {
      const target = fake.sent.length + 80 + Math.floor(Math.random() * 120)
      expect(await until(() => fake.sent.length >= target || fake.sent.length >= RECIPIENTS - 100, 60_000)).toBe(true)
      const pid = await senderPid()
      expect(pid, 'a replica holds the sender lease').toBeDefined()
      const victim = byPid.get(pid!)
      expect(victim, 'the lease holder is one of the replicas').toBeDefined()
      victim!.kill('SIGKILL')
      byPid.delete(pid!)
      const killedAt = Date.now()
      const before = fake.sent.length
      // The survivor (or the restarted one) sends again.
      expect(await until(() => fake.sent.length > before + 5, 20_000)).toBe(true)
      takeovers.push(Date.now() - killedAt)
      const restarted = start()
      byPid.set(restarted.pid!, restarted)
    }

    expect(await until(async () => {
      const r = await store.report(firing.id)
      return r !== undefined && r.pending + r.sending === 0
    }, 120_000)).toBe(true)
    const report = (await store.report(firing.id))!
    const rows = await store.rowsOf(firing.id)
    const perChat = new Map<string, number>()
    for (const m of fake.sent) perChat.set(m.chatId, (perChat.get(m.chatId) ?? 0) + 1)
    const duplicates = [...perChat.values()].filter((n) => n > 1).length
    const lost = rows.filter((r) => r.status !== 'in_doubt' && !perChat.has(r.chatId))
    const inDoubt = rows.filter((r) => r.status === 'in_doubt').length
    console.log(`replicas: sent ${report.sent}, in doubt ${inDoubt}, duplicates ${duplicates}, lost ${lost.length}, takeovers ${takeovers.map((t) => `${(t / 1000).toFixed(1)} s`).join(', ')}`)
    expect(duplicates).toBe(0)
    expect(lost).toHaveLength(0)
    expect(inDoubt).toBeLessThanOrEqual(KILLS * WINDOW)
    expect(report.sent + report.inDoubt).toBe(RECIPIENTS)
    expect(report.sent + report.failed + report.blocked + report.inDoubt + report.pending + report.sending + report.cancelled).toBe(report.total)
    for (const t of takeovers) expect(t).toBeLessThan(10_000)
    await store.close()
  }, 300_000)
})
