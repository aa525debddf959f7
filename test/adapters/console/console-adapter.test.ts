import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createConsoleAdapter, renderReply } from '../../../adapters/console/console-adapter.js'
import { toConsoleInput } from '../../../adapters/console/to-incoming.js'
import type { Incoming } from '../../../src/core/incoming.js'
import type { Reply } from '../../../src/core/reply.js'

async function converse(lines: string[], reply: (i: Incoming) => Reply, options: { region?: string } = {}) {
  const input = new PassThrough()
  const output = new PassThrough()
  let printed = ''
  output.on('data', (c: Buffer) => (printed += c.toString('utf8')))
  const seen: Incoming[] = []
  const adapter = createConsoleAdapter({ input, output, banner: false, ...options })
  await adapter.start(async (i) => {
    seen.push(i)
    return reply(i)
  })
  input.end(lines.map((l) => `${l}\n`).join(''))
  await adapter.done
  return { printed, seen }
}

const echo = (i: Incoming): Reply => ({ text: `答：${i.text}`, answered: true, intent: 'plan' })

describe('console adapter', () => {
  it('prints one reply per line, in order, and ends with the input', async () => {
    const { printed, seen } = await converse(['防灾减灾日是哪天', '', '科技活动周'], echo)
    expect(printed).toBe('答：防灾减灾日是哪天\n\n答：科技活动周\n\n')
    expect(seen.map((i) => i.channel)).toEqual(['console', 'console'])
    expect(seen[0]).toMatchObject({ isGroup: false, mentioned: true, forwarded: false, userId: 'local' })
  })

  it('maps /region, /check and /help to what the bot understands, and stops at /quit', async () => {
    const { printed, seen } = await converse(['/region 东营', '/check 您的账户异常请转账', '/help', '/quit', '不会被问到'], echo, { region: '乌海市' })
    expect(seen.map((i) => [i.text, i.forwarded])).toEqual([
      ['我在东营', false],
      ['您的账户异常请转账', true],
      ['帮助', false],
    ])
    expect(seen[0]!.region).toBe('乌海市')
    expect(printed).toContain('/quit  退出')
    expect(printed.trimEnd().endsWith('再见！')).toBe(true)
  })

  it('lists what was asked with /history', async () => {
    const { printed } = await converse(['第一问', '第二问', '/history'], echo)
    expect(printed).toContain('1. 第一问\n2. 第二问')
  })

  it('numbers choices the text does not already list, and sends nothing for a silent reply', async () => {
    const choices = [{ label: '东营市', value: '我在东营市' }, { label: '乌海市', value: '我在乌海市' }]
    expect(renderReply({ text: '选地区：', answered: true, intent: 'region', choices })).toBe('选地区：\n1. 东营市\n2. 乌海市')
    expect(renderReply({ text: '选地区：\n1. 东营市\n2. 乌海市', answered: true, intent: 'region', choices })).toBe('选地区：\n1. 东营市\n2. 乌海市')
    const { printed } = await converse(['静'], () => ({ text: '', answered: false, intent: 'ignored', silent: true }))
    expect(printed).toBe('')
  })

  it('survives a bot that throws', async () => {
    const { printed } = await converse(['炸', '好'], (i) => {
      if (i.text === '炸') throw new Error('boom')
      return echo(i)
    })
    expect(printed).toContain('出了点问题')
    expect(printed).toContain('答：好')
  })

  it('parses typed lines purely', () => {
    expect(toConsoleInput('  ')).toEqual({ kind: 'blank' })
    expect(toConsoleInput('退出')).toEqual({ kind: 'quit' })
    expect(toConsoleInput('/region')).toEqual({ kind: 'ask', text: '/region', forwarded: false })
    expect(toConsoleInput('/events 这周末')).toEqual({ kind: 'ask', text: '这周末', forwarded: false })
    expect(toConsoleInput('/unknown x')).toEqual({ kind: 'ask', text: '/unknown x', forwarded: false })
  })

  it('prints announcements sent to it', async () => {
    const output = new PassThrough()
    let printed = ''
    output.on('data', (c: Buffer) => (printed += c.toString('utf8')))
    const dir = mkdtempSync(join(tmpdir(), 'kepu-console-'))
    try {
      const adapter = createConsoleAdapter({ input: new PassThrough(), output, banner: false, historyFile: join(dir, 'h') })
      await adapter.start(async (i) => echo(i))
      expect(await adapter.send({ chatId: 'local', text: '明天上午科普讲座' })).toEqual({ messageId: 'console-1' })
      await adapter.stop()
      expect(printed).toBe('【通知】明天上午科普讲座\n\n')
      expect(() => readFileSync(join(dir, 'h'))).toThrow()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
