import { loadConfig, type Config } from '../config.js'
import type { InDoubtPolicy } from './delivery-worker.js'
import { TELEGRAM_LIMITS, type ChannelLimits } from '../core/rate-limiter.js'

/** How announcements are scheduled and delivered: the delivery part of the one configuration. */
export interface DeliveryConfig {
  limits: Record<string, ChannelLimits>
  /** Missed firings younger than this are still sent after a restart (ms). */
  catchUpMs: number
  inDoubtPolicy: InDoubtPolicy
  /** Create the default announcements for the three topics when none exists (once; removing one is respected). */
  defaults: boolean
  /** Send admins a weekly digest of unanswered questions. */
  unansweredDigest: boolean
  /** The sender lease's time to live (ms). */
  leaseTtlMs: number
}

/** The delivery settings of a loaded configuration (the variables are in config.ts, validated there). */
export function deliveryConfigOf(c: Config): DeliveryConfig {
  return {
    limits: {
      telegram: { ...TELEGRAM_LIMITS, perSecond: c.KEPU_TELEGRAM_RATE },
      wechat: {
        perSecond: c.KEPU_WECHAT_RATE,
        perChatIntervalMs: c.KEPU_WECHAT_CHAT_INTERVAL_MS,
        perGroupPerMinute: c.KEPU_WECHAT_GROUP_PER_MINUTE,
        dailyCap: c.KEPU_WECHAT_DAILY_CAP,
      },
    },
    catchUpMs: c.KEPU_CATCHUP_MINUTES * 60_000,
    inDoubtPolicy: c.KEPU_IN_DOUBT,
    defaults: c.KEPU_DEFAULT_ANNOUNCEMENTS,
    unansweredDigest: c.KEPU_UNANSWERED_DIGEST,
    leaseTtlMs: c.KEPU_SENDER_LEASE_S * 1000,
  }
}

/** The delivery settings from variables alone (no `.env`); a bad value throws a ConfigError naming the variable. */
export function readDeliveryConfig(env: Record<string, string | undefined>): DeliveryConfig {
  return deliveryConfigOf(loadConfig({ env, envFile: false }))
}
