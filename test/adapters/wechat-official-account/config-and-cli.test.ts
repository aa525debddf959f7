import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createWechatOaTools, keyValueCacheOf } from '../../../src/adapters.js'
import { createRegionQrcode, publishMenu } from '../../../src/commands/wechat-oa.js'
import { loadConfig, redactConfig } from '../../../src/config.js'
import { ConfigError, ContentError, InputError } from '../../../src/core/errors.js'
import { silentLogger } from '../../../src/core/logger.js'
import { packageRoot } from '../../../src/core/package-root.js'
import { RegionRegistry } from '../../../src/knowledge/region-registry.js'
import { FakeWechatApi } from '../../fakes/fake-wechat-api.js'

const APPID = 'wx5823bf96d3bd56c7'
const SECRET = '0123456789abcdef0123456789abcdef'
const OA = { KEPU_ADAPTERS: 'wechat-oa', WECHAT_OA_APPID: APPID, WECHAT_OA_SECRET: SECRET, WECHAT_OA_TOKEN: 'kepuToken2026' }
const load = (env: Record<string, string>) => loadConfig({ env, envFile: false })
const fails = (env: Record<string, string>) => {
  try {
    load(env)
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    return (err as Error).message
  }
  throw new Error('expected a ConfigError')
}

describe('WECHAT_OA_* configuration', () => {
  it('reads the variables with their defaults', () => {
    const c = load({ ...OA, WECHAT_OA_AES_KEY: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' })
    expect(c.KEPU_ADAPTERS).toEqual(['wechat-oa'])
    expect(c.WECHAT_OA_API_ROOT).toBe('https://api.weixin.qq.com')
    expect(c.WECHAT_OA_KF_TRANSFER).toBe(false)
    expect(c.WECHAT_OA_TEMPLATES).toEqual({})
    expect(redactConfig(c)).toMatchObject({ WECHAT_OA_SECRET: '[redacted]', WECHAT_OA_TOKEN: '[redacted]', WECHAT_OA_AES_KEY: '[redacted]', WECHAT_OA_APPID: APPID })
  })

  it('names the variable that is wrong', () => {
    expect(fails({ ...OA, WECHAT_OA_AES_KEY: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEF' })).toMatch(/^config: WECHAT_OA_AES_KEY: expected the EncodingAESKey: exactly 43/)
    expect(fails({ ...OA, WECHAT_OA_AES_KEY: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH' })).toMatch(/^config: WECHAT_OA_AES_KEY/)
    expect(fails({ ...OA, WECHAT_OA_TOKEN: 'ab' })).toMatch(/^config: WECHAT_OA_TOKEN: expected 3–32 letters or digits/)
    expect(fails({ ...OA, WECHAT_OA_TOKEN: 'has-dash' })).toMatch(/^config: WECHAT_OA_TOKEN/)
    expect(fails({ ...OA, WECHAT_OA_TOKEN: 'a'.repeat(33) })).toMatch(/^config: WECHAT_OA_TOKEN/)
    expect(fails({ ...OA, WECHAT_OA_APPID: 'gh_3a2b1c4d5e6f' })).toMatch(/^config: WECHAT_OA_APPID: expected the AppID/)
    expect(fails({ ...OA, WECHAT_OA_SECRET: 'short' })).toMatch(/^config: WECHAT_OA_SECRET/)
    expect(fails({ ...OA, WECHAT_OA_API_ROOT: 'ftp://x' })).toMatch(/^config: WECHAT_OA_API_ROOT/)
    expect(fails({ KEPU_ADAPTERS: 'wechat-oa', WECHAT_OA_APPID: APPID, WECHAT_OA_SECRET: SECRET })).toBe('config: WECHAT_OA_TOKEN: required when KEPU_ADAPTERS includes wechat-oa (公众平台 → 设置与开发 → 基本配置)')
  })

  it('reads WECHAT_OA_TEMPLATES as JSON, and names what is wrong in it', () => {
    const c = load({ ...OA, WECHAT_OA_TEMPLATES: JSON.stringify({ 'fraud-tip': { id: 'TPL_fraud_tip_0001', fields: { thing1: '{first}', time2: '{date}' }, url: 'https://example.org/x/' } }) })
    expect(c.WECHAT_OA_TEMPLATES).toEqual({ 'fraud-tip': { id: 'TPL_fraud_tip_0001', fields: { thing1: '{first}', time2: '{date}' }, url: 'https://example.org/x' } })
    expect(fails({ ...OA, WECHAT_OA_TEMPLATES: '{not json' })).toMatch(/^config: WECHAT_OA_TEMPLATES: expected a JSON object/)
    expect(fails({ ...OA, WECHAT_OA_TEMPLATES: JSON.stringify({ events: { id: 'TPL_events_0001', fields: {} } }) })).toMatch(/^config: WECHAT_OA_TEMPLATES: events\.fields: expected at least one field/)
  })
})

describe('kepu wechat-oa qrcode / menu', () => {
  let fake: FakeWechatApi | undefined
  let dir: string | undefined
  afterEach(async () => {
    await fake?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
    fake = undefined
    dir = undefined
  })
  const regions = () => RegionRegistry.load(join(packageRoot(), 'content', 'regions.yaml'))
  const tools = async () => {
    fake = await FakeWechatApi.start({ appId: APPID, secret: SECRET })
    return createWechatOaTools(load({ WECHAT_OA_APPID: APPID, WECHAT_OA_SECRET: SECRET, WECHAT_OA_API_ROOT: fake.url }), silentLogger)
  }

  it('creates a permanent QR code whose scene is the region (东营 → 东营市), the same one when asked again', async () => {
    const t = await tools()
    const qr = await createRegionQrcode(t, regions(), '东营')
    expect(qr).toMatchObject({ region: '东营市', scene: '东营市' })
    expect(qr.imageUrl).toMatch(/^https:\/\/mp\.weixin\.qq\.com\/cgi-bin\/showqrcode\?ticket=gQ/)
    expect((await createRegionQrcode(t, regions(), '东营市')).ticket).toBe(qr.ticket)
    await expect(createRegionQrcode(t, regions(), '火星')).rejects.toBeInstanceOf(InputError)
  })

  it('publishes the bundled menu: 问方案 / 找活动 / 防诈骗 with 长辈模式, click keys carrying the question', async () => {
    const t = await tools()
    await publishMenu(t, join(packageRoot(), 'content', 'wechat-oa-menu.yaml'), false)
    const menu = fake!.menus[0] as { button: { name: string; key?: string; sub_button?: { name: string; key: string }[] }[] }
    expect(menu.button.map((b) => b.name)).toEqual(['问方案', '找活动', '防诈骗'])
    expect(menu.button[1]).toEqual({ type: 'click', name: '找活动', key: 'kepu:最近有什么科普活动' })
    expect(menu.button[2]!.sub_button!.map((b) => b.name)).toContain('长辈模式')
    expect(menu.button[2]!.sub_button!.find((b) => b.name === '长辈模式')?.key).toBe('kepu:长辈模式')
  })

  it('refuses a menu WeChat would refuse, naming the file, the button and the field; a dry run needs no credentials', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kepu-oa-menu-'))
    const file = join(dir, 'menu.yaml')
    const t = await createWechatOaTools(load({}), silentLogger)
    writeFileSync(file, 'button:\n  - {name: 一, text: a}\n  - {name: 二, text: b}\n  - {name: 三, text: c}\n  - {name: 四, text: d}\n')
    await expect(publishMenu(t, file, true)).rejects.toThrow(/content: .*menu\.yaml: .*button: WeChat shows at most 3 top-level buttons/)
    writeFileSync(file, 'button:\n  - name: 这个名字实在是太长了\n    text: a\n')
    await expect(publishMenu(t, file, true)).rejects.toThrow(/button item 1 \(这个名字实在是太长了\): name: at most 16 bytes/)
    writeFileSync(file, 'button:\n  - name: 找活动\n    text: a\n    url: https://example.org\n')
    await expect(publishMenu(t, file, true)).rejects.toBeInstanceOf(ContentError)
    writeFileSync(file, 'button:\n  - name: 找活动\n    text: 最近有什么科普活动\n')
    expect(await publishMenu(t, file, true)).toEqual({ button: [{ type: 'click', name: '找活动', key: 'kepu:最近有什么科普活动' }] })
    expect(() => t.api).toThrow(ConfigError)
  })
})

describe('keyValueCacheOf (a store\'s key-value role as the adapter\'s cache)', () => {
  it('passes keys through and turns an expiry time into a ttl from now', async () => {
    const calls: unknown[] = []
    const now = new Date('2026-05-12T01:00:00Z')
    const cache = keyValueCacheOf(
      {
        getValue: async (key, at) => (calls.push(['get', key, at.toISOString()]), 'v'),
        setValue: async (key, value, at, ttlMs) => void calls.push(['set', key, value, at.toISOString(), ttlMs]),
      },
      () => now,
    )
    expect(await cache.get('k')).toBe('v')
    await cache.set('k', 'x', new Date(now.getTime() + 7200_000))
    expect(calls).toEqual([
      ['get', 'k', '2026-05-12T01:00:00.000Z'],
      ['set', 'k', 'x', '2026-05-12T01:00:00.000Z', 7200_000],
    ])
  })
})
