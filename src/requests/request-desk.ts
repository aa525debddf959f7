import { formatShanghai } from '../announce/announcements.js'
import type { Clock } from '../core/clock.js'
import { InputError } from '../core/errors.js'
import { fromLocal } from '../core/shanghai-time.js'
import type { AnnouncementStore, ServiceRequest, ServiceRequestStatus, ServiceRequestStore, Volunteer, VolunteerStore } from '../store/async-store.js'
import { maskContact } from './contact.js'
import type { ServiceMenu, Team } from './service-menu.js'

/** What the desk needs of the store: requests, volunteers, and one-off messages to a resident's chat. */
export type RequestData = ServiceRequestStore & VolunteerStore & Pick<AnnouncementStore, 'addAnnouncement' | 'recordFiring'>

export interface RequestDeskDeps {
  data: RequestData
  menu: ServiceMenu
  clock: Clock
}

/** Statuses a request is still open in. */
export const OPEN: ServiceRequestStatus[] = ['new', 'assigned', 'scheduled']

export const STATUS_ZH: Record<ServiceRequestStatus, string> = { new: '待接单', assigned: '已接单', scheduled: '已排期', closed: '已完成', cancelled: '已取消' }

/**
 * What staff do with requests, shared by the chat commands and `kepu requests` so both behave alike: list,
 * show, assign to a team, schedule, close. Every change is recorded with who made it and queued to the
 * resident's chat as a message (the outbox; the delivery worker sends it), never sent inline.
 */
export interface RequestDesk {
  list(filter?: { status?: ServiceRequestStatus[]; limit?: number }): Promise<ServiceRequest[]>
  get(number: string): Promise<ServiceRequest>
  assign(number: string, team: string, by: string): Promise<ServiceRequest>
  schedule(number: string, when: string, by: string): Promise<ServiceRequest>
  close(number: string, by: string, note?: string): Promise<ServiceRequest>
  volunteers(): Promise<Volunteer[]>
  /** The teams `assign` accepts for a request of this region (services.yaml `regions`). */
  teamsFor(region: string): Team[]
  /** The service's name on the menu (its id when the menu no longer has it). */
  serviceName(r: ServiceRequest): string
  /** One line per request for lists (the contact masked). */
  line(r: ServiceRequest): string
  /** Every field, for the staff member handling it (the contact in full: that is what it is kept for). */
  detail(r: ServiceRequest): string
}

/** `KP-2026-12`, `kp-2026-0012` → `KP-2026-0012`; an InputError for anything else. */
export function parseRequestNumber(text: string | undefined): string {
  const m = /^KP-(\d{4})-(\d{1,6})$/iu.exec((text ?? '').trim())
  if (!m) throw new InputError(`点单编号「${text ?? ''}」应写成 KP-2026-0012`)
  return `KP-${m[1]}-${m[2]!.padStart(4, '0')}`
}

/** `2026-12-20 14:00` (Asia/Shanghai) → the instant; an InputError for anything else. */
export function parseWhen(text: string): Date {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2})[:：](\d{2}))?$/u.exec(text.trim())
  if (!m) throw new InputError(`时间「${text}」应写成 2026-12-20 14:00`)
  const [y, mo, d, h = '9', mi = '0'] = m.slice(1).map((x) => x ?? undefined) as string[]
  const t = fromLocal(Number(y), Number(mo), Number(d), Number(h), Number(mi))
  const back = new Date(t.getTime() + 8 * 3600_000)
  if (back.getUTCMonth() + 1 !== Number(mo) || back.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59) throw new InputError(`时间「${text}」不是有效的日期时间`)
  return t
}

export function createRequestDesk(deps: RequestDeskDeps): RequestDesk {
  const { data, menu, clock } = deps
  const serviceName = (r: ServiceRequest) => menu.byId(r.serviceId)?.name ?? r.serviceId

  async function get(number: string): Promise<ServiceRequest> {
    const n = parseRequestNumber(number)
    const r = await data.getRequest(n)
    if (!r) throw new InputError(`没有编号为 ${n} 的点单`)
    return r
  }

  /** Queues one message to the resident's chat: a one-off announcement to that chat, so it has a delivery report. */
  async function notify(r: ServiceRequest, text: string): Promise<void> {
    if (!r.chatId) return // purged: no chat to tell
    const at = clock.now()
    const chat = { channel: r.channel, chatId: r.chatId, isGroup: false }
    const a = await data.addAnnouncement({ name: `点单 ${r.number}`, cron: null, target: { kind: 'chats', chats: [chat] }, template: text, createdBy: 'requests' }, at)
    await data.recordFiring(a.id, at, [{ ...chat, text }], at)
  }

  async function change(number: string, status: ServiceRequestStatus, by: string, patch: { team?: string; scheduledAt?: Date; note?: string }, from: ServiceRequestStatus[]): Promise<ServiceRequest> {
    const current = await get(number)
    if (!from.includes(current.status)) throw new InputError(`${current.number} 现在是「${STATUS_ZH[current.status]}」，不能改为「${STATUS_ZH[status]}」`)
    const r = await data.updateRequestStatus(current.number, { status, by, at: clock.now(), from, ...patch })
    if (!r) throw new InputError(`${current.number} 刚被别人改过，请重新查看：/requests ${current.number}`)
    return r
  }

  return {
    list: (filter = {}) => data.listRequests({ status: filter.status ?? OPEN, limit: filter.limit ?? 30 }),
    get,
    async assign(number, teamText, by) {
      const team = menu.team(teamText)
      if (!team) throw new InputError(`没有「${teamText}」这支服务队；可用：${menu.teams.map((t) => t.name).join('、')}`)
      const current = await get(number)
      if (!team.regions.includes(current.region)) throw new InputError(`「${team.name}」不在${current.region}服务（services.yaml 的 regions）`)
      const r = await change(number, 'assigned', by, { team: team.name }, ['new', 'assigned'])
      await notify(r, `您的科技志愿服务点单 ${r.number}（${serviceName(r)}）已由「${team.name}」接单，工作人员会尽快和您联系商定时间。`)
      return r
    },
    async schedule(number, when, by) {
      const at = parseWhen(when)
      if (at.getTime() < clock.now().getTime()) throw new InputError(`时间 ${formatShanghai(at)} 已经过去了`)
      const r = await change(number, 'scheduled', by, { scheduledAt: at }, ['new', 'assigned', 'scheduled'])
      const team = r.team ? `，由「${r.team}」提供服务` : ''
      await notify(r, `您的科技志愿服务点单 ${r.number}（${serviceName(r)}）已安排在 ${formatShanghai(at)}${team}。地点：您登记的地点。如需调整请回复「转人工」。`)
      return r
    },
    async close(number, by, note) {
      const r = await change(number, 'closed', by, note ? { note } : {}, OPEN)
      await notify(r, `您的科技志愿服务点单 ${r.number}（${serviceName(r)}）已完成，谢谢您！请给这次服务打个分：回复 1 到 5 的数字（5 分最满意）。`)
      return r
    },
    volunteers: () => data.listVolunteers(),
    teamsFor: (region) => menu.teams.filter((t) => t.regions.includes(region)),
    serviceName,
    line(r) {
      const when = r.scheduledAt ? formatShanghai(r.scheduledAt) : r.preferredDate
      return `${r.number} [${STATUS_ZH[r.status]}] ${r.region} ${serviceName(r)} · ${when}${r.audienceSize ? ` · 约${r.audienceSize}人` : ''}${r.team ? ` · ${r.team}` : ''} · ${maskContact(r.contact)}${r.rating ? ` · ${r.rating}分` : ''}`
    },
    detail(r) {
      return [
        `${r.number}（${STATUS_ZH[r.status]}）`,
        `服务：${serviceName(r)}`,
        `地区：${r.region}`,
        `地点：${r.place}`,
        `希望时间：${r.preferredDate}`,
        `人数：${r.audienceSize ?? '不确定'}`,
        `联系：${r.contact}`,
        ...(r.team ? [`服务队：${r.team}`] : []),
        ...(r.scheduledAt ? [`安排：${formatShanghai(r.scheduledAt)}`] : []),
        ...(r.rating ? [`评分：${r.rating}`] : []),
        `记录：${r.history.map((h) => `${formatShanghai(h.at)} ${STATUS_ZH[h.status]}`).join('；')}`,
      ].join('\n')
    },
  }
}
