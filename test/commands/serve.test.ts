import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../src/app.js'
import { startServe } from '../../src/commands/serve.js'
import { loadConfig } from '../../src/config.js'
import type { Adapter } from '../../src/core/adapter.js'
import { systemClock } from '../../src/core/clock.js'
import { silentLogger } from '../../src/core/logger.js'
import { FakeBotApi } from '../fakes/fake-bot-api.js'
import { memoryStore } from '../helpers/store.js'

// End to end: `kepu serve` as a separate process (src/cli.ts through tsx), its Telegram adapter pointed at
// the loopback fake with TELEGRAM_API_ROOT. Only transport behaviour is asserted, plus /start reaching the
// real bot's help.

const root = resolve(import.meta.dirname, '../..')
const tsx = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href
const cli = join(root, 'src/cli.ts')

interface Run {
  child: ChildProcess
  stderr: () => string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

function serve(env: Record<string, string>, cwd: string): Run {
  let err = ''
  const child = spawn(process.execPath, ['--import', tsx, cli, 'serve'], {
    cwd,
    // Port 0: the console and the feeds need the HTTP server; a fixed port would collide between test files.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, KEPU_CACHE_DIR: join(root, 'node_modules/.cache/kepu'), KEPU_HTTP_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stderr!.on('data', (c: Buffer) => (err += c.toString('utf8')))
  child.stdout!.resume()
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })))
  return { child, stderr: () => err, exited }
}

describe('kepu serve against the fake Bot API', () => {
  let fake: FakeBotApi
  let dir: string
  let run: Run

  beforeAll(async () => {
    fake = await FakeBotApi.start({ token: '424242:AAE-serve-e2e-token-never-logged' })
    dir = mkdtempSync(join(tmpdir(), 'kepu-serve-'))
    // A .env file is read from the working directory; the environment would win over it.
    writeFileSync(join(dir, '.env'), `TELEGRAM_API_ROOT=${fake.apiRoot}\nTELEGRAM_POLL_TIMEOUT_S=1\n`)
    run = serve({ KEPU_ADAPTERS: 'telegram', TELEGRAM_BOT_TOKEN: fake.token, KEPU_DATA_DIR: join(dir, 'data'), KEPU_LOG_LEVEL: 'debug' }, dir)
    await fake.waitFor((r) => r.method === 'getUpdates', { timeoutMs: 60_000 })
  }, 90_000)

  afterAll(async () => {
    if (run.child.exitCode === null) run.child.kill('SIGKILL')
    await fake.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('registers the commands and answers /start with the help and its buttons', async () => {
    expect(fake.commands.map((c) => c.command)).toContain('check')
    fake.pushText({ userId: 1001, text: '/start' })
    await fake.waitFor((r) => r.method === 'sendMessage' && r.payload.chat_id === '1001' && r.status === 200, { timeoutMs: 10_000 })
    const sent = fake.sentTo(1001)[0]!
    expect(sent.text).toContain('科普助手')
    expect((sent.replyMarkup as { inline_keyboard: unknown[][] }).inline_keyboard.flat().length).toBeGreaterThan(0)
  })

  it('answers a private question', async () => {
    fake.pushText({ userId: 1002, text: '防灾减灾日是哪天？' })
    await fake.waitFor((r) => r.method === 'sendMessage' && r.payload.chat_id === '1002' && r.status === 200, { timeoutMs: 10_000 })
    expect(fake.sentTo(1002)[0]!.text.length).toBeGreaterThan(0)
  })

  it('ignores an unmentioned group message and answers a mentioned one', async () => {
    const group = { id: -100555, type: 'supergroup' as const }
    fake.pushText({ userId: 1003, chat: group, text: '大家下午好，今天谁去活动中心？' })
    const mention = fake.textMessage({ userId: 1003, chat: group, text: '@kepu_test_bot 科技活动周什么时候开始' })
    fake.pushUpdate({ message: mention })
    const sent = await fake.waitFor((r) => r.method === 'sendMessage' && r.payload.chat_id === '-100555' && r.status === 200, { timeoutMs: 10_000 })
    await new Promise((r) => setTimeout(r, 300))
    expect(fake.sentTo(-100555)).toHaveLength(1)
    // It answers the mentioning message, not the first one.
    expect(sent.payload.reply_parameters).toEqual({ message_id: mention.message_id, allow_sending_without_reply: true })
  })

  it('checks a forwarded message', async () => {
    fake.pushText({ userId: 1004, text: '【社保中心】您的养老金资格认证即将过期，请点击 http://xx.cn 办理', forwardFrom: '陌生号码' })
    await fake.waitFor((r) => r.method === 'sendMessage' && r.payload.chat_id === '1004' && r.status === 200, { timeoutMs: 10_000 })
    expect(fake.sentTo(1004)).toHaveLength(1)
  })

  it('rides out a 429 with retry_after', async () => {
    fake.rateLimitNext(1, { chatId: '1005' })
    fake.pushText({ userId: 1005, text: '你好' })
    await fake.waitFor((r) => r.method === 'sendMessage' && r.payload.chat_id === '1005' && r.status === 200, { timeoutMs: 10_000 })
    const attempts = fake.calls('sendMessage').filter((r) => r.payload.chat_id === '1005')
    expect(attempts.map((r) => r.status)).toEqual([429, 200])
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(950)
  })

  it('exits 0 within 5 s of SIGTERM, and never logs the token', async () => {
    const started = Date.now()
    run.child.kill('SIGTERM')
    const { code } = await run.exited
    expect(code).toBe(0)
    expect(Date.now() - started).toBeLessThan(5000)
    const log = run.stderr()
    expect(log).toContain('shutting down')
    expect(log).not.toContain(fake.token)
    expect(log).not.toContain(fake.token.split(':')[1])
    // Nor the residents' messages.
    expect(log).not.toContain('养老金')
  })
})

describe('kepu serve configuration errors', () => {
  it('names the missing variable and exits 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kepu-serve-'))
    try {
      const run = serve({ KEPU_ADAPTERS: 'telegram' }, dir)
      const { code } = await run.exited
      expect(code).toBe(2)
      expect(run.stderr()).toContain('TELEGRAM_BOT_TOKEN')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 30_000)
})

describe('startServe (in process)', () => {
  const config = loadConfig({ env: { KEPU_ADAPTERS: 'console' }, envFile: false })
  const bot = { handle: async () => ({ text: '好', answered: true, intent: 'plan' as const }) }
  const app = { bot, clock: systemClock, logger: silentLogger } as unknown as App

  function recorder(name: string, events: string[], failStart = false): Adapter {
    return {
      name,
      start: async () => {
        if (failStart) throw new Error(`${name} cannot start`)
        events.push(`start ${name}`)
      },
      stop: async () => void events.push(`stop ${name}`),
      send: async () => ({}),
    }
  }

  it('starts adapters, then hooks with the adapters map; on stop undoes hooks before stopping adapters', async () => {
    const events: string[] = []
    const store = await memoryStore()
    const adapters = new Map([['a', recorder('a', events)], ['b', recorder('b', events)]])
    const handle = await startServe({
      config,
      logger: silentLogger,
      app,
      store,
      adapters,
      hooks: [
        (ctx) => {
          events.push(`hook sees ${[...ctx.adapters.keys()].join(',')}`)
          return () => void events.push('undo hook')
        },
      ],
    })
    await handle.stop()
    await handle.stop()
    expect(events).toEqual(['start a', 'start b', 'hook sees a,b', 'undo hook', 'stop a', 'stop b'])
    await store.close()
  })

  it('stops what started when an adapter fails to start, and refuses an empty adapter list', async () => {
    const events: string[] = []
    const store = await memoryStore()
    const adapters = new Map([['a', recorder('a', events)], ['b', recorder('b', events, true)]])
    await expect(startServe({ config, logger: silentLogger, app, store, adapters, hooks: [] })).rejects.toThrow('b cannot start')
    expect(events).toEqual(['start a', 'stop a'])
    await expect(startServe({ config, logger: silentLogger, app, store, adapters: new Map(), hooks: [] })).rejects.toThrow(/KEPU_ADAPTERS/)
    await store.close()
  })
})

describe('startServe: the one HTTP server', () => {
  it('serves /healthz and /readyz when KEPU_HTTP_PORT is set, and mounts adapter routes before adapters start', async () => {
    const config = loadConfig({ env: { KEPU_ADAPTERS: 'console', KEPU_HTTP_PORT: '0' }, envFile: false })
    const app = { bot: { handle: async () => ({ text: '好', answered: true, intent: 'plan' as const }) }, clock: systemClock, logger: silentLogger, ready: Promise.resolve() } as unknown as App
    const store = await memoryStore()
    let startedAt: number | undefined
    const adapter: Adapter = {
      name: 'hooked',
      start: async () => void (startedAt = Date.now()),
      stop: async () => {},
      send: async () => ({}),
      routes: () => [{ method: 'POST', path: '/hook', handle: () => ({ status: startedAt ? 200 : 503 }) }],
    }
    const handle = await startServe({ config, logger: silentLogger, app, store, adapters: new Map([['hooked', adapter]]), hooks: [] })
    try {
      const base = `http://127.0.0.1:${handle.httpPort}`
      expect((await fetch(`${base}/healthz`)).status).toBe(200)
      const ready = await fetch(`${base}/readyz`)
      expect(ready.status).toBe(200)
      expect(await ready.json()).toEqual({ ready: true, checks: { content: true, store: true, adapters: true } })
      expect((await fetch(`${base}/hook`, { method: 'POST', body: '{}' })).status).toBe(200)
    } finally {
      await handle.stop()
      await store.close()
    }
  })

  it('starts no HTTP server when nothing needs one', async () => {
    const config = loadConfig({ env: { KEPU_ADAPTERS: 'console' }, envFile: false })
    const app = { bot: { handle: async () => ({ text: '好', answered: true, intent: 'plan' as const }) }, clock: systemClock, logger: silentLogger } as unknown as App
    const store = await memoryStore()
    const adapter: Adapter = { name: 'plain', start: async () => {}, stop: async () => {}, send: async () => ({}) }
    const handle = await startServe({ config, logger: silentLogger, app, store, adapters: new Map([['plain', adapter]]), hooks: [] })
    expect(handle.httpPort).toBeUndefined()
    await handle.stop()
    await store.close()
  })
})
