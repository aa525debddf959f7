import { afterEach, describe, expect, it } from 'vitest'
import { WechatApiError, WechatOaApi } from '../../../adapters/wechat-official-account/api-client.js'
import { MemoryKeyValueCache, MemoryLease } from '../../../adapters/wechat-official-account/stores.js'
import { MemoryLogger } from '../../../src/core/logger.js'
import { FakeClock } from '../../fakes/fake-clock.js'
import { FakeWechatApi } from '../../fakes/fake-wechat-api.js'

const APPID = 'wx5823bf96d3bd56c7'
const SECRET = '0123456789abcdef0123456789abcdef'

let fake: FakeWechatApi | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

async function rig() {
  const clock = new FakeClock('2026-05-12T01:00:00Z')
  fake = await FakeWechatApi.start({ appId: APPID, secret: SECRET, now: () => clock.now().getTime() })
  const cache = new MemoryKeyValueCache(() => clock.now().getTime())
  const lease = new MemoryLease()
  const logger = new MemoryLogger()
  const client = (holder: string, secret = SECRET) => new WechatOaApi({ appId: APPID, secret, apiRoot: fake!.url, cache, lease, clock, logger, holder })
  return { clock, fake, cache, lease, logger, client }
}

const stableCalls = (f: FakeWechatApi) => f.tokenCalls.filter((c) => c.api === 'stable_token')

describe('WechatOaApi access_token', () => {
  it('fetches a stable token once and keeps it in the cache, shared by replicas', async () => {
    const { fake, client } = await rig()
    const a = client('replica-a')
    const b = client('replica-b')
    const [t1, t2] = await Promise.all([a.accessToken(), a.accessToken()])
    expect(t1).toBe(t2)
    expect(await b.accessToken()).toBe(t1)
    expect(stableCalls(fake)).toEqual([{ api: 'stable_token', force: false }])
  })

  it('refreshes before expiry in the lease holder while another replica keeps the old token', async () => {
    const { fake, clock, lease, client } = await rig()
    const a = client('replica-a')
    const b = client('replica-b')
    const first = await a.accessToken()
    clock.advance(7200_000 - 4 * 60_000) // four minutes left: due for refresh
    // Replica b holds the refresh lease: a keeps using the token it has.
    expect(await lease.acquire('wechat-oa:token-refresh:' + APPID, 'replica-b', clock.now(), 30_000)).toBe(true)
    expect(await a.accessToken()).toBe(first)
    expect(stableCalls(fake)).toHaveLength(1)
    await lease.release('wechat-oa:token-refresh:' + APPID, 'replica-b')
    // Free lease: b refreshes. The stable-token API hands the same token back until it expires …
    expect(await b.accessToken()).toBe(first)
    expect(stableCalls(fake)).toHaveLength(2)
    // … and is not asked again at every call, only a minute later.
    await b.accessToken()
    await a.accessToken()
    expect(stableCalls(fake)).toHaveLength(2)
    clock.advance(4 * 60_000 + 1000) // expired now
    const next = await a.accessToken()
    expect(next).not.toBe(first)
  })

  it('refreshes once on 42001 (expired) and retries the call once', async () => {
    const { fake, client } = await rig()
    const api = client('replica-a')
    fake.userWrote('oLVPpjqs9BhvzwPj5A-vTYAX3GLc')
    await api.accessToken()
    fake.expireTokens()
    await api.sendCustomText('oLVPpjqs9BhvzwPj5A-vTYAX3GLc', '你好')
    expect(fake.custom.map((c) => c.content)).toEqual(['你好'])
    expect(fake.requests.filter((r) => r.path === '/cgi-bin/message/custom/send').map((r) => r.errcode)).toEqual([42001, 0])
  })

  it('forces a new token on 40001 when the API hands the refused one back, and gives up after one retry', async () => {
    const { fake, client } = await rig()
    const api = client('replica-a')
    fake.userWrote('oLVPpjqs9BhvzwPj5A-vTYAX3GLc')
    await api.accessToken()
    fake.failNext('/cgi-bin/message/custom/send', 40001)
    await api.sendCustomText('oLVPpjqs9BhvzwPj5A-vTYAX3GLc', '你好')
    expect(fake.tokenCalls).toEqual([
      { api: 'stable_token', force: false },
      { api: 'stable_token', force: false },
      { api: 'stable_token', force: true },
    ])
    fake.failNext('/cgi-bin/message/custom/send', 40001, 2)
    const err = await api.sendCustomText('oLVPpjqs9BhvzwPj5A-vTYAX3GLc', '再见').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WechatApiError)
    expect((err as WechatApiError).errcode).toBe(40001)
  })

  it('reports a wrong secret as 40125, and never logs or throws the token', async () => {
    const { fake, client, logger } = await rig()
    const err = await client('x', 'ffffffffffffffffffffffffffffffff').accessToken().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WechatApiError)
    expect((err as WechatApiError).errcode).toBe(40125)
    expect((err as Error).message).not.toContain('ffffffff')
    const api = client('y')
    fake.userWrote('oLVPpjqs9BhvzwPj5A-vTYAX3GLc')
    fake.expireTokens()
    await api.sendCustomText('oLVPpjqs9BhvzwPj5A-vTYAX3GLc', '你好')
    fake.failNext('/cgi-bin/message/custom/send', 45047)
    const quota = await api.sendCustomText('oLVPpjqs9BhvzwPj5A-vTYAX3GLc', '你好').catch((e: unknown) => e)
    expect((quota as Error).message).toBe('wechat-oa: /cgi-bin/message/custom/send: 45047 scripted failure')
    const logged = JSON.stringify(logger.records)
    for (const token of fake.issuedTokens()) expect(logged).not.toContain(token)
    expect(logged).not.toContain(SECRET)
    expect(JSON.stringify(fake.requests)).not.toContain(SECRET)
  })

  it('creates a permanent QR code with a string scene and publishes a menu', async () => {
    const { fake, client } = await rig()
    const api = client('a')
    const qr = await api.createQrcode('东营市')
    expect(qr.imageUrl).toBe(`https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=${encodeURIComponent(qr.ticket)}`)
    expect(fake.requests.at(-1)).toMatchObject({ path: '/cgi-bin/qrcode/create', body: { action_name: 'QR_LIMIT_STR_SCENE', action_info: { scene: { scene_str: '东营市' } } } })
    await api.createMenu({ button: [{ type: 'click', name: '找活动', key: 'kepu:最近有什么科普活动' }] })
    expect(fake.menus).toHaveLength(1)
  })
})
