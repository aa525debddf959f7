import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig, redactConfig } from '../src/config.js'
import { ConfigError } from '../src/core/errors.js'

const load = (env: Record<string, string>) => loadConfig({ env, envFile: false })

function errorOf(env: Record<string, string>): ConfigError {
  try {
    load(env)
  } catch (err) {
    if (err instanceof ConfigError) return err
    throw err
  }
  throw new Error('expected a ConfigError')
}

describe('loadConfig', () => {
  it('has defaults for everything optional', () => {
    const c = load({})
    expect(c.KEPU_ADAPTERS).toEqual([])
    expect(c.KEPU_DATA_DIR).toBe('./data')
    expect(c.TELEGRAM_API_ROOT).toBe('https://api.telegram.org')
    expect(c.WECHAT_SEND_INTERVAL_MS).toBe(1500)
    expect(c.WECHATY_PUPPET).toBe('wechaty-puppet-wechat4u')
    expect(c.TELEGRAM_WEBHOOK_URL).toBeUndefined()
    expect(c.KEPU_ADMIN_CONTACT).toBeUndefined()
  })

  it('reads the admins\' contact for declines and 「转人工」, trimmed', () => {
    expect(load({ KEPU_ADMIN_CONTACT: '  科协办公室 0546-1234567 ' }).KEPU_ADMIN_CONTACT).toBe('科协办公室 0546-1234567')
    expect(errorOf({ KEPU_ADMIN_CONTACT: 'x'.repeat(201) }).message).toMatch(/^config: KEPU_ADMIN_CONTACT:/)
  })

  it('parses lists, numbers, flags and room regions', () => {
    const c = load({
      KEPU_ADAPTERS: ' telegram , wechat ',
      KEPU_ADMINS: 'telegram:1,wechat:wxid_a',
      TELEGRAM_BOT_TOKEN: '123:ABC-def_ghi',
      TELEGRAM_API_ROOT: 'http://127.0.0.1:8081/',
      WECHAT_SEND_INTERVAL_MS: '2500',
      WECHATY_PUPPET_SERVICE_NO_TLS: 'yes',
      WECHAT_ROOM_REGIONS: '东营社区科普群=东营市; 乌海科普=乌海市',
    })
    expect(c.KEPU_ADAPTERS).toEqual(['telegram', 'wechat'])
    expect(c.KEPU_ADMINS).toEqual(['telegram:1', 'wechat:wxid_a'])
    expect(c.TELEGRAM_API_ROOT).toBe('http://127.0.0.1:8081')
    expect(c.WECHAT_SEND_INTERVAL_MS).toBe(2500)
    expect(c.WECHATY_PUPPET_SERVICE_NO_TLS).toBe(true)
    expect(c.WECHAT_ROOM_REGIONS).toEqual({ 东营社区科普群: '东营市', 乌海科普: '乌海市' })
    expect(load({ WECHAT_ROOM_REGIONS: '{"a=b群": "神木市"}' }).WECHAT_ROOM_REGIONS).toEqual({ 'a=b群': '神木市' })
  })

  it.each([
    [{ KEPU_ADAPTERS: 'telegram' }, /^config: TELEGRAM_BOT_TOKEN: required when KEPU_ADAPTERS includes telegram/],
    [{ KEPU_ADAPTERS: 'telegram,qq' }, /^config: KEPU_ADAPTERS: expected one of console, telegram, wechat, wechat-oa, got "qq"$/],
    [{ WECHAT_SEND_INTERVAL_MS: 'soon' }, /^config: WECHAT_SEND_INTERVAL_MS: expected a whole number$/],
    [{ KEPU_HTTP_PORT: '70000' }, /^config: KEPU_HTTP_PORT: /],
    [{ TELEGRAM_API_ROOT: 'api.telegram.org' }, /^config: TELEGRAM_API_ROOT: expected an http\(s\) URL$/],
    [{ TELEGRAM_BOT_TOKEN: 'not a token' }, /^config: TELEGRAM_BOT_TOKEN: expected a token/],
    [{ TELEGRAM_WEBHOOK_SECRET: 'has space' }, /^config: TELEGRAM_WEBHOOK_SECRET: /],
    [{ TELEGRAM_WEBHOOK_URL: 'http://example.com/hook' }, /^config: TELEGRAM_WEBHOOK_URL: .*https/],
    [{ WECHAT_ROOM_REGIONS: '东营群' }, /^config: WECHAT_ROOM_REGIONS: expected "room topic=region"/],
    [{ KEPU_LOG_LEVEL: 'loud' }, /^config: KEPU_LOG_LEVEL: expected one of/],
  ])('names the variable in the error: %j', (env, message) => {
    const err = errorOf(env)
    expect(err.code).toBe('E_CONFIG')
    expect(err.message).toMatch(message)
  })

  it('bounds the index memory and the heap growth, 20 % growth by default and 0 for V8\'s own', () => {
    expect(load({}).KEPU_HEAP_GROWTH_PERCENT).toBe(20)
    expect(load({ KEPU_HEAP_GROWTH_PERCENT: '0' }).KEPU_HEAP_GROWTH_PERCENT).toBe(0)
    expect(errorOf({ KEPU_HEAP_GROWTH_PERCENT: '900' }).message).toMatch(/KEPU_HEAP_GROWTH_PERCENT/)
    expect(errorOf({ KEPU_INDEX_MEMORY_MB: '1' }).message).toMatch(/KEPU_INDEX_MEMORY_MB/)
  })

  it('keeps the console history unless KEPU_HISTORY is off', () => {
    expect(load({}).KEPU_HISTORY).toBe(true)
    expect(load({ KEPU_HISTORY: '0' }).KEPU_HISTORY).toBe(false)
    expect(load({ KEPU_HISTORY: 'off' }).KEPU_HISTORY).toBe(false)
    expect(errorOf({ KEPU_HISTORY: 'maybe' }).message).toMatch(/^config: KEPU_HISTORY: /)
  })

  it('never puts a bad token value in the message', () => {
    expect(errorOf({ TELEGRAM_BOT_TOKEN: 'secret value 123' }).message).not.toContain('secret value')
  })

  it('reads a .env file, with the environment winning, and treats empty variables as unset', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kepu-config-'))
    try {
      const file = join(dir, '.env')
      writeFileSync(file, 'KEPU_ADAPTERS=telegram\nTELEGRAM_BOT_TOKEN=1:from-file\nWECHAT_SEND_INTERVAL_MS=900\nKEPU_DATA_DIR=/srv/kepu\n')
      const c = loadConfig({ env: { TELEGRAM_BOT_TOKEN: '2:from-env', KEPU_DATA_DIR: '' }, envFile: file })
      expect(c.TELEGRAM_BOT_TOKEN).toBe('2:from-env')
      expect(c.WECHAT_SEND_INTERVAL_MS).toBe(900)
      expect(c.KEPU_DATA_DIR).toBe('/srv/kepu')
      expect(loadConfig({ env: {}, envFile: join(dir, 'missing.env') }).KEPU_ADAPTERS).toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('redacts secrets for logging', () => {
    const c = load({ TELEGRAM_BOT_TOKEN: '1:abc', TELEGRAM_WEBHOOK_SECRET: 's', WECHATY_PUPPET_SERVICE_TOKEN: 't' })
    expect(JSON.stringify(redactConfig(c))).not.toMatch(/1:abc|"s"|"t"/)
  })
})
