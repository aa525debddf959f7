import type { Clock } from './clock.js'
import { cleanText } from './clean-text.js'
import { errorCode, HandlerError } from './errors.js'
import { userKey, type Incoming } from './incoming.js'
import type { Logger } from './logger.js'
import { msg } from './messages-zh.js'
import type { Reply } from './reply.js'
import type { NamedHandler } from './skill.js'
import { liveDialogue, type DialogueState, type UserState, type UserStateStore } from './user-state.js'

/** A region as the bot knows it (see content/regions.yaml). */
export interface RegionRef {
  /** The name in its plan's title: 东营市, 汕尾市城区 … */
  name: string
  /** The short form residents say: 东营, 汕尾城区 … */
  short: string
}

/** Finds regions named in text; implemented by the knowledge layer. */
export interface RegionResolver {
  /** The region a name, short form or alias denotes, or undefined. */
  byName(name: string): RegionRef | undefined
  /** The first region named in free text, or undefined. */
  findIn(text: string): RegionRef | undefined
}

/**
 * What the router (run once, before the chain) makes of a message. Precedence is declared in the
 * router (answer/intent-router.ts); handlers answer the intents that are theirs instead of guessing.
 * - `smalltalk`: thanks, goodbye, 「好嘞」 inside a conversation;
 * - `region`: the message only says where the resident lives (「俺家在利津」);
 * - `followup`: it leans on the last answer (see `FollowUp`);
 * - `mode`: a menu answer while 长辈模式 is on;
 * - `check`: a message to examine as a possible scam (a pasted notice);
 * - `event`, `department`, `plan`: questions for the calendar, the division of work, the plans;
 * - `knowledge`: a science-knowledge question (knowledge cards).
 * Handlers that answer by their own heuristics stand aside when the router decided another intent.
 */
export type RoutedIntent = 'smalltalk' | 'region' | 'followup' | 'mode' | 'check' | 'event' | 'department' | 'plan' | 'knowledge'

/** The kinds of follow-up the router resolves against the dialogue state. */
export type FollowUp =
  /** The same question about another region (「那高平呢」): `Understanding.region` names it. */
  | { kind: 'region' }
  /** The next part of the last answer (「接着说」). */
  | { kind: 'next' }
  /** Item N of the list just shown (「第三条展开讲讲」「第二个」). */
  | { kind: 'item'; n: number }
  /** Who leads, or who else works on, what was just answered (「这个归谁管」「还有哪些单位配合」). */
  | { kind: 'units'; who: 'lead' | 'partners' }
  /** The last events question with another time window (「九月份呢」). */
  | { kind: 'window' }
  /** The last events question for an audience (「带孩子能去的有吗」). */
  | { kind: 'audience' }
  /** A new topic in the same region (「不对，我想问的是…」). */
  | { kind: 'correction' }
  /** What to do about the scam just checked (「那我该怎么办」). */
  | { kind: 'advice' }
  /** A bare number that is on no menu. */
  | { kind: 'off-menu'; n: number }

/** The router's reading of one message. Every field is optional: nothing means "as typed". */
export interface Understanding {
  intent?: RoutedIntent
  followUp?: FollowUp
  /** The question to answer instead of the text as typed (a follow-up resolved to a full question). */
  text?: string
  /** The region this message is about, over the question's and the remembered one. */
  region?: RegionRef
  /** The region (and district) the message says the resident lives in: saved, and confirmed in the reply. */
  setRegion?: { region: RegionRef; district?: string }
}

/** What the router sees: the message as cleaned, the user state and the live dialogue. */
export interface RouterInput {
  readonly incoming: Incoming
  readonly text: string
  readonly now: Date
  readonly user: Readonly<UserState>
  readonly dialogue: DialogueState | undefined
  readonly regionInQuestion: RegionRef | undefined
  readonly region: RegionRef | undefined
}

/** Decides the intent of a message once, before the handler chain. */
export type Router = (input: RouterInput) => Understanding

/** What every handler gets for one message. Handlers may change `user`; the bot saves it afterwards. */
export interface Context {
  readonly incoming: Incoming
  /** The question to answer: the cleaned text (NFKC, no control characters, at most MAX_QUESTION_CHARS), or the router's resolution of a follow-up. */
  readonly text: string
  /** The router's decision, when it made one. */
  readonly intent?: RoutedIntent | undefined
  /** The follow-up the router resolved, if the message is one. */
  readonly followUp?: FollowUp | undefined
  /** The conversation so far; undefined when there is none or it expired (DIALOGUE_TTL_MS). */
  readonly dialogue?: DialogueState | undefined
  /** True when the input was cut. */
  readonly truncated: boolean
  /** The time to answer at. */
  readonly now: Date
  /** `channel:userId`. */
  readonly userKey: string
  /** The user's remembered state; mutate it to remember something. */
  user: UserState
  /** The region named in the question itself, if any. */
  readonly regionInQuestion: RegionRef | undefined
  /** The region in force: named in the question, else given by the channel, else the user's. */
  readonly region: RegionRef | undefined
  readonly log: Logger
}

/** Produces the reply, or passes to the next handler. */
export type Handler = (ctx: Context, next: () => Promise<Reply>) => Promise<Reply>

/**
 * What a handler may return besides the Reply: the rest of a long text, kept for 「更多」, and what the
 * dialogue state should hold after this answer (replaces it; absent: the state is kept as it was).
 */
export interface ReplyWithMore extends Reply {
  more?: string
  remember?: Omit<DialogueState, 'at' | 'intent'>
}

export interface BotOptions {
  /**
   * Handlers in chain order (see `chainOf`); the first one that does not call `next` answers. A bare
   * function is named after itself (tests compose small chains by hand).
   */
  handlers: readonly (NamedHandler | Handler)[]
  clock: Clock
  logger: Logger
  users: UserStateStore
  regions: RegionResolver
  /** Decides the intent once before the chain (answer/intent-router.ts); absent: handlers decide. */
  router?: Router
}

/** The core: one entry point, `handle(incoming) → Reply`. */
export interface Bot {
  handle(incoming: Incoming): Promise<Reply>
}

/** The reply when every handler passed: a hint to write Chinese when the question had none. */
function fallthrough(text: string): Promise<Reply> {
  const latinOnly = /[a-z]{3}/iu.test(text) && !/[\u3400-\u9fff]/u.test(text)
  return Promise.resolve({ text: msg(latinOnly ? 'notChinese' : 'decline'), answered: false, intent: 'none' })
}

/** Which handler an error came out of, for the log line. */
const failedIn = new WeakMap<object, string>()

/**
 * Builds the bot from handlers composed like middleware. A handler that throws never takes the bot
 * down: the resident gets a friendly message and the log gets the error's code.
 */
export function createBot(options: BotOptions): Bot {
  const { clock, logger, users, regions, router } = options
  const handlers: NamedHandler[] = options.handlers.map((h, i) => (typeof h === 'function' ? { name: h.name || `handler#${i}`, stage: 'answer', handle: h } : h))

  async function handle(incoming: Incoming): Promise<Reply> {
    const key = userKey(incoming)
    const cleaned = cleanText(incoming.text)
    let stored: UserState | undefined
    try {
      stored = await users.get(key)
    } catch (err) {
      logger.warn({ code: errorCode(err) }, 'user state not read')
    }
    const user: UserState = { ...(stored ?? {}) }
    const now = incoming.now ?? clock.now()
    const dialogue = liveDialogue(user, now)
    if (!dialogue) delete user.dialogue
    // A bare 「1」 picks the first numbered choice of the previous reply.
    const picked = /^\d{1,2}$/u.test(cleaned.text) ? user.choices?.[Number(cleaned.text) - 1] : undefined
    const typed = picked ? picked.value : cleaned.text
    const truncated = cleaned.truncated
    const given = incoming.region ? regions.byName(incoming.region) : undefined
    const remembered = user.region ? regions.byName(user.region) : undefined
    const typedRegion = typed ? regions.findIn(typed) : undefined
    let understood: Understanding = {}
    if (router && typed) {
      try {
        understood = router({ incoming, text: typed, now, user, dialogue, regionInQuestion: typedRegion, region: typedRegion ?? given ?? remembered })
      } catch (err) {
        logger.warn({ code: errorCode(err) }, 'router failed; the chain decides')
      }
    }
    if (understood.setRegion) {
      user.region = understood.setRegion.region.name
      if (understood.setRegion.district) user.district = understood.setRegion.district
      else delete user.district
    }
    const text = understood.text ?? typed
    const regionInQuestion = understood.text !== undefined ? (text ? regions.findIn(text) : undefined) : typedRegion
    const ctx: Context = {
      incoming,
      text,
      intent: understood.intent,
      followUp: understood.followUp,
      dialogue,
      truncated,
      now,
      userKey: key,
      user,
      regionInQuestion,
      region: understood.region ?? understood.setRegion?.region ?? regionInQuestion ?? given ?? (user.region ? regions.byName(user.region) : undefined),
      log: logger,
    }
    let reply: ReplyWithMore
    try {
      reply = await run(ctx, 0)
    } catch (err) {
      logger.error({ code: errorCode(err), handler: failedIn.get(err as object) ?? 'unknown', channel: incoming.channel, err: err instanceof Error ? err.name : typeof err }, 'handler failed')
      return { text: msg('error'), answered: false, intent: 'none' }
    }
    if (understood.setRegion && reply.intent !== 'region' && !reply.silent) {
      const { region, district } = understood.setRegion
      reply = { ...reply, text: `${msg('regionSetShort').replace('{region}', district ? `${region.name}（${district}）` : region.name)}\n${reply.text}` }
    }
    return finish(ctx, reply, key)
  }

  /**
   * Runs handler `i`, giving it a `next` that may be called once: a second call would run the rest of
   * the chain twice (two replies, two state changes), so it throws, naming the handler.
   */
  function run(ctx: Context, i: number): Promise<Reply> {
    const h = handlers[i]
    if (!h) return fallthrough(ctx.text)
    let called = false
    const next = (): Promise<Reply> => {
      if (called) return Promise.reject(new HandlerError(h.name, 'next() called twice'))
      called = true
      return run(ctx, i + 1)
    }
    return Promise.resolve()
      .then(() => h.handle(ctx, next))
      .catch((err: unknown) => {
        // The innermost handler the error passed through is the one that failed.
        if (err !== null && typeof err === 'object' && !failedIn.has(err)) failedIn.set(err, h.name)
        throw err
      })
  }

  async function finish(ctx: Context, reply: ReplyWithMore, key: string): Promise<Reply> {
    const { more, remember, ...out } = reply
    // The one place that says a reply has more: adapters show 「更多」 from `hasMore` alone.
    if (more && !out.silent) {
      out.hasMore = true
      if (!out.text.includes('「更多」')) out.text = `${out.text}\n${msg('moreHint')}`
    }
    if (reply.intent !== 'more' && !reply.silent) {
      if (more) ctx.user.more = more
      else delete ctx.user.more
      if (out.choices?.length) ctx.user.choices = out.choices
      else delete ctx.user.choices
    }
    if (!reply.silent) ctx.user.dialogue = nextDialogue(ctx, reply, remember)
    if (ctx.truncated && !out.silent) out.text = `${msg('truncated')}\n${out.text}`
    try {
      await users.set(key, ctx.user)
    } catch (err) {
      logger.warn({ code: errorCode(err) }, 'user state not saved')
    }
    return out
  }

  return { handle }
}

/**
 * The dialogue state after a reply: what the handler asked to remember (a new topic), else the state as
 * it was (small talk, a decline, 「更多」 keep the topic); a scam check is remembered for 「那我该怎么办」.
 * Exported so that a handler that wraps the chain (the feedback offer) can tell what a bare number will
 * mean after this reply without repeating the rule.
 */
export function nextDialogue(ctx: Context, reply: ReplyWithMore, remember: ReplyWithMore['remember']): DialogueState {
  const scam = reply.fraud ? { scam: { risk: reply.fraud.risk, ...(reply.fraud.type ? { type: reply.fraud.type } : {}) } } : {}
  // A scam check starts a new topic unless its handler says what to keep.
  const base: Omit<DialogueState, 'at'> = remember ? { ...remember, intent: reply.intent } : reply.fraud ? { intent: reply.intent } : { ...(ctx.dialogue ?? {}) }
  return { ...base, ...scam, at: ctx.now.toISOString() }
}
