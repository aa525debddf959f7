import type { RegionResolver } from '../core/bot.js'
import type { Clock } from '../core/clock.js'
import { InputError } from '../core/errors.js'
import { isoDate, SHANGHAI_OFFSET_MS, toLocalDate, weekdayName } from '../core/shanghai-time.js'
import type { Announcement, AnnouncementStore, ChatRef, Firing, OutgoingRow, SubscriptionStore, Target } from '../store/async-store.js'
import { parseCron } from './cron-schedule.js'
import { renderTemplate, validateTemplate, type TemplateContent } from './template.js'
import { topicById, topicIn, TOPICS } from './topics.js'

/** What staff give to schedule an announcement. */
export interface AnnouncementInput {
  name?: string
  /** Five-field cron in Asia/Shanghai. */
  cron: string
  target: Target
  template: string
  /** Observance reminders: days before (e.g. [3, 1]). */
  leadDays?: number[]
  /** Observance reminders: only this observance. */
  observance?: string
}

export interface AnnouncementsDeps {
  store: AnnouncementStore & SubscriptionStore
  content: TemplateContent
  clock: Clock
  /** Turns 「东营」 into 东营市 so targets match subscriptions; names are kept as given without it. */
  regions?: RegionResolver
  /** The text of the weekly digest of unanswered questions ({unanswered}). */
  unansweredDigest?: (now: Date) => Promise<string>
}

/** An announcement with its next firings, for list and add. */
export interface ScheduledAnnouncement {
  announcement: Announcement
  next: Date[]
}

/** The most lead days a reminder may have (a month ahead). */
const MAX_LEAD_DAYS = 31

/**
 * What staff can do with announcements, shared by the chat commands and the CLI so both behave alike:
 * add (validated, with the next five firings), list, preview, remove, and one-off broadcasts.
 */
export interface Announcements {
  add(input: AnnouncementInput, by: string): Promise<ScheduledAnnouncement>
  list(): Promise<ScheduledAnnouncement[]>
  get(id: number): Promise<Announcement>
  /** The messages a firing at `at` (default now) would queue, without queueing them. */
  preview(id: number, at?: Date): Promise<OutgoingRow[]>
  /** The text a firing at `at` would send to the target's region, whether or not anyone subscribed; undefined when empty. */
  sample(id: number, at?: Date): Promise<string | undefined>
  remove(id: number): Promise<boolean>
  /** Queues a one-off message now; returns the firing. */
  broadcast(target: Target, template: string, by: string): Promise<Firing>
  /** The messages of one firing of an announcement (used by the scheduler). */
  compose(a: Announcement, fireAt: Date): Promise<OutgoingRow[]>
}

/** Builds the announcement service. */
export function createAnnouncements(deps: AnnouncementsDeps): Announcements {
  const { store, content, clock } = deps

  function normaliseTarget(target: Target): Target {
    if (target.kind === 'chats') {
      if (target.chats.length === 0) throw new InputError('目标里没有聊天')
      return target
    }
    const topic = topicById(target.topic)
    if (!topic) throw new InputError(`没有「${target.topic}」这个订阅主题；可用：${TOPICS.map((t) => `${t.id}（${t.label}）`).join('、')}`)
    if (target.region === undefined) return { kind: 'topic', topic: topic.id }
    const region = deps.regions ? deps.regions.byName(target.region)?.name : target.region
    if (!region) throw new InputError(`不认识地区「${target.region}」`)
    return { kind: 'topic', topic: topic.id, region }
  }

  async function add(input: AnnouncementInput, by: string): Promise<ScheduledAnnouncement> {
    const schedule = parseCron(input.cron)
    validateTemplate(input.template)
    const leadDays = input.leadDays?.length ? [...new Set(input.leadDays)].sort((a, b) => b - a) : undefined
    for (const d of leadDays ?? []) {
      if (!Number.isInteger(d) || d < 0 || d > MAX_LEAD_DAYS) throw new InputError(`提前天数「${d}」应是 0 到 ${MAX_LEAD_DAYS} 的整数`)
    }
    if (leadDays && !input.template.includes('{reminders}')) throw new InputError('提前提醒的模板要包含 {reminders}')
    const target = normaliseTarget(input.target)
    const now = clock.now()
    const next = schedule.nextN(now, 5)
    if (next.length === 0) throw new InputError(`cron 表达式「${schedule.expression}」永远不会触发`)
    const a = await store.addAnnouncement(
      {
        name: input.name?.trim() || defaultName(target, schedule.expression),
        cron: schedule.expression,
        target,
        template: input.template,
        ...(leadDays ? { leadDays } : {}),
        ...(input.observance ? { observance: input.observance } : {}),
        createdBy: by,
      },
      now,
    )
    return { announcement: a, next }
  }

  async function list(): Promise<ScheduledAnnouncement[]> {
    const now = clock.now()
    return (await store.listAnnouncements())
      .filter((a) => a.cron !== null)
      .map((a) => ({ announcement: a, next: parseCron(a.cron!).nextN(now, 5) }))
  }

  async function get(id: number): Promise<Announcement> {
    const a = await store.getAnnouncement(id)
    if (!a || !a.active) throw new InputError(`没有编号为 ${id} 的公告`)
    return a
  }

  async function recipients(target: Target): Promise<(ChatRef & { region?: string; topic?: string })[]> {
    if (target.kind === 'chats') {
      const blocked = await Promise.all(target.chats.map((c) => store.isBlocked(c.channel, c.chatId)))
      return target.chats.filter((_, i) => !blocked[i])
    }
    return (await store.subscribers(target.topic, target.region)).map((s) => ({
      channel: s.channel,
      chatId: s.chatId,
      isGroup: s.isGroup ?? false,
      topic: s.topic,
      ...(s.region ? { region: s.region } : {}),
    }))
  }

  function reminderLines(a: Announcement, at: Date): string {
    if (!a.leadDays?.length || !content.upcomingObservances) return ''
    const today = dayNumber(isoDate(at))
    const lines: string[] = []
    for (const o of content.upcomingObservances(at, Math.max(...a.leadDays) + 1)) {
      if (a.observance && !o.name.includes(a.observance)) continue
      const days = dayNumber(o.date) - today
      if (!a.leadDays.includes(days)) continue
      const [, m, d] = o.date.split('-').map(Number)
      lines.push(days === 0 ? `今天（${m}月${d}日）是${o.name}` : `${o.name}还有 ${days} 天（${m}月${d}日）`)
    }
    return lines.join('\n')
  }

  async function compose(a: Announcement, fireAt: Date): Promise<OutgoingRow[]> {
    const reminders = reminderLines(a, fireAt)
    if (a.leadDays?.length && !reminders) return []
    const unanswered = a.template.includes('{unanswered}') ? ((await deps.unansweredDigest?.(fireAt)) ?? '') : ''
    const fixedRegion = a.target.kind === 'topic' ? a.target.region : undefined
    const byRegion = new Map<string, string | null>()
    const out: OutgoingRow[] = []
    for (const r of await recipients(a.target)) {
      const region = fixedRegion ?? r.region
      const key = region ?? ''
      let text = byRegion.get(key)
      if (text === undefined) {
        const rendered = renderTemplate(a.template, content, { now: fireAt, region, reminders, unanswered })
        text = rendered.empty ? null : rendered.text
        byRegion.set(key, text)
      }
      if (text === null) continue
      out.push({ channel: r.channel, chatId: r.chatId, isGroup: r.isGroup ?? false, text, ...(r.topic ? { topic: r.topic } : {}) })
    }
    return out
  }

  async function preview(id: number, at?: Date): Promise<OutgoingRow[]> {
    return compose(await get(id), at ?? clock.now())
  }

  async function sample(id: number, at?: Date): Promise<string | undefined> {
    const a = await get(id)
    const t = at ?? clock.now()
    const reminders = reminderLines(a, t)
    if (a.leadDays?.length && !reminders) return undefined
    const region = a.target.kind === 'topic' ? a.target.region : undefined
    const unanswered = a.template.includes('{unanswered}') ? ((await deps.unansweredDigest?.(t)) ?? '') : ''
    const r = renderTemplate(a.template, content, { now: t, region, reminders, unanswered })
    return r.empty ? undefined : r.text
  }

  function remove(id: number): Promise<boolean> {
    return store.removeAnnouncement(id, clock.now())
  }

  async function broadcast(target: Target, template: string, by: string): Promise<Firing> {
    validateTemplate(template)
    const t = normaliseTarget(target)
    const now = clock.now()
    const a = await store.addAnnouncement({ name: `broadcast ${isoDate(now)}`, cron: null, target: t, template, createdBy: by }, now)
    // A one-off is an announcement without cron: the scheduler and `list` pass over it; its firing has a report.
    return (await store.recordFiring(a.id, now, await compose(a, now), now))!
  }

  return { add, list, get, preview, sample, remove, broadcast, compose }
}

function dayNumber(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number)
  return Math.round(Date.UTC(y!, m! - 1, d!) / 86_400_000)
}

function defaultName(target: Target, cron: string): string {
  const who = target.kind === 'topic' ? `${topicById(target.topic)?.label ?? target.topic}${target.region ? `@${target.region}` : ''}` : `${target.chats.length} 个聊天`
  return `${who} ${cron}`
}

/**
 * Reads a target written by staff: `topic:weekly@东营市`, `weekly`, 「每日防骗提醒@东营」, or
 * `chats:telegram:123,wechat:wxid_x`. Throws an InputError for anything else.
 */
export function parseTarget(text: string): Target {
  const s = text.trim()
  const chats = /^chats?:(.+)$/i.exec(s)
  if (chats) return { kind: 'chats', chats: parseChatList(chats[1]!) }
  const body = s.replace(/^topic:/i, '')
  const [name = '', region] = body.split('@').map((x) => x.trim())
  const topic = topicById(name) ?? topicIn(name)
  if (!topic) throw new InputError(`看不懂目标「${s}」；写成 topic:weekly@东营市、fraud-tip，或 chats:telegram:123,wechat:wxid_x`)
  return region ? { kind: 'topic', topic: topic.id, region } : { kind: 'topic', topic: topic.id }
}

/** `telegram:123,wechat:wxid_x` → chat refs. A negative Telegram id is a group. */
export function parseChatList(text: string): ChatRef[] {
  const out: ChatRef[] = []
  for (const part of text.split(/[,，\s]+/).filter(Boolean)) {
    const i = part.indexOf(':')
    if (i <= 0 || i === part.length - 1) throw new InputError(`聊天「${part}」应写成 渠道:编号，如 telegram:123`)
    const channel = part.slice(0, i)
    const chatId = part.slice(i + 1)
    out.push({ channel, chatId, isGroup: channel === 'telegram' ? chatId.startsWith('-') : chatId.endsWith('@chatroom') })
  }
  return out
}

/** Reads `3,1` or `3 1` as lead days. */
export function parseLeadDays(text: string): number[] {
  const parts = text.split(/[,，\s]+/).filter(Boolean)
  const out = parts.map(Number)
  if (out.length === 0 || out.some((n) => !Number.isInteger(n))) throw new InputError(`提前天数「${text}」应写成 3,1 这样的整数列表`)
  return out
}

/** One line describing an announcement for lists: id, name, cron, target, next firing. */
export function describeAnnouncement(s: ScheduledAnnouncement): string {
  const a = s.announcement
  const target = a.target.kind === 'topic' ? `订阅「${topicById(a.target.topic)?.label ?? a.target.topic}」${a.target.region ? `（${a.target.region}）` : ''}` : a.target.chats.map((c) => `${c.channel}:${c.chatId}`).join(',')
  const lead = a.leadDays?.length ? `，提前 ${a.leadDays.join('/')} 天` : ''
  const next = s.next[0] ? `，下次 ${formatShanghai(s.next[0])}` : ''
  return `#${a.id} ${a.name} [${a.cron ?? '一次性'}] → ${target}${lead}${next}`
}

/** `2026-09-17 周四 09:00` in Asia/Shanghai. */
export function formatShanghai(t: Date): string {
  const local = new Date(t.getTime() + SHANGHAI_OFFSET_MS)
  return `${isoDate(t)} ${weekdayName(toLocalDate(t).weekday)} ${String(local.getUTCHours()).padStart(2, '0')}:${String(local.getUTCMinutes()).padStart(2, '0')}`
}
