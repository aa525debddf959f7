import { setTimeout as delay } from 'node:timers/promises'
import type { Adapter } from '../core/adapter.js'
import type { Clock } from '../core/clock.js'
import { DeliveryError, errorCode } from '../core/errors.js'
import type { Logger } from '../core/logger.js'
import { randomUUID } from 'node:crypto'
import type { LeaseStore, OutboxRow, OutboxStore } from '../store/async-store.js'
import { defaultLimits, RateLimiter, startOfShanghaiDay, type ChannelLimits } from '../core/rate-limiter.js'
import { ALERT_TOPIC } from './topics.js'

/** Waits `ms` (resolving early, without error, when `signal` aborts). Injected so tests run on virtual time. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>

/** Real time. */
export const realSleep: Sleep = async (ms, signal) => {
  try {
    await delay(Math.max(0, ms), undefined, signal ? { signal } : undefined)
  } catch {
    // Aborted: woken early.
  }
}

/**
 * What to do with a message that was in flight when the process stopped (or whose send timed out):
 * `report` (default) never resends it and shows it as in doubt in the delivery report; `resend` sends it
 * again, accepting a possible duplicate. Telegram has no idempotency key, so no choice is both safe and complete.
 */
export type InDoubtPolicy = 'report' | 'resend'

/** Retries of transient failures (network, 5xx). */
export interface RetryOptions {
  maxAttempts: number
  baseMs: number
  maxMs: number
}

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 6, baseMs: 2000, maxMs: 5 * 60_000 }

export interface DeliveryWorkerDeps {
  store: OutboxStore & Partial<LeaseStore>
  /** The adapters to send through; a row goes to the adapter whose `name` is its channel. */
  adapters: Adapter[]
  /** Limits per channel name; `defaultLimits(name)` otherwise. */
  limits?: Record<string, ChannelLimits>
  clock: Clock
  sleep?: Sleep
  logger: Logger
  inDoubtPolicy?: InDoubtPolicy
  retry?: RetryOptions
  /** How often an idle worker looks for rows queued by another process (ms). */
  pollMs?: number
  /**
   * Most sends in flight per channel (default 16). The window actually used is sized from the budget and
   * the measured round trip (rate × RTT × 1.5 + 1), so a fast link keeps one or two in flight and a slow one
   * still fills the budget. A crash leaves at most the window in doubt.
   */
  maxWindow?: number
  /**
   * The sender lease per channel (`sender:<channel>`), so that with several replicas on one database only
   * one sends for a bot account at a time (the platform's limit is per account). Default: on when the
   * store has leases. Its time to live (default 6 s): a dead holder is taken over within that plus a
   * third of it.
   */
  leaseTtlMs?: number
  /** This process's name in the lease (default: a random id). */
  holder?: string
}

/** Drains the outbox through the adapters. */
export interface DeliveryWorker {
  /** Settles rows left in flight by a previous run (see InDoubtPolicy), then sends until stopped. */
  start(): Promise<void>
  /** Stops after the send in flight (if any) is recorded. */
  stop(): Promise<void>
  /** A firing was queued: look now rather than at the next poll. */
  wake(): void
  /** Sends until no pending row is left for any adapter (retries included): for tests and one-shot runs. */
  drain(): Promise<void>
}

const BATCH = 32

/**
 * The delivery worker: one loop per channel, so a slow WeChat never holds up Telegram. Each send is
 * bracketed by two committed writes: `sending` before the request, the outcome after. A window of sends
 * may be in flight (sized from the budget and the measured round trip), which keeps a crash's damage to
 * at most the window in doubt per channel while a slow link still delivers at the full budget.
 */
export function createDeliveryWorker(deps: DeliveryWorkerDeps): DeliveryWorker {
  const { store, clock, logger } = deps
  const sleep = deps.sleep ?? realSleep
  const retry = deps.retry ?? DEFAULT_RETRY
  const pollMs = deps.pollMs ?? 1000
  const adapters = new Map(deps.adapters.map((a) => [a.name, a]))
  const limiters = new Map<string, RateLimiter>()
  for (const name of adapters.keys()) limiters.set(name, new RateLimiter(deps.limits?.[name] ?? defaultLimits(name)))
  let running = false
  let loops: Promise<void>[] = []
  const wakers = new Set<AbortController>()
  // The pid in the holder's name lets an operator (and the replica test) see which process sends.
  const holder = deps.holder ?? `${process.pid}:${randomUUID()}`
  const leaseTtl = deps.leaseTtlMs ?? 6_000
  const leases = store.acquire && store.release ? { acquire: store.acquire.bind(store), release: store.release.bind(store) } : undefined
  /** Channels this process sends for, and when its lease was last renewed. */
  const held = new Map<string, number>()

  /**
   * Takes (or renews) the channel's sender lease. On taking it, the rows a previous sender left `sending`
   * (this process before a restart, or a replica that died) are settled by the in-doubt policy first.
   */
  async function holdChannel(channel: string, limiter: RateLimiter): Promise<boolean> {
    const now = clock.now()
    const renewedAt = held.get(channel)
    if (renewedAt !== undefined && now.getTime() - renewedAt < leaseTtl / 3) return true
    const ok = leases ? await leases.acquire(`sender:${channel}`, holder, now, leaseTtl) : true
    if (!ok) {
      if (renewedAt !== undefined) logger.warn({ channel, code: 'E_LEASE_LOST' }, 'delivery: another replica took over sending')
      held.delete(channel)
      return false
    }
    if (renewedAt === undefined) {
      const policy = deps.inDoubtPolicy ?? 'report'
      const n = await store.recoverSending(policy, now, channel)
      if (n) logger.warn({ channel, count: n, policy }, 'delivery: messages in flight when the last sender stopped are in doubt')
      limiter.setSentToday(await store.sentSince(channel, startOfShanghaiDay(now)), now.getTime())
      logger.info({ channel }, 'delivery: sending for this channel')
    }
    held.set(channel, now.getTime())
    return true
  }

  const maxWindow = Math.max(1, deps.maxWindow ?? 16)
  /**
   * Sends in flight per channel, and the last round trips measured. The window uses the smallest recent
   * round trip: a send that waited in the adapter's own queue (behind replies) took longer than the link
   * needs, and counting that wait would grow the window, which would queue more, and so on.
   */
  const flights = new Map<string, Set<Promise<void>>>()
  const rtts = new Map<string, number[]>()

  /** How many sends this channel may have in flight now. */
  function windowOf(channel: string, limiter: RateLimiter): number {
    const samples = rtts.get(channel)
    if (!samples?.length) return 1
    const r = Math.min(...samples)
    return Math.max(1, Math.min(maxWindow, Math.ceil((limiter.limits.perSecond * r * 1.5) / 1000) + 1))
  }

  /** One step on a channel: sends one message, or returns how long to wait (undefined: nothing is pending). */
  async function step(channel: string, adapter: Adapter, limiter: RateLimiter): Promise<number | undefined | 0> {
    // Another replica sends for this account: look again when its lease could have lapsed.
    if (!(await holdChannel(channel, limiter))) return Math.max(1000, Math.round(leaseTtl / 3))
    const inFlight = flights.get(channel) ?? new Set<Promise<void>>()
    flights.set(channel, inFlight)
    if (inFlight.size >= windowOf(channel, limiter)) {
      // The window is full: wait for one send to be recorded.
      await Promise.race(inFlight)
      return 0
    }
    const now = clock.now()
    const t = now.getTime()
    const wait = limiter.channelWait(t)
    if (wait > 0) return wait
    const rows = await store.dueRows(channel, now, BATCH)
    if (rows.length === 0) {
      const next = await store.nextDueAt(channel)
      return next === undefined ? undefined : Math.max(1, next - t)
    }
    for (const row of rows) {
      const chatWait = limiter.chatWait(row.chatId, row.isGroup, t)
      if (chatWait > 0) {
        // Behind its chat's limit: move it back so that other chats' rows come first.
        await store.defer(row.id, t + chatWait)
        continue
      }
      if (!(await store.claim(row.id, now))) continue
      limiter.record(row.chatId, t)
      const started = performance.now()
      const flight = send(adapter, limiter, row).finally(() => {
        inFlight.delete(flight)
        const samples = rtts.get(channel) ?? []
        samples.push(performance.now() - started)
        if (samples.length > 16) samples.shift()
        rtts.set(channel, samples)
      })
      inFlight.add(flight)
      return 0
    }
    return 0
  }

  async function send(adapter: Adapter, limiter: RateLimiter, row: OutboxRow): Promise<void> {
    try {
      // An emergency alert (topic `alert`) goes before announcements in the adapter's outbound queue too;
      // the store's dueRows already hands alert rows out first.
      const priority = row.topic === ALERT_TOPIC ? { priority: 'alert' as const } : {}
      const receipt = await adapter.send({ chatId: row.chatId, text: row.text, isGroup: row.isGroup, ...(row.topic ? { topic: row.topic } : {}), ...priority })
      await store.markSent(row.id, clock.now(), receipt.messageId, receipt.route)
    } catch (err) {
      await settleFailure(limiter, row, err).catch((e: unknown) => logger.error({ code: errorCode(e), row: row.id }, 'delivery: outcome not recorded'))
    }
  }

  async function settleFailure(limiter: RateLimiter, row: OutboxRow, err: unknown): Promise<void> {
    const now = clock.now()
    const code = errorCode(err)
    const log = { row: row.id, firing: row.firingId, channel: row.channel, code }
    if (!(err instanceof DeliveryError)) {
      // An adapter that throws something else may have sent the message: never resend silently.
      await store.markInDoubt(row.id, code, now)
      logger.error(log, 'delivery: unexpected error, message in doubt')
      return
    }
    switch (err.kind) {
      case 'rate_limited': {
        const until = now.getTime() + (err.retryAfterMs ?? 1000)
        limiter.pauseUntil(until)
        await store.retryLater(row.id, until, code, now, false)
        logger.warn({ ...log, retryAfterMs: err.retryAfterMs }, 'delivery: rate limited by the platform')
        return
      }
      case 'transient': {
        const attempts = row.attempts + 1
        if (attempts >= retry.maxAttempts) {
          await store.markFailed(row.id, code, now)
          logger.warn({ ...log, attempts }, 'delivery: gave up after retries')
          return
        }
        const backoff = Math.min(retry.maxMs, retry.baseMs * 2 ** (attempts - 1))
        await store.retryLater(row.id, now.getTime() + Math.round(backoff * (0.75 + Math.random() * 0.5)), code, now)
        return
      }
      case 'blocked':
        await store.markBlocked(row.id, now)
        logger.info(log, 'delivery: chat blocked the bot; it gets nothing more')
        return
      case 'in_doubt':
        await store.markInDoubt(row.id, code, now)
        logger.warn(log, 'delivery: message in doubt, not resent')
        return
      case 'permanent':
        await store.markFailed(row.id, code, now)
        logger.warn(log, 'delivery: refused by the platform')
        return
    }
  }

  async function loop(channel: string, adapter: Adapter, limiter: RateLimiter): Promise<void> {
    while (running) {
      let wait: number | undefined | 0
      try {
        wait = await step(channel, adapter, limiter)
      } catch (err) {
        // The store failed (disk full, locked): wait and try again rather than die.
        logger.error({ channel, code: errorCode(err) }, 'delivery: step failed')
        wait = pollMs
      }
      if (wait === 0) continue
      const waker = new AbortController()
      wakers.add(waker)
      await sleep(Math.min(wait ?? pollMs, pollMs), waker.signal)
      wakers.delete(waker)
    }
  }

  return {
    async start() {
      if (running) return
      // Settle what a previous run left in flight before anything new goes out (where this process holds the lease).
      for (const [name, limiter] of limiters) await holdChannel(name, limiter)
      running = true
      loops = [...adapters].map(([name, adapter]) => loop(name, adapter, limiters.get(name)!))
    },
    async stop() {
      running = false
      for (const w of wakers) w.abort()
      await Promise.all(loops)
      // Every send in flight is recorded before the worker says it stopped.
      await Promise.all([...flights.values()].flatMap((f) => [...f]))
      loops = []
      // Hand the accounts over at once rather than after the lease's time to live.
      if (leases) for (const channel of held.keys()) await leases.release(`sender:${channel}`, holder).catch(() => false)
      held.clear()
    },
    wake() {
      for (const w of wakers) w.abort()
    },
    async drain() {
      for (const [name, limiter] of limiters) await holdChannel(name, limiter)
      await Promise.all(
        [...adapters].map(async ([name, adapter]) => {
          const limiter = limiters.get(name)!
          for (;;) {
            const wait = await step(name, adapter, limiter)
            if (wait === undefined) {
              const left = [...(flights.get(name) ?? [])]
              if (!left.length) return
              // Sends in flight may still turn into retries: wait for them, then look again.
              await Promise.all(left)
              continue
            }
            if (wait > 0) await sleep(wait)
          }
        }),
      )
    },
  }
}
