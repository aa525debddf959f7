/** The time source, injected so that tests run on fake time. */
export interface Clock {
  now(): Date
}

/** The machine's clock. */
export const systemClock: Clock = { now: () => new Date() }

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
