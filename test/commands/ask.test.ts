import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(__dirname, '../..')

/** Runs `kepu ask` through tsx, as `npx kepu` would run the built file. */
function ask(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli.ts'), 'ask', ...args], {
    cwd: root,
    input,
    encoding: 'utf8',
    env: { ...process.env, KEPU_CACHE_DIR: join(root, 'node_modules/.cache/kepu-test') },
    timeout: 60_000,
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('kepu ask --jsonl (the batch contract)', { timeout: 90_000 }, () => {
  it('writes exactly one JSON reply a line, in order, and nothing else on stdout', () => {
    const lines = [
      JSON.stringify({ q: '到2025年东营全市公民具备科学素质的比例要达到多少？', region: '东营市', now: '2026-05-05' }),
      'not json at all',
      JSON.stringify({ q: '' }),
      JSON.stringify({ q: '我在神木', user: 'u9' }),
      JSON.stringify({ q: '每年要开展多少场科学实验秀？', user: 'u9' }),
      JSON.stringify({ q: 42 }),
    ]
    const r = ask(['--jsonl'], lines.join('\n') + '\n')
    expect(r.code).toBe(0)
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(out).toHaveLength(6)
    for (const o of out) {
      expect(typeof o.text).toBe('string')
      expect(typeof o.answered).toBe('boolean')
      expect(typeof o.intent).toBe('string')
      expect(typeof o.ms).toBe('number')
      expect(Array.isArray(o.sources)).toBe(true)
    }
    expect(out[0]).toMatchObject({ answered: true, intent: 'plan' })
    expect(out[0]!.text).toContain('16-17%')
    expect((out[0]!.sources as { region: string }[])[0]!.region).toBe('东营市')
    expect(out[1]).toMatchObject({ answered: false })
    expect(out[2]).toMatchObject({ answered: false })
    expect(out[4]!.text).toContain('10场')
    expect(out[5]).toMatchObject({ answered: false })
  })

  it('answers one question from the command line', () => {
    const r = ask(['东营每年培训科技辅导员多少人次？'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('150')
  })

  it('refuses a malformed --now with a clear message', () => {
    const r = ask(['--now', 'yesterday', '你好'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--now')
  })
})
