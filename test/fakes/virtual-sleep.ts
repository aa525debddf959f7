import type { Sleep } from '../../src/announce/delivery-worker.js'

/**
 * Virtual time for tests: moves a FakeClock forward instead of waiting, then yields one turn of the event
 * loop so that other work (and the test) can run between steps.
 */
export function virtualSleep(clock: { advance(ms: number): void }): Sleep {
  return async (ms) => {
    clock.advance(Math.max(1, Math.ceil(ms)))
    await new Promise<void>((resolve) => setImmediate(resolve))
  }
}
