import { ConfigError } from '../core/errors.js'

/** Who may schedule announcements: `channel:userId` keys, as in KEPU_ADMINS=telegram:123,wechat:wxid_x. */
export class AdminList {
  private readonly keys: Set<string>
  constructor(keys: Iterable<string>) {
    this.keys = new Set(keys)
  }

  /** Reads KEPU_ADMINS; an entry without `channel:` is an error naming it. */
  static parse(value: string | undefined): AdminList {
    const keys: string[] = []
    for (const part of (value ?? '').split(/[,\s]+/).filter(Boolean)) {
      const i = part.indexOf(':')
      if (i <= 0 || i === part.length - 1) throw new ConfigError(`config: KEPU_ADMINS: "${part}" should be channel:userId, e.g. telegram:123`)
      keys.push(part)
    }
    return new AdminList(keys)
  }

  /** True when the user of this channel is an admin. */
  has(channel: string, userId: string): boolean {
    return this.keys.has(`${channel}:${userId}`)
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
