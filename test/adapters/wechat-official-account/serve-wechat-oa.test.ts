import { afterEach, describe, expect, it } from 'vitest'
import { parseWechatXml } from '../../../adapters/wechat-official-account/xml.js'
import { createAdapters } from '../../../src/adapters.js'
import { createApp } from '../../../src/app.js'
import { startServe, type ServeHandle } from '../../../src/commands/serve.js'
import { loadConfig } from '../../../src/config.js'
import { MemoryLogger } from '../../../src/core/logger.js'
import { FakeWechatApi } from '../../fakes/fake-wechat-api.js'
import { memoryStore } from '../../helpers/store.js'
import { eventXml, signedPost, textXml, wechatDecrypt } from './signed-request.js'

const APPID = 'wx5823bf96d3bd56c7'
const SECRET = '0123456789abcdef0123456789abcdef'
const TOKEN = 'kepuToken2026'
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'
const ALICE = 'oLVPpjqs9BhvzwPj5A-vTYAX3GLc'

let cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanup.reverse()) await c()
  cleanup = []
})

describe('kepu serve with KEPU_ADAPTERS=wechat-oa (the real bot, the one HTTP server)', () => {
  it('mounts /wechat/oa; a subscriber from a region QR code gets the region, and questions are answered for it', async () => {
    const fake = await FakeWechatApi.start({ appId: APPID, secret: SECRET })
    cleanup.push(() => fake.close())
    const config = loadConfig({
      env: { KEPU_ADAPTERS: 'wechat-oa', KEPU_HTTP_PORT: '0', WECHAT_OA_APPID: APPID, WECHAT_OA_SECRET: SECRET, WECHAT_OA_TOKEN: TOKEN, WECHAT_OA_AES_KEY: AES_KEY, WECHAT_OA_API_ROOT: fake.url },
      envFile: false,
    })
    const logger = new MemoryLogger()
    const store = await memoryStore()
    cleanup.push(() => store.close())
    const app = createApp({ config, store, logger })
    const adapters = await createAdapters(config, logger)
    expect([...adapters.keys()]).toEqual(['wechat-oa'])
    const handle: ServeHandle = await startServe({ config, logger, app, store, adapters, hooks: [] })
    cleanup.push(() => handle.stop())
    const url = `http://127.0.0.1:${handle.httpPort}/wechat/oa`
    const post = async (xml: string, encrypt = false) => {
      const { query, body } = signedPost(xml, { token: TOKEN, timestamp: Math.floor(Date.now() / 1000), ...(encrypt ? { encrypt: { aesKey: AES_KEY, appId: APPID } } : {}) })
      const res = await fetch(`${url}?${query}`, { method: 'POST', body })
      return { status: res.status, xml: parseWechatXml(await res.text()) }
    }

    const welcome = await post(eventXml(ALICE, 'subscribe', 'qrscene_东营市', Math.floor(Date.now() / 1000)))
    expect(welcome.status).toBe(200)
    expect(welcome.xml?.Content).toMatch(/^感谢关注科普助手！\n.*东营市/)
    expect((await store.users.get(`wechat-oa:${ALICE}`))?.region).toBe('东营市')

    // Asked in 安全模式: the answer comes back encrypted.
    const asked = await post(textXml(ALICE, '我们市2025年科学素质目标是多少？', '24398765432100777', Math.floor(Date.now() / 1000)), true)
    const answer = parseWechatXml(wechatDecrypt(AES_KEY, asked.xml!.Encrypt!).message)
    expect(answer?.Content).toContain('东营市')
    expect(answer?.Content).toContain('16-17%')

    // The health routes stand beside it on the same server.
    expect((await fetch(`http://127.0.0.1:${handle.httpPort}/healthz`)).status).toBe(200)
  })
})
