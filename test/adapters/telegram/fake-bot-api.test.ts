import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Telegram } from 'telegraf'
import { afterEach, describe, expect, it } from 'vitest'
import { FakeBotApi, readSentLog } from '../../fakes/fake-bot-api.js'

// The fake is what the adapter and the delivery worker are tested against: check it behaves like the Bot API
// for the real telegraf client.
describe('FakeBotApi with the real telegraf client', () => {
  let fake: FakeBotApi | undefined
  afterEach(async () => {
    await fake?.close()
    fake = undefined
  })

  it('answers getMe and records sendMessage payloads', async () => {
    fake = await FakeBotApi.start()
    const tg = new Telegram(fake.token, { apiRoot: fake.apiRoot })
    const me = await tg.getMe()
    expect(me.username).toBe('kepu_test_bot')
    const sent = await tg.sendMessage(42, '你好', { reply_markup: { inline_keyboard: [[{ text: '东营', callback_data: '我在东营' }]] } })
    expect(sent.message_id).toBeGreaterThan(0)
    expect(fake.calls('sendMessage')[0]!.payload).toEqual({ chat_id: 42, text: '你好', reply_markup: { inline_keyboard: [[{ text: '东营', callback_data: '我在东营' }]] } })
    expect(fake.sendCount(42)).toBe(1)
  })

  it('rejects a wrong token, an empty text, an over-long text and long callback_data like Telegram', async () => {
    fake = await FakeBotApi.start()
    await expect(new Telegram('1:wrong', { apiRoot: fake.apiRoot }).getMe()).rejects.toMatchObject({ code: 401 })
    const tg = new Telegram(fake.token, { apiRoot: fake.apiRoot })
    await expect(tg.sendMessage(1, ' ')).rejects.toMatchObject({ code: 400, description: 'Bad Request: message text is empty' })
    await expect(tg.sendMessage(1, 'a'.repeat(4097))).rejects.toMatchObject({ code: 400, description: 'Bad Request: message is too long' })
    await expect(tg.sendMessage(1, 'x', { reply_markup: { inline_keyboard: [[{ text: 'b', callback_data: '长'.repeat(22) }]] } })).rejects.toMatchObject({ code: 400 })
    expect(fake.sendCount(1)).toBe(0)
  })

  it('delivers injected updates to a waiting long poll and forgets them once confirmed by offset', async () => {
    fake = await FakeBotApi.start()
    const tg = new Telegram(fake.token, { apiRoot: fake.apiRoot })
    const poll = tg.callApi('getUpdates', { timeout: 5, offset: 0 })
    setTimeout(() => fake!.pushText({ userId: 7, text: '/help@kepu_test_bot' }), 20)
    const updates = await poll
    expect(updates).toHaveLength(1)
    const u = updates[0]! as { update_id: number; message: { entities: unknown[] } }
    expect(u.message.entities).toEqual([{ type: 'bot_command', offset: 0, length: 19 }])
    expect(fake.pendingUpdates).toBe(1)
    expect(await tg.callApi('getUpdates', { offset: u.update_id + 1, timeout: 0 })).toEqual([])
    expect(fake.pendingUpdates).toBe(0)
  })

  it('can be scripted to answer 429 with retry_after, 403 and 500', async () => {
    fake = await FakeBotApi.start()
    const tg = new Telegram(fake.token, { apiRoot: fake.apiRoot })
    fake.rateLimitNext(3).script({ method: 'sendMessage', reply: { kind: 'error', status: 500 } })
    await expect(tg.sendMessage(5, 'a')).rejects.toMatchObject({ code: 429, parameters: { retry_after: 3 } })
    await expect(tg.sendMessage(5, 'a')).rejects.toMatchObject({ code: 500 })
    fake.block(5)
    await expect(tg.sendMessage(5, 'a')).rejects.toMatchObject({ code: 403, description: 'Forbidden: bot was blocked by the user' })
    expect(fake.sendCount(5)).toBe(0)
  })

  it('enforces flood limits when asked and persists the sent log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fake-bot-api-'))
    try {
      let t = 1_000_000
      const logFile = join(dir, 'sent.jsonl')
      fake = await FakeBotApi.start({ limits: { perChatPerSecond: 1, perBotPerSecond: 30 }, now: () => t, logFile })
      const tg = new Telegram(fake.token, { apiRoot: fake.apiRoot })
      await tg.sendMessage(1, 'a')
      await expect(tg.sendMessage(1, 'b')).rejects.toMatchObject({ code: 429, parameters: { retry_after: 1 } })
      for (let i = 2; i < 31; i++) await tg.sendMessage(i, 'c')
      await expect(tg.sendMessage(99, 'd')).rejects.toMatchObject({ code: 429 })
      t += 1000
      await tg.sendMessage(1, 'e')
      expect(fake.sendCount(1)).toBe(2)
      expect(readSentLog(logFile)).toHaveLength(31)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('limits a group to 20 messages a minute when limits are on', async () => {
    let t = 5_000_000
    fake = await FakeBotApi.start({ limits: {}, now: () => t })
    const tg = new Telegram(fake.token, { apiRoot: fake.apiRoot })
    for (let i = 0; i < 20; i++) {
      await tg.sendMessage(-100, `第${i}条`)
      t += 1000
    }
    await expect(tg.sendMessage(-100, '太多了')).rejects.toMatchObject({ code: 429, parameters: { retry_after: 40 } })
    t += 40_000
    await tg.sendMessage(-100, '可以了')
    expect(fake.sendCount(-100)).toBe(21)
  })

  it('keeps up with a thousand sends', async () => {
    fake = await FakeBotApi.start()
    const tg = new Telegram(fake.token, { apiRoot: fake.apiRoot })
    const ids = Array.from({ length: 1000 }, (_, i) => i + 1)
    for (let i = 0; i < ids.length; i += 50) await Promise.all(ids.slice(i, i + 50).map((id) => tg.sendMessage(id, `通知 ${id}`)))
    expect(fake.sent).toHaveLength(1000)
    expect(fake.sendCounts().size).toBe(1000)
  })
})
