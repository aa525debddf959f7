import { createRequire } from 'node:module'
import type pinoType from 'pino'

/**
 * The logging surface the code uses (a subset of pino's). Log objects carry codes and counts, never
 * tokens or message texts of residents.
 */
export interface Logger {
  debug(obj: object, msg?: string): void
  info(obj: object, msg?: string): void
  warn(obj: object, msg?: string): void
  error(obj: object, msg?: string): void
  child(bindings: Record<string, unknown>): Logger
}

/** Paths pino blanks out wherever they appear. */
export const REDACT_PATHS = ['token', '*.token', 'botToken', '*.botToken', 'secret', '*.secret', 'password', '*.password', 'text', '*.text']

/** A JSON logger to stderr (stdout is reserved for replies in batch mode). */
export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  // Loaded on first use: modules that only need the Logger type or the silent logger stay light.
  const pino = createRequire(import.meta.url)('pino') as typeof pinoType
  return pino(
    { name: options.name ?? 'kepu', level: options.level ?? process.env.KEPU_LOG_LEVEL ?? 'info', redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    pino.destination({ fd: 2, sync: true }),
  ) as unknown as Logger
}

/**
 * A logger made on its first record: a one-shot command (`kepu ask`) that logs nothing never loads pino.
 */
export function lazyLogger(create: () => Logger): Logger {
  let real: Logger | undefined
  const get = (): Logger => (real ??= create())
  return {
    debug: (obj, msg) => (msg === undefined ? get().debug(obj) : get().debug(obj, msg)),
    info: (obj, msg) => (msg === undefined ? get().info(obj) : get().info(obj, msg)),
    warn: (obj, msg) => (msg === undefined ? get().warn(obj) : get().warn(obj, msg)),
    error: (obj, msg) => (msg === undefined ? get().error(obj) : get().error(obj, msg)),
    child: (bindings) => lazyLogger(() => get().child(bindings)),
  }
}

/** A logger that drops everything. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
}

/** A logger that keeps records in memory: for tests that assert what was logged. */
export class MemoryLogger implements Logger {
  readonly records: { level: string; obj: object; msg?: string }[] = []
  private push(level: string, obj: object, msg?: string): void {
    this.records.push(msg === undefined ? { level, obj } : { level, obj, msg })
  }
  debug(obj: object, msg?: string): void { this.push('debug', obj, msg) }
  info(obj: object, msg?: string): void { this.push('info', obj, msg) }
  warn(obj: object, msg?: string): void { this.push('warn', obj, msg) }
  error(obj: object, msg?: string): void { this.push('error', obj, msg) }
  child(): Logger { return this }
}
