import { randomBytes } from 'node:crypto'
import { join, resolve } from 'node:path'
import type { Config } from './config.js'
import type { Adapter } from './core/adapter.js'
import { ConfigError } from './core/errors.js'
import type { Logger } from './core/logger.js'
import { TELEGRAM_LIMITS } from './core/rate-limiter.js'
import type { WechatOaApi } from '../adapters/wechat-official-account/api-client.js'
import type { MenuFile, MenuFileSchema } from '../adapters/wechat-official-account/menu.js'
import type { KeyValueCache, Lease, UpdateDedup } from '../adapters/wechat-official-account/stores.js'

/**
 * What replicas share for the WeChat Official Account (the async store's UpdateDedupStore, a key-value
 * cache and leases, when the store has them); each defaults to memory, right for one process.
 */
export interface WechatOaShared {
  dedup?: UpdateDedup
  cache?: KeyValueCache
  lease?: Lease
}

/**
 * A store's key-value role (`getValue(key, now)`, `setValue(key, value, now, ttlMs)`, as in the async store)
 * as the cache the Official Account adapter takes. Its de-duplication and lease roles fit as they are.
 */
export function keyValueCacheOf(
  kv: { getValue(key: string, now: Date): Promise<string | undefined>; setValue(key: string, value: string, now: Date, ttlMs?: number): Promise<void> },
  now: () => Date = () => new Date(),
): KeyValueCache {
  return {
    get: (key) => kv.getValue(key, now()),
    set: (key, value, expiresAt) => {
      const t = now()
      return kv.setValue(key, value, t, Math.max(1, expiresAt.getTime() - t.getTime()))
    },
  }
}

/**
 * Builds the adapters the configuration names. Platform SDKs are loaded only for the adapters in use
 * (wechaty is large), which is also why this is async.
 */
export async function createAdapters(
  config: Config,
  logger: Logger,
  hooks: { onBlocked?: (channel: string, chatId: string) => void; wechatOa?: WechatOaShared; dedup?: UpdateDedup } = {},
): Promise<Map<string, Adapter>> {
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
          ...(hooks.dedup ? { dedup: hooks.dedup } : {}),
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
    } else if (name === 'wechat-oa') {
      const { createWechatOaAdapter } = await import('../adapters/wechat-official-account/wechat-oa-adapter.js')
      adapters.set(
        name,
        createWechatOaAdapter({
          appId: config.WECHAT_OA_APPID!,
          secret: config.WECHAT_OA_SECRET!,
          token: config.WECHAT_OA_TOKEN!,
          aesKey: config.WECHAT_OA_AES_KEY,
          apiRoot: config.WECHAT_OA_API_ROOT,
          kfTransfer: config.WECHAT_OA_KF_TRANSFER,
          templates: config.WECHAT_OA_TEMPLATES,
          stopGraceMs: config.KEPU_SHUTDOWN_GRACE_MS,
          logger,
          ...(hooks.onBlocked ? { onBlocked: (openid: string) => hooks.onBlocked!('wechat-oa', openid) } : {}),
          ...hooks.wechatOa,
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

/** What `kepu wechat-oa` needs: the account's API client and the menu file's schema. */
export interface WechatOaTools {
  api: WechatOaApi
  /** content/wechat-oa-menu.yaml, validated against WeChat's limits (load it with loadYaml). */
  menuSchema: typeof MenuFileSchema
  /** The body of /cgi-bin/menu/create for a validated menu file. */
  toMenu(file: MenuFile): { button: unknown[] }
}

/**
 * The WeChat Official Account API client for the CLI (QR codes, the menu). The client needs
 * WECHAT_OA_APPID and WECHAT_OA_SECRET (a ConfigError when `api` is used without them); the menu schema does not.
 */
export async function createWechatOaTools(config: Config, logger: Logger): Promise<WechatOaTools> {
  const [{ WechatOaApi }, { MenuFileSchema, toWechatMenu }] = await Promise.all([import('../adapters/wechat-official-account/api-client.js'), import('../adapters/wechat-official-account/menu.js')])
  let api: WechatOaApi | undefined
  return {
    get api() {
      for (const key of ['WECHAT_OA_APPID', 'WECHAT_OA_SECRET'] as const) {
        if (!config[key]) throw new ConfigError(`config: ${key}: required for kepu wechat-oa (公众平台 → 设置与开发 → 基本配置)`)
      }
      return (api ??= new WechatOaApi({ appId: config.WECHAT_OA_APPID!, secret: config.WECHAT_OA_SECRET!, apiRoot: config.WECHAT_OA_API_ROOT, logger }))
    },
    menuSchema: MenuFileSchema,
    toMenu: toWechatMenu,
  }
}
