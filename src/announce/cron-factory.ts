import { schedule } from 'node-cron'
import { TIME_ZONE } from '../core/shanghai-time.js'

/** A running cron task. */
export interface CronJob {
  stop(): void
}

/**
 * Starts a task that calls `onTick` at every firing of `expression` in Asia/Shanghai. Injected so that
 * tests drive ticks by hand on fake time; production uses `nodeCronFactory`.
 */
export type CronFactory = (expression: string, onTick: () => void) => CronJob

/** node-cron in Asia/Shanghai. A tick that finds the previous one still running is dropped, not queued. */
export const nodeCronFactory: CronFactory = (expression, onTick) => {
  const task = schedule(expression, () => onTick(), { timezone: TIME_ZONE, noOverlap: true, suppressMissedWarning: true })
  return {
    stop: () => {
      void task.destroy()
    },
  }
}

/** A cron factory for tests: nothing runs until `tick()` calls every live task's callback. */
export class ManualCronFactory {
  private readonly tasks = new Set<{ expression: string; onTick: () => void }>()
  readonly create: CronFactory = (expression, onTick) => {
    const task = { expression, onTick }
    this.tasks.add(task)
    return { stop: () => void this.tasks.delete(task) }
  }
  /** Calls every live task (as if its time had come). */
  tick(): void {
    for (const t of [...this.tasks]) t.onTick()
  }
  get size(): number {
    return this.tasks.size
  }
}
