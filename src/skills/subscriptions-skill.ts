import { AdminList } from '../announce/admins.js'
import { createAnnounceRuntime } from '../announce/announce-runtime.js'
import { createAnnouncements } from '../announce/announcements.js'
import { deliveryConfigOf } from '../announce/delivery-config.js'
import { createLiveContent } from '../announce/live-content.js'
import { createSubscriptionHandler } from '../announce/subscription-handler.js'
import type { TemplateContent } from '../announce/template.js'
import { TOPICS } from '../announce/topics.js'
import { weeklyUnansweredDigest } from '../announce/unanswered-report.js'
import type { KepuSkill, SkillEnv, SkillRun } from './skill-env.js'

/** Live content for templates, loaded on the first preview or firing rather than at start. */
function lazyContent(env: SkillEnv): TemplateContent {
  let live: TemplateContent | undefined
  const content = (): TemplateContent => (live ??= createLiveContent({ calendar: env.calendar(), fraud: env.fraud(), cards: () => env.kepu().cards }))
  return {
    weekEvents: (region, now) => content().weekEvents(region, now),
    nextObservance: (now) => content().nextObservance(now),
    dailyTip: (now) => content().dailyTip(now),
    dailyKepu: (now) => content().dailyKepu?.(now) ?? '',
    upcomingObservances: (now, days) => content().upcomingObservances?.(now, days) ?? [],
  }
}

/**
 * Subscriptions and announcements: residents' 「订阅」「退订」, the staff commands /announce and
 * /broadcast (KEPU_ADMINS), and under `serve` the scheduler (cron in Asia/Shanghai) and the delivery
 * worker. Needs the store; without one (ask, chat) it only lists its topics.
 */
export const subscriptionsSkill: KepuSkill = {
  name: 'subscriptions',
  summary: '订阅与公告：订阅/退订推送，工作人员定时公告与群发，按平台速率投递',
  setup(env) {
    const topics = TOPICS.map((t) => ({ id: t.id, label: t.label, regional: t.regional }))
    const staffCommands = [
      { usage: '/announce add|list|preview|remove', summary: '定时公告（cron，上海时间）' },
      { usage: '/broadcast 主题 内容', summary: '立即群发给某主题的订阅者' },
    ]
    const { store } = env
    if (!store) return { topics, staffCommands }
    const content = lazyContent(env)
    const announcements = createAnnouncements({ store, content, clock: env.clock, regions: env.regions, unansweredDigest: weeklyUnansweredDigest(store) })
    const admins = AdminList.parse(env.config.KEPU_ADMINS.join(','))
    // The worker exists once `serve` starts it; a chat broadcast before that is picked up at start.
    let wake: () => void = () => {}
    // Group admins are asked of the adapter the message came through (Telegram getChatMember), once running.
    let adapters: SkillRun['adapters'] = new Map()
    const isGroupAdmin = async (channel: string, chatId: string, userId: string): Promise<boolean> => (await adapters.get(channel)?.isGroupAdmin?.(chatId, userId)) === true
    return {
      topics,
      staffCommands,
      handlers: [{ name: 'subscriptions', stage: 'staff', handle: createSubscriptionHandler({ store, admins, isGroupAdmin, staff: { announcements, admins, onQueued: () => wake() } }) }],
      async start(run) {
        adapters = run.adapters
        const runtime = createAnnounceRuntime({
          store: run.store,
          adapters: [...run.adapters.values()],
          content,
          announcements,
          admins,
          config: deliveryConfigOf(run.config),
          clock: run.clock,
          logger: run.logger,
          regions: env.regions,
          ...(run.cron ? { cron: run.cron } : {}),
          ...(run.sleep ? { sleep: run.sleep } : {}),
        })
        await runtime.start()
        wake = () => runtime.worker.wake()
        return async () => {
          wake = () => {}
          adapters = new Map()
          await runtime.stop()
        }
      },
    }
  },
}
