import { randomBytes } from 'node:crypto'
import { join, resolve } from 'node:path'
import type { Config } from './config.js'
import type { Adapter } from './core/adapter.js'
import type { Logger } from './core/logger.js'
import { TELEGRAM_LIMITS } from './core/rate-limiter.js'

/**
 * Builds the adapters the configuration names. Platform SDKs are loaded only for the adapters in use
 * (wechaty is large), which is also why this is async.
 */
export async function createAdapters(config: Config, logger: Logger, hooks: { onBlocked?: (channel: string, chatId: string) => void } = {}): Promise<Map<string, Adapter>> {
  const adapters = new Map<string, Adapter>()
  for (const name of config.KEPU_ADAPTERS) {
    if (adapters.has(name)) continue
    if (name === 'telegram') {
      const { createTelegramAdapter } = await import('../adapters/telegram/telegram-adapter.js')
      const webhook = config.TELEGRAM_WEBHOOK_URL
        ? {
            url: config.TELEGRAM_WEBHOOK_URL,
            secret: config.TELEGRAM_WEBHOOK_SECRET ?? randomSecret(),
            ...(config.TELEGRAM_WEBHOOK_PATH ? { path: config.TELEGRAM_WEBHOOK_PATH } : {}),
          }
        : undefined
      adapters.set(
        name,
        createTelegramAdapter({
          token: config.TELEGRAM_BOT_TOKEN!,
          apiRoot: config.TELEGRAM_API_ROOT,
          logger,
          pollTimeoutS: config.TELEGRAM_POLL_TIMEOUT_S,
          sendTimeoutMs: config.TELEGRAM_SEND_TIMEOUT_MS,
          // One budget for the account: replies, alerts and announcements share it.
          limits: { ...TELEGRAM_LIMITS, perSecond: config.KEPU_TELEGRAM_RATE },
          maxReplyAgeMs: config.KEPU_REPLY_MAX_AGE_S * 1000,
          stopGraceMs: config.KEPU_SHUTDOWN_GRACE_MS,
          ...(hooks.onBlocked ? { onBlocked: (chatId: string) => hooks.onBlocked!('telegram', chatId) } : {}),
          ...(webhook ? { webhook } : {}),
        }),
      )
    } else if (name === 'wechat') {
      const { createWechatAdapter } = await import('../adapters/wechat/wechat-adapter.js')
      adapters.set(
        name,
        createWechatAdapter({
          puppet: config.WECHATY_PUPPET,
          puppetOptions: {
            ...(config.WECHATY_PUPPET_SERVICE_TOKEN ? { token: config.WECHATY_PUPPET_SERVICE_TOKEN } : {}),
            ...(config.WECHATY_PUPPET_SERVICE_ENDPOINT ? { endpoint: config.WECHATY_PUPPET_SERVICE_ENDPOINT } : {}),
            ...(config.WECHATY_PUPPET_SERVICE_NO_TLS ? { tls: { disable: true } } : {}),
          },
          name: join(resolve(config.KEPU_DATA_DIR), config.WECHATY_NAME),
          sendIntervalMs: config.WECHAT_SEND_INTERVAL_MS,
          keywords: config.WECHAT_KEYWORDS,
          roomRegions: config.WECHAT_ROOM_REGIONS,
          stopGraceMs: config.KEPU_SHUTDOWN_GRACE_MS,
          logger,
        }),
      )
    } else if (name === 'console') {
      const { createConsoleAdapter } = await import('../adapters/console/console-adapter.js')
      adapters.set(name, createConsoleAdapter({ logger }))
    }
  }
  return adapters
}

/** A webhook secret when none is configured: Telegram keeps it, so a fresh one per start is fine. */
function randomSecret(): string {
  return randomBytes(24).toString('base64url')
}

/** How `kepu chat` sets up the terminal. */
export interface ChatAdapterOptions {
  userId?: string
  region?: string
  historyFile?: string
  logger: Logger
}

/** The terminal adapter for `kepu chat` (history, numbered choices), built here so commands need not import adapters/. */
export async function createChatAdapter(options: ChatAdapterOptions): Promise<Adapter & { readonly done: Promise<void> }> {
  const { createConsoleAdapter } = await import('../adapters/console/console-adapter.js')
  return createConsoleAdapter(options)
}
