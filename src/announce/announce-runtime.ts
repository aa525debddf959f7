import type { Adapter } from '../core/adapter.js'
import type { RegionResolver } from '../core/bot.js'
import type { Clock } from '../core/clock.js'
import type { Logger } from '../core/logger.js'
import type { Store } from '../store/async-store.js'
import type { AdminList } from './admins.js'
import { createAnnouncements, type Announcements } from './announcements.js'
import { nodeCronFactory, type CronFactory } from './cron-factory.js'
import type { DeliveryConfig } from './delivery-config.js'
import { createDeliveryWorker, type DeliveryWorker, type Sleep } from './delivery-worker.js'
import { createScheduler, type Scheduler } from './scheduler.js'
import type { TemplateContent } from './template.js'
import { weeklyUnansweredDigest } from './unanswered-report.js'

export interface AnnounceRuntimeDeps {
  store: Store
  /** The adapters messages go out through (the same ones `serve` started). */
  adapters: Adapter[]
  content: TemplateContent
  admins: AdminList
  config: DeliveryConfig
  clock: Clock
  logger: Logger
  regions?: RegionResolver
  /** The announcement service the chat commands already use; made here when absent. */
  announcements?: Announcements
  /** Defaults: node-cron in Asia/Shanghai and real timers. */
  cron?: CronFactory
  sleep?: Sleep
}

/** Everything announcements need at run time, built once by the composition root. */
export interface AnnounceRuntime {
  announcements: Announcements
  scheduler: Scheduler
  worker: DeliveryWorker
  /** Settles messages left in doubt, creates default announcements, then starts the worker and the scheduler. */
  start(): Promise<void>
  /** Stops the scheduler, then the worker after the send in flight is recorded. */
  stop(): Promise<void>
}

/** The announcements made for each topic when none exists, so a subscription is never silent. */
export const DEFAULT_ANNOUNCEMENTS = [
  { topic: 'weekly', name: '本地区活动周报', cron: '0 9 * * 1', template: '【本周{region}科普活动】\n{week_events}\n回复「退订」可取消推送。' },
  { topic: 'events', name: '活动提醒', cron: '0 9 * * *', template: '【科普活动提醒】\n{reminders}\n回复「退订」可取消推送。', leadDays: [3, 1] },
  { topic: 'fraud-tip', name: '每日防骗提醒', cron: '0 8 * * *', template: '【每日防骗提醒】{daily_tip}\n回复「退订」可取消推送。' },
  { topic: 'daily-kepu', name: '每日科普', cron: '30 8 * * *', template: '【每日科普】{daily_kepu}\n回复「退订」可取消推送。' },
] as const

const DIGEST_NAME = '未答问题周报'

/**
 * Wires the scheduler and the delivery worker on one store. `serve` calls `start()` after its adapters are up and `stop()` before stopping them.
 */
export function createAnnounceRuntime(deps: AnnounceRuntimeDeps): AnnounceRuntime {
  const { store, clock, logger, config } = deps
  const log = logger.child({ module: 'announce' })
  const unansweredDigest = weeklyUnansweredDigest(store)
  const announcements = deps.announcements ?? createAnnouncements({ store, content: deps.content, clock, unansweredDigest, ...(deps.regions ? { regions: deps.regions } : {}) })
  const worker = createDeliveryWorker({
    store,
    adapters: deps.adapters,
    limits: config.limits,
    clock,
    logger: log,
    inDoubtPolicy: config.inDoubtPolicy,
    ...(config.leaseTtlMs ? { leaseTtlMs: config.leaseTtlMs } : {}),
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
  })
  const scheduler = createScheduler({ store, announcements, clock, logger: log, cron: deps.cron ?? nodeCronFactory, catchUpMs: config.catchUpMs, onQueued: () => worker.wake() })

  async function ensureDefaults(): Promise<void> {
    const all = await store.listAnnouncements(true)
    if (config.defaults) {
      for (const d of DEFAULT_ANNOUNCEMENTS) {
        // Made once: if staff removed it, it stays removed.
        if (all.some((a) => a.target.kind === 'topic' && a.target.topic === d.topic && a.cron)) continue
        await announcements.add({ name: d.name, cron: d.cron, target: { kind: 'topic', topic: d.topic }, template: d.template, ...('leadDays' in d ? { leadDays: [...d.leadDays] } : {}) }, 'system')
        log.info({ topic: d.topic }, 'announce: default announcement created')
      }
    }
    if (config.unansweredDigest && deps.admins.size > 0 && !all.some((a) => a.name === DIGEST_NAME)) {
      await announcements.add({ name: DIGEST_NAME, cron: '0 9 * * 1', target: { kind: 'chats', chats: deps.admins.chats() }, template: '{unanswered}' }, 'system')
    }
  }

  return {
    announcements,
    scheduler,
    worker,
    async start() {
      await ensureDefaults()
      await worker.start()
      scheduler.start()
    },
    async stop() {
      scheduler.stop()
      await worker.stop()
    },
  }
}
