import { ConfigError } from '../core/errors.js'

/**
 * What a user id looks like on each channel. Ids are compared as validated strings, never loosely: a
 * Telegram id is a positive integer written in digits (no sign, no leading zero, no spaces), so "42 ",
 * "042", "-42" or a number sent as text in a forged update never match an admin's "42".
 */
const USER_ID: Record<string, RegExp> = {
  telegram: /^[1-9]\d{0,19}$/,
}
/** Any other channel (wechat: wxid_…, console: local): a plain id without spaces or separators. */
const OTHER_ID = /^[A-Za-z0-9_@.-]{1,128}$/

/** True when `userId` is a well-formed id on `channel`. */
export function isValidUserId(channel: string, userId: unknown): userId is string {
  return typeof userId === 'string' && (USER_ID[channel] ?? OTHER_ID).test(userId)
}

/** Who may schedule announcements: `channel:userId` keys, as in KEPU_ADMINS=telegram:123,wechat:wxid_x. */
export class AdminList {
  private readonly keys: Set<string>
  constructor(keys: Iterable<string>) {
    this.keys = new Set(keys)
  }

  /** Reads KEPU_ADMINS; an entry that is not `channel:userId` with a valid id is an error naming it. */
  static parse(value: string | undefined): AdminList {
    const keys: string[] = []
    for (const part of (value ?? '').split(/[,\s]+/).filter(Boolean)) {
      const i = part.indexOf(':')
      if (i <= 0 || i === part.length - 1) throw new ConfigError(`config: KEPU_ADMINS: "${part}" should be channel:userId, e.g. telegram:123`)
      const channel = part.slice(0, i)
      if (!isValidUserId(channel, part.slice(i + 1))) {
        throw new ConfigError(`config: KEPU_ADMINS: "${part}": ${channel === 'telegram' ? 'a Telegram user id is a positive number in digits' : 'not a valid user id'}`)
      }
      keys.push(part)
    }
    return new AdminList(keys)
  }

  /** True when the user of this channel is an admin. A missing or malformed id is never one. */
  has(channel: string, userId: string | undefined): boolean {
    return isValidUserId(channel, userId) && this.keys.has(`${channel}:${userId}`)
  }

  /** The admins as chats (an admin's private chat id is their user id on both platforms). */
  chats(): { channel: string; chatId: string }[] {
    return [...this.keys].map((k) => {
      const i = k.indexOf(':')
      return { channel: k.slice(0, i), chatId: k.slice(i + 1) }
    })
  }

  get size(): number {
    return this.keys.size
  }
}
