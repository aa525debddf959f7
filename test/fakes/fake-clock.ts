import type { Clock } from '../../src/core/clock.js'

/** A clock that stands still until moved: for tests. */
export class FakeClock implements Clock {
  private t: number
  constructor(start: Date | string | number) {
    this.t = new Date(start).getTime()
  }
  now(): Date {
    return new Date(this.t)
  }
  set(to: Date | string | number): void {
    this.t = new Date(to).getTime()
  }
  advance(ms: number): void {
    this.t += ms
  }
}
