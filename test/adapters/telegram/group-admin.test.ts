import { afterEach, describe, expect, it } from 'vitest'
import { isTelegramGroupAdmin } from '../../../adapters/telegram/group-admin.js'
import { createTelegramAdapter, type TelegramAdapter } from '../../../adapters/telegram/telegram-adapter.js'
import { AdminList } from '../../../src/announce/admins.js'
import { createSubscriptionHandler } from '../../../src/announce/subscription-handler.js'
import { createBot } from '../../../src/core/bot.js'
import { MemoryLogger, silentLogger } from '../../../src/core/logger.js'
import type { Store } from '../../../src/store/async-store.js'
import { FakeBotApi } from '../../fakes/fake-bot-api.js'
import { FakeClock } from '../../fakes/fake-clock.js'
import { memoryStore } from '../../helpers/store.js'

// Who may unsubscribe a group, through the real adapter (telegraf) and the fake Bot API's getChatMember.

const GROUP = { id: -100777, type: 'supergroup' as const }
const MEMBER = 5
const GROUP_ADMIN = 6
const BOT_ADMIN = 42

let fake: FakeBotApi | undefined
let adapter: TelegramAdapter | undefined
let store: Store | undefined

afterEach(async () => {
  await adapter?.stop()
  await fake?.close()
  await store?.close()
  fake = adapter = store = undefined
})

async function setup() {
  fake = await FakeBotApi.start()
  fake.setChatMember(GROUP.id, MEMBER, 'member').setChatMember(GROUP.id, GROUP_ADMIN, 'administrator').setChatMember(GROUP.id, BOT_ADMIN, 'member')
  store = await memoryStore()
  const s = store
  const logger = new MemoryLogger()
  adapter = createTelegramAdapter({ token: fake.token, apiRoot: fake.apiRoot, logger: silentLogger, pollTimeoutS: 2, sendTimeoutMs: 2000, sleep: async () => {} })
  const a = adapter
  const handler = createSubscriptionHandler({
    store: s,
    admins: AdminList.parse(`telegram:${BOT_ADMIN}`),
    isGroupAdmin: (channel, chatId, userId) => (channel === 'telegram' ? a.isGroupAdmin(chatId, userId) : Promise.resolve(false)),
  })
  const bot = createBot({ handlers: [handler], clock: new FakeClock('2026-09-14T01:00:00Z'), logger, users: s.users, regions: { byName: () => undefined, findIn: () => undefined } })
  await a.start((incoming) => bot.handle(incoming))
  const subscribeGroup = () => s.subscribe({ channel: 'telegram', chatId: String(GROUP.id), isGroup: true, topic: 'fraud-tip', region: undefined }, new Date())
  return { fake, adapter: a, store: s, logger, subscribeGroup }
}

/** Sends a group message and waits for the bot's answer to it. */
async function say(f: FakeBotApi, update: Record<string, unknown>): Promise<string> {
  const before = f.requests.length
  f.pushUpdate(update)
  const sent = await f.waitFor((r) => r.method === 'sendMessage' && r.status === 200, { from: before })
  return String(sent.payload.text)
}

describe('unsubscribing a Telegram group', { timeout: 20_000 }, () => {
  it('is refused to a plain member, allowed to a group admin (getChatMember) and to a bot admin', async () => {
    const { fake, store, subscribeGroup, logger } = await setup()
    await subscribeGroup()
    const text = (userId: number) => ({ message: fake.textMessage({ userId, chat: GROUP, text: '@kepu_test_bot 全部退订' }) })
    expect(await say(fake, text(MEMBER))).toContain('只有群主或群管理员')
    expect(await store.subscriptionsOf('telegram', String(GROUP.id))).toHaveLength(1)
    expect(logger.records.some((r) => (r.obj as { code?: string }).code === 'E_PERMISSION')).toBe(true)

    expect(await say(fake, text(GROUP_ADMIN))).toContain('已为您退订全部推送')
    expect(await store.subscriptionsOf('telegram', String(GROUP.id))).toEqual([])
    expect(fake.calls('getChatMember').map((r) => [String(r.payload.chat_id), Number(r.payload.user_id)])).toEqual([
      [String(GROUP.id), MEMBER],
      [String(GROUP.id), GROUP_ADMIN],
    ])

    await subscribeGroup()
    expect(await say(fake, text(BOT_ADMIN))).toContain('已为您退订全部推送')
    expect(await store.subscriptionsOf('telegram', String(GROUP.id))).toEqual([])
  })

  it('never takes a forged sender as an admin: no from, from.id as a string, or an anonymous sender_chat', async () => {
    const { fake, store, subscribeGroup } = await setup()
    await subscribeGroup()
    const message = fake.textMessage({ userId: MEMBER, chat: GROUP, text: '@kepu_test_bot 全部退订' })
    const { from: _from, ...noFrom } = message
    // No from at all, and a string id (the bot admin's, as text): both skipped by the mapper, no reply.
    fake.pushUpdate({ update_id: 900, message: noFrom })
    fake.pushUpdate({ update_id: 901, message: { ...message, message_id: 901, from: { id: String(BOT_ADMIN), is_bot: false, first_name: 'X' } } })
    // Posting as the group (anonymous): the sender is the chat, never a user id, never an admin.
    expect(await say(fake, { update_id: 902, message: { ...noFrom, message_id: 902, sender_chat: { id: GROUP.id, type: 'supergroup' } } })).toContain('只有群主或群管理员')
    expect(await store.subscriptionsOf('telegram', String(GROUP.id))).toHaveLength(1)
    expect(fake.calls('sendMessage')).toHaveLength(1)
  })
})

describe('isTelegramGroupAdmin', () => {
  const call = (answer: unknown) => async () => answer
  it('is true only on Telegram’s explicit creator or administrator, for a group and a well-formed user', async () => {
    expect(await isTelegramGroupAdmin(call({ status: 'creator', user: { id: 6 } }), '-100777', '6', silentLogger)).toBe(true)
    expect(await isTelegramGroupAdmin(call({ status: 'administrator' }), '-100777', '6', silentLogger)).toBe(true)
    expect(await isTelegramGroupAdmin(call({ status: 'member' }), '-100777', '6', silentLogger)).toBe(false)
    expect(await isTelegramGroupAdmin(call({ status: 'administrator', user: { id: 7 } }), '-100777', '6', silentLogger)).toBe(false)
    expect(await isTelegramGroupAdmin(call(undefined), '-100777', '6', silentLogger)).toBe(false)
    expect(await isTelegramGroupAdmin(call({ status: 'creator' }), '777', '6', silentLogger)).toBe(false)
    for (const bad of ['', '-6', '06', '6 ', 'abc', '1e3']) expect(await isTelegramGroupAdmin(call({ status: 'creator' }), '-100777', bad, silentLogger)).toBe(false)
    const failing = async () => {
      throw new Error('network')
    }
    expect(await isTelegramGroupAdmin(failing, '-100777', '6', silentLogger)).toBe(false)
  })
})
