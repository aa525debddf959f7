import { AdminList } from '../announce/admins.js'
import { createAlertResidentHandler, createAlertStaffHandler } from '../alerts/alert-handlers.js'
import { createAlerts, type Alerts } from '../alerts/alert-service.js'
import type { KepuSkill } from './skill-env.js'

/**
 * 应急提醒: a regional subscription topic (`alert` in announce/topics.ts: 「订阅应急提醒」 is handled with the
 * other topics by the subscriptions skill); `/alert 东营 台风 …` for staff with a template per hazard (the matching knowledge
 * cards' key steps appended), a preview with the recipient count and 「确认发送」; alert messages are
 * delivered before every queued announcement. While an alert is active (24 h), a resident of its region
 * asking about its hazard gets it first. Needs the store to send and to know what is active.
 */
export const alertsSkill: KepuSkill = {
  name: 'alerts',
  summary: '应急提醒：按地区订阅；工作人员确认后发出，排在所有公告之前；生效期间问到该灾种先看提醒',
  setup(env) {
    const cards = () => env.kepu().cards
    // Where subscriptions live: the store serve gives (the asynchronous one once it replaces the old).
    const store = env.store ?? env.data
    let alerts: Alerts | undefined
    const alertsOf = store ? () => (alerts ??= createAlerts({ store, clock: env.clock, regions: env.regions, cards })) : undefined
    const admins = AdminList.parse(env.config.KEPU_ADMINS.join(','))
    const handlers = [
      { name: 'alerts', stage: 'answer' as const, handle: createAlertResidentHandler({ ...(alertsOf ? { alerts: alertsOf } : {}), cards }) },
      ...(alertsOf ? [{ name: 'alert-staff', stage: 'staff' as const, handle: createAlertStaffHandler({ alerts: alertsOf, admins }) }] : []),
    ]
    return {
      handlers,
      staffCommands: [{ usage: '/alert 地区 灾种 内容', summary: '应急提醒：预览、确认后发给该地区订阅者，排在公告之前' }],
      // The subscriptions skill's delivery worker picks alert rows up at its next look (at most a second).
      warmUp: ['应急提醒'],
    }
  },
}
