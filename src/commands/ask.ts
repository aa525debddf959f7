import { createInterface } from 'node:readline'
import type { Command } from 'commander'
import { createApp, type App } from '../app.js'
import { cacheDir } from '../core/cache-dir.js'
import type { Incoming } from '../core/incoming.js'
import { createLogger } from '../core/logger.js'
import type { Reply } from '../core/reply.js'
import { parseNow } from '../core/shanghai-time.js'

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
      const logger = createLogger()
      const app = createApp({ logger, cacheDir: cacheDir(), warm: opts.jsonl === true })
      if (opts.jsonl) {
        await app.ready
        return batch(app)
      }
      const now = opts.now ? parseNow(opts.now) : undefined
      if (opts.now && !now) {
        process.stderr.write(`kepu ask: --now ${JSON.stringify(opts.now)} is not an ISO date (2026-05-05) or date-time\n`)
        process.exitCode = 2
        return
      }
      const reply = await app.bot.handle(toIncoming({ q: words.join(' '), region: opts.region, ...(now ? { now: opts.now } : {}) }, 0))
      process.stdout.write(`${reply.text}\n`)
    })
}

/** Reads requests line by line and writes exactly one reply line per request, in order. */
async function batch(app: App): Promise<void> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })
  let n = 0
  for await (const line of lines) {
    if (!line.trim()) continue
    n++
    let out: Record<string, unknown>
    try {
      const request = JSON.parse(line) as AskRequest
      const started = performance.now()
      const reply = await app.bot.handle(toIncoming(request && typeof request === 'object' ? request : {}, n))
      out = toJson(reply, performance.now() - started)
    } catch {
      app.logger.warn({ code: 'E_INPUT', line: n }, 'batch line is not a JSON object')
      out = { text: '这一行不是有效的 JSON 请求。', answered: false, intent: 'none', ms: 0, sources: [] }
    }
    process.stdout.write(`${JSON.stringify(out)}\n`)
  }
}

function toIncoming(r: AskRequest, n: number): Incoming {
  const now = typeof r.now === 'string' ? parseNow(r.now) : undefined
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
