import { limitHeapGrowth } from './core/heap-growth.js'
import { join, resolve } from 'node:path'
import { createBot, type Bot, type Router } from './core/bot.js'
import { systemClock, type Clock } from './core/clock.js'
import { silentLogger, type Logger } from './core/logger.js'
import { packageRoot } from './core/package-root.js'
import { chainOf, setUpSkills, type NamedHandler, type SetUpSkill } from './core/skill.js'
import { MemoryUserStateStore, type UserStateStore } from './core/user-state.js'
import type { Calendar } from './calendar/calendar.js'
import { loadCalendar } from './calendar/load-calendar.js'
import { loadConfig, type Config } from './config.js'
import { loadFraudKnowledge, type FraudKnowledge } from './fraud/fraud-knowledge.js'
import { loadKepuKnowledge } from './kepu/kepu-knowledge.js'
import { useContentCache } from './knowledge/content-cache.js'
import { loadKnowledgeBase, type KnowledgeBase } from './search/knowledge-base.js'
import { SynonymRegistry } from './search/synonym-registry.js'
import { SKILLS } from './skills.js'
import { dialogueRouter } from './skills/dialogue-skill.js'
import type { KepuSkill, SkillEnv, SkillRun } from './skills/skill-env.js'
import type { Store } from './store/async-store.js'

/** What the composition root may replace; everything else comes from `content/` and `seeds/`. */
export interface AppOptions {
  clock?: Clock
  logger?: Logger
  /** The configuration; default: the variables as they are (no `.env`), all defaults. */
  config?: Config
  /** The store: serve gives one, which turns on the skills that keep data (subscriptions, unanswered). */
  store?: Store
  /** Where user state lives without a store (default: memory). */
  users?: UserStateStore
  /** Folder of content YAML; default `content/` of the package. */
  contentDir?: string
  /** Folder of plan texts; default `seeds/` of the package. */
  seedsDir?: string
  /** Where the built index is cached between runs; absent: built at every start. */
  cacheDir?: string
  /** Build every index shard now (chat, serve, batch) rather than on each region's first question. */
  warm?: boolean
  /** The skills; default SKILLS (tests add a toy skill this way). */
  skills?: readonly KepuSkill[]
}

/** The assembled bot and the parts other commands (ics, announce, serve) need. */
export interface App {
  bot: Bot
  clock: Clock
  logger: Logger
  config: Config
  /** Loaded on first use. */
  readonly knowledge: KnowledgeBase
  readonly calendar: Calendar
  readonly fraud: FraudKnowledge
  contentDir: string
  /** The skills as set up, in the array's order (handlers, topics, staff commands, routes, start). */
  skills: SetUpSkill<SkillRun>[]
  /** The handler chain in the order it runs. */
  chain: NamedHandler[]
  /** Resolves when warming (with `warm`) has run every handler once; at once without it. Never rejects. */
  ready: Promise<void>
}

/** Loads a piece of content once, on first use. */
function once<T>(load: () => T): () => T {
  let value: T | undefined
  let loaded = false
  return () => {
    if (!loaded) {
      value = load()
      loaded = true
    }
    return value as T
  }
}

/**
 * The composition root: sets up every skill of SKILLS on shared, lazily loaded content and composes
 * their handlers into one chain by declared stage (see core/skill.ts and `kepu skills`).
 */
export function createApp(options: AppOptions = {}): App {
  const clock = options.clock ?? systemClock
  const logger = options.logger ?? silentLogger
  const config = options.config ?? loadConfig({ envFile: false })
  const users = options.store?.users ?? options.users ?? new MemoryUserStateStore()
  const root = packageRoot()
  const contentDir = options.contentDir ?? join(root, 'content')
  const seedsDir = options.seedsDir ?? (config.KEPU_SEEDS_DIR ? resolve(config.KEPU_SEEDS_DIR) : join(root, 'seeds'))
  // Validated content YAML is kept beside the index, keyed by each file's text and its schema.
  useContentCache(options.cacheDir)
  // Synonym groups staff add in the console: every vocabulary reads them at query time.
  const synonyms = new SynonymRegistry()
  const knowledge = once(() => loadKnowledgeBase({ contentDir, seedsDir, logger, synonyms, indexMemoryMB: config.KEPU_INDEX_MEMORY_MB, ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}) }))
  const calendar = once(() => loadCalendar(contentDir, { warm: options.warm === true }))
  const fraud = once(() => loadFraudKnowledge(contentDir))
  const kepu = once(() => loadKepuKnowledge({ contentDir, regions: knowledge().regions.all(), logger, synonyms, ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}) }))
  // The plans add regions to the registry (a plan for an unlisted region), so it is the knowledge base's.
  const env: SkillEnv = { clock, logger, config, contentDir, regions: knowledge().regions, knowledge, calendar, fraud, kepu, synonyms, ...(options.store ? { store: options.store, data: options.store } : {}) }
  const skills = setUpSkills(options.skills ?? SKILLS, env)
  const chain = chainOf(skills)
  // Content is validated at start, so a broken file is reported by every command before any question.
  calendar()
  fraud()
  if (options.warm) knowledge().index.warm()
  if (options.warm) kepu()
  const router = dialogueRouter(env)
  const bot = createBot({ handlers: chain, clock, logger, users, regions: env.regions, router })
  const warmUpQuestions = [...new Set(skills.flatMap((s) => s.warmUp ?? []))]
  // A long-running process (serve, chat: warm) keeps its heap near what is live (core/heap-growth.ts), once
  // started: while the start builds its live heap, a capped growth only means collection after collection.
  const ready = options.warm
    ? warmUp(chain.filter((h) => h.stage !== 'observe' && h.stage !== 'staff'), warmUpQuestions, clock, logger, env, router).then(() => limitHeapGrowth(config.KEPU_HEAP_GROWTH_PERCENT))
    : Promise.resolve()
  return {
    bot,
    clock,
    logger,
    config,
    get knowledge() {
      return knowledge()
    },
    get calendar() {
      return calendar()
    },
    get fraud() {
      return fraud()
    },
    contentDir,
    skills,
    chain,
    ready,
  }
}

const WARM_UP_ROUNDS = 8

/**
 * Answers the skills' warm-up questions on a throw-away bot (memory user state, no recorder, no
 * subscriptions) so that the first resident does not pay for the engine compiling each handler's code.
 */
async function warmUp(handlers: NamedHandler[], questions: string[], clock: Clock, logger: Logger, env: SkillEnv, router: Router): Promise<void> {
  const bot = createBot({ handlers, clock, logger, users: new MemoryUserStateStore(16), regions: env.regions, router })
  // bot.handle never rejects: a failing handler becomes a polite reply. A few rounds let the engine
  // optimise the hot paths (tokenizer, index lookup, ranking), not just compile them once.
  for (let round = 0; round < WARM_UP_ROUNDS; round++) for (const text of questions) await bot.handle({ channel: 'warm-up', chatId: 'warm-up', userId: 'warm-up', isGroup: false, mentioned: true, forwarded: false, text })
}
