import { z } from 'zod'
import { ConfigError } from '../core/errors.js'
import type { InDoubtPolicy } from './delivery-worker.js'
import { TELEGRAM_LIMITS, WECHAT_LIMITS, type ChannelLimits } from './rate-limiter.js'

/** How announcements are scheduled and delivered; read from the environment by `readDeliveryConfig`. */
export interface DeliveryConfig {
  limits: Record<string, ChannelLimits>
  /** Missed firings younger than this are still sent after a restart (ms). */
  catchUpMs: number
  inDoubtPolicy: InDoubtPolicy
  /** Create the default announcements for the three topics when none exists (once; removing one is respected). */
  defaults: boolean
  /** Send admins a weekly digest of unanswered questions. */
  unansweredDigest: boolean
}

const num = (min: number, max: number) => z.string().trim().regex(/^\d+(\.\d+)?$/, 'expected a number').transform(Number).pipe(z.number().min(min).max(max))
const flag = z.string().trim().toLowerCase().pipe(z.enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])).transform((s) => ['1', 'true', 'yes', 'on'].includes(s))

/**
 * The variables, with defaults. Telegram's budget stays under its ~30 msg/s; WeChat's defaults are
 * deliberately slow (see rate-limiter.ts).
 */
const schema = z.object({
  KEPU_TELEGRAM_RATE: num(0.1, 30).default(TELEGRAM_LIMITS.perSecond),
  KEPU_WECHAT_RATE: num(0.01, 10).default(WECHAT_LIMITS.perSecond),
  KEPU_WECHAT_CHAT_INTERVAL_MS: num(0, 3_600_000).default(WECHAT_LIMITS.perChatIntervalMs),
  KEPU_WECHAT_GROUP_PER_MINUTE: num(1, 60).default(WECHAT_LIMITS.perGroupPerMinute),
  KEPU_WECHAT_DAILY_CAP: num(1, 1_000_000).default(WECHAT_LIMITS.dailyCap!),
  KEPU_CATCHUP_MINUTES: num(0, 7 * 24 * 60).default(360),
  KEPU_IN_DOUBT: z.enum(['report', 'resend']).default('report'),
  KEPU_DEFAULT_ANNOUNCEMENTS: flag.default(true),
  KEPU_UNANSWERED_DIGEST: flag.default(false),
})

/** Reads the delivery variables; a bad value throws a ConfigError naming the variable. */
export function readDeliveryConfig(env: Record<string, string | undefined> = process.env): DeliveryConfig {
  const picked: Record<string, string> = {}
  for (const key of Object.keys(schema.shape)) {
    const v = env[key]
    if (v !== undefined && v.trim() !== '') picked[key] = v
  }
  const r = schema.safeParse(picked)
  if (!r.success) {
    const issue = r.error.issues[0]!
    throw new ConfigError(`config: ${String(issue.path[0])}: ${issue.message}, got "${picked[String(issue.path[0])]}"`)
  }
  const c = r.data
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
  }
}
