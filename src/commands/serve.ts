import { randomBytes } from 'node:crypto'
import { join, resolve } from 'node:path'
import type { Command } from 'commander'
import { createApp, type App } from '../app.js'
import { loadConfig, redactConfig, type Config } from '../config.js'
import type { Adapter } from '../core/adapter.js'
import { cacheDir } from '../core/cache-dir.js'
import { ConfigError, errorCode } from '../core/errors.js'
import { createLogger, type Logger } from '../core/logger.js'
import { openSqliteStore } from '../store/sqlite-store.js'
import { announceHandlers, announceServeHook } from './announce.js'
import type { Store } from '../store/store.js'

/** What a serve hook gets once every adapter is taking messages. */
export interface ServeContext {
  config: Config
  app: App
  store: Store
  logger: Logger
  /** The running adapters by name (`telegram`, `wechat`, `console`): where scheduled messages go. */
  adapters: ReadonlyMap<string, Adapter>
}

/** Undoes what a hook started; awaited on shutdown before the adapters stop. */
export type ServeUndo = () => void | Promise<void>

/**
 * Background work that runs beside the adapters (the announcement scheduler and delivery worker).
 * It starts after every adapter started and returns its undo, which `serve` calls on SIGTERM/SIGINT,
 * before stopping the adapters, so that sends in flight can still finish.
 */
export type ServeHook = (ctx: ServeContext) => ServeUndo | void | Promise<ServeUndo | void>

/**
 * The hooks `kepu serve` runs, in order.
 * ANNOUNCE: the announcements module (issue 6) adds its scheduler + delivery worker start here, e.g.
 * `(ctx) => startAnnouncements({ store: ctx.store, adapters: ctx.adapters, clock: ctx.app.clock, logger: ctx.logger })`.
 */
export const SERVE_HOOKS: ServeHook[] = [
  // ANNOUNCE: hooks go here.
  announceServeHook,
]

/**
 * Builds the adapters the configuration names. Platform SDKs are loaded only for the adapters in use
 * (wechaty is large), which is also why this is async.
 */
export async function createAdapters(config: Config, logger: Logger, hooks: { onBlocked?: (channel: string, chatId: string) => void } = {}): Promise<Map<string, Adapter>> {
  const adapters = new Map<string, Adapter>()
  for (const name of config.KEPU_ADAPTERS) {
    if (adapters.has(name)) continue
    if (name === 'telegram') {
      const { createTelegramAdapter } = await import('../../adapters/telegram/telegram-adapter.js')
      const webhook = config.TELEGRAM_WEBHOOK_URL
        ? {
            url: config.TELEGRAM_WEBHOOK_URL,
            secret: config.TELEGRAM_WEBHOOK_SECRET ?? randomSecret(),
            host: config.TELEGRAM_WEBHOOK_HOST,
            port: config.TELEGRAM_WEBHOOK_PORT,
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
          maxRetryAfterS: config.TELEGRAM_MAX_RETRY_AFTER_S,
          stopGraceMs: config.KEPU_SHUTDOWN_GRACE_MS,
          ...(hooks.onBlocked ? { onBlocked: (chatId: string) => hooks.onBlocked!('telegram', chatId) } : {}),
          ...(webhook ? { webhook } : {}),
        }),
      )
    } else if (name === 'wechat') {
      const { createWechatAdapter } = await import('../../adapters/wechat/wechat-adapter.js')
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
      const { createConsoleAdapter } = await import('../../adapters/console/console-adapter.js')
      adapters.set(name, createConsoleAdapter({ logger }))
    }
  }
  return adapters
}

/** A running `serve`. */
export interface ServeHandle {
  adapters: ReadonlyMap<string, Adapter>
  /** Stops taking messages, runs the hooks' undos, lets replies in flight finish, closes the store. */
  stop(): Promise<void>
}

export interface StartServeOptions {
  config: Config
  logger: Logger
  /** Default: createApp over the store's user states. */
  app?: App
  /** Default: the SQLite store in KEPU_DATA_DIR. */
  store?: Store
  /** Default: the adapters the config names. */
  adapters?: Map<string, Adapter>
  /** Default: SERVE_HOOKS. */
  hooks?: ServeHook[]
}

/**
 * Starts every adapter on the bot, then the hooks. If one adapter fails to start, the ones started are
 * stopped again and the error is thrown: a half-running bot is worse than none.
 */
export async function startServe(options: StartServeOptions): Promise<ServeHandle> {
  const { config, logger } = options
  const store = options.store ?? openSqliteStore({ dataDir: config.KEPU_DATA_DIR })
  const app = options.app ?? createApp({ logger, users: store.users, cacheDir: cacheDir(), warm: true, ...announceHandlers({ store, admins: config.KEPU_ADMINS }) })
  // A resident who blocked the bot while it replied is marked at once, so no announcement is queued for them.
  const adapters = options.adapters ?? (await createAdapters(config, logger, { onBlocked: (channel, chatId) => store.block(channel, chatId, app.clock.now()) }))
  if (!adapters.size) throw new ConfigError(`config: KEPU_ADAPTERS: name at least one adapter to serve (telegram, wechat, console)`)
  const started: Adapter[] = []
  const undos: ServeUndo[] = []
  const handle = (incoming: Parameters<App['bot']['handle']>[0]) => app.bot.handle(incoming)
  try {
    for (const adapter of adapters.values()) {
      await adapter.start(handle)
      started.push(adapter)
    }
    const ctx: ServeContext = { config, app, store, logger, adapters }
    for (const hook of options.hooks ?? SERVE_HOOKS) {
      const undo = await hook(ctx)
      if (undo) undos.push(undo)
    }
  } catch (err) {
    await stopAll(undos, started, logger)
    if (!options.store) store.close()
    throw err
  }
  logger.info({ adapters: [...adapters.keys()] }, 'serving')
  let stopping: Promise<void> | undefined
  return {
    adapters,
    stop: () =>
      (stopping ??= (async () => {
        await stopAll(undos, started, logger)
        if (!options.store) store.close()
      })()),
  }
}

async function stopAll(undos: ServeUndo[], adapters: Adapter[], logger: Logger): Promise<void> {
  for (const undo of undos.reverse()) {
    try {
      await undo()
    } catch (err) {
      logger.warn({ code: errorCode(err) }, 'serve hook did not stop cleanly')
    }
  }
  await Promise.all(
    adapters.map((a) =>
      a.stop().catch((err: unknown) => {
        logger.warn({ code: errorCode(err), adapter: a.name }, 'adapter did not stop cleanly')
      }),
    ),
  )
}

/** `kepu serve`: runs the configured adapters until SIGTERM/SIGINT, then shuts down within 5 s and exits 0. */
export function register(program: Command): void {
  program
    .command('serve')
    .description('run the bot on the adapters named in KEPU_ADAPTERS (telegram, wechat, console); config from the environment and .env')
    .option('--env-file <path>', 'read variables from this file (default .env when present)')
    .action(async (opts: { envFile?: string }) => {
      let config: Config
      try {
        config = loadConfig(opts.envFile ? { envFile: opts.envFile } : {})
      } catch (err) {
        process.stderr.write(`kepu serve: ${err instanceof Error ? err.message : String(err)}\n`)
        process.exitCode = 2
        return
      }
      const logger = createLogger({ level: config.KEPU_LOG_LEVEL, name: 'kepu-serve' })
      logger.debug({ config: redactConfig(config) }, 'configuration')
      let serving: ServeHandle
      try {
        serving = await startServe({ config, logger })
      } catch (err) {
        const why = redactSecrets(err instanceof Error ? err.message : String(err), config)
        logger.error({ code: errorCode(err), err: why }, 'serve failed to start')
        if (err instanceof ConfigError) process.stderr.write(`kepu serve: ${why}\n`)
        process.exitCode = err instanceof ConfigError ? 2 : 1
        return
      }
      await new Promise<void>((done) => {
        let signalled = false
        const onSignal = (signal: NodeJS.Signals): void => {
          if (signalled) {
            // A second signal: the operator wants out now.
            process.exit(0)
          }
          signalled = true
          logger.info({ signal }, 'shutting down')
          // Whatever happens, exit within the promised 5 s.
          setTimeout(() => {
            logger.warn({ code: 'E_SHUTDOWN_TIMEOUT' }, 'forced exit')
            process.exit(0)
          }, Math.min(4800, config.KEPU_SHUTDOWN_GRACE_MS + 700)).unref()
          serving
            .stop()
            .catch((err: unknown) => logger.warn({ code: errorCode(err) }, 'shutdown error'))
            .finally(() => {
              logger.info({}, 'stopped')
              done()
            })
        }
        process.on('SIGTERM', onSignal)
        process.on('SIGINT', onSignal)
      })
      process.exitCode = 0
      // Libraries (wechaty, keep-alive agents) may hold the loop open: the work is done, leave.
      setTimeout(() => process.exit(0), 50).unref()
    })
}

/** Blanks every configured secret out of a text bound for the log. */
function redactSecrets(text: string, config: Config): string {
  let out = text
  for (const secret of [config.TELEGRAM_BOT_TOKEN, config.TELEGRAM_WEBHOOK_SECRET, config.WECHATY_PUPPET_SERVICE_TOKEN]) {
    if (secret) out = out.split(secret).join('[redacted]')
  }
  return out
}

/** A webhook secret when none is configured: Telegram keeps it, so a fresh one per start is fine. */
function randomSecret(): string {
  return randomBytes(24).toString('base64url')
}
