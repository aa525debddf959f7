import { join } from 'node:path'
import { createCommandHandler } from './answer/command-handler.js'
import { createDepartmentHandler } from './answer/department-handler.js'
import { createPlanHandler } from './answer/plan-handler.js'
import { createPlanInfoHandler } from './answer/plan-info-handler.js'
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
  /** Resolves when warming (with `warm`) has run every handler once; at once without it. Never rejects. */
  ready: Promise<void>
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
  const answering: Handler[] = [
    createCommandHandler({ regions: knowledge.regions }),
    createElderModeHandler({ fraud }),
    ...(options.subscriptions ? [options.subscriptions] : []),
    createFraudHandler({ fraud }),
    createCalendarHandler({ calendar }),
    createPlanInfoHandler(knowledge),
    createDepartmentHandler(knowledge),
    createPlanHandler(knowledge),
  ]
  const bot = createBot({ handlers: [...(options.before ?? []), ...answering], clock, logger, users, regions: knowledge.regions })
  const ready = options.warm ? warmUp(answering.filter((h) => h !== options.subscriptions), clock, logger, knowledge) : Promise.resolve()
  return { bot, clock, logger, knowledge, calendar, fraud, contentDir, ready }
}

const WARM_UP_ROUNDS = 20

/** Kinds of questions that exercise every handler once; none is a real resident's question. */
const WARM_UP = ['你好', '青少年科学素质提升行动由哪个部门牵头', '公民科学素质比例目标是多少', '防灾减灾日是哪天', '最近有什么科普活动', '帮我看看：点击链接领取补贴', '老年人怎么防诈骗']

/**
 * Answers a few questions on a throw-away bot (memory user state, no recorder, no subscriptions) so that
 * the first resident does not pay for the engine compiling each handler's code on first use.
 */
async function warmUp(handlers: Handler[], clock: Clock, logger: Logger, knowledge: KnowledgeBase): Promise<void> {
  const bot = createBot({ handlers, clock, logger, users: new MemoryUserStateStore(16), regions: knowledge.regions })
  // bot.handle never rejects: a failing handler becomes a polite reply. A few rounds let the engine
  // optimise the hot paths (tokenizer, index lookup, ranking), not just compile them once.
  for (let round = 0; round < WARM_UP_ROUNDS; round++) for (const text of WARM_UP) await bot.handle({ channel: 'warm-up', chatId: 'warm-up', userId: 'warm-up', isGroup: false, mentioned: true, forwarded: false, text })
}
