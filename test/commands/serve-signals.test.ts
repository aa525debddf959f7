import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeBotApi } from '../fakes/fake-bot-api.js'

// Process lifecycle with real processes started the ways operators start them: `npx kepu serve`
// (npm → node), and `node bin/kepu.js serve`. The built CLI (dist/, made by `npm install`) is what runs.

const root = resolve(import.meta.dirname, '../..')
const built = existsSync(join(root, 'dist/src/cli.js'))

/** Every descendant of a process, from /proc. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)])
    } catch {
      // Gone meanwhile.
    }
  }
  const out: number[] = []
  const walk = (p: number): void => {
    for (const c of children.get(p) ?? []) {
      out.push(c)
      walk(c)
    }
  }
  walk(pid)
  return out
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ')
  } catch {
    return false
  }
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (check()) return true
    await new Promise((r) => setTimeout(r, 100))
  }
  return check()
}

describe.skipIf(!built)('kepu serve process lifecycle (real processes)', () => {
  let fake: FakeBotApi
  const dirs: string[] = []
  const children: ChildProcess[] = []

  beforeAll(async () => {
    fake = await FakeBotApi.start({ token: '515151:AAE-lifecycle-token' })
  })
  afterAll(async () => {
    for (const c of children) for (const pid of [c.pid!, ...descendants(c.pid!)]) if (alive(pid)) process.kill(pid, 'SIGKILL')
    await fake.close()
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  })

  function start(how: 'npx' | 'node', dataDir?: string): { child: ChildProcess; dataDir: string; stderr: () => string } {
    const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'kepu-life-'))
    if (!dataDir) dirs.push(dir)
    const [cmd, args] = how === 'npx' ? ['npx', ['--no-install', 'kepu', 'serve']] : [process.execPath, [join(root, 'bin/kepu.js'), 'serve']]
    const child = spawn(cmd as string, args as string[], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, KEPU_ADAPTERS: 'telegram', TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, TELEGRAM_POLL_TIMEOUT_S: '1', KEPU_DATA_DIR: dir, KEPU_CACHE_DIR: join(root, 'node_modules/.cache/kepu'), KEPU_DEFAULT_ANNOUNCEMENTS: '0', KEPU_HTTP_PORT: '0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    children.push(child)
    let err = ''
    child.stderr!.on('data', (c: Buffer) => (err += c.toString('utf8')))
    return { child, dataDir: dir, stderr: () => err }
  }

  async function serving(child: ChildProcess): Promise<number[]> {
    const from = fake.requests.length
    await fake.waitFor((r) => r.method === 'getUpdates', { timeoutMs: 60_000, from })
    return [child.pid!, ...descendants(child.pid!)]
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`npx kepu serve stops, with its node process, within 5 s of ${signal} to npx`, async () => {
      const { child } = start('npx')
      const pids = await serving(child)
      expect(pids.length).toBeGreaterThan(1)
      const t0 = Date.now()
      child.kill(signal)
      expect(await until(() => pids.every((p) => !alive(p)), 5000)).toBe(true)
      expect(Date.now() - t0).toBeLessThan(5000)
    }, 90_000)
  }

  it('the bot stops when npx is killed with SIGKILL (no orphan keeps answering)', async () => {
    const { child } = start('npx')
    const pids = await serving(child)
    child.kill('SIGKILL')
    expect(await until(() => pids.every((p) => !alive(p)), 5000)).toBe(true)
  }, 90_000)

  it('a second serve on the same data directory refuses to start and says why; the first keeps running', async () => {
    const first = start('node')
    await serving(first.child)
    const second = start('node', first.dataDir)
    const code = await new Promise<number | null>((r) => second.child.on('exit', (c) => r(c)))
    expect(code).toBe(2)
    expect(second.stderr()).toMatch(/another kepu serve \(pid \d+\) is running on this data directory/)
    expect(alive(first.child.pid!)).toBe(true)
    first.child.kill('SIGTERM')
    expect(await until(() => !alive(first.child.pid!), 5000)).toBe(true)
    // The lock is released: a new serve may start.
    expect(existsSync(join(first.dataDir, 'kepu.lock'))).toBe(false)
  }, 90_000)
})
