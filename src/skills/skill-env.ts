import type { CronFactory } from '../announce/cron-factory.js'
import type { Sleep } from '../announce/delivery-worker.js'
import type { Adapter } from '../core/adapter.js'
import type { RegionRegistry } from '../knowledge/region-registry.js'
import type { Clock } from '../core/clock.js'
import type { Logger } from '../core/logger.js'
import type { Skill } from '../core/skill.js'
import type { Calendar } from '../calendar/calendar.js'
import type { Config } from '../config.js'
import type { FraudKnowledge } from '../fraud/fraud-knowledge.js'
import type { KepuKnowledge } from '../kepu/kepu-knowledge.js'
import type { KnowledgeBase } from '../search/knowledge-base.js'
import type { SynonymRegistry } from '../search/synonym-registry.js'
import type { Store } from '../store/async-store.js'

/**
 * What every skill may use at set-up. Content is loaded on first use and shared: the plans skill and the
 * departments skill read one knowledge base, the calendar and the announcements one calendar.
 */
export interface SkillEnv {
  clock: Clock
  logger: Logger
  /** The one configuration (see config.ts), also in `ask` and `chat`. */
  config: Config
  contentDir: string
  regions: RegionRegistry
  knowledge(): KnowledgeBase
  calendar(): Calendar
  fraud(): FraudKnowledge
  /** The knowledge cards (content/kepu/) and their index: the cards skill, the rumour check, the daily card. */
  kepu(): KepuKnowledge
  /** Synonym groups kept outside content/synonyms.yaml (the console's): `set` them and the next question uses them. */
  synonyms: SynonymRegistry
  /** Present when serving (and in tests that give one): skills that keep data need it and are off without it. */
  store?: Store
  /** The same store as `store` (kept for the skills written while the store became asynchronous). */
  data?: Store
}

/** What background work gets from `serve` once every adapter is taking messages. */
export interface SkillRun {
  config: Config
  clock: Clock
  logger: Logger
  store: Store
  /** The running adapters by name (`telegram`, `wechat`, `console`): where scheduled messages go. */
  adapters: ReadonlyMap<string, Adapter>
  /** How background loops wait between rounds; real time by default (tests give their own). */
  sleep?: Sleep
  /** How schedules tick; node-cron in Asia/Shanghai by default (tests tick by hand on fake time). */
  cron?: CronFactory
}

/** A skill of this bot. */
export type KepuSkill = Skill<SkillEnv, SkillRun>
