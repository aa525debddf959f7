import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createAnnouncements } from '../../src/announce/announcements.js'
import { emptyTemplateContent } from '../../src/announce/template.js'
import { FakeClock } from '../fakes/fake-clock.js'
import { fromLocal } from '../../src/core/shanghai-time.js'
import { openStore } from '../../src/store/sql/open-store.js'
import { FakeBotApi, readSentLog } from '../fakes/fake-bot-api.js'

const RECIPIENTS = 1000
const KILLS = 5
/** A high budget keeps the test short; pacing itself is measured by `npm run bench`. */
const RATE = 500
/** Sends in flight at once in the child: a kill leaves at most this many in doubt. */
const WINDOW = 4
const CHILD = join(import.meta.dirname, 'fixtures', 'crash-child.ts')
const dir = mkdtempSync(join(tmpdir(), 'kepu-crash-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Seeded so that a failure can be replayed: KEPU_CRASH_SEED=… npx vitest run test/announce/crash-restart. */
const seed = Number(process.env.KEPU_CRASH_SEED ?? Date.now() % 100_000)
let state = seed
const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)

function run(db: string, apiRoot: string, fireAt: Date): { child: ChildProcess; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, db, apiRoot, fireAt.toISOString(), String(RATE)], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KEPU_CRASH_WINDOW: String(WINDOW) } })
  let output = ''
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()))
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, output })))
  return { child, exit }
}

describe('crash and restart during a broadcast (real telegraf client, loopback fake Bot API)', () => {
  it(`SIGKILL ${KILLS} times: 0 duplicates, 0 lost, at most the send window in doubt per kill, a report that adds up`, async () => {
    const db = join(dir, 'kepu.sqlite')
    const log = join(dir, 'sent.jsonl')
    const fake = await FakeBotApi.start({ logFile: log })
    try {
      // Staff scheduled the daily tip for 1,000 subscribers; its 09:00 firing is due.
      const fireAt = fromLocal(2026, 9, 14, 9, 0)
      const store = await openStore({ file: db })
      const clock = new FakeClock(fromLocal(2026, 9, 13, 12, 0))
      for (let i = 1; i <= RECIPIENTS; i++) await store.subscribe({ channel: 'telegram', chatId: String(i), topic: 'fraud-tip', region: undefined }, clock.now())
      const { announcement } = await createAnnouncements({ store, content: emptyTemplateContent, clock }).add(
        { cron: '0 9 * * *', target: { kind: 'topic', topic: 'fraud-tip' }, template: '今日防骗提醒：陌生来电要钱，先挂断再核实。' },
        'test',
      )
      await store.close()

      const kills: string[] = []
      for (let k = 0; k < KILLS; k++) {
        const { child, exit } = run(db, fake.apiRoot, fireAt)
        const before = fake.sent.length
        const onSent = random() < 0.6
        let cleanup = () => {}
        if (onSent) {
          // Kill at the instant the server accepts a message: that message is in flight for the bot.
          const target = before + 1 + Math.floor(random() * (RECIPIENTS / (KILLS + 2)))
          const listener = () => {
            if (fake.sent.length >= target) child.kill('SIGKILL')
          }
          fake.on('sent', listener)
          cleanup = () => fake.off('sent', listener)
        } else {
          // Kill at a random moment once sending has begun: between sends, mid-request or mid-commit.
          const delay = Math.floor(random() * 150)
          const listener = () => {
            fake.off('sent', listener)
            setTimeout(() => child.kill('SIGKILL'), delay)
          }
          fake.on('sent', listener)
          cleanup = () => fake.off('sent', listener)
        }
        const result = await exit
        cleanup()
        expect(result.signal, `run ${k + 1} should have been killed (seed ${seed}):\n${result.output}`).toBe('SIGKILL')
        kills.push(`${onSent ? 'on accept' : 'at random'} after ${fake.sent.length - before} sends`)
      }
      const last = await run(db, fake.apiRoot, fireAt).exit
      expect(last.code, `the final run should finish (seed ${seed}):\n${last.output}`).toBe(0)

      const delivered = readSentLog(log)
      const perChat = new Map<string, number>()
      for (const m of delivered) perChat.set(m.chatId, (perChat.get(m.chatId) ?? 0) + 1)
      const duplicates = [...perChat.values()].filter((n) => n > 1).length

      const check = await openStore({ file: db })
      const [report, ...more] = await check.reports(new Date(0))
      const rows = await check.rowsOf(report!.firingId)
      await check.close()
      const inDoubt = rows.filter((r) => r.status === 'in_doubt')
      const sent = rows.filter((r) => r.status === 'sent')
      const lost = rows.filter((r) => r.status !== 'in_doubt' && !perChat.has(r.chatId))

      // One firing, queued once, whatever the restarts.
      expect(more).toEqual([])
      expect(report).toMatchObject({ announcementId: announcement.id, total: RECIPIENTS })
      expect(duplicates).toBe(0)
      expect(lost).toEqual([])
      // Every message recorded as sent did arrive; nothing arrived that the store does not account for.
      expect(sent.every((r) => perChat.get(r.chatId) === 1)).toBe(true)
      expect([...perChat.keys()].every((c) => rows.some((r) => r.chatId === c && (r.status === 'sent' || r.status === 'in_doubt')))).toBe(true)
      expect(inDoubt.length).toBeLessThanOrEqual(KILLS * WINDOW)
      expect(report!.sent + report!.inDoubt).toBe(RECIPIENTS)
      expect(report!.sent + report!.failed + report!.blocked + report!.inDoubt + report!.pending + report!.sending + report!.cancelled).toBe(report!.total)
      const arrivedInDoubt = inDoubt.filter((r) => perChat.has(r.chatId)).length
      console.log(
        `crash test (seed ${seed}): kills ${kills.join('; ')}; sent ${report!.sent}, in doubt ${report!.inDoubt} (${arrivedInDoubt} of them arrived), duplicates ${duplicates}, lost ${lost.length}`,
      )
    } finally {
      await fake.close()
    }
  }, 60_000)
})
