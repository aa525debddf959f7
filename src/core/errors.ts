/**
 * The project's named errors. Each carries a stable `code` for logs and for looking up the friendly
 * Chinese text residents see (messages.zh.ts); `message` is for developers and never reaches a chat.
 * Messages never contain tokens or personal data.
 */
export class KepuError extends Error {
  readonly code: string
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
    this.code = code
  }
}

/** A content or seed file failed validation; the message names the file, the item and the field. */
export class ContentError extends KepuError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_CONTENT', message, options)
  }
}

/** The configuration (environment, `.env`, CLI flags) is invalid; the message names the variable. */
export class ConfigError extends KepuError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_CONFIG', message, options)
  }
}

/** A user's input cannot be used as given (bad cron expression, unknown region …). */
export class InputError extends KepuError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_INPUT', message, options)
  }
}

/** The user lacks the right to do this (a non-admin scheduling an announcement). */
export class PermissionError extends KepuError {
  constructor(message: string) {
    super('E_PERMISSION', message)
  }
}

/** A handler broke the chain's contract (e.g. called `next()` twice); the message names the handler. */
export class HandlerError extends KepuError {
  readonly handler: string
  constructor(handler: string, message: string) {
    super('E_HANDLER', `handler ${handler}: ${message}`)
    this.handler = handler
  }
}

/**
 * How a failed send should be treated:
 * - `rate_limited`: retry after `retryAfterMs` (a 429 with `retry_after`);
 * - `blocked`: the user blocked the bot or left; never retry, mark the recipient;
 * - `transient`: network trouble or 5xx before the platform accepted it; retry with backoff;
 * - `in_doubt`: the request may have been delivered (a timeout after sending); never resend silently;
 * - `permanent`: the platform refused this message (400): do not retry.
 */
export type DeliveryFailure = 'rate_limited' | 'blocked' | 'transient' | 'in_doubt' | 'permanent'

/** A send to a platform failed; `kind` decides retry, skip or report. */
export class DeliveryError extends KepuError {
  readonly kind: DeliveryFailure
  readonly retryAfterMs: number | undefined
  constructor(kind: DeliveryFailure, message: string, options?: { retryAfterMs?: number; cause?: unknown }) {
    super(`E_DELIVERY_${kind.toUpperCase()}`, message, { cause: options?.cause })
    this.kind = kind
    this.retryAfterMs = options?.retryAfterMs
  }
}

/** The stable code of any thrown value, for logs. */
export function errorCode(err: unknown): string {
  return err instanceof KepuError ? err.code : 'E_INTERNAL'
}
