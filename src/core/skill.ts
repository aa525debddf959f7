import type { Handler } from './bot.js'

/**
 * Where a handler stands in the chain. The router runs stages in this order, and within a stage the
 * handlers in the order of the skills array at the composition root. Precedence is declared here, not
 * hidden in handlers that let questions through by their own heuristics.
 *
 * - `observe`: sees every message and its reply, answers nothing itself (the unanswered recorder).
 * - `command`: exact commands that need no knowledge (help, 「更多」, setting the region).
 * - `mode`: a mode that owns the conversation while it is on (长辈模式 menus, a guided dialogue).
 * - `staff`: subscriptions and staff commands.
 * - `check`: a message to examine rather than a question (a forwarded message, a pasted scam).
 * - `answer`: questions answered from content (calendar, departments, plans, knowledge cards).
 * - `fallback`: runs when nothing answered.
 */
export const STAGES = ['observe', 'command', 'mode', 'staff', 'check', 'answer', 'fallback'] as const
export type Stage = (typeof STAGES)[number]

/** A handler with its name (in logs and errors) and its declared place in the chain. */
export interface NamedHandler {
  name: string
  stage: Stage
  handle: Handler
}

/** A subscription topic a skill offers residents. */
export interface TopicInfo {
  id: string
  label: string
  /** True when messages of the topic depend on the subscriber's region. */
  regional: boolean
}

/** A chat command for staff, documented in `kepu skills` (the skill's handlers carry it out). */
export interface StaffCommandInfo {
  usage: string
  summary: string
}

/** An HTTP request as a skill's route sees it. */
export interface HttpRequest {
  method: string
  path: string
  query: URLSearchParams
  headers: Record<string, string | undefined>
  body: string
}

/** What a route answers. */
export interface HttpResponse {
  status: number
  headers?: Record<string, string>
  body?: string
}

/** A route on the one HTTP server `serve` owns. */
export interface HttpRoute {
  method: 'GET' | 'POST'
  /** Exact path, e.g. `/healthz`, `/telegram/webhook`. */
  path: string
  handle(req: HttpRequest): Promise<HttpResponse> | HttpResponse
}

/** Undoes what a start did; awaited on shutdown. */
export type Undo = () => void | Promise<void>

/**
 * What a skill contributes once set up. Every part is optional: a skill may only answer questions,
 * or only run background work.
 */
export interface SkillParts<Run = unknown> {
  handlers?: NamedHandler[]
  topics?: TopicInfo[]
  staffCommands?: StaffCommandInfo[]
  routes?: HttpRoute[]
  /** Questions that exercise the skill's handlers once, for warming up; none is a resident's question. */
  warmUp?: string[]
  /** Background work started by `serve` after the adapters; returns its undo. */
  start?(run: Run): Undo | void | Promise<Undo | void>
}

/**
 * One capability of the bot: plans, calendar, fraud check, subscriptions … The composition root lists
 * every skill once; `serve`, `chat` and `ask` build from that list. `setup` receives what the skill
 * needs from the outside world (clock, logger, store, loaded content) and returns its parts.
 */
export interface Skill<Env = unknown, Run = unknown> {
  readonly name: string
  /** One line for `kepu skills` and the docs. */
  readonly summary: string
  setup(env: Env): SkillParts<Run>
}

/** A skill's parts with its name, as the router and `serve` see them. */
export interface SetUpSkill<Run = unknown> extends SkillParts<Run> {
  skill: string
  summary: string
}

/** Sets every skill up, in the array's order. */
export function setUpSkills<Env, Run>(skills: readonly Skill<Env, Run>[], env: Env): SetUpSkill<Run>[] {
  const seen = new Set<string>()
  return skills.map((s) => {
    if (seen.has(s.name)) throw new Error(`skills: "${s.name}" is listed twice`)
    seen.add(s.name)
    return { skill: s.name, summary: s.summary, ...s.setup(env) }
  })
}

/** Every handler of the set-up skills, ordered by stage, then by the skills array. */
export function chainOf(skills: readonly SetUpSkill<unknown>[]): NamedHandler[] {
  const all = skills.flatMap((s, si) => (s.handlers ?? []).map((h, hi) => ({ h, si, hi })))
  all.sort((a, b) => STAGES.indexOf(a.h.stage) - STAGES.indexOf(b.h.stage) || a.si - b.si || a.hi - b.hi)
  return all.map((x) => x.h)
}
