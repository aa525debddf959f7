import type { UnansweredQuestion, UnansweredStore } from '../store/async-store.js'
import { cleanForStaff } from './unanswered-recorder.js'

/** Questions that fold to the same text, with how many residents asked, how often and where. */
export interface UnansweredGroup {
  /** The most recent wording, cleaned for staff (no links, contact details or personal numbers). */
  text: string
  /** Distinct residents who asked (a question recorded before askers were kept counts as one). */
  users: number
  count: number
  regions: string[]
  channels: string[]
  first: Date
  last: Date
  /**
   * Present when residents called an answer to this question 没用 (the feedback skill): the answer shown and
   * their comment, newest first. `count` and `users` include them.
   */
  unhelpful?: { answer: string; comment?: string; at: Date }[]
}

/**
 * Groups unanswered questions by their folded text, asked by the most residents first (then most often,
 * then most recent): one resident repeating a question, or a flood from one chat, cannot top the list.
 */
export function groupUnanswered(rows: UnansweredQuestion[]): UnansweredGroup[] {
  const groups = new Map<string, UnansweredGroup>()
  const askers = new Map<string, Set<string>>()
  rows.forEach((r, i) => {
    const key = r.normalized || r.text
    const asker = r.asker ?? `row:${i}`
    const g = groups.get(key)
    const unhelpful = r.answer !== undefined ? [{ answer: r.answer, ...(r.comment !== undefined ? { comment: r.comment } : {}), at: r.at }] : undefined
    if (!g) {
      groups.set(key, { text: cleanForStaff(r.text), users: 1, count: 1, regions: r.region ? [r.region] : [], channels: [r.channel], first: r.at, last: r.at, ...(unhelpful ? { unhelpful } : {}) })
      askers.set(key, new Set([asker]))
      return
    }
    if (unhelpful) g.unhelpful = [...unhelpful, ...(g.unhelpful ?? [])].sort((a, b) => b.at.getTime() - a.at.getTime())
    const seen = askers.get(key)!
    seen.add(asker)
    g.users = seen.size
    g.count++
    if (r.region && !g.regions.includes(r.region)) g.regions.push(r.region)
    if (!g.channels.includes(r.channel)) g.channels.push(r.channel)
    if (r.at < g.first) g.first = r.at
    if (r.at >= g.last) {
      g.last = r.at
      g.text = cleanForStaff(r.text)
    }
  })
  return [...groups.values()].sort((a, b) => b.users - a.users || b.count - a.count || b.last.getTime() - a.last.getTime())
}

/**
 * A short digest for admins: the total and the questions most residents asked, declined or answered and called
 * 没用 (a group says how many of its askings were 没用). '' when there were none.
 */
export function formatUnansweredDigest(groups: UnansweredGroup[], limit = 10): string {
  if (groups.length === 0) return ''
  const total = groups.reduce((n, g) => n + g.count, 0)
  const lines = groups.slice(0, limit).map((g, i) => {
    const unhelpful = g.unhelpful?.length ? `，${g.unhelpful.length} 次说没用` : ''
    return `${i + 1}. ${clip(g.text, 40)}（${g.users} 人，${g.count} 次${g.regions.length ? `，${g.regions.join('、')}` : ''}${unhelpful}）`
  })
  const rest = groups.length > limit ? `\n……另有 ${groups.length - limit} 类问题，用 kepu report unanswered 查看全部` : ''
  // 没用 rows are among them: the bot answered those, so 「没能回答」 alone would not be true.
  return `近期有 ${total} 个问题没能回答或居民说没用（${groups.length} 类），问的人最多的：\n${lines.join('\n')}${rest}`
}

function clip(s: string, n: number): string {
  const chars = Array.from(s)
  return chars.length > n ? `${chars.slice(0, n).join('')}…` : s
}

const WEEK_MS = 7 * 86_400_000

/** The `{unanswered}` placeholder's text: the digest of the seven days before `now`. */
export function weeklyUnansweredDigest(store: UnansweredStore): (now: Date) => Promise<string> {
  return async (now) => formatUnansweredDigest(groupUnanswered(await store.unansweredSince(new Date(now.getTime() - WEEK_MS))))
}
