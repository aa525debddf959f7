import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTelegramAdapter, type TelegramAdapter } from '../../adapters/telegram/telegram-adapter.js'
import { createDeliveryWorker } from '../../src/announce/delivery-worker.js'
import { createApp, type App } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { cacheDir } from '../../src/core/cache-dir.js'
import { MemoryLogger } from '../../src/core/logger.js'
import { fromLocal } from '../../src/core/shanghai-time.js'
import type { Store } from '../../src/store/async-store.js'
import { openStore } from '../../src/store/sql/open-store.js'
import { FakeBotApi } from '../fakes/fake-bot-api.js'
import { FakeClock } from '../fakes/fake-clock.js'
import { virtualSleep } from '../fakes/virtual-sleep.js'

// Emergency alerts end to end: residents subscribe in chat, staff send /alert with a confirmation, and the
// real telegraf adapter delivers through the loopback fake Bot API — the alert before 200 announcements
// that were queued first.
const ADMIN = 42
const ANNOUNCEMENTS = 200
const FAST = { perSecond: 1000, perChatIntervalMs: 1000, perGroupPerMinute: 20 }

let fake: FakeBotApi
let store: Store
let app: App
let adapter: TelegramAdapter
const clock = new FakeClock(fromLocal(2026, 8, 1, 18, 0))
const logger = new MemoryLogger()

beforeAll(async () => {
  fake = await FakeBotApi.start({ limits: { perBotPerSecond: 100_000, perChatPerSecond: 100 } })
  store = await openStore({ file: ':memory:' })
  const config = loadConfig({ envFile: false, env: { KEPU_ADMINS: `telegram:${ADMIN}`, KEPU_USER_BURST: '1000', KEPU_USER_SUSTAINED: '100000' } })
  app = createApp({ clock, logger, store, config, cacheDir: cacheDir() })
  adapter = createTelegramAdapter({ token: fake.token, apiRoot: fake.apiRoot, pollTimeoutS: 1, sendTimeoutMs: 2000, setCommands: false, limits: { ...FAST, perChatIntervalMs: 0 } })
  await adapter.start((incoming) => app.bot.handle(incoming))
}, 30_000)

afterAll(async () => {
  await adapter?.stop()
  await store?.close()
  await fake?.close()
})

/** Sends a text as a Telegram user and returns the bot's reply to it. */
async function say(userId: number, text: string): Promise<string> {
  const from = fake.requests.length
  fake.pushText({ userId, text })
  const r = await fake.waitFor((x) => x.method === 'sendMessage' && x.payload.chat_id === String(userId) && x.status === 200, { from, timeoutMs: 10_000 })
  return String(r.payload.text)
}

describe('应急提醒 on Telegram (real telegraf, fake Bot API)', () => {
  it('a resident subscribes in chat; the menu lists the hazards with numbers', async () => {
    expect(await say(501, '我在东营')).toContain('东营市')
    expect(await say(501, '订阅应急提醒')).toContain('已为您订阅「应急提醒」（东营市）')
    const menu = await say(501, '应急提醒')
    expect(menu).toContain('东营市现在没有生效的应急提醒')
    expect(menu).toContain('1. 订阅应急提醒')
    expect(menu).toContain('2. 台风')
    await say(502, '长辈模式')
    await say(502, '我在东营')
    const elder = await say(502, '应急提醒')
    expect(elder.split('\n')[0]).toBe('东营市现在没有应急提醒。')
    expect(elder).toContain('2. 台风')
  })

  it('refuses /alert from a non-admin', async () => {
    expect(await say(43, '/alert 东营 台风 今晚台风过境')).toContain('只有管理员')
    expect(await store.listAnnouncements()).toEqual([])
  })

  it('an alert confirmed after 200 queued announcement rows is delivered before all of them, with a delivery report', async () => {
    await store.subscribe({ channel: 'telegram', chatId: '601', topic: 'alert', region: '东营市' }, clock.now())
    await store.subscribe({ channel: 'telegram', chatId: '701', topic: 'alert', region: '乌海市' }, clock.now())
    // 200 announcement rows are waiting in the outbox.
    const a = await store.addAnnouncement({ name: '每日防骗提醒', cron: null, target: { kind: 'chats', chats: [] }, template: 't', createdBy: 'test' }, clock.now())
    const rows = Array.from({ length: ANNOUNCEMENTS }, (_, i) => ({ channel: 'telegram', chatId: String(1000 + i), topic: 'fraud-tip', text: `每日防骗提醒 ${i}` }))
    await store.recordFiring(a.id, clock.now(), rows, clock.now())
    clock.advance(1000)

    const preview = await say(ADMIN, '/alert 东营 台风 今晚到明天台风影响我市，沿海有10级大风，请减少外出。')
    expect(preview).toContain('将发给东营市「应急提醒」的 2 个订阅聊天')
    expect(preview).toContain('【应急提醒·东营市】台风预警')
    expect(preview).toContain('防范要点：')
    expect(preview).toContain('确认发送')
    const queued = await say(ADMIN, '确认发送')
    expect(queued).toContain('已排队发给东营市 2 个聊天')
    const firingId = Number(/批次 #(\d+)/u.exec(queued)![1])

    const before = fake.sent.length
    const worker = createDeliveryWorker({ store, adapters: [adapter], limits: { telegram: FAST }, clock, sleep: virtualSleep(clock), logger })
    await worker.drain()
    const delivered = fake.sent.slice(before).filter((m) => ['501', '601', '701'].includes(String(m.chatId)) || Number(m.chatId) >= 1000)
    expect(delivered).toHaveLength(ANNOUNCEMENTS + 2)
    expect(delivered.slice(0, 2).map((m) => String(m.chatId)).sort()).toEqual(['501', '601'])
    expect(delivered[0]!.text).toContain('【应急提醒·东营市】台风预警')
    expect(delivered.some((m) => String(m.chatId) === '701')).toBe(false)

    const report = await say(ADMIN, `/alert report ${firingId}`)
    expect(report).toContain('共 2，已发 2')
  }, 30_000)

  it('while the alert is active, a question about its hazard from its region gets the alert first', async () => {
    const r = await say(501, '台风要来了家里要准备点啥')
    expect(r.startsWith('【应急提醒·东营市】台风预警')).toBe(true)
    expect(r).toContain('——')
    const elder = await say(502, '台风要来了家里要准备点啥')
    expect(elder.split('\n')[0]).toBe('【应急提醒·东营市】台风预警')
    expect(elder).not.toContain('防范要点')
    await say(503, '我在乌海')
    expect(await say(503, '台风要来了家里要准备点啥')).not.toContain('应急提醒')
    expect(await say(501, '高血压要注意什么')).not.toContain('应急提醒')
  })
})
