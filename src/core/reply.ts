/**
 * The bot's answer to one `Incoming`, rendered by the adapter that received it.
 * `text` is exactly what the resident sees; the other fields are structured extras for adapters,
 * the batch mode and tests.
 */
export interface Reply {
  text: string
  /** False when the bot had no answer (out of scope, empty or meaningless input); it still replies politely. */
  answered: boolean
  /** What kind of answer this is. */
  intent: Intent
  /** Quick choices an adapter may render as buttons (Telegram) or a numbered list (it is already in `text`). */
  choices?: Choice[]
  /** Plan passages the answer rests on, best first. */
  sources?: SourceRef[]
  /** Calendar events the answer lists. */
  events?: EventRef[]
  /** Present when the text was checked as a possible scam. */
  fraud?: FraudVerdict
  /** True when the bot keeps more of this answer for 「更多」: adapters show a button or the hint from this alone. */
  hasMore?: boolean
  /** True when nothing should be sent (e.g. an unmentioned group message). */
  silent?: boolean
  /** True when the resident asked for a person (「转人工」): a platform with its own handoff may use it. */
  handoff?: boolean
  /**
   * Present when the resident may say whether this answer helped (the feedback skill decides when): Telegram
   * shows 👍/👎 buttons, text platforms one line (adapters/shared/render-text.ts). Not part of `text`.
   */
  feedback?: FeedbackOffer
}

/** An answer residents may rate: its id comes back with the verdict (a button's data, or the next 「1」「2」). */
export interface FeedbackOffer {
  answerId: string
  /** 长辈模式: the shorter line. */
  elder?: boolean
}

/** What a resident said of an answer: 有用 or 没用. */
export type FeedbackVerdict = 'useful' | 'useless'

export type Intent =
  | 'plan'
  | 'department'
  | 'event'
  | 'fraud'
  | 'help'
  | 'region'
  | 'more'
  | 'settings'
  | 'subscribe'
  | 'admin'
  | 'none'
  | 'ignored'
  | 'kepu'
  | 'venue'
  /** 科技志愿服务: ordering a service, registering as a volunteer, a rating. */
  | 'request'
  /** 应急提醒: an active alert shown, the alert menu. */
  | 'alert'
  /** A resident's 有用/没用 on an answer, and the bot's thanks or question about it. */
  | 'feedback'

/** A button or numbered choice: `label` is shown, `value` is sent back as the user's next text. */
export interface Choice {
  label: string
  value: string
}

/** A plan passage an answer rests on (the batch contract's `sources[]`). */
export interface SourceRef {
  region: string
  doc: string
  ref: string
  title: string
  text: string
}

/** A calendar occurrence an answer lists (the batch contract's `events[]`); dates are Asia/Shanghai, YYYY-MM-DD. */
export interface EventRef {
  name: string
  start: string
  end: string
  region?: string
  kind?: 'observance' | 'local'
}

export type RiskLevel = 'high' | 'medium' | 'low'

/** The outcome of a scam check: a level and the red flags found, in plain words. */
export interface FraudVerdict {
  risk: RiskLevel
  signals: string[]
  /** The scam type matched, if any (its id in content). */
  type?: string
}

/** A reply with nothing to say to the user: the adapter sends nothing. */
export function silentReply(): Reply {
  return { text: '', answered: false, intent: 'ignored', silent: true }
}
