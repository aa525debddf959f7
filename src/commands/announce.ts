import { join } from 'node:path'
import type { Command } from 'commander'
import {
  createAnnouncements,
  describeAnnouncement,
  formatShanghai,
  parseChatList,
  parseLeadDays,
  type Announcements,
} from '../announce/announcements.js'
import { parseCron } from '../announce/cron-schedule.js'
import { createLiveContent } from '../announce/live-content.js'
import { PLACEHOLDERS } from '../announce/template.js'
import { TOPICS } from '../announce/topics.js'
import { weeklyUnansweredDigest } from '../announce/unanswered-report.js'
import { loadCalendar } from '../calendar/load-calendar.js'
import { loadConfig } from '../config.js'
import { systemClock } from '../core/clock.js'
import { KepuError } from '../core/errors.js'
import { packageRoot } from '../core/package-root.js'
import { parseNow } from '../core/shanghai-time.js'
import { loadFraudKnowledge } from '../fraud/fraud-knowledge.js'
import { RegionRegistry } from '../knowledge/region-registry.js'
import { openConfiguredStore } from '../store/open-configured-store.js'
import type { Store, Target } from '../store/async-store.js'

/** What the staff commands work on: the store in KEPU_DATA_DIR and live content from content/. */
export interface AnnounceCli {
  store: Store
  announcements: Announcements
}

/** Opens the store and the announcement service for one CLI command; the caller closes the store. */
export async function openAnnounceCli(): Promise<AnnounceCli> {
  const config = loadConfig()
  const contentDir = join(packageRoot(), 'content')
  const store = await openConfiguredStore(config)
  const content = createLiveContent({ calendar: loadCalendar(contentDir), fraud: loadFraudKnowledge(contentDir) })
  const regions = RegionRegistry.load(join(contentDir, 'regions.yaml'))
  const unansweredDigest = weeklyUnansweredDigest(store)
  return { store, announcements: createAnnouncements({ store, content, clock: systemClock, regions, unansweredDigest }) }
}

/** Runs a CLI action with the store open; input and config errors print one line and exit 2. */
export async function withAnnounceCli(name: string, action: (cli: AnnounceCli) => void | Promise<void>): Promise<void> {
  let cli: AnnounceCli | undefined
  try {
    cli = await openAnnounceCli()
    await action(cli)
  } catch (err) {
    if (!(err instanceof KepuError)) throw err
    process.stderr.write(`kepu ${name}: ${err.message}\n`)
    process.exitCode = 2
  } finally {
    await cli?.store.close()
  }
}

/** Reads --topic/--region or --chats into a target. */
export function targetFromOptions(opts: { topic?: string; region?: string; chats?: string }): Target {
  if (opts.chats && opts.topic) throw new KepuError('E_INPUT', 'give either --topic or --chats, not both')
  if (opts.chats) return { kind: 'chats', chats: parseChatList(opts.chats) }
  if (!opts.topic) throw new KepuError('E_INPUT', `a target is needed: --topic ${TOPICS.map((t) => t.id).join('|')} [--region 东营市], or --chats telegram:123,wechat:wxid_x`)
  return opts.region ? { kind: 'topic', topic: opts.topic, region: opts.region } : { kind: 'topic', topic: opts.topic }
}

/** Multi-line templates on the command line: `\n` in the text is a line break. */
export function unescapeTemplate(text: string): string {
  return text.replace(/\\n/g, '\n')
}

const out = (line: string) => process.stdout.write(`${line}\n`)

/** `kepu announce add|list|preview|remove|next`: scheduled announcements (the same as /announce in chat). */
export function register(program: Command): void {
  const announce = program
    .command('announce')
    .description('scheduled announcements to subscribers or named chats (cron in Asia/Shanghai); `kepu serve` sends them')
  announce
    .command('add')
    .description(`schedule an announcement; template placeholders: ${Object.keys(PLACEHOLDERS).map((k) => `{${k}}`).join(' ')}`)
    .requiredOption('--cron <expr>', 'five-field cron in Asia/Shanghai, e.g. "0 9 * * 1" (Mondays 09:00)')
    .option('--topic <id>', `subscribers of a topic: ${TOPICS.map((t) => `${t.id} (${t.label})`).join(', ')}`)
    .option('--region <name>', 'only subscribers in this region (东营市 or 东营)')
    .option('--chats <list>', 'named chats instead: telegram:123,wechat:wxid_x')
    .requiredOption('--template <text>', 'the message; \\n for a line break')
    .option('--lead <days>', 'observance reminders: days before, e.g. 3,1 (the template needs {reminders})')
    .option('--observance <name>', 'observance reminders: only this observance')
    .option('--name <name>', 'a name for lists')
    .action(async (opts: { cron: string; topic?: string; region?: string; chats?: string; template: string; lead?: string; observance?: string; name?: string }) =>
      withAnnounceCli('announce add', async ({ announcements }) => {
        const { announcement, next } = await announcements.add(
          {
            cron: opts.cron,
            target: targetFromOptions(opts),
            template: unescapeTemplate(opts.template),
            ...(opts.lead ? { leadDays: parseLeadDays(opts.lead) } : {}),
            ...(opts.observance ? { observance: opts.observance } : {}),
            ...(opts.name ? { name: opts.name } : {}),
          },
          'cli',
        )
        out(`added #${announcement.id} ${announcement.name}`)
        out('next five firings (Asia/Shanghai):')
        for (const t of next) out(`  ${formatShanghai(t)}`)
      }),
    )
  announce
    .command('list')
    .description('the active announcements with their next firing')
    .action(async () =>
      withAnnounceCli('announce list', async ({ announcements }) => {
        const all = await announcements.list()
        if (all.length === 0) out('no announcements')
        for (const a of all) out(describeAnnouncement(a))
      }),
    )
  announce
    .command('preview')
    .description('what a firing would send now (or --at), without sending')
    .argument('<id>', 'announcement number')
    .option('--at <date-time>', 'as if it fired then (Asia/Shanghai)')
    .action(async (id: string, opts: { at?: string }) =>
      withAnnounceCli('announce preview', async ({ announcements }) => {
        const at = opts.at ? parseNow(opts.at) : undefined
        if (opts.at && !at) throw new KepuError('E_INPUT', `--at ${JSON.stringify(opts.at)} is not a date or date-time`)
        const rows = await announcements.preview(Number(id), at)
        out(`${rows.length} recipient(s)`)
        if (rows.length === 0) {
          const text = await announcements.sample(Number(id), at)
          out(text === undefined ? '(nothing to send at that time: the live content is empty)' : `--- sample\n${text}`)
        }
        const seen = new Set<string>()
        for (const r of rows) {
          if (seen.has(r.text)) continue
          seen.add(r.text)
          out(`--- ${r.channel}:${r.chatId}${rows.length > 1 ? ' (and others with the same text)' : ''}\n${r.text}`)
        }
      }),
    )
  announce
    .command('remove')
    .description('stop an announcement; its queued, unsent messages are cancelled')
    .argument('<id>', 'announcement number')
    .action(async (id: string) =>
      withAnnounceCli('announce remove', async ({ announcements }) => {
        if (!(await announcements.remove(Number(id)))) throw new KepuError('E_INPUT', `no active announcement #${id}`)
        out(`removed #${id}`)
      }),
    )
  announce
    .command('next')
    .description('check a cron expression and show its next five firings in Asia/Shanghai')
    .argument('<cron>', 'e.g. "0 9 * * 1"')
    .action(async (expr: string) => {
      try {
        for (const t of parseCron(expr).nextN(new Date(), 5)) out(formatShanghai(t))
      } catch (err) {
        if (!(err instanceof KepuError)) throw err
        process.stderr.write(`kepu announce next: ${err.message}\n`)
        process.exitCode = 2
      }
    })
}
