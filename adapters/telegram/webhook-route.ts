import { timingSafeEqual } from 'node:crypto'
import type { Logger } from '../../src/core/logger.js'
import type { HttpResponse, HttpRoute } from '../../src/core/skill.js'
import type { TgUpdate } from './to-incoming.js'

/** What the webhook route needs from the adapter. */
export interface WebhookRouteOptions {
  path: string
  /** Telegram sends it back in X-Telegram-Bot-Api-Secret-Token; requests without it are refused. */
  secret: string
  /** Takes a parsed update (de-duplication and replies are the adapter's). */
  accept(update: TgUpdate): void
  /** True while the adapter is not taking updates (before start, while stopping): 503, Telegram retries. */
  closed(): boolean
  logger: Logger
  /** Failed authentications are logged once per this many ms, with a count (default 60 000). */
  authLogEveryMs?: number
  now?: () => number
}

const text = (status: number, body = ''): HttpResponse => ({ status, headers: { 'content-type': 'text/plain' }, body })

/**
 * The Telegram webhook as a route on the one HTTP server: secret-token check in constant time, JSON
 * body, 200 at once (Telegram redelivers on a slow answer), 503 while the adapter is closed. Bodies over
 * the server's limit get 413 from the server. A flood of unauthenticated posts costs one log line a minute.
 */
export function telegramWebhookRoute(options: WebhookRouteOptions): HttpRoute {
  const secret = Buffer.from(options.secret)
  const every = options.authLogEveryMs ?? 60_000
  const now = options.now ?? Date.now
  let refused = 0
  let lastLog = -Infinity
  return {
    method: 'POST',
    path: options.path,
    handle(req) {
      const given = Buffer.from(req.headers['x-telegram-bot-api-secret-token'] ?? '')
      if (given.length !== secret.length || !timingSafeEqual(given, secret)) {
        refused++
        if (now() - lastLog >= every) {
          options.logger.warn({ code: 'E_WEBHOOK_SECRET', refused }, 'webhook requests without the right secret token')
          lastLog = now()
          refused = 0
        }
        return text(401)
      }
      if (options.closed()) return text(503)
      let update: TgUpdate
      try {
        update = JSON.parse(req.body) as TgUpdate
      } catch {
        options.logger.warn({ code: 'E_WEBHOOK_BODY' }, 'webhook body is not JSON')
        return text(400)
      }
      if (update && typeof update.update_id === 'number') options.accept(update)
      return text(200)
    },
  }
}
