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

  it('keeps one reply per input line whatever the line holds: raw CR, blanks of every kind, BOM, a bad now', () => {
    const q = (o: Record<string, unknown>) => JSON.stringify(o)
    const lines = [
      q({ q: '防灾减灾日是哪天？', now: '2026-05-05' }), // after a BOM at the start of the stream
      `{"q": "防灾减灾日\r是哪天？", "now": "2026-05-05"}`, // a raw CR inside the string
      `${q({ q: '你好' })}\r`, // CRLF
      '',
      '   \t',
      '\u3000\u3000',
      '\u00a0',
      '\ufeff',
      'a\rb', // not JSON, with a CR in it
      q({ q: '防灾减灾日是哪天？', now: '9999-05-05' }),
      q({ q: '防灾减灾日是哪天？', now: '1969-12-31' }),
      q({ q: '防灾减灾日是哪天？', now: '2026-02-31' }),
      q({ q: '防灾减灾日是哪天？', now: 20260505 }),
      q({ q: '防灾减灾日是哪天？', now: '2100-05-05' }),
      '[1, 2]',
    ]
    const r = ask(['--jsonl'], `\ufeff${lines.join('\n')}`) // and no newline after the last line
    expect(r.code).toBe(0)
    const out = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(r.stdout.endsWith('\n')).toBe(true)
    expect(out).toHaveLength(lines.length)
    for (const o of out) {
      expect(Object.keys(o).slice(0, 5)).toEqual(['text', 'answered', 'intent', 'ms', 'sources'])
      expect(typeof o.text).toBe('string')
      expect((o.text as string).length).toBeGreaterThan(0)
    }
    expect(out[0]).toMatchObject({ answered: true, intent: 'event' })
    expect(out[1]).toMatchObject({ answered: true, intent: 'event' })
    expect(out[2]!.text).not.toBe(out[3]!.text)
    for (const i of [3, 4, 5, 6, 7]) expect(out[i]).toMatchObject({ answered: false, intent: 'none', sources: [] })
    expect(out[8]).toMatchObject({ answered: false })
    for (const i of [9, 10, 11, 12]) {
      expect(out[i]).toMatchObject({ answered: false, intent: 'none' })
      expect(out[i]!.text).toContain('日期')
    }
    expect(out[13]).toMatchObject({ answered: true, intent: 'event' })
    expect(out[14]).toMatchObject({ answered: false })
    expect(r.stderr).not.toContain('RangeError')
  })

  it('refuses --now outside 1970–2100', () => {
    const r = ask(['--now', '9999-01-01', '防灾减灾日是哪天？'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('1970')
    expect(r.stderr).not.toContain('RangeError')
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
