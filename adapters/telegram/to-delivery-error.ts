import { TelegramError } from 'telegraf'
import { DeliveryError } from '../../src/core/errors.js'

// Failures where the request never reached the server: safe to retry.
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'])

/**
 * Maps what telegraf throws to a `DeliveryError` the delivery worker can act on:
 * 429 → rate_limited (retry_after in ms), 403 → blocked, 5xx or a connection refused → transient,
 * a timeout or a reset after the request went out → in_doubt, any other 4xx → permanent.
 * The message names the method and the status only: never the token, never the text.
 */
export function toDeliveryError(err: unknown, method = 'sendMessage'): DeliveryError {
  if (err instanceof DeliveryError) return err
  if (err instanceof TelegramError || isTelegramShaped(err)) {
    const code = (err as TelegramError).code
    const description = String((err as TelegramError).description ?? '').slice(0, 120)
    const what = `telegram: ${method}: ${code} ${description}`
    if (code === 429) {
      const seconds = Number((err as TelegramError).parameters?.retry_after ?? 1)
      return new DeliveryError('rate_limited', what, { retryAfterMs: Math.max(1, seconds) * 1000, cause: err })
    }
    if (code === 403) return new DeliveryError('blocked', what, { cause: err })
    if (code >= 500) return new DeliveryError('transient', what, { cause: err })
    return new DeliveryError('permanent', what, { cause: err })
  }
  const e = err as { name?: string; code?: string; errno?: string; type?: string } | undefined
  if (e?.name === 'AbortError' || e?.type === 'aborted') {
    return new DeliveryError('in_doubt', `telegram: ${method}: no answer in time after the request was sent`, { cause: err })
  }
  const code = String(e?.code ?? e?.errno ?? '')
  if (NOT_SENT.has(code)) return new DeliveryError('transient', `telegram: ${method}: network error ${code} before sending`, { cause: err })
  return new DeliveryError('in_doubt', `telegram: ${method}: network error ${code || e?.name || 'unknown'} while sending`, { cause: err })
}

function isTelegramShaped(err: unknown): boolean {
  const r = (err as { response?: { error_code?: unknown } } | undefined)?.response
  return typeof r?.error_code === 'number'
}
