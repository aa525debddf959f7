import { join } from 'node:path'
import { createCommandHandler } from './answer/command-handler.js'
import { createDepartmentHandler } from './answer/department-handler.js'
import { createPlanHandler } from './answer/plan-handler.js'
import { createBot, type Bot, type Handler } from './core/bot.js'
import { systemClock, type Clock } from './core/clock.js'
import { silentLogger, type Logger } from './core/logger.js'
import { packageRoot } from './core/package-root.js'
import { MemoryUserStateStore, type UserStateStore } from './core/user-state.js'
import { createCalendarHandler } from './calendar/calendar-handler.js'
import type { Calendar } from './calendar/calendar.js'
import { loadCalendar } from './calendar/load-calendar.js'
import { createElderModeHandler } from './fraud/elder-mode-handler.js'
import { createFraudHandler } from './fraud/fraud-handler.js'
import { loadFraudKnowledge, type FraudKnowledge } from './fraud/fraud-knowledge.js'
import { loadKnowledgeBase, type KnowledgeBase } from './knowledge/knowledge-base.js'

/** What the composition root may replace; everything else comes from `content/` and `seeds/`. */
export interface AppOptions {
  clock?: Clock
  logger?: Logger
  users?: UserStateStore
  /** Folder of content YAML; default `content/` of the package. */
  contentDir?: string
  /** Folder of plan texts; default `seeds/` of the package. */
  seedsDir?: string
  /** Where the built index is cached between runs; absent: built at every start. */
  cacheDir?: string
  /** Build every index shard now (chat, serve, batch) rather than on each region's first question. */
  warm?: boolean
  /** The subscription handler (it needs the store), placed after elder mode. */
  subscriptions?: Handler
  /** Handlers to run first (e.g. the unanswered-question recorder, subscriptions); composition order. */
  before?: Handler[]
}

/** The assembled bot and the parts other commands (ics, announce, serve) need. */
export interface App {
  bot: Bot
  clock: Clock
  logger: Logger
  knowledge: KnowledgeBase
  calendar: Calendar
  fraud: FraudKnowledge
  contentDir: string
}

/**
 * Loads content, builds the indexes and composes the handlers in order:
 * commands → elder mode → subscriptions → scam check → calendar → departments → plan search → decline.
 */
export function createApp(options: AppOptions = {}): App {
  const clock = options.clock ?? systemClock
  const logger = options.logger ?? silentLogger
  const users = options.users ?? new MemoryUserStateStore()
  const root = packageRoot()
  const contentDir = options.contentDir ?? join(root, 'content')
  const seedsDir = options.seedsDir ?? join(root, 'seeds')
  const knowledge = loadKnowledgeBase({ contentDir, seedsDir, logger, ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}) })
  const calendar = loadCalendar(contentDir, { warm: options.warm === true })
  const fraud = loadFraudKnowledge(contentDir)
  if (options.warm) knowledge.index.warm()
  const handlers: Handler[] = [
    ...(options.before ?? []),
    createCommandHandler({ regions: knowledge.regions }),
    createElderModeHandler({ fraud }),
    ...(options.subscriptions ? [options.subscriptions] : []),
    createFraudHandler({ fraud }),
    createCalendarHandler({ calendar }),
    createDepartmentHandler(knowledge),
    createPlanHandler(knowledge),
  ]
  const bot = createBot({ handlers, clock, logger, users, regions: knowledge.regions })
  return { bot, clock, logger, knowledge, calendar, fraud, contentDir }
}
