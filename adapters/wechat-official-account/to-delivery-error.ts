import { DeliveryError } from '../../src/core/errors.js'
import { fromLocal, toLocalDate } from '../../src/core/shanghai-time.js'
import { WechatApiError, WechatNetworkError } from './api-client.js'

/** 客服消息 cannot reach the resident now (the 48-hour window closed, or its 5 messages are used). */
export const WINDOW_CLOSED = new Set([45015, 45047])

/**
 * The account cannot call the API at all (IP not whitelisted, wrong AppID or secret): the operator must
 * fix it, so messages wait and are retried (transient) rather than marked failed one by one.
 */
const ACCOUNT = new Set([40013, 40125, 40164, 61004, 41002, 41004])

/** The resident cannot be written to at all (not following, refused, an openid of another account). */
const BLOCKED = new Set([43004, 43019, 43101, 40003])

/**
 * Maps what the API client throws to a `DeliveryError` the delivery worker acts on:
 * - 45009 (the day's API quota is used up) → rate_limited until 00:00 Asia/Shanghai, when it resets;
 *   45011 (calls too frequent) → rate_limited for a minute; -1 (system busy) → transient;
 * - 45015 (48-hour window over), 45047 (5 messages used) → permanent: nothing more goes through 客服消息
 *   until the resident writes again (the adapter tries the topic's template first);
 * - 40164/61004 (IP not whitelisted), 40013/40125 (AppID, secret) → transient: the operator fixes it;
 * - 43004 (not following), 43019 (blacklisted), 43101 (refused), 40003 (not an openid of this account) → blocked;
 * - a network failure before sending → transient, after sending → in_doubt; any other errcode → permanent.
 * The message names the path and the code only.
 */
export function toDeliveryError(err: unknown, now: Date): DeliveryError {
  if (err instanceof DeliveryError) return err
  if (err instanceof WechatApiError) {
    const c = err.errcode
    if (c === 45009) return new DeliveryError('rate_limited', err.message, { retryAfterMs: untilShanghaiMidnight(now), cause: err })
    if (c === 45011) return new DeliveryError('rate_limited', err.message, { retryAfterMs: 60_000, cause: err })
    if (c === -1 || ACCOUNT.has(c)) return new DeliveryError('transient', err.message, { cause: err })
    if (BLOCKED.has(c)) return new DeliveryError('blocked', err.message, { cause: err })
    return new DeliveryError('permanent', err.message, { cause: err })
  }
  if (err instanceof WechatNetworkError) return new DeliveryError(err.sent ? 'in_doubt' : 'transient', err.message, { cause: err })
  return new DeliveryError('in_doubt', `wechat-oa: ${err instanceof Error ? err.name : 'unknown error'} while sending`, { cause: err })
}

/** Milliseconds from `now` to the next 00:00 in Asia/Shanghai (plus a minute's margin). */
export function untilShanghaiMidnight(now: Date): number {
  const { year, month, day } = toLocalDate(now)
  // Date.UTC rolls day + 1 over the month's end.
  return Math.max(60_000, fromLocal(year, month, day + 1).getTime() - now.getTime() + 60_000)
}
