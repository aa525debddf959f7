import { describe, expect, it } from 'vitest'
import { OutboundQueue, type OutboundPriority } from '../../../adapters/shared/outbound-queue.js'
import { DeliveryError } from '../../../src/core/errors.js'
import { MemoryLogger } from '../../../src/core/logger.js'

/** Virtual time: the queue's sleep moves the clock; sends complete on the next turn. */
function rig(limits = { perSecond: 10, perChatIntervalMs: 1000, perGroupPerMinute: 20 }, maxReplyAgeMs = 600_000) {
  let t = 0
  const log: Array<{ chat: string; at: number; text: string }> = []
  const q = new OutboundQueue({
    limits,
    classify: (e) => (e instanceof DeliveryError ? e : new DeliveryError('transient', String(e))),
    now: () => t,
    sleep: async (ms, signal) => {
      if (!signal.aborted && ms < 3_600_000) t += ms
    },
    logger: new MemoryLogger(),
    maxReplyAgeMs,
  })
  const send = (chat: string, text: string, priority: OutboundPriority = 'reply', fail?: () => DeliveryError | undefined, isGroup = false) =>
    q.push({
      chatId: chat,
      isGroup,
      priority,
      send: async () => {
        const err = fail?.()
        if (err) throw err
        log.push({ chat, at: t, text })
        return text
      },
    })
  return { q, send, log, advance: (ms: number) => (t += ms), now: () => t }
}

describe('OutboundQueue', () => {
  it('sends replies before announcements queued earlier, and keeps each chat in order', async () => {
    const { q, send, log } = rig()
    const done = [send('a', 'ann-1', 'announcement'), send('b', 'ann-2', 'announcement'), send('c', 'reply-c1'), send('c', 'reply-c2'), send('d', 'alert', 'alert')]
    await Promise.all(done)
    // ann-1 went out at once (the queue was idle); after it, replies first, then the alert, then announcements.
    expect(log.map((l) => l.text)).toEqual(['ann-1', 'reply-c1', 'alert', 'ann-2', 'reply-c2'])
    expect(log.filter((l) => l.chat === 'c').map((l) => l.text)).toEqual(['reply-c1', 'reply-c2'])
    await q.close()
  })

  it('never exceeds the budget nor the per-chat spacing', async () => {
    const { q, send, log } = rig({ perSecond: 5, perChatIntervalMs: 1000, perGroupPerMinute: 20 })
    await Promise.all(Array.from({ length: 40 }, (_, i) => send(`chat${i % 8}`, `m${i}`)))
    expect(log).toHaveLength(40)
    for (let i = 0; i < log.length; i++) {
      const inWindow = log.filter((l) => l.at > log[i]!.at - 1000 && l.at <= log[i]!.at)
      expect(inWindow.length).toBeLessThanOrEqual(6)
    }
    const byChat = new Map<string, number[]>()
    for (const l of log) byChat.set(l.chat, [...(byChat.get(l.chat) ?? []), l.at])
    for (const times of byChat.values()) for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1000)
    await q.close()
  })

  it('pauses everyone once on a 429 and retries the reply; an announcement gets its error back', async () => {
    const { q, send, log } = rig()
    let first = true
    const reply = send('a', 'r', 'reply', () => (first ? ((first = false), new DeliveryError('rate_limited', '429', { retryAfterMs: 3000 })) : undefined))
    const ann = send('b', 'x', 'announcement', () => new DeliveryError('rate_limited', '429', { retryAfterMs: 3000 }))
    await expect(ann).rejects.toMatchObject({ kind: 'rate_limited' })
    await expect(reply).resolves.toBe('r')
    expect(log[0]!.at).toBeGreaterThanOrEqual(3000)
    expect(q.stats.rateLimited).toBeGreaterThanOrEqual(1)
    await q.close()
  })

  it('retries transient failures of a reply with backoff, and drops a reply older than its age limit', async () => {
    const { q, send, log } = rig(undefined, 20_000)
    let fails = 3
    await expect(send('a', 'ok', 'reply', () => (fails-- > 0 ? new DeliveryError('transient', 'reset') : undefined))).resolves.toBe('ok')
    expect(log).toHaveLength(1)
    const stale = send('b', 'never', 'reply', () => new DeliveryError('transient', 'down'))
    await expect(stale).rejects.toMatchObject({ kind: 'permanent' })
    expect(q.stats.droppedStale).toBe(1)
    await q.close()
  })

  it('gives a blocked chat its error at once, without retry', async () => {
    const { q, send } = rig()
    let calls = 0
    await expect(send('a', 'x', 'reply', () => (calls++, new DeliveryError('blocked', '403')))).rejects.toMatchObject({ kind: 'blocked' })
    expect(calls).toBe(1)
    await q.close()
  })
})
