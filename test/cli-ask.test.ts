import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ANSWERED, NOT_CARDS } from './kepu/typical-questions.js'
import { readFileSync } from 'node:fs'

const root = join(__dirname, '..')
// The one-shot bundle is built with dist/ (`npm install` runs the build); what runs is the built CLI.
const built = existsSync(join(root, 'dist/kepu-ask.cjs'))

/** Requests of every kind the batch contract carries: plans, regions, a conversation, calendar days, forwarded messages, cards. */
function requests(): string[] {
  const fraud = readFileSync(join(root, 'test/fraud/labelled-messages.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .slice(0, 12)
    .map((l) => (JSON.parse(l) as { text: string }).text)
  return [
    { q: '到2025年东营全市公民具备科学素质的比例要达到多少？', region: '东营市', now: '2026-05-05' },
    { q: '東營2025年科學素質目標是多少' },
    { q: '我在神木', user: 'c1', now: '2026-10-15T09:20:00+08:00' },
    { q: '每年要开展多少场科学实验秀？', user: 'c1', now: '2026-10-15T09:21:00+08:00' },
    { q: '这个是哪个部门管的', user: 'c1', now: '2026-10-15T09:22:00+08:00' },
    { q: '那高平呢', user: 'c1', now: '2026-10-15T09:23:00+08:00' },
    { q: '这周末有啥活动', region: '东营市', now: '2026-09-16' },
    { q: '下个月有什么科普日', now: '2026-08-20' },
    { q: '全国科普日是哪天', now: '2026-05-05' },
    { q: '怎么投诉', now: '2026-05-05' },
    { q: '' },
    { q: 'not a request' },
    ...fraud.map((text) => ({ q: text, forwarded: true })),
    ...ANSWERED.slice(0, 40).map(([q]) => ({ q })),
    ...NOT_CARDS.slice(0, 10).map((q) => ({ q })),
  ].map((r) => JSON.stringify(r))
}

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

/** `node bin/kepu.js ask --jsonl` on the requests; the replies without their timings. */
function ask(env: Record<string, string>, input: string): { replies: unknown[]; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, 'bin/kepu.js'), 'ask', '--jsonl'], { cwd: root, input, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 })
  expect(r.status, r.stderr).toBe(0)
  const replies = r.stdout
    .trim()
    .split('\n')
    .map((l) => {
      const { ms: _ms, ...rest } = JSON.parse(l) as Record<string, unknown>
      return rest
    })
  return { replies, stderr: r.stderr }
}

describe.skipIf(!built)('kepu ask from the one-shot bundle (dist/kepu-ask.cjs)', { timeout: 300_000 }, () => {
  it('answers every kind of request exactly as the ES modules do, with and without its code cache', () => {
    const cache = mkdtempSync(join(tmpdir(), 'kepu-cli-ask-'))
    dirs.push(cache)
    const input = `${requests().join('\n')}\n`
    const modules = ask({ KEPU_CACHE_DIR: cache, KEPU_BUNDLE: '0' }, input)
    expect(existsSync(join(cache, 'code'))).toBe(false)
    const first = ask({ KEPU_CACHE_DIR: cache }, input)
    // The bundle ran (only it keeps compiled code), and wrote its cache after the run.
    expect(readdirSync(join(cache, 'code'))).toEqual([expect.stringMatching(/^kepu-ask-.*\.bin$/u)])
    const second = ask({ KEPU_CACHE_DIR: cache }, input)
    expect(modules.replies.length).toBeGreaterThan(60)
    expect(first.replies).toEqual(modules.replies)
    expect(second.replies).toEqual(modules.replies)
    expect(second.stderr).toBe(modules.stderr)
  })

  it('reports bad input the same one line and exit code', () => {
    const cache = mkdtempSync(join(tmpdir(), 'kepu-cli-ask-'))
    dirs.push(cache)
    const run = (env: Record<string, string>) => spawnSync(process.execPath, [join(root, 'bin/kepu.js'), 'ask', '--now', '2026-02-31', '今天有什么活动'], { cwd: root, encoding: 'utf8', env: { ...process.env, KEPU_CACHE_DIR: cache, ...env }, timeout: 60_000 })
    const modules = run({ KEPU_BUNDLE: '0' })
    const bundled = run({})
    expect(modules.status).toBe(2)
    expect([bundled.status, bundled.stdout, bundled.stderr]).toEqual([modules.status, modules.stdout, modules.stderr])
  })
})
