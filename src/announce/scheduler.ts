import type { Clock } from '../core/clock.js'
import { errorCode } from '../core/errors.js'
import type { Logger } from '../core/logger.js'
import type { Announcement, AnnouncementStore, Firing } from '../store/async-store.js'
import type { Announcements } from './announcements.js'
import type { CronFactory, CronJob } from './cron-factory.js'
import { parseCron } from './cron-schedule.js'

export interface SchedulerDeps {
  store: AnnouncementStore
  announcements: Announcements
  clock: Clock
  logger: Logger
  /** node-cron in production (`nodeCronFactory`), a manual one in tests. */
  cron: CronFactory
  /** Firings missed while the bot was down are still sent when at most this old (ms); older ones are skipped and logged. */
  catchUpMs: number
  /** Called after a firing is queued (the delivery worker's `wake`). */
  onQueued?: (firing: Firing) => void
}

/** Fires announcements on their schedule. */
export interface Scheduler {
  /** Catches up on missed firings, then ticks once a minute. */
  start(): void
  stop(): void
  /** Queues every firing due at `now` that was not queued before; returns the new firings. */
  runDue(now?: Date): Promise<Firing[]>
}

/** How many missed firings are counted one by one before the rest are skipped in one step. */
const MAX_COUNTED_MISSES = 1000

/**
 * The scheduler ticks once a minute (node-cron in Asia/Shanghai) and, on each tick, reads the active
 * announcements from the store and queues every firing whose time has come since its last one. Reading
 * the store each tick means announcements added or removed by `kepu announce` in another process take
 * effect at the next minute without a restart, and a late tick (a busy event loop) loses nothing.
 * Each firing is queued by `recordFiring`, one transaction keyed by (announcement, firing time), so a
 * firing is queued once however often it is looked at, across restarts too.
 */
export function createScheduler(deps: SchedulerDeps): Scheduler {
  const { store, announcements, clock, logger, cron, catchUpMs } = deps
  let job: CronJob | undefined

  async function runDue(now: Date = clock.now()): Promise<Firing[]> {
    const fired: Firing[] = []
    for (const a of await store.listAnnouncements()) {
      if (!a.cron) continue
      try {
        fired.push(...(await runOne(a, now)))
      } catch (err) {
        // One broken announcement (a template whose content fails) never stops the others.
        logger.error({ code: errorCode(err), announcement: a.id, err: err instanceof Error ? err.name : typeof err }, 'announce: firing failed')
      }
    }
    return fired
  }

  async function runOne(a: Announcement, now: Date): Promise<Firing[]> {
    const schedule = parseCron(a.cron!)
    const since = a.lastFiringAt ?? a.createdAt
    const oldest = now.getTime() - catchUpMs
    let t = schedule.next(since)
    let missed = 0
    let lastMissed: Date | undefined
    while (t && t.getTime() < oldest) {
      missed++
      lastMissed = t
      if (missed >= MAX_COUNTED_MISSES) {
        // Too many to count one by one: skip straight to the window, remembering that everything before it was handled.
        lastMissed = new Date(oldest - 1)
        t = schedule.next(lastMissed)
        break
      }
      t = schedule.next(t)
    }
    if (lastMissed) {
      await store.advanceLastFiring(a.id, lastMissed)
      logger.warn(
        { announcement: a.id, missed: missed >= MAX_COUNTED_MISSES ? `${MAX_COUNTED_MISSES}+` : missed, from: since.toISOString(), to: lastMissed.toISOString(), catchUpMs },
        'announce: missed firings older than the catch-up window were skipped',
      )
    }
    const fired: Firing[] = []
    while (t && t.getTime() <= now.getTime()) {
      const firing = await store.recordFiring(a.id, t, await announcements.compose(a, t), now)
      if (firing) {
        fired.push(firing)
        logger.info({ announcement: a.id, firing: firing.id, fireAt: t.toISOString(), recipients: firing.recipients, late: now.getTime() - t.getTime() }, 'announce: firing queued')
        deps.onQueued?.(firing)
      }
      t = schedule.next(t)
    }
    return fired
  }

  return {
    start() {
      if (job) return
      // A failing store (disk full, database away) is logged; the next tick tries again.
      const tick = (): void => {
        runDue().catch((err: unknown) => logger.error({ code: errorCode(err) }, 'announce: tick failed'))
      }
      tick()
      job = cron('* * * * *', tick)
    },
    stop() {
      job?.stop()
      job = undefined
    },
    runDue,
  }
}
