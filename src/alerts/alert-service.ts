import type { RegionResolver } from '../core/bot.js'
import type { Clock } from '../core/clock.js'
import { InputError } from '../core/errors.js'
import type { Card } from '../kepu/card-schema.js'
import type { Announcement, DeliveryReport, Firing, NewAnnouncement, OutboxRow, OutgoingRow, Subscription } from '../store/store.js'
import { ALERT_TOPIC } from '../announce/topics.js'
import { HAZARDS, hazardByName, type Hazard } from './hazards.js'

/** How long an alert stays active: residents of its region asking about its hazard see it first. */
export const ACTIVE_MS = 24 * 3600_000
/** The longest text staff may write (the template adds the headline and the steps). */
export const MAX_ALERT_CHARS = 300
/** How often the active alerts are read again from the store (alerts queued by the CLI, another process). */
const REFRESH_MS = 30_000
/** Steps of a card appended to an alert. */
const MAX_STEPS = 4
const NAME_PREFIX = '应急提醒'
/** The due time alert rows get: before anything else in the queue. */
const ALERT_DUE_AT = 0
/** Where a hazard's starter text wants a fact (hazards.ts); a text still holding one is not sent. */
export const BLANK = '××'

/** An alert ready to send, as the confirmation shows it. */
export interface AlertDraft {
  region: string
  hazard: Hazard
  /** What staff wrote. */
  text: string
  /** The message residents get: headline, staff text, the cards' key steps, the source. */
  message: string
  /** Subscribers of 应急提醒 in the region now. */
  recipients: number
}

/** The template of one region's alert about one hazard, around the text staff write. */
export interface AlertTemplate {
  region: string
  hazard: Hazard
  /** The lines before the staff text (the headline). */
  before: string
  /** The lines after it: the cards' key steps, their source, the closing line. */
  after: string
  /** A first draft of the staff text, with 「××」 where the facts go. */
  starter: string
}

/** An alert sent within ACTIVE_MS. */
export interface ActiveAlert {
  id: number
  region: string
  hazard: Hazard
  message: string
  at: Date
}

type Awaitable<T> = T | Promise<T>

/**
 * What alerts need of the store. Either store fits: the synchronous SQLite store (store.ts) and the
 * asynchronous one (async-store.ts) have these methods, one returning values, the other promises.
 */
export interface AlertStore {
  subscribers(topic: string, region?: string): Awaitable<Subscription[]>
  addAnnouncement(a: NewAnnouncement, at: Date): Awaitable<Announcement>
  recordFiring(announcementId: number, fireAt: Date, messages: OutgoingRow[], at: Date): Awaitable<Firing | undefined>
  listAnnouncements(includeRemoved?: boolean): Awaitable<Announcement[]>
  report(firingId: number): Awaitable<DeliveryReport | undefined>
  reports(since: Date): Awaitable<DeliveryReport[]>
  rowsOf(firingId: number): Awaitable<OutboxRow[]>
  defer(id: number, nextAttemptAt: number): Awaitable<void>
}

export interface AlertsDeps {
  store: AlertStore
  clock: Clock
  regions: RegionResolver
  /** The knowledge cards, for each hazard's key steps (loaded on first use). */
  cards: () => readonly Card[]
}

/** Emergency alerts, shared by `/alert` in chat and `kepu alert` so both compose and send alike. */
export interface Alerts {
  /** The template around the staff text, for a form; an InputError names an unknown region or hazard. */
  template(region: string, hazard: string): AlertTemplate
  /** Composes an alert and counts its recipients; an InputError names what is wrong (region, hazard, text). */
  preview(region: string, hazard: string, text: string): Promise<AlertDraft>
  /** Queues it to the region's 应急提醒 subscribers (topic `alert`: delivered before queued announcements). */
  send(draft: AlertDraft, by: string): Promise<Firing>
  /** Alerts of a region (every region when undefined) still active at `now`, newest first. */
  active(region: string | undefined, now?: Date): Promise<ActiveAlert[]>
  report(firingId: number): Promise<DeliveryReport | undefined>
  /** Delivery reports of the alerts queued since an instant, newest first (announcements left out). */
  recent(since: Date): Promise<DeliveryReport[]>
}

/** The alert's short form for 长辈模式: the headline and what staff wrote, without the steps. */
export function elderForm(message: string): string {
  const lines = message.split('\n')
  const cut = lines.findIndex((l) => l.startsWith('防范要点'))
  return (cut > 0 ? lines.slice(0, cut) : lines.slice(0, 2)).join('\n')
}

/** The key steps the cards give for a hazard in a region, and the source they come from. */
export function stepsFor(hazard: Hazard, region: string, cards: readonly Card[]): { steps: string[]; source?: Card['source'] } {
  const fits = (c: Card) => !c.regions || c.regions.includes(region)
  const ranked = hazard.cardTopics.flatMap((t) => cards.filter((c) => c.topic === t && fits(c)))
  // A card written for the region first, then the first with steps.
  const withSteps = ranked.filter((c) => c.steps?.length)
  const card = withSteps.find((c) => c.regions?.includes(region)) ?? withSteps[0]
  if (card) return { steps: card.steps!.slice(0, MAX_STEPS), source: card.source }
  const some = ranked.slice(0, 2)
  return some.length ? { steps: some.map((c) => c.elder), source: some[0]!.source } : { steps: [] }
}

export function createAlerts(deps: AlertsDeps): Alerts {
  const { store, clock, regions } = deps
  let cache: { at: number; alerts: ActiveAlert[] } | undefined

  /** The lines around the staff text: one template for chat, the CLI and the console. */
  function frame(region: string, hazard: Hazard): { before: string[]; after: string[] } {
    const { steps, source } = stepsFor(hazard, region, deps.cards())
    const after: string[] = []
    if (steps.length) {
      after.push('防范要点：', ...steps.map((s, i) => `${i + 1}. ${s}`))
      if (source) after.push(`（要点来源：${source.org}${source.title}）`)
    }
    after.push('以当地政府和气象、应急部门发布为准。回复「退订应急提醒」可取消。')
    return { before: [`【${NAME_PREFIX}·${region}】${hazard.headline}`], after }
  }

  function compose(region: string, hazard: Hazard, text: string): string {
    const { before, after } = frame(region, hazard)
    return [...before, text, ...after].join('\n')
  }

  function resolve(regionText: string, hazardText: string): { region: string; hazard: Hazard } {
    const region = regions.byName(regionText.trim())?.name
    if (!region) throw new InputError(`不认识地区「${regionText}」`)
    const hazard = hazardByName(hazardText)
    if (!hazard) throw new InputError(`不认识灾种「${hazardText}」；可用：${HAZARDS.map((h) => h.name).join('、')}`)
    return { region, hazard }
  }

  /** Alert announcements (the one-off kind `send` writes), removed ones included. */
  async function alertIds(): Promise<Set<number>> {
    const ids = new Set<number>()
    for (const a of await store.listAnnouncements(true)) if (a.cron === null && a.target.kind === 'topic' && a.target.topic === ALERT_TOPIC) ids.add(a.id)
    return ids
  }

  async function all(now: Date): Promise<ActiveAlert[]> {
    const t = now.getTime()
    if (cache && t - cache.at < REFRESH_MS && t >= cache.at) return cache.alerts
    const alerts: ActiveAlert[] = []
    for (const a of await store.listAnnouncements()) {
      if (a.cron !== null || a.target.kind !== 'topic' || a.target.topic !== ALERT_TOPIC || !a.target.region) continue
      if (t - a.createdAt.getTime() >= ACTIVE_MS || a.createdAt.getTime() > t) continue
      const hazard = hazardByName(a.name.split(' ')[2] ?? '')
      if (hazard) alerts.push({ id: a.id, region: a.target.region, hazard, message: a.template, at: a.createdAt })
    }
    alerts.sort((x, y) => y.at.getTime() - x.at.getTime() || y.id - x.id)
    cache = { at: t, alerts }
    return alerts
  }

  return {
    template(regionText, hazardText) {
      const { region, hazard } = resolve(regionText, hazardText)
      const { before, after } = frame(region, hazard)
      return { region, hazard, before: before.join('\n'), after: after.join('\n'), starter: hazard.starter }
    },
    async preview(regionText, hazardText, text) {
      const { region, hazard } = resolve(regionText, hazardText)
      const body = text.trim()
      if (Array.from(body).length < 4) throw new InputError('提醒内容太短：写清发生了什么、影响哪里、什么时间')
      if (Array.from(body).length > MAX_ALERT_CHARS) throw new InputError(`提醒内容 ${Array.from(body).length} 字，最多 ${MAX_ALERT_CHARS} 字`)
      if (body.includes(BLANK)) throw new InputError(`提醒内容里还有「${BLANK}」：请换成实际的时间、地点或数字`)
      return { region, hazard, text: body, message: compose(region, hazard, body), recipients: (await store.subscribers(ALERT_TOPIC, region)).length }
    },
    async send(draft, by) {
      const now = clock.now()
      const a = await store.addAnnouncement(
        { name: `${NAME_PREFIX} ${draft.region} ${draft.hazard.name}`, cron: null, target: { kind: 'topic', topic: ALERT_TOPIC, region: draft.region }, template: draft.message, createdBy: by },
        now,
      )
      // Subscribers as they are now, not as the preview counted them.
      const rows = (await store.subscribers(ALERT_TOPIC, draft.region)).map((s) => ({ channel: s.channel, chatId: s.chatId, isGroup: s.isGroup ?? false, topic: ALERT_TOPIC, text: draft.message }))
      const firing = (await store.recordFiring(a.id, now, rows, now))!
      // Due since ever: every store hands rows out oldest due first, so the alert goes before every queued
      // announcement, on any store, without a priority column.
      for (const row of await store.rowsOf(firing.id)) await store.defer(row.id, ALERT_DUE_AT)
      cache = undefined
      return firing
    },
    async active(region, now = clock.now()) {
      return (await all(now)).filter((a) => region === undefined || a.region === region)
    },
    report: async (id) => store.report(id),
    async recent(since) {
      const ids = await alertIds()
      return (await store.reports(since)).filter((r) => ids.has(r.announcementId))
    },
  }
}
