import type { Command } from 'commander'
import { formatShanghai } from '../announce/announcements.js'
import { groupUnanswered } from '../announce/unanswered-report.js'
import { InputError } from '../core/errors.js'
import { parseNow } from '../core/shanghai-time.js'
import { withAnnounceCli } from './announce.js'

/** `7d`, `12h`, `30m`, or a date (Asia/Shanghai): the start of a report window. */
export function parseSince(value: string, now: Date): Date {
  const rel = /^(\d+)\s*([dhm])$/i.exec(value.trim())
  if (rel) {
    const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[rel[2]!.toLowerCase() as 'd' | 'h' | 'm']
    return new Date(now.getTime() - Number(rel[1]) * unit)
  }
  const at = parseNow(value)
  if (!at) throw new InputError(`--since ${JSON.stringify(value)}: expected 7d, 12h, 30m or a date like 2026-09-01`)
  return at
}

const out = (line: string) => process.stdout.write(`${line}\n`)

/** Text on one line (line breaks and runs of spaces as one space), cut to `n` characters with … . */
function oneLine(text: string, n: number): string {
  const chars = Array.from(text.replace(/\s+/gu, ' ').trim())
  return chars.length > n ? `${chars.slice(0, n).join('')}…` : chars.join('')
}

/** How many 没用 answers are printed under a group (newest first); the rest are counted. */
const UNHELPFUL_SHOWN = 5

/** `kepu report unanswered|deliveries`: what the bot could not answer, and what announcements delivered. */
export function register(program: Command): void {
  const report = program.command('report').description('reports for staff: unanswered questions, delivery of announcements')
  report
    .command('unanswered')
    .description('questions residents asked that the bot declined or whose answer they called 没用 (with the answer and their comment), grouped, asked by the most residents first')
    .option('--since <when>', 'window start: 7d, 24h or a date', '7d')
    .option('--limit <n>', 'groups to show', '50')
    .option('--json', 'one JSON object per group')
    .action(async (opts: { since: string; limit: string; json?: boolean }) =>
      withAnnounceCli('report unanswered', async ({ store }) => {
        const since = parseSince(opts.since, new Date())
        const groups = groupUnanswered(await store.unansweredSince(since))
        const limit = Math.max(1, Number(opts.limit) || 50)
        if (opts.json) {
          for (const g of groups.slice(0, limit)) out(JSON.stringify({ ...g, first: g.first.toISOString(), last: g.last.toISOString() }))
          return
        }
        const total = groups.reduce((n, g) => n + g.count, 0)
        out(`unanswered since ${formatShanghai(since)}: ${total} question(s) in ${groups.length} group(s), ranked by residents who asked (declined, or answered and called 没用)`)
        for (const g of groups.slice(0, limit)) {
          out(`${String(g.users).padStart(4)} 人 ${String(g.count).padStart(4)}×  ${g.text}   [${g.regions.join(', ') || '未知地区'}; ${g.channels.join(', ')}; last ${formatShanghai(g.last)}]`)
          // What residents who called an answer 没用 were shown and said: what the answer was missing.
          for (const u of (g.unhelpful ?? []).slice(0, UNHELPFUL_SHOWN)) {
            out(`            没用 ${formatShanghai(u.at)}  答：${oneLine(u.answer, 40)}${u.comment ? `  居民说：${oneLine(u.comment, 40)}` : ''}`)
          }
          if ((g.unhelpful?.length ?? 0) > UNHELPFUL_SHOWN) out(`            … ${g.unhelpful!.length - UNHELPFUL_SHOWN} more 没用; use --json`)
        }
        if (groups.length > limit) out(`… ${groups.length - limit} more group(s); use --limit`)
      }),
    )
  report
    .command('deliveries')
    .description('per firing: sent, failed, blocked, in doubt (not resent), pending, cancelled')
    .option('--since <when>', 'window start: 7d, 24h or a date', '7d')
    .action(async (opts: { since: string }) =>
      withAnnounceCli('report deliveries', async ({ store }) => {
        const reports = await store.reports(parseSince(opts.since, new Date()))
        if (reports.length === 0) out('no firings in this window')
        for (const r of reports) {
          out(
            `#${r.firingId} ${formatShanghai(r.fireAt)} ${r.name}: total ${r.total}, sent ${r.sent}, failed ${r.failed}, blocked ${r.blocked}, in doubt ${r.inDoubt}, pending ${r.pending + r.sending}, cancelled ${r.cancelled}${r.routes ? ` (routes: ${Object.entries(r.routes).map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}`,
          )
        }
      }),
    )
}
