import { createRequire } from 'node:module'
import type { RateLimiterAbstract, RateLimiterMemory as MemoryLimiter } from 'rate-limiter-flexible'
import type { Handler } from '../core/bot.js'
import type { Logger } from '../core/logger.js'
import { silentReply } from '../core/reply.js'

/** Per-user limits: a short burst and a sustained rate. */
export interface FloodLimits {
  /** Messages allowed within `burstSeconds`. */
  burst: number
  burstSeconds: number
  /** Messages allowed within `sustainedSeconds`. */
  sustained: number
  sustainedSeconds: number
}

/** rate-limiter-flexible's in-memory limiter, loaded when a guard is made (one-shot commands make none). */
function memoryLimiter(options: ConstructorParameters<typeof MemoryLimiter>[0]): RateLimiterAbstract {
  const { RateLimiterMemory } = createRequire(import.meta.url)('rate-limiter-flexible') as { RateLimiterMemory: typeof MemoryLimiter }
  return new RateLimiterMemory(options)
}

export const DEFAULT_FLOOD_LIMITS: FloodLimits = { burst: 6, burstSeconds: 10, sustained: 60, sustainedSeconds: 600 }

export interface FloodGuardDeps {
  limits?: FloodLimits
  logger: Logger
  /** Limiters to use instead of in-memory ones (e.g. backed by the database, so replicas share counts). */
  limiters?: { burst: RateLimiterAbstract; sustained: RateLimiterAbstract }
  /** Dropped messages are logged at most this often, as a count (default 60 000 ms). */
  logEveryMs?: number
  now?: () => number
}

/** The one polite line a user over the limit gets; everything after it is dropped until the window passes. */
export const TOO_FAST = '您发得太快了，请稍等一会儿再问。'

/**
 * Per-user limits, first in the chain: a user over the burst or the sustained limit gets one polite
 * 「您发得太快了，请稍等」 and the rest is dropped and counted (nothing is answered, recorded as unanswered
 * or queued). One chat flooding the bot cannot crowd out the others or fill the staff's reports.
 * If the limiter itself fails, the message goes through: a broken counter must not silence residents.
 */
export function createFloodGuard(deps: FloodGuardDeps): Handler {
  const limits = deps.limits ?? DEFAULT_FLOOD_LIMITS
  const burst = deps.limiters?.burst ?? memoryLimiter({ keyPrefix: 'burst', points: limits.burst, duration: limits.burstSeconds })
  const sustained = deps.limiters?.sustained ?? memoryLimiter({ keyPrefix: 'sustained', points: limits.sustained, duration: limits.sustainedSeconds })
  const now = deps.now ?? Date.now
  const every = deps.logEveryMs ?? 60_000
  let dropped = 0
  let lastLog = -Infinity

  function count(): void {
    dropped++
    if (now() - lastLog >= every) {
      deps.logger.warn({ code: 'E_FLOOD', dropped }, 'messages over the per-user limit dropped')
      lastLog = now()
      dropped = 0
    }
  }

  /** Users told 「太快了」, until when: one polite line per spell over the limit. */
  const warned = new Map<string, number>()

  /** The wait (ms) when the user is over a limit; undefined when the message may pass. */
  async function overLimit(key: string): Promise<number | undefined> {
    // Burst first: a message dropped by the burst limit does not use up the sustained allowance.
    for (const limiter of [burst, sustained]) {
      try {
        await limiter.consume(key)
      } catch (err) {
        const r = err as { msBeforeNext?: unknown }
        // A rejection without msBeforeNext is the limiter failing, not a user over the limit.
        if (typeof r?.msBeforeNext !== 'number') throw err
        return r.msBeforeNext
      }
    }
    return undefined
  }

  return async (ctx, next) => {
    // Unmentioned group chatter is not answered anyway; it must not use up the sender's allowance.
    if (ctx.incoming.isGroup && !ctx.incoming.mentioned) return next()
    let wait: number | undefined
    try {
      wait = await overLimit(ctx.userKey)
    } catch (err) {
      ctx.log.warn({ code: 'E_FLOOD_LIMITER', err: err instanceof Error ? err.name : typeof err }, 'flood limiter failed; message let through')
      return next()
    }
    if (wait === undefined) return next()
    count()
    const t = now()
    if ((warned.get(ctx.userKey) ?? -Infinity) > t) return silentReply()
    warned.set(ctx.userKey, t + wait)
    if (warned.size > 10_000) for (const [k, until] of warned) if (until <= t) warned.delete(k)
    return { text: TOO_FAST, answered: true, intent: 'help' }
  }
}
