import type { Adapter, Outgoing, SendReceipt } from '../../src/core/adapter.js'
import type { Clock } from '../../src/core/clock.js'
import { DeliveryError } from '../../src/core/errors.js'

/** An adapter that records sends with the (fake) time they happened; `fail` scripts errors per chat. */
export class MemoryAdapter implements Adapter {
  readonly sent: { chatId: string; text: string; at: number }[] = []
  private readonly failures = new Map<string, DeliveryError[]>()
  private next = 1
  constructor(
    readonly name: string,
    private readonly clock: Clock,
  ) {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async send(message: Outgoing): Promise<SendReceipt> {
    const queue = this.failures.get(message.chatId)
    const err = queue?.shift()
    if (err) throw err
    this.sent.push({ chatId: message.chatId, text: message.text, at: this.clock.now().getTime() })
    return { messageId: String(this.next++) }
  }
  /** The next sends to `chatId` throw these errors, in order. */
  fail(chatId: string, ...errors: DeliveryError[]): this {
    this.failures.set(chatId, [...(this.failures.get(chatId) ?? []), ...errors])
    return this
  }
  countTo(chatId: string): number {
    return this.sent.filter((s) => s.chatId === chatId).length
  }
}

/** Template content with fixed texts, counting calls. */
export function fakeContent(observances: { name: string; date: string }[] = []) {
  return {
    weekEvents: (region: string | undefined) => (region ? `${region}本周：科普讲座` : '本周：科普讲座'),
    nextObservance: () => '9月20日 全国科普日',
    dailyTip: () => '陌生来电要钱，先挂断再核实。',
    upcomingObservances: (now: Date, days: number) =>
      observances.filter((o) => {
        const t = Date.parse(`${o.date}T00:00:00+08:00`)
        return t >= now.getTime() - 86_400_000 && t <= now.getTime() + days * 86_400_000
      }),
  }
}
