/** What the bot remembers about one user between messages. */
export interface UserState {
  /** The region the user said they live in (a registry name, e.g. 东营市). */
  region?: string
  /** 长辈模式: short replies, numbered menus, the hotline in every fraud answer. */
  elder?: boolean
  /** The rest of the last long answer, shown when the user replies 「更多」. */
  more?: string
  /** The numbered choices of the last reply, so that 「1」 means the first one. */
  choices?: { label: string; value: string }[]
}

/** Where user states live: memory for batch runs, the database when serving. */
export interface UserStateStore {
  get(key: string): UserState | undefined
  set(key: string, state: UserState): void
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
