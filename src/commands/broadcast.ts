import type { Command } from 'commander'
import { TOPICS } from '../announce/topics.js'
import { targetFromOptions, unescapeTemplate, withAnnounceCli } from './announce.js'

/**
 * `kepu broadcast`: queues one message now to the subscribers of a topic (and region) or to named chats.
 * The running `kepu serve` delivers it at the platforms' rates; `kepu report deliveries` shows the outcome.
 */
export function register(program: Command): void {
  program
    .command('broadcast')
    .description('queue a one-off message to subscribers or named chats; the running `kepu serve` sends it')
    .option('--topic <id>', `subscribers of a topic: ${TOPICS.map((t) => t.id).join(', ')}`)
    .option('--region <name>', 'only subscribers in this region')
    .option('--chats <list>', 'named chats instead: telegram:123,wechat:wxid_x')
    .requiredOption('--text <text>', 'the message (placeholders like {daily_tip} work too; \\n for a line break)')
    .action(async (opts: { topic?: string; region?: string; chats?: string; text: string }) =>
      withAnnounceCli('broadcast', async ({ announcements }) => {
        const firing = await announcements.broadcast(targetFromOptions(opts), unescapeTemplate(opts.text), 'cli')
        process.stdout.write(`queued #${firing.id} to ${firing.recipients} chat(s); \`kepu serve\` delivers it (see \`kepu report deliveries\`)\n`)
      }),
    )
}
