import type { KeyValueCache } from './stores.js'

/** WeChat's rule for 客服消息: within 48 hours of the resident's last action, at most 5 messages. */
export const SERVICE_WINDOW_MS = 48 * 3600_000
export const SERVICE_WINDOW_QUOTA = 5

interface WindowState {
  /** When the resident last wrote (ms). */
  since: number
  /** 客服消息 sent since then. */
  used: number
}

/**
 * Per resident: when they last wrote and how many 客服消息 went out since, kept in the shared cache so
 * that every replica counts the same window. Replicas may race on a count; WeChat's own 45047 is the
 * backstop, and the adapter closes the window when it sees one.
 */
export class ServiceWindow {
  private readonly windowMs: number
  private readonly quota: number

  constructor(
    private readonly cache: KeyValueCache,
    private readonly appId: string,
    options: { windowMs?: number; quota?: number } = {},
  ) {
    this.windowMs = options.windowMs ?? SERVICE_WINDOW_MS
    this.quota = options.quota ?? SERVICE_WINDOW_QUOTA
  }

  /** The resident acted (wrote, subscribed, clicked): a new window with the whole quota. */
  async opened(openid: string, now: Date): Promise<void> {
    await this.write(openid, { since: now.getTime(), used: 0 })
  }

  /** How many 客服消息 may still go to the resident now (0 when the window is closed). */
  async left(openid: string, now: Date): Promise<number> {
    const s = await this.read(openid, now)
    return s ? Math.max(0, this.quota - s.used) : 0
  }

  /** Takes up to `wanted` messages of the quota; resolves with how many were granted. */
  async take(openid: string, now: Date, wanted = 1): Promise<number> {
    const s = await this.read(openid, now)
    if (!s) return 0
    const granted = Math.max(0, Math.min(wanted, this.quota - s.used))
    if (granted > 0) await this.write(openid, { since: s.since, used: s.used + granted })
    return granted
  }

  /** WeChat said the window is closed (45015, 45047): nothing more until the resident writes again. */
  async close(openid: string, now: Date): Promise<void> {
    const s = await this.read(openid, now)
    if (s) await this.write(openid, { since: s.since, used: this.quota })
  }

  private key(openid: string): string {
    return `wechat-oa:kf-window:${this.appId}:${openid}`
  }

  private async read(openid: string, now: Date): Promise<WindowState | undefined> {
    const raw = await this.cache.get(this.key(openid))
    if (!raw) return undefined
    try {
      const s = JSON.parse(raw) as WindowState
      if (typeof s.since !== 'number' || typeof s.used !== 'number') return undefined
      return now.getTime() - s.since < this.windowMs ? s : undefined
    } catch {
      return undefined
    }
  }

  private async write(openid: string, s: WindowState): Promise<void> {
    await this.cache.set(this.key(openid), JSON.stringify(s), new Date(s.since + this.windowMs))
  }
}
