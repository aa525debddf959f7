import { DeliveryError } from '../../src/core/errors.js'
import type { Logger } from '../../src/core/logger.js'
import { RateLimiter, type ChannelLimits } from '../../src/core/rate-limiter.js'

/** Who waits for a message: a resident's reply first, then emergency alerts, then announcements. */
export type OutboundPriority = 'reply' | 'alert' | 'announcement'

const RANK: Record<OutboundPriority, number> = { reply: 0, alert: 1, announcement: 2 }

/** One message to send. */
export interface OutboundJob<T> {
  chatId: string
  isGroup: boolean
  priority: OutboundPriority
  /** Makes the request; throws what `classify` understands. */
  send: () => Promise<T>
}

export interface OutboundQueueOptions {
  limits: ChannelLimits
  /** Turns a failed request into a DeliveryError (rate_limited with retryAfterMs, blocked, transient …). */
  classify: (err: unknown) => DeliveryError
  now?: () => number
  /** Waits on the same time as `now`; must resolve early when `signal` aborts. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>
  logger: Logger
  /** A reply older than this is dropped and counted, not sent stale (default 10 minutes). */
  maxReplyAgeMs?: number
  /** Requests in flight at once (default 16): a slow link still fills the budget. */
  maxInFlight?: number
}

interface Pending {
  job: OutboundJob<unknown>
  seq: number
  enqueuedAt: number
  notBefore: number
  attempts: number
  resolve: (v: unknown) => void
  reject: (e: unknown) => void
}

/** What the queue did, for logs, the bench and tests. */
export interface OutboundStats {
  sent: number
  rateLimited: number
  retried: number
  droppedStale: number
  failed: number
}

/**
 * One outbound queue per bot account, shared by replies, alerts and announcements, because the
 * platform's limits are per account: a global budget (GCRA, `RateLimiter`), per-chat spacing and a
 * per-group window, one pause for everyone when the platform answers 429 (its retry_after honoured),
 * and priorities. A reply is never given up while the process lives (429 and transient errors are
 * retried; only one older than `maxReplyAgeMs` is dropped, and counted); alerts and announcements get
 * one attempt and their error back, because the outbox decides about those. A chat's messages are
 * never in flight two at a time, so they arrive in the order they were queued.
 */
export class OutboundQueue {
  readonly stats: OutboundStats = { sent: 0, rateLimited: 0, retried: 0, droppedStale: 0, failed: 0 }
  private readonly limiter: RateLimiter
  private readonly now: () => number
  private readonly maxReplyAgeMs: number
  private readonly maxInFlight: number
  private readonly pending: Pending[] = []
  private readonly busy = new Set<string>()
  private seq = 0
  private inFlight = 0
  private waker = new AbortController()
  private loop: Promise<void> | undefined
  private closed = false

  constructor(private readonly options: OutboundQueueOptions) {
    this.limiter = new RateLimiter(options.limits)
    this.now = options.now ?? Date.now
    this.maxReplyAgeMs = options.maxReplyAgeMs ?? 10 * 60_000
    this.maxInFlight = options.maxInFlight ?? 16
  }

  /** Queues a message; resolves with the request's result, or rejects with a DeliveryError. */
  push<T>(job: OutboundJob<T>): Promise<T> {
    if (this.closed) return Promise.reject(new DeliveryError('transient', 'outbound queue: stopped'))
    const now = this.now()
    const p = new Promise<T>((resolve, reject) => {
      this.pending.push({ job: job as OutboundJob<unknown>, seq: this.seq++, enqueuedAt: now, notBefore: now, attempts: 0, resolve: resolve as (v: unknown) => void, reject })
    })
    this.loop ??= this.run()
    this.wake()
    return p
  }

  /** Messages waiting (not in flight). */
  get size(): number {
    return this.pending.length
  }

  /** Stops sending: every waiting message is rejected as transient (the outbox retries after a restart). */
  async close(): Promise<void> {
    this.closed = true
    for (const p of this.pending.splice(0)) p.reject(new DeliveryError('transient', 'outbound queue: stopped'))
    this.wake()
    await this.loop
  }

  private wake(): void {
    this.waker.abort()
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      const wait = this.step()
      if (wait === 0) continue
      this.waker = new AbortController()
      // Nothing to do until a push, a completion, or the wait is over. A turn of the event loop after
      // each wait keeps a sleep that returns at once (a test double) from starving I/O.
      await this.options.sleep(wait ?? 3_600_000, this.waker.signal)
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
  }

  /** Dispatches one message (0), or says how long to wait (undefined: until something happens). */
  private step(): number | undefined {
    const now = this.now()
    this.dropStale(now)
    if (!this.pending.length || this.inFlight >= this.maxInFlight) return undefined
    const channelWait = this.limiter.channelWait(now)
    if (channelWait > 0) return channelWait
    // The head of each chat (its earliest message of the highest priority), best first.
    const heads = new Map<string, Pending>()
    for (const p of this.pending) {
      const h = heads.get(p.job.chatId)
      if (!h || RANK[p.job.priority] < RANK[h.job.priority] || (RANK[p.job.priority] === RANK[h.job.priority] && p.seq < h.seq)) heads.set(p.job.chatId, p)
    }
    let best: Pending | undefined
    let wait: number | undefined
    for (const [chat, p] of heads) {
      if (this.busy.has(chat)) continue
      const w = Math.max(p.notBefore - now, this.limiter.chatWait(chat, p.job.isGroup, now))
      if (w > 0) {
        wait = wait === undefined ? w : Math.min(wait, w)
        continue
      }
      if (!best || RANK[p.job.priority] < RANK[best.job.priority] || (RANK[p.job.priority] === RANK[best.job.priority] && p.seq < best.seq)) best = p
    }
    if (!best) return wait
    this.dispatch(best, now)
    return 0
  }

  private dropStale(now: number): void {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const p = this.pending[i]!
      if (p.job.priority === 'reply' && now - p.enqueuedAt > this.maxReplyAgeMs) {
        this.pending.splice(i, 1)
        this.stats.droppedStale++
        this.options.logger.warn({ code: 'E_REPLY_STALE', chatId: p.job.chatId, ageMs: now - p.enqueuedAt }, 'reply dropped: too old to send')
        p.reject(new DeliveryError('permanent', 'outbound queue: reply too old to send'))
      }
    }
  }

  private dispatch(p: Pending, now: number): void {
    this.pending.splice(this.pending.indexOf(p), 1)
    const chat = p.job.chatId
    this.limiter.record(chat, now)
    this.busy.add(chat)
    this.inFlight++
    p.attempts++
    p.job
      .send()
      .then(
        (v) => {
          this.stats.sent++
          p.resolve(v)
        },
        (err: unknown) => this.settle(p, this.options.classify(err)),
      )
      .finally(() => {
        this.busy.delete(chat)
        this.inFlight--
        this.wake()
      })
  }

  private settle(p: Pending, de: DeliveryError): void {
    const now = this.now()
    const reply = p.job.priority === 'reply'
    if (de.kind === 'rate_limited') {
      this.stats.rateLimited++
      // One pause for everyone: the limit is the account's, and every chat would hit it again.
      this.limiter.pauseUntil(now + (de.retryAfterMs ?? 1000))
    }
    const retry = reply && !this.closed && (de.kind === 'rate_limited' || (de.kind === 'transient' && p.attempts < 50))
    if (!retry) {
      if (de.kind !== 'rate_limited') this.stats.failed++
      p.reject(de)
      return
    }
    this.stats.retried++
    const backoff = de.kind === 'transient' ? Math.min(30_000, 500 * 2 ** Math.min(p.attempts - 1, 6)) : 0
    // Back in the queue with its original place, so the chat's order holds.
    p.notBefore = now + backoff
    this.pending.push(p)
  }
}
