import { fromLocal, toLocalDate } from './shanghai-time.js'

/** A platform's sending limits. */
export interface ChannelLimits {
  /** Messages per second over all chats (the budget; keep it under the platform's limit). */
  perSecond: number
  /** Least time between two messages to one chat (ms). */
  perChatIntervalMs: number
  /** Messages per minute to one group. */
  perGroupPerMinute: number
  /** Messages per Asia/Shanghai day over all chats; no cap when absent. */
  dailyCap?: number
}

/**
 * Telegram allows about 30 messages a second overall, 1 a second per chat and 20 a minute per group;
 * the default budget of 25 a second leaves headroom for replies and clock jitter.
 */
export const TELEGRAM_LIMITS: ChannelLimits = { perSecond: 25, perChatIntervalMs: 1000, perGroupPerMinute: 20 }

/**
 * WeChat (a personal account through wechaty) publishes no limits and bans accounts that send like a bot,
 * so the defaults are slow and capped per day; configure them with KEPU_WECHAT_* variables.
 */
export const WECHAT_LIMITS: ChannelLimits = { perSecond: 0.5, perChatIntervalMs: 3000, perGroupPerMinute: 6, dailyCap: 500 }

/** Limits when a channel has none configured (console and unknown adapters): Telegram's. */
export function defaultLimits(channel: string): ChannelLimits {
  return channel === 'wechat' ? WECHAT_LIMITS : TELEGRAM_LIMITS
}

/** How long a chat's send times are kept (the longest window, a minute). */
const WINDOW_MS = 60_000

/**
 * Pacing for one channel, on injected time. The overall rate uses GCRA with a small tolerance (one slot,
 * at most 100 ms): the long-run rate is exactly `perSecond`, any one-second window holds at most
 * `perSecond + 1`, and a timer that fires a little late does not slow the whole broadcast down.
 */
export class RateLimiter {
  private readonly interval: number
  /** How early a send may be against its slot: absorbs late timers, never more than one message. */
  private readonly tolerance: number
  private tat = 0
  private pausedUntil = 0
  private readonly chats = new Map<string, number[]>()
  private day = ''
  private sentToday = 0
  private lastPrune = 0

  constructor(readonly limits: ChannelLimits) {
    if (!(limits.perSecond > 0)) throw new RangeError(`rate: perSecond must be positive, got ${limits.perSecond}`)
    this.interval = 1000 / limits.perSecond
    this.tolerance = Math.min(this.interval, 100)
  }

  /** Starts the day's count (after a restart, from the store). */
  setSentToday(count: number, now: number): void {
    this.day = dayKey(now)
    this.sentToday = count
  }

  /** Stops all sends until `until` (a 429's retry_after applies to the whole bot). */
  pauseUntil(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until)
  }

  /** Ms until the channel may send anything (0 when it may now). */
  channelWait(now: number): number {
    if (now < this.pausedUntil) return this.pausedUntil - now
    if (this.limits.dailyCap !== undefined) {
      if (dayKey(now) !== this.day) this.setSentToday(0, now)
      if (this.sentToday >= this.limits.dailyCap) return nextMidnight(now) - now
    }
    return Math.max(0, Math.ceil(this.tat - this.tolerance - now))
  }

  /** Ms until this chat may get a message (0 when it may now). */
  chatWait(chat: string, isGroup: boolean, now: number): number {
    const times = this.chats.get(chat)
    if (!times?.length) return 0
    let wait = times[times.length - 1]! + this.limits.perChatIntervalMs - now
    if (isGroup) {
      const recent = times.filter((t) => t > now - WINDOW_MS)
      if (recent.length >= this.limits.perGroupPerMinute) wait = Math.max(wait, recent[recent.length - this.limits.perGroupPerMinute]! + WINDOW_MS - now)
    }
    return Math.max(0, wait)
  }

  /** Counts a send to a chat at `now`. */
  record(chat: string, now: number): void {
    this.tat = Math.max(this.tat, now) + this.interval
    if (this.limits.dailyCap !== undefined) {
      if (dayKey(now) !== this.day) this.setSentToday(0, now)
      this.sentToday++
    }
    const times = this.chats.get(chat) ?? []
    times.push(now)
    if (times.length > Math.max(this.limits.perGroupPerMinute, 1)) times.shift()
    this.chats.set(chat, times)
    if (now - this.lastPrune > WINDOW_MS) this.prune(now)
  }

  private prune(now: number): void {
    this.lastPrune = now
    for (const [chat, times] of this.chats) if (times[times.length - 1]! <= now - WINDOW_MS) this.chats.delete(chat)
  }
}

function dayKey(ms: number): string {
  const d = toLocalDate(new Date(ms))
  return `${d.year}-${d.month}-${d.day}`
}

/** The next Asia/Shanghai midnight after `ms`. */
function nextMidnight(ms: number): number {
  const d = toLocalDate(new Date(ms))
  return fromLocal(d.year, d.month, d.day + 1).getTime()
}

/** The Asia/Shanghai midnight that starts the day of `at`. */
export function startOfShanghaiDay(at: Date): Date {
  const d = toLocalDate(at)
  return fromLocal(d.year, d.month, d.day)
}
