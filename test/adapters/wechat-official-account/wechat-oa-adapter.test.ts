import { afterEach, describe, expect, it } from 'vitest'
import { createWechatOaAdapter, type WechatOaAdapter, type WechatOaAdapterOptions } from '../../../adapters/wechat-official-account/wechat-oa-adapter.js'
import { parseWechatXml } from '../../../adapters/wechat-official-account/xml.js'
import type { Incoming } from '../../../src/core/incoming.js'
import { DeliveryError } from '../../../src/core/errors.js'
import { MemoryLogger } from '../../../src/core/logger.js'
import type { Reply } from '../../../src/core/reply.js'
import { startHttpServer, type HttpServer } from '../../../src/http/http-server.js'
import { FakeClock } from '../../fakes/fake-clock.js'
import { FakeWechatApi } from '../../fakes/fake-wechat-api.js'
import { eventXml, sha1Sorted, signedPost, textXml, wechatDecrypt, wechatEncrypt } from './signed-request.js'

const APPID = 'wx5823bf96d3bd56c7'
const SECRET = '0123456789abcdef0123456789abcdef'
const TOKEN = 'kepuToken2026'
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'
const ALICE = 'oLVPpjqs9BhvzwPj5A-vTYAX3GLc'
const BOB = 'oLVPpjm2nQ8xRk4c7Wd1sT5yUe0A'
const BUDGET_MS = 4000

type Bot = (incoming: Incoming) => Promise<Reply>
const answer = (text: string, extra: Partial<Reply> = {}): Reply => ({ text, answered: true, intent: 'plan', ...extra })

const open: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close()
})

/**
 * The adapter on the real HTTP server (port 0), its API client against the loopback fake, time on a fake
 * clock. The passive-reply budget is a gate the test opens (`budgetExpires()`); the short wait before a
 * 客服消息 continuation resolves at once. Nothing sleeps.
 */
async function rig(options: Partial<WechatOaAdapterOptions> & { bot?: Bot; encrypted?: boolean } = {}) {
  const clock = new FakeClock('2026-05-12T01:00:00Z')
  const logger = new MemoryLogger()
  const fake = await FakeWechatApi.start({ appId: APPID, secret: SECRET, now: () => clock.now().getTime() })
  open.push(fake)
  const budgetGates: Array<() => void> = []
  const seen: Incoming[] = []
  let bot: Bot = options.bot ?? (async (incoming) => answer(`答：${incoming.text}`))
  const adapter = createWechatOaAdapter({
    appId: APPID,
    secret: SECRET,
    token: TOKEN,
    aesKey: options.encrypted === false ? undefined : AES_KEY,
    apiRoot: fake.url,
    clock,
    logger,
    checkTokenOnStart: false,
    passiveBudgetMs: BUDGET_MS,
    sleep: (ms, signal) =>
      ms === BUDGET_MS
        ? new Promise<void>((resolve) => {
            budgetGates.push(resolve)
            signal.addEventListener('abort', () => resolve(), { once: true })
          })
        : Promise.resolve(),
    ...options,
  })
  const http: HttpServer = await startHttpServer({ host: '127.0.0.1', port: 0, routes: adapter.routes(), logger })
  open.push(http)
  await adapter.start(async (incoming) => {
    seen.push(incoming)
    return bot(incoming)
  })
  open.push({ close: () => adapter.stop() })
  const base = `http://127.0.0.1:${http.port}/wechat/oa`
  const now = () => Math.floor(clock.now().getTime() / 1000)
  let msgId = 24398765432109000n

  /** POSTs a signed message as WeChat would (the resident's action opens their window at WeChat too). */
  async function push(xml: string, o: { encrypt?: boolean; timestamp?: number; signWith?: string; query?: (q: URLSearchParams) => void } = {}) {
    const from = /<FromUserName><!\[CDATA\[([^\]]+)/.exec(xml)?.[1]
    if (from) fake.userWrote(from, clock.now().getTime())
    const { query, body } = signedPost(xml, { token: TOKEN, timestamp: o.timestamp ?? now(), ...(o.signWith ? { signWith: o.signWith } : {}), ...(o.encrypt ? { encrypt: { aesKey: AES_KEY, appId: APPID } } : {}) })
    const q = new URLSearchParams(query)
    o.query?.(q)
    const res = await fetch(`${base}?${q}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body })
    return { status: res.status, body: await res.text() }
  }
  const say = (openid: string, text: string, o: Parameters<typeof push>[1] = {}) => push(textXml(openid, text, String(++msgId), now()), o)
  const contentOf = (body: string) => parseWechatXml(body)?.Content

  return {
    clock,
    logger,
    fake,
    adapter: adapter as WechatOaAdapter,
    seen,
    base,
    push,
    say,
    contentOf,
    now,
    setBot: (b: Bot) => (bot = b),
    budgetExpires: () => budgetGates.splice(0).forEach((open) => open()),
  }
}

describe('wechat-oa callback: verification and refusals', () => {
  it('echoes echostr to a correctly signed verification, and refuses a wrong signature or an old timestamp', async () => {
    const { base, now } = await rig()
    const url = (ts: number, token = TOKEN) => `${base}?${new URLSearchParams({ signature: sha1Sorted(token, String(ts), 'n0nce'), timestamp: String(ts), nonce: 'n0nce', echostr: '6589301234567890123' })}`
    const ok = await fetch(url(now()))
    expect([ok.status, await ok.text()]).toEqual([200, '6589301234567890123'])
    expect((await fetch(url(now(), 'otherToken'))).status).toBe(401)
    expect((await fetch(url(now() - 3600))).status).toBe(401)
    expect((await fetch(`${base}?echostr=x`)).status).toBe(401)
  })

  it('refuses a POST with a bad signature (401) and never asks the bot', async () => {
    const { say, seen, logger } = await rig()
    expect((await say(ALICE, '你好', { signWith: 'forgedToken' })).status).toBe(401)
    expect(seen).toHaveLength(0)
    expect(JSON.stringify(logger.records)).toContain('E_WECHAT_OA_AUTH')
  })

  it('refuses a POST whose timestamp is far from now (a replay), either way', async () => {
    const { say, seen, now } = await rig()
    expect((await say(ALICE, '你好', { timestamp: now() - 10 * 60 })).status).toBe(401)
    expect((await say(ALICE, '你好', { timestamp: now() + 10 * 60 })).status).toBe(401)
    expect((await say(ALICE, '你好', { timestamp: now() - 20 })).status).toBe(200)
    expect(seen).toHaveLength(1)
  })

  it('answers 413 to an oversized body, through the real HTTP server', async () => {
    const { say, seen } = await rig()
    const res = await say(ALICE, '长'.repeat(30_000))
    expect(res.status).toBe(413)
    expect(seen).toHaveLength(0)
  })

  it('answers 503 before start, so that WeChat retries', async () => {
    const clock = new FakeClock('2026-05-12T01:00:00Z')
    const adapter = createWechatOaAdapter({ appId: APPID, secret: SECRET, token: TOKEN, clock, checkTokenOnStart: false })
    const post = adapter.routes().find((r) => r.method === 'POST')!
    const ts = String(Math.floor(clock.now().getTime() / 1000))
    const query = new URLSearchParams({ signature: sha1Sorted(TOKEN, ts, 'n'), timestamp: ts, nonce: 'n' })
    expect((await post.handle({ method: 'POST', path: '/wechat/oa', query, headers: {}, body: textXml(ALICE, '你好', '1', Number(ts)) })).status).toBe(503)
  })
})

describe('wechat-oa callback: replies', () => {
  it('answers a question passively, in the documented XML, to the sender from the account', async () => {
    const { say, contentOf, seen, fake } = await rig({ bot: async () => answer('全国防灾减灾日：2026年5月12日（周二），就是今天。') })
    const res = await say(ALICE, '防灾减灾日是哪天？')
    expect(res.status).toBe(200)
    const xml = parseWechatXml(res.body)!
    expect(xml).toMatchObject({ ToUserName: ALICE, FromUserName: 'gh_3a2b1c4d5e6f', MsgType: 'text' })
    expect(contentOf(res.body)).toBe('全国防灾减灾日：2026年5月12日（周二），就是今天。')
    expect(seen[0]).toMatchObject({ channel: 'wechat-oa', chatId: ALICE, userId: ALICE, isGroup: false, text: '防灾减灾日是哪天？' })
    expect(fake.custom).toHaveLength(0)
  })

  it('answers a retried message once (same MsgId, three retries)', async () => {
    const { push, seen, now, contentOf } = await rig()
    const xml = textXml(ALICE, '最近有什么科普活动', '24398765432109876', now())
    const first = await push(xml)
    expect(contentOf(first.body)).toBe('答：最近有什么科普活动')
    for (let i = 0; i < 3; i++) expect(await push(xml)).toEqual({ status: 200, body: 'success' })
    expect(seen).toHaveLength(1)
  })

  it('answers a retried event once (FromUserName + CreateTime)', async () => {
    const { push, seen, now } = await rig()
    const xml = eventXml(ALICE, 'CLICK', 'kepu:老年人怎么防诈骗', now())
    await push(xml)
    await push(xml)
    expect(seen.map((s) => s.text)).toEqual(['老年人怎么防诈骗'])
  })

  it('uses the injected de-duplication store, so a retry landing on another replica is caught', async () => {
    const calls: string[] = []
    const ids = new Set<string>()
    const shared = {
      seen: async (source: string, id: string) => {
        calls.push(`${source}|${id}`)
        if (ids.has(id)) return true
        ids.add(id)
        return false
      },
    }
    const a = await rig({ dedup: shared })
    const b = await rig({ dedup: shared })
    const xml = textXml(ALICE, '你好', '24398765432100001', a.now())
    expect(a.contentOf((await a.push(xml)).body)).toBe('答：你好')
    expect((await b.push(xml)).body).toBe('success')
    expect(calls).toEqual([`wechat-oa|${APPID}:24398765432100001`, `wechat-oa|${APPID}:24398765432100001`])
  })

  it('sends the first part of a long answer passively and the rest through 客服消息, in order', async () => {
    const paragraphs = Array.from({ length: 4 }, (_, i) => `第${i + 1}部分：${'科学素质行动方案的重点任务包括青少年、农民、产业工人、老年人和领导干部的科学素质提升。'.repeat(8)}`)
    const { say, contentOf, fake, adapter } = await rig({ bot: async () => answer(paragraphs.join('\n\n')) })
    const res = await say(ALICE, '重点任务有哪些')
    const first = contentOf(res.body)!
    expect(first.startsWith('第1部分')).toBe(true)
    await adapter.whenIdle()
    const rest = fake.custom.map((c) => c.content)
    expect(rest.length).toBeGreaterThanOrEqual(3)
    expect(fake.custom.every((c) => c.touser === ALICE)).toBe(true)
    expect([first, ...rest].join('\n\n').replace(/\s+/g, '')).toBe(paragraphs.join('').replace(/\s+/g, ''))
    for (const piece of [first, ...rest]) expect(Buffer.byteLength(piece)).toBeLessThanOrEqual(2048)
  })

  it('keeps a long answer within the window quota: 5 客服消息 after the passive part, the rest dropped and logged', async () => {
    const text = Array.from({ length: 12 }, (_, i) => `第${i + 1}条。${'内容'.repeat(250)}`).join('\n\n')
    const { say, fake, adapter, logger } = await rig({ bot: async () => answer(text) })
    await say(ALICE, '全部列出来')
    await adapter.whenIdle()
    expect(fake.custom).toHaveLength(5)
    expect(fake.requests.filter((r) => r.errcode === 45047)).toHaveLength(0)
    expect(JSON.stringify(logger.records)).toContain('E_WECHAT_OA_QUOTA')
  })

  it('replies success when the answer takes too long, and sends it through 客服消息 when it comes', async () => {
    let release!: (r: Reply) => void
    const { say, fake, adapter, budgetExpires, seen } = await rig({ bot: () => new Promise<Reply>((resolve) => (release = resolve)) })
    const pending = say(ALICE, '一个很难的问题')
    while (seen.length === 0) await new Promise((r) => setImmediate(r))
    budgetExpires()
    expect(await pending).toEqual({ status: 200, body: 'success' })
    expect(fake.custom).toHaveLength(0)
    release(answer('慢慢想好的答案'))
    await adapter.whenIdle()
    expect(fake.custom.map((c) => [c.touser, c.content])).toEqual([[ALICE, '慢慢想好的答案']])
  })

  it('numbers the choices of a reply (typing the number picks one)', async () => {
    const { say, contentOf } = await rig({ bot: async () => answer('请选择：', { choices: [{ label: '查防骗提醒', value: '防骗' }, { label: '关闭长辈模式', value: '/elder off' }] }) })
    expect(contentOf((await say(ALICE, '长辈模式')).body)).toBe('请选择：\n1. 查防骗提醒\n2. 关闭长辈模式')
  })

  it('answers an image politely without asking the bot, and a silent reply with success', async () => {
    const { push, say, seen, contentOf, now, setBot } = await rig()
    const image = `<xml><ToUserName><![CDATA[gh_3a2b1c4d5e6f]]></ToUserName><FromUserName><![CDATA[${ALICE}]]></FromUserName><CreateTime>${now()}</CreateTime><MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://mmbiz.qpic.cn/x]]></PicUrl><MediaId><![CDATA[m1]]></MediaId><MsgId>24398765432100099</MsgId></xml>`
    expect(contentOf((await push(image)).body)).toContain('只能看懂文字和语音')
    expect(seen).toHaveLength(0)
    setBot(async () => ({ text: '', answered: false, intent: 'ignored', silent: true }))
    expect((await say(ALICE, '……')).body).toBe('success')
  })

  it('hands 「转人工」 to the account\'s customer-service staff when WECHAT_OA_KF_TRANSFER is on', async () => {
    const bot: Bot = async () => answer('需要人工帮助，请联系：科协办公室', { intent: 'help', handoff: true })
    const on = await rig({ bot, kfTransfer: true })
    const res = await on.say(ALICE, '转人工')
    expect(parseWechatXml(res.body)).toMatchObject({ MsgType: 'transfer_customer_service', ToUserName: ALICE })
    await on.adapter.whenIdle()
    expect(on.fake.custom.map((c) => c.content)).toEqual(['正在为您转接人工客服，请稍候。遇到诈骗紧急情况请直接拨打 110。'])
    const off = await rig({ bot })
    expect(off.contentOf((await off.say(ALICE, '转人工')).body)).toBe('需要人工帮助，请联系：科协办公室')
  })
})

describe('wechat-oa callback: 安全模式 (encrypted)', () => {
  it('decrypts a message and encrypts the reply, with a valid msg_signature and this AppID inside', async () => {
    const { say, seen } = await rig({ bot: async (i) => answer(`加密收到：${i.text}`) })
    const res = await say(ALICE, '科技活动周什么时候', { encrypt: true })
    expect(res.status).toBe(200)
    expect(seen[0]?.text).toBe('科技活动周什么时候')
    const env = parseWechatXml(res.body)!
    expect(Object.keys(env).sort()).toEqual(['Encrypt', 'MsgSignature', 'Nonce', 'TimeStamp'])
    expect(env.MsgSignature).toBe(sha1Sorted(TOKEN, env.TimeStamp!, env.Nonce!, env.Encrypt!))
    const inner = wechatDecrypt(AES_KEY, env.Encrypt!)
    expect(inner.appId).toBe(APPID)
    expect(parseWechatXml(inner.message)).toMatchObject({ ToUserName: ALICE, MsgType: 'text', Content: '加密收到：科技活动周什么时候' })
  })

  it('refuses a wrong msg_signature, another AppID inside, or an encrypted message without a key', async () => {
    const { say, seen, now, base } = await rig()
    expect((await say(ALICE, '你好', { encrypt: true, query: (q) => q.set('msg_signature', 'f'.repeat(40)) })).status).toBe(401)
    // Encrypted for another account, correctly signed: the AppID inside gives it away.
    const enc = wechatEncrypt(AES_KEY, textXml(ALICE, '你好', '1', now()), 'wx0000000000000000')
    const ts = String(now())
    const q = new URLSearchParams({ signature: sha1Sorted(TOKEN, ts, 'n'), timestamp: ts, nonce: 'n', encrypt_type: 'aes', msg_signature: sha1Sorted(TOKEN, ts, 'n', enc) })
    const res = await fetch(`${base}?${q}`, { method: 'POST', body: `<xml><ToUserName><![CDATA[gh_3a2b1c4d5e6f]]></ToUserName><Encrypt><![CDATA[${enc}]]></Encrypt></xml>` })
    expect(res.status).toBe(401)
    const plainOnly = await rig({ encrypted: false })
    expect((await plainOnly.say(ALICE, '你好', { encrypt: true })).status).toBe(401)
    expect(seen).toHaveLength(0)
  })

  it('accepts plain messages too when a key is set (兼容模式 and the switch-over)', async () => {
    const { say, contentOf } = await rig()
    expect(contentOf((await say(ALICE, '你好')).body)).toBe('答：你好')
  })
})

describe('wechat-oa subscribe with a region QR code', () => {
  it('sets the region from qrscene_<region> and welcomes the resident', async () => {
    const { push, seen, contentOf, now } = await rig({ bot: async (i) => answer(`好的，已设为${i.region ?? '?'}。`, { intent: 'region' }) })
    const res = await push(eventXml(ALICE, 'subscribe', 'qrscene_东营市', now()))
    expect(seen[0]).toMatchObject({ text: '我在东营市', region: '东营市' })
    expect(contentOf(res.body)).toBe('感谢关注科普助手！\n好的，已设为东营市。')
  })
})

describe('wechat-oa send(): announcements by the 48-hour rule', () => {
  const templates = {
    'fraud-tip': { id: 'TPL_fraud_tip_0001', fields: { thing1: '{first}', thing2: '{rest}', time3: '{date}' }, url: 'https://www.example.org/kexie/fraud' },
    '*': { id: 'TPL_generic_00001', fields: { thing1: '{first}', time2: '{date}' } },
  }

  it('goes through 客服消息 to a resident who wrote within 48 hours, and through the topic template otherwise', async () => {
    const { say, adapter, fake, clock } = await rig({ templates })
    await say(ALICE, '订阅每日防骗提醒')
    const text = '今日防骗提醒：冒充医保局的短信\n医保局不会发短信让您点链接解冻医保卡，收到请直接删除。'
    expect(await adapter.send({ chatId: ALICE, text, topic: 'fraud-tip' })).toEqual({ route: 'custom' })
    expect(fake.custom.map((c) => [c.touser, c.content])).toEqual([[ALICE, text]])

    const toBob = await adapter.send({ chatId: BOB, text, topic: 'fraud-tip' })
    expect(toBob.route).toBe('template')
    expect(toBob.messageId).toMatch(/^\d+$/)
    expect(fake.templates.at(-1)).toEqual({
      touser: BOB,
      template_id: 'TPL_fraud_tip_0001',
      url: 'https://www.example.org/kexie/fraud',
      msgid: Number(toBob.messageId),
      data: { thing1: { value: '今日防骗提醒：冒充医保局的短信' }, thing2: { value: '医保局不会发短信让您点链接解冻医保卡…' }, time3: { value: '2026年5月12日 09:00' } },
    })

    clock.advance(49 * 3600_000) // Alice's window has closed
    expect((await adapter.send({ chatId: ALICE, text: '本周科普活动', topic: 'weekly' })).route).toBe('template')
    expect(fake.templates.at(-1)).toMatchObject({ touser: ALICE, template_id: 'TPL_generic_00001' })
  })

  it('falls back to the template when WeChat says the window is used up (45047), and fails without one', async () => {
    const { say, adapter, fake } = await rig({ templates: { events: templates['*'] } })
    await say(ALICE, '你好')
    fake.failNext('/cgi-bin/message/custom/send', 45047)
    expect((await adapter.send({ chatId: ALICE, text: '活动提醒', topic: 'events' })).route).toBe('template')
    // The window is closed now for this resident: no second 客服消息 attempt.
    const customCalls = fake.requests.filter((r) => r.path === '/cgi-bin/message/custom/send').length
    const err = await adapter.send({ chatId: ALICE, text: '周报', topic: 'weekly' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DeliveryError)
    expect((err as DeliveryError).kind).toBe('permanent')
    expect((err as DeliveryError).message).toContain('WECHAT_OA_TEMPLATES')
    expect(fake.requests.filter((r) => r.path === '/cgi-bin/message/custom/send')).toHaveLength(customCalls)
  })

  it('counts a message as sent when the window closes after some of its parts (no repeat on retry)', async () => {
    const { say, adapter, fake, logger } = await rig({ templates })
    await say(ALICE, '你好')
    // WeChat has counted four messages this window that this adapter did not (another replica, say).
    for (let i = 0; i < 4; i++) await adapter.api.sendCustomText(ALICE, `别处发的第${i + 1}条`)
    const long = `${'第一部分的内容。'.repeat(80)}\n\n${'第二部分的内容。'.repeat(40)}`
    expect(await adapter.send({ chatId: ALICE, text: long, topic: 'fraud-tip' })).toEqual({ route: 'custom' })
    expect(fake.custom).toHaveLength(5)
    expect(fake.templates).toHaveLength(0)
    expect(JSON.stringify(logger.records)).toContain('E_WECHAT_OA_PARTIAL')
  })

  it('maps quota and recipient errors to delivery errors: 45009 retry at midnight, 43004 blocked, 45015 failed', async () => {
    const { adapter, fake } = await rig({ templates })
    fake.failNext('/cgi-bin/message/template/send', 45009)
    const quota = (await adapter.send({ chatId: BOB, text: '提醒', topic: 'fraud-tip' }).catch((e: unknown) => e)) as DeliveryError
    expect(quota.kind).toBe('rate_limited')
    // 09:00 in Shanghai now: the quota resets at 00:00, 15 hours (and a minute) from now.
    expect(quota.retryAfterMs).toBe(15 * 3600_000 + 60_000)
    fake.failNext('/cgi-bin/message/template/send', 43004)
    expect(((await adapter.send({ chatId: BOB, text: '提醒', topic: 'fraud-tip' }).catch((e: unknown) => e)) as DeliveryError).kind).toBe('blocked')
    const noTemplates = await rig()
    await noTemplates.say(ALICE, '你好')
    noTemplates.fake.failNext('/cgi-bin/message/custom/send', 45015)
    expect(((await noTemplates.adapter.send({ chatId: ALICE, text: '提醒' }).catch((e: unknown) => e)) as DeliveryError).kind).toBe('permanent')
  })

  it('marks a resident who unsubscribes, or whom WeChat says no longer follows (43004), as blocked', async () => {
    const blocked: string[] = []
    const { push, adapter, fake, now } = await rig({ templates, onBlocked: (openid) => blocked.push(openid) })
    expect((await push(eventXml(ALICE, 'unsubscribe', '', now()))).body).toBe('success')
    fake.failNext('/cgi-bin/message/template/send', 43004)
    await adapter.send({ chatId: BOB, text: '提醒', topic: 'fraud-tip' }).catch(() => {})
    expect(blocked).toEqual([ALICE, BOB])
  })

  it('never logs an access_token or the secret', async () => {
    const { say, adapter, fake, logger } = await rig({ templates })
    await say(ALICE, '你好')
    fake.expireTokens()
    await adapter.send({ chatId: ALICE, text: '提醒', topic: 'fraud-tip' })
    await adapter.send({ chatId: BOB, text: '提醒', topic: 'fraud-tip' })
    const logged = JSON.stringify(logger.records)
    expect(fake.issuedTokens().length).toBeGreaterThan(0)
    for (const token of fake.issuedTokens()) expect(logged).not.toContain(token)
    expect(logged).not.toContain(SECRET)
  })
})
