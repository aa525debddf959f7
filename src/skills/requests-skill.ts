import { AdminList } from '../announce/admins.js'
import { createRequestDesk, type RequestDesk } from '../requests/request-desk.js'
import { createRequestStaffHandler } from '../requests/request-staff.js'
import { createRequestsHandlers } from '../requests/requests-handler.js'
import { loadServiceMenu, type ServiceMenu } from '../requests/service-menu.js'
import type { KepuSkill } from './skill-env.js'

/**
 * 科技志愿服务「群众点单」: residents order a service from the menu in content/services.yaml through a short
 * guided dialogue and get a number (KP-2026-0012); staff list, assign, schedule and close requests
 * (/requests, /assign, /schedule, /close) and the resident is told at each change; volunteers register
 * interest. Needs the store; without it the skill says how to reach staff.
 */
export const requestsSkill: KepuSkill = {
  name: 'requests',
  summary: '科技志愿服务点单：居民点单（服务、地点、时间、人数、电话）、志愿者报名，工作人员派单排期并通知居民',
  setup(env) {
    let menu: ServiceMenu | undefined
    const menuOf = () => (menu ??= loadServiceMenu(env.contentDir))
    // The menu is content: validated at start so a broken file is reported before any question.
    menuOf()
    const data = env.data ?? env.store
    let desk: RequestDesk | undefined
    const deskOf = data ? () => (desk ??= createRequestDesk({ data, menu: menuOf(), clock: env.clock })) : undefined
    const admins = AdminList.parse(env.config.KEPU_ADMINS.join(','))
    // Staff hear of a new request or volunteer through the outbox, like residents hear of changes.
    const tellStaff =
      data && admins.size
        ? async (text: string, at: Date) => {
            const chats = admins.chats()
            const a = await data.addAnnouncement({ name: '点单通知', cron: null, target: { kind: 'chats', chats }, template: text, createdBy: 'requests' }, at)
            await data.recordFiring(a.id, at, chats.map((c) => ({ ...c, text })), at)
          }
        : undefined
    const { dialogue, entry } = createRequestsHandlers({
      ...(tellStaff ? { tellStaff } : {}),
      ...(data ? { data } : {}),
      menu: menuOf,
      regionNames: () => env.regions.all().map((r) => r.name),
      regionIn: (text) => env.regions.findIn(text)?.name,
      adminContact: env.config.KEPU_ADMIN_CONTACT,
    })
    return {
      handlers: [
        { name: 'request-dialogue', stage: 'command', handle: dialogue },
        { name: 'request-staff', stage: 'staff', handle: createRequestStaffHandler({ ...(deskOf ? { desk: deskOf } : {}), admins }) },
        { name: 'requests', stage: 'answer', handle: entry },
      ],
      staffCommands: [
        { usage: '/requests [all|KP-…]', summary: '科技志愿服务点单：列表或详情' },
        { usage: '/assign KP-… 服务队', summary: '派单给服务队（通知居民）' },
        { usage: '/schedule KP-… 2026-12-20 14:00', summary: '排期（通知居民）' },
        { usage: '/close KP-…', summary: '完成（请居民打分 1–5）' },
        { usage: '/volunteers', summary: '登记的志愿者' },
      ],
      warmUp: ['我想报名当志愿者', '村里想请专家来讲葡萄种植'],
    }
  },
}
