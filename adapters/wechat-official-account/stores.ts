/**
 * What the WeChat Official Account adapter keeps, as three small injected interfaces, so that replicas
 * behind one callback URL share them (the async store implements the same shapes) and tests use memory.
 * The in-memory defaults are right for one process.
 */

/** Inbound message ids already answered (WeChat retries a message three times when the answer is slow). */
export interface UpdateDedup {
  /** Records `id`; true when it was recorded less than `ttlMs` before `now` (a retry: do not answer). Atomic. */
  seen(source: string, id: string, now: Date, ttlMs: number): Promise<boolean>
}

/** Small shared values with an expiry: the access_token, and each resident's 客服消息 window. */
export interface KeyValueCache {
  /** The value, or undefined when absent or expired. */
  get(key: string): Promise<string | undefined>
  /** Sets (or replaces) a value until `expiresAt`. */
  set(key: string, value: string, expiresAt: Date): Promise<void>
}

/** A named lease: one process at a time refreshes the access_token. */
export interface Lease {
  /** Takes the lease (or renews it for the same holder, or takes it over when expired); false when another holds it. */
  acquire(name: string, holder: string, now: Date, ttlMs: number): Promise<boolean>
  /** Gives the lease up when `holder` holds it. */
  release(name: string, holder: string): Promise<boolean | void>
}

/** Ids in memory, forgotten after their ttl; at most `max` kept (the oldest go first). */
export class MemoryUpdateDedup implements UpdateDedup {
  private readonly at = new Map<string, number>()
  constructor(private readonly max = 10_000) {}

  seen(source: string, id: string, now: Date, ttlMs: number): Promise<boolean> {
    const key = `${source}\u0000${id}`
    const t = now.getTime()
    const before = this.at.get(key)
    const dup = before !== undefined && t - before < ttlMs
    if (!dup) {
      this.at.delete(key)
      this.at.set(key, t)
      if (this.at.size > this.max) this.at.delete(this.at.keys().next().value!)
    }
    return Promise.resolve(dup)
  }
}

/** Values in memory; `now` decides expiry (default the machine's clock). */
export class MemoryKeyValueCache implements KeyValueCache {
  private readonly values = new Map<string, { value: string; expiresAt: number }>()
  constructor(private readonly now: () => number = Date.now) {}

  get(key: string): Promise<string | undefined> {
    const v = this.values.get(key)
    if (!v) return Promise.resolve(undefined)
    if (v.expiresAt <= this.now()) {
      this.values.delete(key)
      return Promise.resolve(undefined)
    }
    return Promise.resolve(v.value)
  }

  set(key: string, value: string, expiresAt: Date): Promise<void> {
    this.values.set(key, { value, expiresAt: expiresAt.getTime() })
    return Promise.resolve()
  }
}

/** Leases in memory. */
export class MemoryLease implements Lease {
  private readonly held = new Map<string, { holder: string; until: number }>()

  acquire(name: string, holder: string, now: Date, ttlMs: number): Promise<boolean> {
    const h = this.held.get(name)
    const t = now.getTime()
    if (h && h.holder !== holder && h.until > t) return Promise.resolve(false)
    this.held.set(name, { holder, until: t + ttlMs })
    return Promise.resolve(true)
  }

  release(name: string, holder: string): Promise<boolean> {
    const h = this.held.get(name)
    if (!h || h.holder !== holder) return Promise.resolve(false)
    this.held.delete(name)
    return Promise.resolve(true)
  }
}
