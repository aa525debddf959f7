/** What the bot remembers about one user between messages. */
export interface UserState {
  /** The region the user said they live in (a registry name, e.g. 东营市). */
  region?: string
  /** The district or town named with it (垦利区, 米山镇), when one was. */
  district?: string
  /** 长辈模式: short replies, numbered menus, the hotline in every fraud answer. */
  elder?: boolean
  /** The rest of the last long answer, shown when the user replies 「更多」. */
  more?: string
  /** The numbered choices of the last reply, so that 「1」 means the first one. */
  choices?: { label: string; value: string }[]
  /** The conversation so far: what follow-ups lean on. Forgotten after a quiet spell (DIALOGUE_TTL_MS). */
  dialogue?: DialogueState
  /** What the feedback skill keeps between messages (src/feedback/). */
  feedback?: FeedbackState
}

/**
 * Feedback on answers between messages: how many answers since it was last offered (so that it is not
 * offered on every answer), the offer the last reply made, and the comment awaited after 没用.
 */
export interface FeedbackState {
  /** Answers that could have carried the offer since it was last made. */
  answers: number
  /** The last reply offered feedback on this answer: a bare 1 or 2 next is about it. */
  offered?: { answerId: string; at: string }
  /** After 没用: the unanswered row the resident's next short message is added to as a comment. */
  comment?: { row: number; at: string }
}

/** One item of a numbered list the bot just showed: 「第二个」 opens it. */
export interface ListItem {
  label: string
  /** The plan passage it stands for. */
  passage?: string
  /** Otherwise, the text that opening it shows. */
  text?: string
}

/** The events question last answered: a follow-up changes its window or audience. */
export interface EventsQuery {
  /** YYYY-MM-DD, inclusive. */
  from: string
  to: string
  label: string
  /** The audience words it was filtered by (适合孩子), if any. */
  audience?: string
}

/**
 * The dialogue state of one user: the last intent, region, passage and list, the events query and the
 * scam check. Plain JSON, so the store keeps it like the rest of the user state and it survives a restart.
 */
export interface DialogueState {
  /** When the last turn was (ISO): after DIALOGUE_TTL_MS of quiet the state is dropped. */
  at: string
  /** The intent of the last answer (plan, department, event, fraud …). */
  intent?: string
  /** The last question answered from content, as resolved (a follow-up's full question). */
  question?: string
  /** The region the last answer was about. */
  region?: string
  /** The action (提升行动, 重点工程) the last answer belongs to. */
  action?: string
  /** True when the last answer was about that whole action (its lead units, its list of items), not one passage. */
  wholeAction?: boolean
  /** The passages the last answer rests on, best first (ids). */
  passages?: string[]
  /** The passage 「接着说」 continues from (the last one shown). */
  cursor?: string
  /** The numbered list just shown. */
  list?: ListItem[]
  /** The events query just answered. */
  events?: EventsQuery
  /** The scam check just made. */
  scam?: { risk: string; type?: string }
}

/** Context expires after this much quiet, so that an old topic does not capture a new question. */
export const DIALOGUE_TTL_MS = 30 * 60 * 1000

/** The dialogue state if it is still live at `now`, else undefined. */
export function liveDialogue(state: UserState, now: Date): DialogueState | undefined {
  const d = state.dialogue
  if (!d) return undefined
  const at = Date.parse(d.at)
  if (!Number.isFinite(at) || now.getTime() - at > DIALOGUE_TTL_MS || now.getTime() < at - DIALOGUE_TTL_MS) return undefined
  return d
}

/**
 * Where user states live: memory for batch runs (synchronous), the database when serving (the store's
 * asynchronous `users`). Either form fits.
 */
export interface UserStateStore {
  get(key: string): UserState | undefined | Promise<UserState | undefined>
  set(key: string, state: UserState): void | Promise<void>
}

/** A user-state store in memory, bounded so that a long batch cannot grow it without limit. */
export class MemoryUserStateStore implements UserStateStore {
  private readonly map = new Map<string, UserState>()
  constructor(private readonly max = 10_000) {}
  get(key: string): UserState | undefined {
    return this.map.get(key)
  }
  set(key: string, state: UserState): void {
    this.map.delete(key)
    this.map.set(key, state)
    if (this.map.size > this.max) {
      const oldest = this.map.keys().next().value
      if (oldest !== undefined) this.map.delete(oldest)
    }
  }
}
