import { randomUUID } from 'node:crypto'
import type { Command } from 'commander'
import { createAdapters } from '../adapters.js'
import { createApp, type App } from '../app.js'
import { loadConfig, redactConfig, type Config } from '../config.js'
import type { Adapter } from '../core/adapter.js'
import { cacheDir } from '../core/cache-dir.js'
import { ConfigError, errorCode, KepuError } from '../core/errors.js'
import { createLogger, type Logger } from '../core/logger.js'
import type { HttpRoute, Undo } from '../core/skill.js'
import { healthRoutes } from '../http/health-routes.js'
import { startHttpServer, type HttpServer } from '../http/http-server.js'
import type { SkillRun } from '../skills/skill-env.js'
import { keyValueCacheOf } from '../adapters.js'
import { lockDataDir } from '../store/data-dir-lock.js'
import { openConfiguredStore } from '../store/open-configured-store.js'
import { watchParent } from './parent-watch.js'
import type { Store } from '../store/async-store.js'

/**
 * Background work that runs beside the adapters: by default each skill's `start` (the announcement
 * scheduler and delivery worker …). It starts after every adapter started and returns its undo, which
 * `serve` calls on SIGTERM/SIGINT, before stopping the adapters, so that sends in flight can finish.
 */
export type ServeHook = (run: SkillRun) => Undo | void | Promise<Undo | void>

/** A running `serve`. */
export interface ServeHandle {
  adapters: ReadonlyMap<string, Adapter>
  /** The HTTP server's port, when one runs (a route needs it or KEPU_HTTP_PORT is set). */
  httpPort: number | undefined
  /** Stops taking messages, runs the hooks' undos, lets replies in flight finish, closes the store. */
  stop(): Promise<void>
}

export interface StartServeOptions {
  config: Config
  logger: Logger
  /** Default: createApp over the store's user states. */
  app?: App
  /** Default: the store the config names (PostgreSQL with KEPU_DATABASE_URL, else SQLite in KEPU_DATA_DIR). */
  store?: Store
  /** Default: the adapters the config names. */
  adapters?: Map<string, Adapter>
  /** Default: the skills' `start`, in the skills array's order. */
  hooks?: ServeHook[]
}

/**
 * Starts every adapter on the bot, then the hooks. If one adapter fails to start, the ones started are
 * stopped again and the error is thrown: a half-running bot is worse than none.
 */
export async function startServe(options: StartServeOptions): Promise<ServeHandle> {
  const { config, logger } = options
  const store = options.store ?? (await openConfiguredStore(config))
  const closeStore = async (): Promise<void> => {
    if (!options.store) await store.close()
  }
  let app: App
  try {
    app = options.app ?? createApp({ logger, config, store, cacheDir: cacheDir(), warm: true })
  } catch (err) {
    await closeStore()
    throw err
  }
  // A resident who blocked the bot while it replied is marked at once, so no announcement is queued for them.
  const onBlocked = (channel: string, chatId: string): void => {
    store.block(channel, chatId, app.clock.now()).catch((err: unknown) => logger.warn({ code: errorCode(err) }, 'block not recorded'))
  }
  // Replicas share what must be decided once: update ids seen, the WeChat access_token and its refresh lease.
  const shared = { dedup: store, wechatOa: { dedup: store, lease: store, cache: keyValueCacheOf(store) } }
  const adapters = options.adapters ?? (await createAdapters(config, logger, { onBlocked, ...shared }))
  if (!adapters.size) throw new ConfigError(`config: KEPU_ADAPTERS: name at least one adapter to serve (telegram, wechat-oa, wechat, console)`)
  const started: Adapter[] = []
  const undos: Undo[] = []
  const handle = (incoming: Parameters<App['bot']['handle']>[0]) => app.bot.handle(incoming)
  // Telegram polling allows one consumer per bot: with replicas on one database, one polls (a lease) and a
  // second is refused with the reason; replicas should use the webhook.
  const pollLease = store.dialect === 'postgres' && adapters.has('telegram') && !config.TELEGRAM_WEBHOOK_URL ? await takePollLease(store, logger) : undefined
  let stopped = false
  let contentReady = false
  void Promise.resolve(app.ready).then(() => (contentReady = true))
  const readiness = {
    checks: () => ({ content: contentReady, store: !stopped, adapters: started.length === adapters.size && !stopped }),
  }
  let http: HttpServer | undefined
  try {
    // Routes first: a webhook must be answering before the adapter registers its URL with the platform.
    const routes: HttpRoute[] = [...(app.skills ?? []).flatMap((s) => s.routes ?? []), ...[...adapters.values()].flatMap((a) => a.routes?.() ?? [])]
    if (routes.length || config.KEPU_HTTP_PORT !== undefined) {
      http = await startHttpServer({ host: config.KEPU_HTTP_HOST, port: config.KEPU_HTTP_PORT ?? 8080, routes: [...healthRoutes(readiness), ...routes], logger })
    }
    for (const adapter of adapters.values()) {
      await adapter.start(handle)
      started.push(adapter)
    }
    const run: SkillRun = { config, clock: app.clock, logger, store, adapters }
    const hooks = options.hooks ?? (app.skills ?? []).flatMap((s) => (s.start ? [s.start.bind(s)] : []))
    for (const hook of hooks) {
      const undo = await hook(run)
      if (undo) undos.push(undo)
    }
  } catch (err) {
    await stopAll(undos, started, logger)
    await http?.close()
    await pollLease?.release()
    await closeStore()
    throw err
  }
  logger.info({ adapters: [...adapters.keys()], httpPort: http?.port }, 'serving')
  let stopping: Promise<void> | undefined
  return {
    adapters,
    httpPort: http?.port,
    stop: () =>
      (stopping ??= (async () => {
        stopped = true
        await stopAll(undos, started, logger)
        await http?.close()
        await pollLease?.release()
        await closeStore()
      })()),
  }
}

/** Holds `telegram-poller` while this replica polls; a replica that cannot take it refuses to start. */
async function takePollLease(store: Store, logger: Logger): Promise<{ release(): Promise<void> }> {
  const holder = randomUUID()
  const ttl = 30_000
  if (!(await store.acquire('telegram-poller', holder, new Date(), ttl))) {
    throw new ConfigError('config: TELEGRAM_WEBHOOK_URL: another replica already polls Telegram for this bot (polling allows one consumer); run replicas with the webhook')
  }
  const timer = setInterval(() => {
    store.acquire('telegram-poller', holder, new Date(), ttl).then(
      (ok) => {
        if (!ok) logger.error({ code: 'E_LEASE_LOST' }, 'another replica took over Telegram polling')
      },
      (err: unknown) => logger.warn({ code: errorCode(err) }, 'polling lease not renewed'),
    )
  }, ttl / 3)
  timer.unref()
  return {
    async release() {
      clearInterval(timer)
      await store.release('telegram-poller', holder).catch(() => false)
    },
  }
}

async function stopAll(undos: Undo[], adapters: Adapter[], logger: Logger): Promise<void> {
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
    .description('run the bot on the adapters named in KEPU_ADAPTERS (telegram, wechat-oa, wechat, console); config from the environment and .env')
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
      let unlock: () => void = () => {}
      try {
        // One serve per SQLite data directory; on PostgreSQL replicas are the point (leases decide who sends).
        if (!config.KEPU_DATABASE_URL) unlock = lockDataDir(config.KEPU_DATA_DIR)
        serving = await startServe({ config, logger })
      } catch (err) {
        unlock()
        const why = redactSecrets(err instanceof Error ? err.message : String(err), config)
        logger.error({ code: errorCode(err), err: why }, 'serve failed to start')
        if (err instanceof KepuError) process.stderr.write(`kepu serve: ${why}\n`)
        process.exitCode = err instanceof KepuError ? 2 : 1
        return
      }
      let stopWatching: () => void = () => {}
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
        process.on('SIGHUP', onSignal)
        // Killed launchers (npx, a shell) send no signal: the bot stops when its parent dies.
        stopWatching = watchParent(() => onSignal('SIGHUP'))
      })
      stopWatching()
      unlock()
      process.exitCode = 0
      // Libraries (wechaty, keep-alive agents) may hold the loop open: the work is done, leave.
      setTimeout(() => process.exit(0), 50).unref()
    })
}

/** Blanks every configured secret out of a text bound for the log. */
function redactSecrets(text: string, config: Config): string {
  let out = text
  for (const secret of [config.TELEGRAM_BOT_TOKEN, config.TELEGRAM_WEBHOOK_SECRET, config.WECHATY_PUPPET_SERVICE_TOKEN, config.WECHAT_OA_SECRET, config.WECHAT_OA_TOKEN, config.WECHAT_OA_AES_KEY]) {
    if (secret) out = out.split(secret).join('[redacted]')
  }
  return out
}
