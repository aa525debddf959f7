import type { Clock } from './clock.js'
import { cleanText } from './clean-text.js'
import { errorCode, HandlerError } from './errors.js'
import { userKey, type Incoming } from './incoming.js'
import type { Logger } from './logger.js'
import { msg } from './messages-zh.js'
import type { Reply } from './reply.js'
import type { NamedHandler } from './skill.js'
import type { UserState, UserStateStore } from './user-state.js'

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

/** What every handler gets for one message. Handlers may change `user`; the bot saves it afterwards. */
export interface Context {
  readonly incoming: Incoming
  /** The cleaned question (NFKC, no control characters, at most MAX_QUESTION_CHARS). */
  readonly text: string
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

/** What a handler may return besides the Reply: the rest of a long text, kept for 「更多」. */
export interface ReplyWithMore extends Reply {
  more?: string
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
  const { clock, logger, users, regions } = options
  const handlers: NamedHandler[] = options.handlers.map((h, i) => (typeof h === 'function' ? { name: h.name || `handler#${i}`, stage: 'answer', handle: h } : h))

  async function handle(incoming: Incoming): Promise<Reply> {
    const key = userKey(incoming)
    const cleaned = cleanText(incoming.text)
    const user: UserState = { ...(users.get(key) ?? {}) }
    // A bare 「1」 picks the first numbered choice of the previous reply.
    const picked = /^\d{1,2}$/u.test(cleaned.text) ? user.choices?.[Number(cleaned.text) - 1] : undefined
    const text = picked ? picked.value : cleaned.text
    const truncated = cleaned.truncated
    const regionInQuestion = text ? regions.findIn(text) : undefined
    const given = incoming.region ? regions.byName(incoming.region) : undefined
    const remembered = user.region ? regions.byName(user.region) : undefined
    const ctx: Context = {
      incoming,
      text,
      truncated,
      now: incoming.now ?? clock.now(),
      userKey: key,
      user,
      regionInQuestion,
      region: regionInQuestion ?? given ?? remembered,
      log: logger,
    }
    let reply: ReplyWithMore
    try {
      reply = await run(ctx, 0)
    } catch (err) {
      logger.error({ code: errorCode(err), handler: failedIn.get(err as object) ?? 'unknown', channel: incoming.channel, err: err instanceof Error ? err.name : typeof err }, 'handler failed')
      return { text: msg('error'), answered: false, intent: 'none' }
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

  function finish(ctx: Context, reply: ReplyWithMore, key: string): Reply {
    const { more, ...out } = reply
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
    if (ctx.truncated && !out.silent) out.text = `${msg('truncated')}\n${out.text}`
    try {
      users.set(key, ctx.user)
    } catch (err) {
      logger.warn({ code: errorCode(err) }, 'user state not saved')
    }
    return out
  }

  return { handle }
}
