import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createConsoleAdapter } from '../../../adapters/console/console-adapter.js'
import { capHistory, HISTORY_LIMITS, historyText } from '../../../adapters/console/history.js'

describe('capHistory', () => {
  it('keeps the newest lines within the line, byte and line-length caps, masked and without repeats', () => {
    const lines = ['我电话13812345678', '长'.repeat(501), '', '  ', '防灾减灾日是哪天', '防灾减灾日是哪天', ...Array.from({ length: 1000 }, (_, i) => `问题${i}`)]
    const kept = capHistory(lines)
    expect(kept[0]).toBe('我电话＊＊＊')
    expect(kept[1]).toBe('防灾减灾日是哪天')
    expect(kept).toHaveLength(HISTORY_LIMITS.maxLines)
    expect(kept.every((l) => Array.from(l).length <= HISTORY_LIMITS.maxLineChars)).toBe(true)
    expect(new Set(kept).size).toBe(kept.length)
  })

  it('stops at the byte cap', () => {
    const kept = capHistory(Array.from({ length: 400 }, (_, i) => `${i}${'字'.repeat(400)}`))
    expect(Buffer.byteLength(historyText(kept))).toBeLessThanOrEqual(HISTORY_LIMITS.maxBytes)
    expect(kept.length).toBeGreaterThan(40)
    expect(capHistory([], HISTORY_LIMITS)).toEqual([])
    expect(historyText([])).toBe('')
  })
})

/** A terminal: readline keeps history (and emits it) only when input and output are TTYs. */
function tty(): { input: PassThrough; output: PassThrough } {
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => input })
  const output = Object.assign(new PassThrough(), { isTTY: true, columns: 80 })
  output.resume()
  return { input, output }
}

describe('console history file', () => {
  it('in a terminal, writes a capped, masked history readable by its owner only, and reads it back capped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kepu-history-'))
    const file = join(dir, 'console-history')
    try {
      // An old, unbounded file: 1 MB after one paste.
      writeFileSync(file, `${'贴'.repeat(350_000)}\n旧问题\n`)
      const { input, output } = tty()
      const adapter = createConsoleAdapter({ input, output, banner: false, historyFile: file })
      expect(adapter.loadHistory()).toEqual([])
      await adapter.start(async (i) => ({ text: `答：${i.text}`, answered: true, intent: 'plan' }))
      input.write('身份证370502199001011234\r')
      input.write(`${'粘'.repeat(2000)}\r`)
      for (let i = 0; i < 520; i++) input.write(`问题${i}\r`)
      input.write('/quit\r')
      await adapter.done
      const text = readFileSync(file, 'utf8')
      const lines = text.split('\n').filter(Boolean)
      expect(lines.length).toBeLessThanOrEqual(HISTORY_LIMITS.maxLines)
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(HISTORY_LIMITS.maxBytes)
      expect(lines.every((l) => Array.from(l).length <= HISTORY_LIMITS.maxLineChars)).toBe(true)
      expect(text).not.toContain('370502199001011234')
      expect(text).not.toContain('粘')
      expect(lines[0]).toBe('/quit')
      expect(statSync(file).mode & 0o077).toBe(0)
      expect(adapter.loadHistory()).toEqual(capHistory(lines))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('writes nothing without a history file (KEPU_HISTORY=0)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kepu-history-'))
    try {
      const { input, output } = tty()
      const adapter = createConsoleAdapter({ input, output, banner: false })
      await adapter.start(async (i) => ({ text: `答：${i.text}`, answered: true, intent: 'plan' }))
      input.write('我电话13812345678\r/quit\r')
      await adapter.done
      expect(adapter.loadHistory()).toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
