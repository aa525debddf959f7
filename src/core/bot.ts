import type { Clock } from './clock.js'
import { cleanText } from './clean-text.js'
import { errorCode } from './errors.js'
import { userKey, type Incoming } from './incoming.js'
import type { Logger } from './logger.js'
import { msg } from './messages-zh.js'
import type { Reply } from './reply.js'
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
  /** Handlers in order; the first one that does not call `next` answers. */
  handlers: Handler[]
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

/**
 * Builds the bot from handlers composed like middleware. A handler that throws never takes the bot
 * down: the resident gets a friendly message and the log gets the error's code.
 */
export function createBot(options: BotOptions): Bot {
  const { handlers, clock, logger, users, regions } = options

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
      logger.error({ code: errorCode(err), channel: incoming.channel, err: err instanceof Error ? err.name : typeof err }, 'handler failed')
      return { text: msg('error'), answered: false, intent: 'none' }
    }
    return finish(ctx, reply, key)
  }

  function run(ctx: Context, i: number): Promise<Reply> {
    const h = handlers[i]
    if (!h) return fallthrough(ctx.text)
    return h(ctx, () => run(ctx, i + 1))
  }

  function finish(ctx: Context, reply: ReplyWithMore, key: string): Reply {
    const { more, ...out } = reply
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
