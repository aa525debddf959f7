import { createServer } from 'node:net'
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest'
import { createTelegramAdapter, type TelegramAdapter, type TelegramAdapterOptions } from '../../../adapters/telegram/telegram-adapter.js'
import { DeliveryError } from '../../../src/core/errors.js'
import type { Incoming } from '../../../src/core/incoming.js'
import { MemoryLogger, silentLogger } from '../../../src/core/logger.js'
import { startHttpServer } from '../../../src/http/http-server.js'
import type { Reply } from '../../../src/core/reply.js'
import { FakeBotApi } from '../../fakes/fake-bot-api.js'

// The real telegraf client against the loopback fake: these tests assert the exact Bot API payloads.

const echo = (incoming: Incoming): Reply => ({ text: `答：${incoming.text}`, answered: true, intent: 'plan' })

interface Rig {
  fake: FakeBotApi
  adapter: TelegramAdapter
  seen: Incoming[]
  waits: number[]
  logger: MemoryLogger
}

let rig: Rig | undefined

async function setup(reply: (i: Incoming) => Reply | Promise<Reply> = echo, options: Partial<TelegramAdapterOptions> = {}): Promise<Rig> {
  const fake = await FakeBotApi.start()
  const seen: Incoming[] = []
  const waits: number[] = []
  const logger = new MemoryLogger()
  const adapter = createTelegramAdapter({
    token: fake.token,
    apiRoot: fake.apiRoot,
    logger,
    pollTimeoutS: 2,
    sendTimeoutMs: 2000,
    // Record retry waits instead of sleeping them.
    sleep: async (ms) => {
      waits.push(ms)
    },
    ...options,
  })
  await adapter.start(async (incoming) => {
    seen.push(incoming)
    return reply(incoming)
  })
  rig = { fake, adapter, seen, waits, logger }
  return rig
}

afterEach(async () => {
  await rig?.adapter.stop()
  await rig?.fake.close()
  rig = undefined
})

const sends = (fake: FakeBotApi) => fake.calls('sendMessage').filter((r) => r.status !== 0)

describe('TelegramAdapter with telegraf against the fake Bot API', () => {
  it('registers commands, clears a webhook, and answers a private question with the exact payload', async () => {
    const { fake, seen } = await setup()
    expect(fake.commands.map((c) => c.command)).toEqual(['start', 'help', 'events', 'tips', 'check', 'region', 'elder', 'more', 'subscribe', 'unsubscribe', 'subscriptions'])
    expect(fake.calls('deleteWebhook')).toHaveLength(1)
    fake.pushText({ userId: 42, text: '防灾减灾日是哪天？' })
    const sent = await fake.waitFor((r) => r.method === 'sendMessage' && r.status === 200)
    expect(sent.payload).toEqual({ chat_id: '42', text: '答：防灾减灾日是哪天？' })
    expect(seen[0]).toMatchObject({ channel: 'telegram', chatId: '42', userId: '42', isGroup: false, forwarded: false })
  })

  it('ignores an unmentioned group message and answers a mentioned one as a reply', async () => {
    const { fake, seen } = await setup()
    const group = { id: -100777, type: 'supergroup' as const }
    fake.pushText({ userId: 5, chat: group, text: '今天下午谁去？' })
    fake.pushText({ userId: 5, chat: group, text: '@kepu_test_bot 科技活动周什么时候开始' })
    const sent = await fake.waitFor((r) => r.method === 'sendMessage' && r.status === 200)
    expect(sent.payload).toEqual({
      chat_id: '-100777',
      text: '答：科技活动周什么时候开始',
      reply_parameters: { message_id: 2, allow_sending_without_reply: true },
    })
    expect(seen).toHaveLength(1)
    expect(sends(fake)).toHaveLength(1)
  })

  it('sends a forwarded message to the scam check', async () => {
    const { fake, seen } = await setup()
    fake.pushText({ userId: 9, text: '恭喜中奖，请先交手续费', forwardFrom: '陌生人' })
    await fake.waitFor((r) => r.method === 'sendMessage' && r.status === 200)
    expect(seen[0]).toMatchObject({ forwarded: true, text: '恭喜中奖，请先交手续费' })
  })

  it('renders choices as an inline keyboard and feeds a press back as text', async () => {
    const long = '我在汕尾市城区，想看看最近的科普活动安排，还有防诈骗讲座'
    const { fake, seen } = await setup((i) =>
      i.text === '/region'
        ? { text: '请选择地区：', answered: true, intent: 'region', choices: [{ label: '东营', value: '我在东营' }, { label: '乌海', value: '我在乌海' }, { label: '汕尾城区', value: long }] }
        : echo(i),
    )
    fake.pushText({ userId: 7, text: '/region' })
    const first = await fake.waitFor((r) => r.method === 'sendMessage' && r.status === 200)
    expect(first.payload).toEqual({
      chat_id: '7',
      text: '请选择地区：',
      reply_markup: { inline_keyboard: [[{ text: '东营', callback_data: '我在东营' }, { text: '乌海', callback_data: '我在乌海' }, { text: '汕尾城区', callback_data: '#1' }]] },
    })
    const from = fake.requests.length
    const cb = fake.pushCallback({ userId: 7, data: '#1' })
    await fake.waitFor((r) => r.method === 'sendMessage' && r.status === 200, { from })
    expect(fake.answeredCallbacks.has(cb)).toBe(true)
    expect(seen[1]).toMatchObject({ text: long, chatId: '7' })
  })

  it('adds a 「更多」 button when the reply says it has more (hasMore), whatever its text', async () => {
    const { fake } = await setup(() => ({ text: '东营市的目标是……', answered: true, intent: 'plan', hasMore: true }))
    fake.pushText({ userId: 3, text: '东营的目标' })
    const sent = await fake.waitFor((r) => r.method === 'sendMessage' && r.status === 200)
    expect(sent.payload.reply_markup).toEqual({ inline_keyboard: [[{ text: '更多', callback_data: '更多' }]] })
  })

  it('splits a reply over 4096 characters on sentence boundaries, keyboard on the last piece', async () => {
    const text = '科学素质是国民素质的重要组成部分。'.repeat(400)
    const { fake } = await setup(() => ({ text, answered: true, intent: 'plan', choices: [{ label: '东营', value: '我在东营' }] }))
    fake.pushText({ userId: 8, text: '全文' })
    await fake.waitForSent(2)
    await new Promise((r) => setTimeout(r, 50))
    const payloads = sends(fake).map((r) => r.payload)
    expect(payloads).toHaveLength(2)
    expect(payloads.map((p) => String(p.text).length).every((n) => n <= 4096)).toBe(true)
    expect(payloads.every((p) => String(p.text).endsWith('。'))).toBe(true)
    expect(payloads.map((p) => p.text).join('')).toBe(text)
    expect(payloads[0]!.reply_markup).toBeUndefined()
    expect(payloads[1]!.reply_markup).toEqual({ inline_keyboard: [[{ text: '东营', callback_data: '我在东营' }]] })
  })

  it('keeps every piece of a split reply in the forum topic the question came from', async () => {
    const text = '科学素质是国民素质的重要组成部分。'.repeat(400)
    const { fake } = await setup(() => ({ text, answered: true, intent: 'plan' }))
    const message = fake.textMessage({ userId: 9, text: '@kepu_test_bot 全文', chat: { id: -100777, type: 'supergroup' } })
    fake.pushUpdate({ message: { ...message, is_topic_message: true, message_thread_id: 42 } })
    await fake.waitForSent(2)
    const payloads = sends(fake).map((r) => r.payload)
    expect(payloads).toHaveLength(2)
    expect(payloads.every((p) => p.message_thread_id === 42)).toBe(true)
  })

  it('waits out a 429 for retry_after seconds and then delivers (the reply is not given up)', async () => {
    const { fake, adapter } = await setup()
    fake.rateLimitNext(1)
    fake.pushText({ userId: 11, text: '你好' })
    await fake.waitForSent(1)
    const [limited, ok] = sends(fake)
    expect([limited!.status, ok!.status]).toEqual([429, 200])
    expect(ok!.at - limited!.at).toBeGreaterThanOrEqual(950)
    await vi.waitFor(() => expect(adapter.outboundStats).toMatchObject({ sent: 1, rateLimited: 1, droppedStale: 0 }))
  })

  it('records a user who blocked the bot, logs a code, and keeps answering others', async () => {
    const blocked: string[] = []
    const { fake, adapter, logger } = await setup(echo, { onBlocked: (id) => blocked.push(id) })
    fake.block(12)
    fake.pushText({ userId: 12, text: '你好' })
    fake.pushText({ userId: 13, text: '你好' })
    await fake.waitFor((r) => r.method === 'sendMessage' && r.status === 200)
    expect(adapter.blocked.has('12')).toBe(true)
    expect(blocked).toEqual(['12'])
    expect(logger.records.some((r) => (r.obj as { code?: string }).code === 'E_DELIVERY_BLOCKED')).toBe(true)
    expect(fake.sendCount(13)).toBe(1)
  })

  it('answers a duplicated update once, and survives a handler that throws and a malformed update', async () => {
    const { fake, seen } = await setup((i) => {
      if (i.text === '炸') throw new Error('boom')
      return echo(i)
    })
    const id = fake.pushText({ userId: 20, text: '第一' })
    await fake.waitForSent(1)
    fake.pushUpdate({ update_id: id, message: fake.textMessage({ userId: 20, text: '第一' }) })
    fake.pushUpdate({ message: { chat: 'nonsense' } })
    fake.pushText({ userId: 21, text: '炸' })
    fake.pushText({ userId: 22, text: '第二' })
    await fake.waitForSent(3)
    expect(seen.map((i) => i.text)).toEqual(['第一', '炸', '第二'])
    expect(fake.sentTo(21)[0]!.text).toContain('出了点问题')
    expect(fake.sentTo(20)).toHaveLength(1)
  })

  it('sends nothing for a silent reply', async () => {
    const { fake } = await setup((i) => (i.text === '静' ? { text: '', answered: false, intent: 'ignored', silent: true } : echo(i)))
    fake.pushText({ userId: 30, text: '静' })
    fake.pushText({ userId: 31, text: '响' })
    await fake.waitForSent(1)
    expect(fake.sendCount(30)).toBe(0)
  })

  it('finishes a reply in flight on stop and confirms the offset', async () => {
    let release: () => void = () => {}
    let entered: () => void = () => {}
    const gate = new Promise<void>((r) => (release = r))
    const inHandler = new Promise<void>((r) => (entered = r))
    const { fake, adapter } = await setup(async (i) => {
      entered()
      await gate
      return echo(i)
    })
    const id = fake.pushText({ userId: 40, text: '慢' })
    await inHandler
    const stopping = adapter.stop()
    setTimeout(release, 100)
    await stopping
    expect(fake.sendCount(40)).toBe(1)
    expect(fake.calls('getUpdates').some((r) => r.payload.offset === id + 1 && r.payload.limit === 1)).toBe(true)
    expect(fake.pendingUpdates).toBe(0)
  })
})

describe('TelegramAdapter start and stop edge cases', () => {
  it('waits out a Bot API hiccup at start, but refuses a bad token', async () => {
    const fake = await FakeBotApi.start()
    try {
      fake.script({ method: 'getMe', reply: { kind: 'error', status: 502 } })
      const waits: number[] = []
      const adapter = createTelegramAdapter({ token: fake.token, apiRoot: fake.apiRoot, sleep: async (ms) => void waits.push(ms) })
      await adapter.start(async (i) => echo(i))
      await adapter.stop()
      expect(waits).toEqual([1000])
      const bad = createTelegramAdapter({ token: '1:nope', apiRoot: fake.apiRoot })
      await expect(bad.start(async (i) => echo(i))).rejects.toMatchObject({ code: 'E_CONFIG', message: expect.stringContaining('TELEGRAM_BOT_TOKEN') })
    } finally {
      await fake.close()
    }
  })

  it('gives up a hanging send once the shutdown grace period is over', async () => {
    const { fake, adapter, seen } = await setup(echo, { stopGraceMs: 200, sendTimeoutMs: 60_000 })
    fake.script({ method: 'sendMessage', reply: { kind: 'hang' } })
    fake.pushText({ userId: 70, text: '你好' })
    await fake.waitFor((r) => r.method === 'sendMessage')
    expect(seen).toHaveLength(1)
    const started = Date.now()
    await adapter.stop()
    expect(Date.now() - started).toBeLessThan(2000)
  })
})

describe('TelegramAdapter.send maps Bot API failures to DeliveryError kinds', () => {
  it.each([
    [{ kind: 'error', status: 429, retryAfter: 7 } as const, 'rate_limited', 7000],
    [{ kind: 'error', status: 403 } as const, 'blocked', undefined],
    [{ kind: 'error', status: 500 } as const, 'transient', undefined],
    [{ kind: 'error', status: 502 } as const, 'transient', undefined],
    [{ kind: 'error', status: 400, description: 'Bad Request: chat not found' } as const, 'permanent', undefined],
    [{ kind: 'hang' } as const, 'in_doubt', undefined],
  ])('%j → %s', async (reply, kind, retryAfterMs) => {
    const { fake, adapter } = await setup(echo, { sendTimeoutMs: 300 })
    fake.script({ method: 'sendMessage', reply })
    const err = await adapter.send({ chatId: '55', text: '通知' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DeliveryError)
    expect((err as DeliveryError).kind).toBe(kind)
    expect((err as DeliveryError).retryAfterMs).toBe(retryAfterMs)
    expect((err as DeliveryError).message).not.toContain(fake.token)
  })

  it('returns the message id on success', async () => {
    const { fake, adapter } = await setup()
    const receipt = await adapter.send({ chatId: '56', text: '活动通知' })
    expect(receipt.messageId).toBe(String(fake.sentTo(56)[0]!.messageId))
    expect(fake.calls('sendMessage').at(-1)!.payload).toEqual({ chat_id: '56', text: '活动通知' })
  })

  it('is transient when the connection is refused before sending', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer()
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port
        s.close(() => resolve(p))
      })
    })
    const adapter = createTelegramAdapter({ token: '1:x', apiRoot: `http://127.0.0.1:${port}` })
    const err = (await adapter.send({ chatId: '1', text: 'a' }).catch((e: unknown) => e)) as DeliveryError
    expect(err.kind).toBe('transient')
    expect(err.message).not.toContain('1:x')
  })
})

describe('TelegramAdapter webhook mode', () => {
  it('registers the webhook with a secret, refuses requests without it, and answers updates', async () => {
    const fake = await FakeBotApi.start()
    const seen: Incoming[] = []
    const adapter = createTelegramAdapter({
      token: fake.token,
      apiRoot: fake.apiRoot,
      webhook: { url: 'http://127.0.0.1/tg/hook', secret: 's3cret_token' },
    })
    rig = { fake, adapter, seen, waits: [], logger: new MemoryLogger() }
    // The route is mounted on the one HTTP server before start, as serve does.
    const http = await startHttpServer({ host: '127.0.0.1', port: 0, routes: adapter.routes(), logger: silentLogger })
    onTestFinished(() => http.close())
    const early = await fetch(`http://127.0.0.1:${http.port}/tg/hook`, { method: 'POST', headers: { 'x-telegram-bot-api-secret-token': 's3cret_token' }, body: '{"update_id":1}' })
    expect(early.status).toBe(503)
    await adapter.start(async (i) => {
      seen.push(i)
      return echo(i)
    })
    const port = http.port
    expect(fake.calls('setWebhook')[0]!.payload).toEqual({ url: 'http://127.0.0.1/tg/hook', secret_token: 's3cret_token', allowed_updates: ['message', 'callback_query', 'my_chat_member'] })
    // Point the fake at the real local port (the registered URL is the public one).
    fake.webhook = { url: `http://127.0.0.1:${port}/tg/hook`, secretToken: 's3cret_token' }
    const bad = await fetch(`http://127.0.0.1:${port}/tg/hook`, { method: 'POST', headers: { 'x-telegram-bot-api-secret-token': 'wrong' }, body: '{"update_id":1}' })
    expect(bad.status).toBe(401)
    fake.pushText({ userId: 60, text: '网钩你好' })
    await fake.waitForSent(1)
    expect(fake.sentTo(60)[0]!.text).toBe('答：网钩你好')
    expect(seen).toHaveLength(1)
    expect(fake.calls('getUpdates')).toHaveLength(0)
  })
})
