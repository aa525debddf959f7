import { createBot, type Bot, type Handler } from './core/bot.js'
import { systemClock, type Clock } from './core/clock.js'
import { silentLogger, type Logger } from './core/logger.js'
import { MemoryUserStateStore, type UserStateStore } from './core/user-state.js'

/** What the composition root may replace; everything else comes from `content/` and `seeds/`. */
export interface AppOptions {
  clock?: Clock
  logger?: Logger
  users?: UserStateStore
}

/** The assembled bot and the parts other commands (ics, announce, serve) need. */
export interface App {
  bot: Bot
  clock: Clock
  logger: Logger
}

/**
 * Loads content, builds the indexes and composes the handlers in order:
 * commands → elder mode → subscriptions → scam check → calendar → departments → plan search → decline.
 */
export function createApp(options: AppOptions = {}): App {
  const clock = options.clock ?? systemClock
  const logger = options.logger ?? silentLogger
  const users = options.users ?? new MemoryUserStateStore()
  const handlers: Handler[] = [
    // HANDLERS: each domain adds its handler here, in the order above.
  ]
  const bot = createBot({ handlers, clock, logger, users, regions: { byName: () => undefined, findIn: () => undefined } })
  return { bot, clock, logger }
}
