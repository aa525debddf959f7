import type { Selectable } from 'kysely'
import type {
  Announcement,
  DeliveryReport,
  OutboxRow,
  OutboxStatus,
  ServiceRequest,
  ServiceRequestChange,
  ServiceRequestStatus,
  Subscription,
  Target,
  Volunteer,
} from '../async-store.js'
import type {
  AnnouncementsTable,
  ServiceRequestHistoryTable,
  ServiceRequestsTable,
  SubscriptionsTable,
  VolunteersTable,
} from './database.js'

// Database rows → the store's records. Pure; shared by both dialects.

/** The outbox columns a worker needs. */
export const OUTBOX_COLUMNS = ['id', 'firing_id', 'channel', 'chat_id', 'is_group', 'topic', 'text', 'status', 'attempts', 'next_attempt_at'] as const

/** An outbox row as selected with `OUTBOX_COLUMNS`. */
export interface OutboxDbRow {
  id: number
  firing_id: number
  channel: string
  chat_id: string
  is_group: number
  topic: string | null
  text: string
  status: string
  attempts: number
  next_attempt_at: number
}

/** A queued message; flags 0/1 become booleans, NULL topics undefined. */
export function toOutboxRow(r: OutboxDbRow): OutboxRow {
  return {
    id: r.id,
    firingId: r.firing_id,
    channel: r.channel,
    chatId: r.chat_id,
    isGroup: r.is_group === 1,
    topic: r.topic ?? undefined,
    text: r.text,
    status: r.status as OutboxStatus,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
  }
}

/** A subscription; the '' region of region-less topics becomes undefined. */
export function toSubscription(r: Selectable<SubscriptionsTable>): Subscription {
  return {
    channel: r.channel,
    chatId: r.chat_id,
    isGroup: r.is_group === 1,
    topic: r.topic,
    region: r.region || undefined,
    createdAt: new Date(r.created_at),
  }
}

/** An announcement, its JSON columns parsed; absent lead days and observance are left out. */
export function toAnnouncement(r: Selectable<AnnouncementsTable>): Announcement {
  const a: Announcement = {
    id: r.id,
    name: r.name,
    cron: r.cron,
    target: JSON.parse(r.target) as Target,
    template: r.template,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at),
    lastFiringAt: r.last_firing_at === null ? undefined : new Date(r.last_firing_at),
    active: r.active === 1,
  }
  if (r.lead_days) a.leadDays = JSON.parse(r.lead_days) as number[]
  if (r.observance) a.observance = r.observance
  return a
}

/** One firing's row counts per status, as the report query returns them. */
export interface ReportDbRow {
  id: number
  announcement_id: number
  name: string
  fire_at: number
  total: number
  pending: number
  sending: number
  sent: number
  failed: number
  blocked: number
  in_doubt: number
  cancelled: number
}

/** A delivery report. */
export function toReport(r: ReportDbRow): DeliveryReport {
  return {
    firingId: r.id,
    announcementId: r.announcement_id,
    name: r.name,
    fireAt: new Date(r.fire_at),
    total: r.total,
    pending: r.pending,
    sending: r.sending,
    sent: r.sent,
    failed: r.failed,
    blocked: r.blocked,
    inDoubt: r.in_doubt,
    cancelled: r.cancelled,
  }
}

/** A service request with its history (oldest first, as given). */
export function toServiceRequest(r: Selectable<ServiceRequestsTable>, history: Selectable<ServiceRequestHistoryTable>[]): ServiceRequest {
  const req: ServiceRequest = {
    id: r.id,
    number: r.number,
    channel: r.channel,
    chatId: r.chat_id,
    userKey: r.user_key,
    region: r.region,
    serviceId: r.service_id,
    place: r.place,
    preferredDate: r.preferred_date,
    contact: r.contact,
    status: r.status as ServiceRequestStatus,
    team: r.team ?? undefined,
    scheduledAt: r.scheduled_at === null ? undefined : new Date(r.scheduled_at),
    rating: r.rating ?? undefined,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
    history: history.map(toChange),
  }
  if (r.audience_size !== null) req.audienceSize = r.audience_size
  return req
}

function toChange(h: Selectable<ServiceRequestHistoryTable>): ServiceRequestChange {
  const c: ServiceRequestChange = { status: h.status as ServiceRequestStatus, by: h.actor, at: new Date(h.at) }
  if (h.note !== null) c.note = h.note
  return c
}

/** A volunteer, skills parsed. */
export function toVolunteer(r: Selectable<VolunteersTable>): Volunteer {
  return {
    userKey: r.user_key,
    name: r.name,
    area: r.area,
    skills: JSON.parse(r.skills) as string[],
    contact: r.contact,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  }
}
