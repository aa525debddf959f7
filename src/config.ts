import { existsSync, readFileSync } from 'node:fs'
import { parse as parseDotenv } from 'dotenv'
import { z } from 'zod'
import { ConfigError } from './core/errors.js'

/** The adapters `kepu serve` knows by name. */
export const ADAPTER_NAMES = ['console', 'telegram', 'wechat', 'wechat-oa'] as const
export type AdapterName = (typeof ADAPTER_NAMES)[number]

const list = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))

const int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))

const flag = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off']))
  .transform((s) => ['1', 'true', 'yes', 'on'].includes(s))

const num = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, 'expected a number')
    .transform(Number)
    .pipe(z.number().min(min).max(max))

const url = z
  .string()
  .trim()
  .refine((s) => {
    try {
      return ['http:', 'https:'].includes(new URL(s).protocol)
    } catch {
      return false
    }
  }, 'expected an http(s) URL')
  .transform((s) => s.replace(/\/+$/, ''))

/** `topic=region; topic=region` or a JSON object: a WeChat room topic mapped to a region name. */
const roomRegions = z.string().transform((s, ctx) => {
  const t = s.trim()
  if (!t) return {} as Record<string, string>
  if (t.startsWith('{')) {
    try {
      const parsed = JSON.parse(t) as unknown
      const ok = z.record(z.string(), z.string()).safeParse(parsed)
      if (ok.success) return ok.data
    } catch {
      // reported below
    }
    ctx.addIssue({ code: 'custom', message: 'expected a JSON object of "room topic": "region"' })
    return z.NEVER
  }
  const out: Record<string, string> = {}
  for (const part of t.split(/[;\n；]/)) {
    if (!part.trim()) continue
    const eq = part.lastIndexOf('=')
    if (eq <= 0 || eq === part.length - 1) {
      ctx.addIssue({ code: 'custom', message: `expected "room topic=region" pairs separated by ";", got "${part.trim()}"` })
      return z.NEVER
    }
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim()
  }
  return out
})

/**
 * WECHAT_OA_TEMPLATES: a JSON object, topic (or `alert`, `announcement`, `*`) → `{ "id": template_id,
 * "fields": { "thing1": "{first}", "time2": "{date}" }, "url"?: page }` (adapters/wechat-official-account/README.md).
 */
const oaTemplates = z.string().transform((s, ctx) => {
  const t = s.trim()
  if (!t) return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(t)
  } catch {
    ctx.addIssue({ code: 'custom', message: 'expected a JSON object: {"topic": {"id": "template id", "fields": {"thing1": "{first}"}}}' })
    return z.NEVER
  }
  const template = z
    .object({
      id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'expected the template_id from 模板消息 → 我的模板'),
      fields: z.record(z.string().regex(/^[a-z_]+\d*$/, 'expected a field key such as thing1 or time2'), z.string().min(1)).refine((f) => Object.keys(f).length > 0, 'expected at least one field'),
      url: url.optional(),
    })
    .strict()
  const ok = z.record(z.string().min(1), template).safeParse(parsed)
  if (ok.success) return ok.data
  const issue = ok.error.issues[0]!
  ctx.addIssue({ code: 'custom', message: `${issue.path.join('.') || '(top level)'}: ${issue.message}` })
  return z.NEVER
})

/**
 * Every variable kepu reads, with its default. Names are the environment variables; `loadConfig` reports
 * a bad value by its name. Secrets (tokens) are only ever kept here and handed to the adapter that needs them.
 */
const schema = z.object({
  KEPU_ADAPTERS: list.pipe(z.array(z.enum(ADAPTER_NAMES))).default([]),
  KEPU_DATA_DIR: z.string().trim().min(1).default('./data'),
  /** `postgres://user:pass@host:5432/db` runs on PostgreSQL (replicas); absent, SQLite in KEPU_DATA_DIR. */
  KEPU_DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'expected a postgres:// URL')
    .optional(),
  KEPU_DATABASE_POOL: int(1, 200).default(10),
  /** TLS to PostgreSQL (`sslmode` in the URL wins). */
  KEPU_DATABASE_TLS: flag.default(false),
  KEPU_DATABASE_STATEMENT_TIMEOUT_MS: int(0, 600_000).default(30_000),
  KEPU_ADMINS: list.default([]),
  /** Staff console: admins who must approve an announcement (2: a second admin; 1: its author may, recorded as such). */
  KEPU_APPROVALS: int(1, 2).default(2),
  KEPU_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Milliseconds `serve` waits for replies in flight on SIGTERM before exiting anyway. */
  KEPU_SHUTDOWN_GRACE_MS: int(0, 60_000).default(4000),
  /** How residents reach a person (a phone number, a WeChat id): offered by 「转人工」 and when the bot cannot answer. */
  KEPU_ADMIN_CONTACT: z.string().trim().min(1).max(200).optional(),
  /** The one HTTP server (webhooks, /healthz, /readyz): started when a route needs it or a port is set. */
  KEPU_HTTP_HOST: z.string().trim().min(1).default('127.0.0.1'),
  KEPU_HTTP_PORT: int(0, 65535).optional(),

  TELEGRAM_BOT_TOKEN: z
    .string()
    .trim()
    .regex(/^\d+:[A-Za-z0-9_-]+$/, 'expected a token from @BotFather (digits, a colon, then letters)')
    .optional(),
  TELEGRAM_API_ROOT: url.default('https://api.telegram.org'),
  TELEGRAM_WEBHOOK_URL: url.optional(),
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, 'expected 1–256 characters A-Z a-z 0-9 _ -').optional(),
  TELEGRAM_WEBHOOK_PATH: z.string().trim().regex(/^\//, 'expected a path starting with /').optional(),
  TELEGRAM_POLL_TIMEOUT_S: int(0, 50).default(30),
  TELEGRAM_SEND_TIMEOUT_MS: int(100, 600_000).default(15_000),
  /** Per-user limits: messages in 10 seconds, and in 10 minutes; over them one polite line, then silence. */
  KEPU_USER_BURST: int(1, 1000).default(6),
  KEPU_USER_SUSTAINED: int(1, 100_000).default(60),
  /** A reply not sendable for this long (flood limits, outage) is dropped and counted, not sent stale. */
  KEPU_REPLY_MAX_AGE_S: int(10, 86_400).default(600),

  WECHATY_PUPPET: z.string().trim().min(1).default('wechaty-puppet-wechat4u'),
  WECHATY_PUPPET_SERVICE_TOKEN: z.string().trim().min(1).optional(),
  WECHATY_PUPPET_SERVICE_ENDPOINT: z.string().trim().min(1).optional(),
  WECHATY_PUPPET_SERVICE_NO_TLS: flag.default(false),
  WECHATY_NAME: z.string().trim().regex(/^[\w.-]+$/, 'expected letters, digits, _ . -').default('kepu-bot'),
  WECHAT_SEND_INTERVAL_MS: int(0, 60_000).default(1500),
  WECHAT_KEYWORDS: list.default(['科普助手']),
  WECHAT_ROOM_REGIONS: roomRegions.default({}),

  // WeChat Official Account (服务号): adapters/wechat-official-account/README.md. Callback: /wechat/oa.
  WECHAT_OA_APPID: z.string().trim().regex(/^wx[0-9a-fA-F]{16}$/, 'expected the AppID (wx and 16 hex digits) from 公众平台 → 设置与开发 → 基本配置').optional(),
  WECHAT_OA_SECRET: z.string().trim().regex(/^[0-9A-Za-z]{32}$/, 'expected the 32-character AppSecret').optional(),
  WECHAT_OA_TOKEN: z.string().trim().regex(/^[A-Za-z0-9]{3,32}$/, 'expected 3–32 letters or digits (the Token of the server configuration)').optional(),
  WECHAT_OA_AES_KEY: z.string().trim().regex(/^[A-Za-z0-9+/]{43}$/, 'expected the EncodingAESKey: exactly 43 letters and digits').optional(),
  WECHAT_OA_API_ROOT: url.default('https://api.weixin.qq.com'),
  /** 「转人工」 hands the conversation to the account's customer-service staff (transfer_customer_service). */
  WECHAT_OA_KF_TRANSFER: flag.default(false),
  WECHAT_OA_TEMPLATES: oaTemplates.default({}),

  // Announcements and delivery (docs/announcements.md). Telegram's budget stays under its ~30 msg/s;
  // WeChat's defaults are deliberately slow (see core/rate-limiter.ts).
  KEPU_TELEGRAM_RATE: num(0.1, 30).default(25),
  KEPU_WECHAT_RATE: num(0.01, 10).default(0.5),
  KEPU_WECHAT_CHAT_INTERVAL_MS: num(0, 3_600_000).default(3000),
  KEPU_WECHAT_GROUP_PER_MINUTE: num(1, 60).default(6),
  KEPU_WECHAT_DAILY_CAP: num(1, 1_000_000).default(500),
  KEPU_CATCHUP_MINUTES: num(0, 7 * 24 * 60).default(360),
  KEPU_IN_DOUBT: z.enum(['report', 'resend']).default('report'),
  /** The sender lease per bot account (replicas): a dead sender is taken over within about this long. */
  KEPU_SENDER_LEASE_S: int(2, 600).default(6),
  KEPU_DEFAULT_ANNOUNCEMENTS: flag.default(true),
  KEPU_UNANSWERED_DIGEST: flag.default(false),
  /** Keep the terminal's line history (`kepu chat`) in KEPU_DATA_DIR/console-history; 0 keeps none. */
  KEPU_HISTORY: flag.default(true),
  /** The plan texts (*.txt, nested folders allowed: province/city/county); absent, the package's seeds/. */
  KEPU_SEEDS_DIR: z.string().trim().min(1).optional(),
  /** How much memory the loaded index shards may take (MB); the least recently asked regions are dropped beyond it. */
  KEPU_INDEX_MEMORY_MB: int(16, 1_000_000).default(128),
  /** How far past the live heap V8 may grow before collecting, in % (serve and chat; see core/heap-growth.ts); 0: V8's own. */
  KEPU_HEAP_GROWTH_PERCENT: int(0, 400).default(20),
})

/** The validated configuration. */
export type Config = z.infer<typeof schema>

export interface LoadConfigOptions {
  /** The environment (default process.env); it wins over the `.env` file. */
  env?: Record<string, string | undefined>
  /** A `.env` file to read when it exists (default `.env` in the working directory); `false` reads none. */
  envFile?: string | false
}

/**
 * Reads the configuration from the environment and an optional `.env` file (the environment wins),
 * validates it and returns typed values. Throws `ConfigError` whose message names the variable:
 * `config: TELEGRAM_BOT_TOKEN: required when KEPU_ADAPTERS includes telegram`.
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env
  const file = options.envFile === undefined ? '.env' : options.envFile
  let fromFile: Record<string, string> = {}
  if (file && existsSync(file)) {
    try {
      fromFile = parseDotenv(readFileSync(file))
    } catch (err) {
      throw new ConfigError(`config: ${file}: not readable`, { cause: err })
    }
  }
  const merged: Record<string, string> = {}
  for (const key of Object.keys(schema.shape)) {
    // An empty variable means "not set", as in most tools: the file's value (or the default) applies.
    const value = [env[key], fromFile[key]].find((v) => v !== undefined && v.trim() !== '')
    if (value !== undefined) merged[key] = value
  }
  const result = schema.safeParse(merged)
  if (!result.success) {
    const issue = result.error.issues[0]!
    const name = String(issue.path[0] ?? '')
    const item = typeof issue.path[1] === 'number' ? merged[name]?.split(',').map((x) => x.trim()).filter(Boolean)[issue.path[1]] : undefined
    throw new ConfigError(`config: ${name}: ${describeIssue(issue)}${item !== undefined ? `, got "${item}"` : ''}`)
  }
  const config = result.data
  checkTogether(config)
  return config
}

/** Rules across variables. */
function checkTogether(config: Config): void {
  if (config.KEPU_ADAPTERS.includes('telegram') && !config.TELEGRAM_BOT_TOKEN) {
    throw new ConfigError('config: TELEGRAM_BOT_TOKEN: required when KEPU_ADAPTERS includes telegram (get one from @BotFather)')
  }
  if (config.KEPU_ADAPTERS.includes('wechat-oa')) {
    for (const key of ['WECHAT_OA_APPID', 'WECHAT_OA_SECRET', 'WECHAT_OA_TOKEN'] as const) {
      if (!config[key]) throw new ConfigError(`config: ${key}: required when KEPU_ADAPTERS includes wechat-oa (公众平台 → 设置与开发 → 基本配置)`)
    }
  }
  if (config.TELEGRAM_WEBHOOK_URL && !config.TELEGRAM_WEBHOOK_URL.startsWith('https://') && !/^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(`${config.TELEGRAM_WEBHOOK_URL}/`)) {
    throw new ConfigError('config: TELEGRAM_WEBHOOK_URL: Telegram delivers webhooks only to https:// URLs')
  }
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_value' && 'values' in issue) return `expected one of ${issue.values.map(String).join(', ')}`
  if (issue.code === 'too_small' || issue.code === 'too_big') return issue.message.replace(/^Too (small|big): expected number to be /, 'expected a number ')
  return issue.message
}

/** The configuration with secrets replaced, for logging at start-up. */
export function redactConfig(config: Config): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config }
  for (const key of ['TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET', 'WECHATY_PUPPET_SERVICE_TOKEN', 'WECHAT_OA_SECRET', 'WECHAT_OA_TOKEN', 'WECHAT_OA_AES_KEY']) {
    if (out[key] !== undefined) out[key] = '[redacted]'
  }
  return out
}
