import { join } from 'node:path'
import { createInterface } from 'node:readline/promises'
import type { Command } from 'commander'
import { createAlerts, type AlertStore } from '../alerts/alert-service.js'
import { loadConfig } from '../config.js'
import type { RegionResolver } from '../core/bot.js'
import { systemClock, type Clock } from '../core/clock.js'
import { KepuError } from '../core/errors.js'
import { packageRoot } from '../core/package-root.js'
import type { Card } from '../kepu/card-schema.js'
import { loadCards } from '../kepu/load-cards.js'
import { RegionRegistry } from '../knowledge/region-registry.js'
import { openConfiguredStore } from '../store/open-configured-store.js'

export interface AlertCliOptions {
  region: string
  hazard: string
  text: string
  yes?: boolean
}

export interface AlertCliDeps {
  store: AlertStore
  regions: RegionResolver
  cards: readonly Card[]
  clock: Clock
  /** Asks 「send?」 (y/N); absent: only --yes sends. */
  confirm?: (question: string) => Promise<boolean>
  out: (line: string) => void
}

/**
 * Composes the alert, prints it with the number of recipients, and queues it when confirmed (`--yes`, or y
 * at the prompt). Returns the firing id, or undefined when nothing was sent.
 */
export async function runAlert(opts: AlertCliOptions, deps: AlertCliDeps): Promise<number | undefined> {
  const alerts = createAlerts({ store: deps.store, clock: deps.clock, regions: deps.regions, cards: () => deps.cards })
  const draft = await alerts.preview(opts.region, opts.hazard, opts.text.replace(/\\n/g, '\n'))
  deps.out(draft.message)
  deps.out('')
  deps.out(`recipients: ${draft.recipients} chat(s) subscribed to 应急提醒 in ${draft.region}`)
  const ok = opts.yes || (deps.confirm ? await deps.confirm(`send this alert to ${draft.recipients} chat(s)? [y/N] `) : false)
  if (!ok) {
    deps.out(deps.confirm || opts.yes ? 'not sent' : 'not sent: add --yes to send (no terminal to ask)')
    return undefined
  }
  const firing = await alerts.send(draft, 'cli')
  deps.out(`queued #${firing.id} to ${firing.recipients} chat(s), ahead of every queued announcement; \`kepu serve\` delivers it (see \`kepu report deliveries\`)`)
  return firing.id
}

/** `kepu alert --region 东营 --hazard 台风 --text …`: an emergency alert to a region's 应急提醒 subscribers. */
export function register(program: Command): void {
  program
    .command('alert')
    .description('send an emergency alert (应急提醒) to a region\'s subscribers, ahead of queued announcements; shows it and asks first')
    .requiredOption('--region <name>', 'the region, e.g. 东营 or 东营市')
    .requiredOption('--hazard <name>', '台风, 暴雨, 洪水, 地震, 地质灾害, 寒潮, 暴雪, 高温, 雷电, 沙尘暴, 森林火灾, 大雾, 传染病')
    .requiredOption('--text <text>', 'what happened, where and when (at most 300 characters; \\n for a line break)')
    .option('--yes', 'send without asking')
    .action(async (opts: AlertCliOptions) => {
      const config = loadConfig()
      const contentDir = join(packageRoot(), 'content')
      const store = await openConfiguredStore(config)
      const rl = process.stdin.isTTY && !opts.yes ? createInterface({ input: process.stdin, output: process.stderr }) : undefined
      try {
        const sent = await runAlert(opts, {
          store,
          regions: RegionRegistry.load(join(contentDir, 'regions.yaml')),
          cards: loadCards(contentDir),
          clock: systemClock,
          ...(rl ? { confirm: async (q: string) => /^y(es)?$/i.test((await rl.question(q)).trim()) } : {}),
          out: (line) => process.stdout.write(`${line}\n`),
        })
        // Asked to send from a script without --yes: a usage error, so the script notices.
        if (sent === undefined && !rl) process.exitCode = 2
      } catch (err) {
        if (!(err instanceof KepuError)) throw err
        process.stderr.write(`kepu alert: ${err.message}\n`)
        process.exitCode = 2
      } finally {
        rl?.close()
        await store.close()
      }
    })
}
