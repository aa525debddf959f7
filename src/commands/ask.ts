import type { Command } from 'commander'
import { createApp, type App } from '../app.js'
import { cacheDir } from '../core/cache-dir.js'
import type { Incoming } from '../core/incoming.js'
import { createLogger, lazyLogger } from '../core/logger.js'
import type { Reply } from '../core/reply.js'
import { msg } from '../core/messages-zh.js'
import { parseNow, toLocalDate } from '../core/shanghai-time.js'
import { readLines } from './read-lines.js'

/** One line of `kepu ask --jsonl` input (../shared/eval/README.md). */
interface AskRequest {
  q?: unknown
  region?: unknown
  now?: unknown
  user?: unknown
  forwarded?: unknown
}

/** `kepu ask "问题"` answers one question; `kepu ask --jsonl` answers one JSON request a line on stdin. */
export function register(program: Command): void {
  program
    .command('ask')
    .description('answer one question, or (--jsonl) one JSON request a line from stdin, one JSON reply a line to stdout')
    .argument('[question...]', 'the question')
    .option('--jsonl', 'batch mode: read {"q", "region", "now", "user", "forwarded"} lines from stdin')
    .option('--region <name>', 'the resident\'s region (东营市, 汕尾城区 …)')
    .option('--now <date>', 'answer as if it were this date or date-time (Asia/Shanghai)')
    .action(async (words: string[], opts: { jsonl?: boolean; region?: string; now?: string }) => {
      const logger = lazyLogger(() => createLogger())
      const app = createApp({ logger, cacheDir: cacheDir(), warm: opts.jsonl === true })
      if (opts.jsonl) {
        await app.ready
        return batch(app)
      }
      const now = opts.now === undefined ? undefined : checkNow(opts.now)
      if (typeof now === 'string') {
        process.stderr.write(`kepu ask: --now ${JSON.stringify(opts.now)}: ${now}\n`)
        process.exitCode = 2
        return
      }
      const reply = await app.bot.handle(toIncoming({ q: words.join(' '), region: opts.region }, 0, now))
      process.stdout.write(`${reply.text}\n`)
    })
}

/** The earliest and latest year a request's `now` may fall in (Asia/Shanghai). */
export const NOW_YEARS = { min: 1970, max: 2100 } as const

/**
 * The batch contract's `now` as an instant, or why it cannot be used: an ISO 8601 date or date-time
 * (see parseNow) that names a real day, in the years 1970–2100.
 */
export function checkNow(value: unknown): Date | string {
  if (typeof value !== 'string') return 'expected an ISO 8601 date (2026-05-05) or date-time'
  const now = parseNow(value)
  if (!now) return 'expected an ISO 8601 date (2026-05-05) or date-time'
  const day = /^(\d{4})-(\d{2})-(\d{2})/.exec(value.trim())
  // 2026-02-31 would roll over into March: a day that does not exist is refused, not moved.
  if (day && !/[zZ]|[+-]\d{2}:?\d{2}$/.test(value.trim())) {
    const local = toLocalDate(now)
    if (local.year !== Number(day[1]) || local.month !== Number(day[2]) || local.day !== Number(day[3])) return 'no such day'
  }
  const { year } = toLocalDate(now)
  if (!Number.isFinite(now.getTime()) || year < NOW_YEARS.min || year > NOW_YEARS.max) return `outside the years ${NOW_YEARS.min}–${NOW_YEARS.max}`
  return now
}

/** Polite `answered: false` replies for lines that are not a usable request; `sources` is always there. */
const NOT_JSON = { text: '这一行不是有效的 JSON 请求。', answered: false, intent: 'none', ms: 0, sources: [] }
const BLANK = { text: msg('empty'), answered: false, intent: 'none', ms: 0, sources: [] }
const BAD_NOW = { text: '请求里的日期（now）无效：请用 1970—2100 年之间的日期，例如 2026-05-05。', answered: false, intent: 'none', ms: 0, sources: [] }

/**
 * Reads requests line by line and writes exactly one reply line per input line, in order, whatever the
 * line holds: lines are split on `\n` only (readLines), so a raw CR never makes two; a blank line (any
 * Unicode space, a lone BOM) gets a polite `answered: false` reply, as does a line that is not a JSON
 * object or whose `now` is unusable.
 */
async function batch(app: App): Promise<void> {
  let n = 0
  for await (const line of readLines(process.stdin)) {
    n++
    const out = await answerLine(app, line, n)
    process.stdout.write(`${JSON.stringify(out)}\n`)
  }
}

/** One reply for one input line (never throws). */
export async function answerLine(app: Pick<App, 'bot' | 'logger'>, line: string, n: number): Promise<Record<string, unknown>> {
  const trimmed = line.replace(/^[\s\ufeff]+|[\s\ufeff]+$/gu, '')
  if (!trimmed) return BLANK
  const request = parseRequest(trimmed)
  if (!request) {
    app.logger.warn({ code: 'E_INPUT', line: n }, 'batch line is not a JSON object')
    return NOT_JSON
  }
  let now: Date | undefined
  if (request.now !== undefined && request.now !== null && request.now !== '') {
    const checked = checkNow(request.now)
    if (typeof checked === 'string') {
      app.logger.warn({ code: 'E_INPUT', line: n, field: 'now' }, `batch line: now ${checked}`)
      return BAD_NOW
    }
    now = checked
  }
  try {
    const started = performance.now()
    const reply = await app.bot.handle(toIncoming(request, n, now))
    return toJson(reply, performance.now() - started)
  } catch (err) {
    app.logger.error({ code: 'E_INTERNAL', line: n, err: err instanceof Error ? err.name : typeof err }, 'batch line failed')
    return { text: msg('error'), answered: false, intent: 'none', ms: 0, sources: [] }
  }
}

/** A JSON object, or undefined. Raw control characters (a CR pasted into a string) are read as spaces. */
function parseRequest(text: string): AskRequest | undefined {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
  for (const candidate of [text, text.replace(/[\u0000-\u001f]/g, ' ')]) {
    try {
      const parsed = JSON.parse(candidate) as unknown
      return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as AskRequest) : undefined
    } catch {
      // try the next reading
    }
  }
  return undefined
}

function toIncoming(r: AskRequest, n: number, now: Date | undefined): Incoming {
  const user = typeof r.user === 'string' && r.user ? r.user : `batch-${n}`
  return {
    channel: 'batch',
    chatId: user,
    userId: user,
    isGroup: false,
    mentioned: true,
    forwarded: r.forwarded === true,
    text: typeof r.q === 'string' ? r.q : '',
    ...(typeof r.region === 'string' && r.region ? { region: r.region } : {}),
    ...(now ? { now } : {}),
  }
}

function toJson(reply: Reply, ms: number): Record<string, unknown> {
  return {
    text: reply.text,
    answered: reply.answered,
    intent: reply.intent,
    ms: Math.round(ms * 1000) / 1000,
    sources: reply.sources ?? [],
    ...(reply.events ? { events: reply.events } : {}),
    ...(reply.fraud ? { fraud: reply.fraud } : {}),
    ...(reply.choices ? { choices: reply.choices } : {}),
  }
}
