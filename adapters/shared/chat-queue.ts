import { waitAll } from './wait.js'

/** What a failed job is reported with. */
export type JobFailure = (err: unknown, chatId: string) => void

/**
 * One queue per chat: a chat's jobs run one after another (replies keep their order), different chats
 * run side by side, and one failing job never blocks the chat's next one. `drain` waits for the jobs in
 * flight, for shutdown.
 */
export class ChatQueue {
  private readonly chains = new Map<string, Promise<void>>()
  private readonly inflight = new Set<Promise<void>>()
  constructor(private readonly onFailure: JobFailure) {}

  /** Queues a job behind the chat's earlier ones. */
  push(chatId: string, job: () => Promise<void>): void {
    const previous = this.chains.get(chatId) ?? Promise.resolve()
    const run = previous.then(job).catch((err: unknown) => this.onFailure(err, chatId))
    this.chains.set(chatId, run)
    this.inflight.add(run)
    void run.finally(() => {
      this.inflight.delete(run)
      if (this.chains.get(chatId) === run) this.chains.delete(chatId)
    })
  }

  /** Jobs queued or running. */
  get size(): number {
    return this.inflight.size
  }

  /** Resolves true when every job finished within `ms`, false otherwise. */
  drain(ms: number): Promise<boolean> {
    return waitAll(this.inflight, ms)
  }
}
