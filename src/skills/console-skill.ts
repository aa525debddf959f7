import { join } from 'node:path'
import { createAlerts, type Alerts } from '../alerts/alert-service.js'
import { realSleep } from '../announce/delivery-worker.js'
import { AdminList } from '../announce/admins.js'
import { createLiveContent } from '../announce/live-content.js'
import type { TemplateContent } from '../announce/template.js'
import { consoleBaseUrl } from '../console/auth.js'
import { createConsoleCommand, createHandoffHandler, createStatsRecorder } from '../console/console-handlers.js'
import { consoleRoutes } from '../console/console-routes.js'
import { StaffContent } from '../console/staff-content.js'
import { syncStoredEvents } from '../console/staff-events.js'
import type { Adapter } from '../core/adapter.js'
import { errorCode } from '../core/errors.js'
import { createRequestDesk, type RequestDesk } from '../requests/request-desk.js'
import { loadServiceMenu } from '../requests/service-menu.js'
import { loadSynonymEntries } from '../search/query-vocabulary.js'
import { consoleStoreOf } from '../store/sql/console-store-sql.js'
import type { KepuSkill } from './skill-env.js'

/**
 * The staff web console under /admin/ on the one HTTP server (docs/staff.md): 概览, 未回答, 活动, 公告,
 * 知识卡片 (cards and synonyms added by staff, live at once), 应急 (alerts), 服务单 (volunteer service requests), 人工, 操作记录; login by one-time link (`kepu admin link`, `/console` in chat). Needs the asynchronous store
 * (`env.data`, a SQL store); without it the skill contributes nothing.
 */
export const consoleSkill: KepuSkill = {
  name: 'console',
  summary: '管理台（网页）：概览、未回答（可直接补知识卡片、同义词）、活动、公告审批、应急提醒、服务单、人工回复（转人工）、操作记录；一次性链接登录（/console）',
  setup(env) {
    const store = consoleStoreOf(env.data)
    if (!env.data || !store) return {}
    const data = env.data
    const admins = AdminList.parse(env.config.KEPU_ADMINS.join(','))
    const baseUrl = consoleBaseUrl(env.config.KEPU_HTTP_HOST, env.config.KEPU_HTTP_PORT ?? 8080)
    let adapters: ReadonlyMap<string, Adapter> | undefined
    let live: TemplateContent | undefined
    const content = (): TemplateContent => (live ??= createLiveContent({ calendar: env.calendar(), fraud: env.fraud(), cards: () => env.kepu().cards }))
    // The services the chat commands use, made on the first page that needs them (the desk reads services.yaml).
    let alerts: Alerts | undefined
    let desk: RequestDesk | undefined
    const alertsOf = (): Alerts => (alerts ??= createAlerts({ store: data, clock: env.clock, regions: env.regions, cards: () => env.kepu().cards }))
    const deskOf = (): RequestDesk => (desk ??= createRequestDesk({ data, menu: loadServiceMenu(env.contentDir), clock: env.clock }))
    // Admins on the resident's platform hear of a handoff in their private chat (never the resident's words).
    const notifyStaff = (channel: string, text: string): void => {
      const adapter = adapters?.get(channel)
      if (!adapter) return
      for (const chat of admins.chats()) {
        if (chat.channel !== channel) continue
        adapter.send({ chatId: chat.chatId, text }).catch((err: unknown) => env.logger.warn({ code: errorCode(err) }, 'console: admin not told of a handoff'))
      }
    }
    // Cards and synonym groups staff add: merged with the files' in this process, polled for other processes' changes.
    const staffContent = new StaffContent({ store, kepu: env.kepu, synonyms: env.synonyms, fileSynonyms: () => loadSynonymEntries(join(env.contentDir, 'synonyms.yaml')), logger: env.logger })
    const sync = () =>
      syncStoredEvents(store, env.calendar()).catch((err: unknown) => {
        env.logger.warn({ code: errorCode(err) }, 'console: stored events not loaded')
        return 0
      })
    return {
      handlers: [
        { name: 'question-stats', stage: 'observe', handle: createStatsRecorder(store) },
        { name: 'handoff', stage: 'observe', handle: createHandoffHandler(store, { notifyStaff }) },
        { name: 'console-link', stage: 'staff', handle: createConsoleCommand({ store, admins, baseUrl }) },
      ],
      staffCommands: [{ usage: '/console', summary: '管理台一次性登录链接（私聊，10 分钟有效）' }],
      routes: consoleRoutes({
        store,
        data,
        calendar: env.calendar,
        admins,
        clock: env.clock,
        logger: env.logger,
        regions: () => env.regions.all().map((r) => r.name),
        approvals: env.config.KEPU_APPROVALS,
        adapters: () => adapters,
        content,
        alerts: alertsOf,
        requests: deskOf,
        staffContent,
      }),
      start: async (run) => {
        adapters = run.adapters
        await sync()
        await staffContent.sync().catch((err: unknown) => env.logger.warn({ code: errorCode(err) }, 'console: stored cards and synonyms not loaded'))
        const stopPolling = staffContent.poll(run.sleep ?? realSleep)
        return async () => {
          adapters = undefined
          await stopPolling()
        }
      },
    }
  },
}
