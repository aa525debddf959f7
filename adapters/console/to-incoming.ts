import { commandToText } from '../shared/slash-commands.js'

/** What one typed line means to the console. */
export type ConsoleInput =
  | { kind: 'blank' }
  | { kind: 'quit' }
  | { kind: 'history' }
  | { kind: 'help'; text: string }
  | { kind: 'ask'; text: string; forwarded: boolean }

/**
 * The pure half of the console adapter: a typed line to what it asks for. Slash commands turn into the
 * phrases the bot understands (/region 东营 → 我在东营), /check <text> goes to the scam check.
 */
export function toConsoleInput(line: string): ConsoleInput {
  const text = line.trim()
  if (!text) return { kind: 'blank' }
  if (/^\/(quit|exit|q)$/i.test(text) || text === '退出') return { kind: 'quit' }
  if (/^\/history$/i.test(text)) return { kind: 'history' }
  const m = /^\/([A-Za-z_]+)(?:\s+([\s\S]*))?$/.exec(text)
  if (!m) return { kind: 'ask', text, forwarded: false }
  const command = m[1]!.toLowerCase()
  const mapped = commandToText(command, m[2] ?? '')
  if (command === 'help' || command === 'start') return { kind: 'help', text: mapped.text }
  return { kind: 'ask', text: mapped.text, forwarded: mapped.forwarded }
}
