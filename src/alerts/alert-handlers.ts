import type { AdminList } from '../announce/admins.js'
import type { Context, Handler, ReplyWithMore } from '../core/bot.js'
import { InputError, KepuError } from '../core/errors.js'
import type { Choice, Reply } from '../core/reply.js'
import type { Card } from '../kepu/card-schema.js'
import { elderForm, type AlertDraft, type Alerts } from './alert-service.js'
import { HAZARDS, hazardIn } from './hazards.js'

const STAFF = /^\/alert(?:@\w+)?(?:\s+|$)/i
const CONFIRM = /^(?:确认发送|确认|确定发送|发送)$/u
const DROP = /^(?:取消|取消发送|不发了|算了)$/u
/** How long a preview waits for 「确认发送」. */
const CONFIRM_MS = 10 * 60_000
/** 「应急提醒」「有预警吗」「现在有什么预警」: the region's active alerts and the hazard menu. */
const ALERT_ASK = /^(?:现在|最近|今天|本地|当地|我们这|咱这|这边)?(?:有|有没有|有什么|有啥)?(?:应急提醒|预警|灾害预警|应急预警|预警信息)(?:吗|呢|没有|不)?$/u

const admin = (text: string, extra: Partial<Reply> = {}): Reply => ({ text, answered: true, intent: 'admin', ...extra })

function usage(): string {
  return [
    '应急提醒命令：',
    '/alert 东营 台风 今晚到明天台风「某某」影响我市，沿海有10级大风……',
    '（先显示预览和收件人数，回复「确认发送」才发出）',
    '/alert list —— 24 小时内发出的提醒',
    '/alert report 批次号 —— 发送情况',
    `灾种：${HAZARDS.map((h, i) => `${i + 1}. ${h.name}`).join('  ')}`,
  ].join('\n')
}

export interface AlertStaffDeps {
  alerts: () => Alerts
  admins: AdminList
  /** The delivery worker's wake, once `serve` runs it. */
  onQueued?: () => void
}

/**
 * `/alert 地区 灾种 内容` for staff (KEPU_ADMINS): shows the alert as residents will read it and the number of
 * recipients, and sends it only on 「确认发送」 from the same person within 10 minutes. Non-admins are refused.
 */
export function createAlertStaffHandler(deps: AlertStaffDeps): Handler {
  const pending = new Map<string, { draft: AlertDraft; until: number }>()
  return async (ctx, next) => {
    if (ctx.incoming.isGroup && !ctx.incoming.mentioned) return next()
    const t = ctx.text.trim()
    const waiting = pending.get(ctx.userKey)
    if (waiting && waiting.until < ctx.now.getTime()) pending.delete(ctx.userKey)
    if (pending.has(ctx.userKey) && (CONFIRM.test(t) || DROP.test(t))) {
      const { draft } = pending.get(ctx.userKey)!
      pending.delete(ctx.userKey)
      if (DROP.test(t)) return admin('好的，这条应急提醒没有发出。')
      const firing = await deps.alerts().send(draft, ctx.userKey)
      ctx.log.info({ module: 'alerts', firing: firing.id, region: draft.region, hazard: draft.hazard.name, recipients: firing.recipients, by: ctx.userKey }, 'alerts: queued')
      deps.onQueued?.()
      return admin(`已排队发给${draft.region} ${firing.recipients} 个聊天（批次 #${firing.id}），排在所有公告之前。发送情况：/alert report ${firing.id}`)
    }
    if (!STAFF.test(t)) return next()
    if (!deps.admins.has(ctx.incoming.channel, ctx.incoming.userId)) {
      ctx.log.warn({ code: 'E_PERMISSION', user: ctx.userKey, command: 'alert' }, 'alerts: refused a staff command from a non-admin')
      return admin('抱歉，只有管理员可以发应急提醒。')
    }
    const rest = t.replace(STAFF, '').trim()
    try {
      return await run(rest, ctx)
    } catch (err) {
      if (err instanceof InputError) return admin(`${err.message}\n\n${usage()}`)
      if (err instanceof KepuError) return admin(`没有办成：${err.code}`)
      throw err
    }
  }

  async function run(rest: string, ctx: Context): Promise<Reply> {
    const [first = '', second = '', ...more] = rest.split(/\s+/u)
    if (!first) return admin(usage())
    if (first === 'list') {
      const lines = await deps.alerts().active(undefined, ctx.now)
      return admin(lines.length ? lines.map((a) => `#${a.id} ${a.region} ${a.hazard.name}`).join('\n') : '24 小时内没有发过应急提醒。')
    }
    if (first === 'report') {
      const id = Number(second.replace(/^#/u, ''))
      const r = Number.isInteger(id) && id > 0 ? await deps.alerts().report(id) : undefined
      if (!r) throw new InputError(`没有批次「${second}」`)
      return admin(`#${r.firingId} ${r.name}：共 ${r.total}，已发 ${r.sent}，失败 ${r.failed}，拉黑 ${r.blocked}，不确定 ${r.inDoubt}，排队 ${r.pending + r.sending}，取消 ${r.cancelled}`)
    }
    if (!second || more.length === 0) throw new InputError('格式：/alert 地区 灾种 内容')
    const draft = await deps.alerts().preview(first, second, more.join(' '))
    pending.set(ctx.userKey, { draft, until: ctx.now.getTime() + CONFIRM_MS })
    const choices: Choice[] = [
      { label: '确认发送', value: '确认发送' },
      { label: '取消', value: '取消' },
    ]
    const who = draft.recipients ? `将发给${draft.region}「应急提醒」的 ${draft.recipients} 个订阅聊天` : `${draft.region}现在还没有人订阅「应急提醒」，发出后不会有人收到`
    return admin(`${who}。预览：\n\n${draft.message}\n\n回复「确认发送」发出（10 分钟内有效），回复「取消」放弃。`, { choices })
  }
}

export interface AlertResidentDeps {
  /** Absent without the store: no alerts are kept, and the handler only shows the hazard menu. */
  alerts?: () => Alerts
  cards: () => readonly Card[]
}

/**
 * The resident side (intent `alert`): 「应急提醒」「有预警吗」 lists the region's active alerts and a numbered
 * menu (subscribe, then each hazard's know-how); while an alert is active, a question about its hazard from
 * its region gets the alert first, then the usual answer.
 */
export function createAlertResidentHandler(deps: AlertResidentDeps): Handler {
  /** A question the cards answer for each hazard: its first card's first phrasing. */
  const askFor = (name: string): string | undefined => {
    const h = HAZARDS.find((x) => x.name === name)!
    for (const topic of h.cardTopics) {
      const c = deps.cards().find((x) => x.topic === topic)
      if (c) return c.questions[0]
    }
    return undefined
  }
  return async (ctx, next) => {
    if ((ctx.incoming.isGroup && !ctx.incoming.mentioned) || ctx.incoming.forwarded) return next()
    const t = ctx.text.trim().replace(/[?？。！!]+$/u, '')
    const region = ctx.region?.name
    const elder = ctx.user.elder === true
    const active = region && deps.alerts ? await deps.alerts().active(region, ctx.now) : []
    if (ALERT_ASK.test(t)) return menu(region, active.map((a) => (elder ? elderForm(a.message) : a.message)), elder)
    const hazard = active.length ? hazardIn(t) : undefined
    const alert = hazard ? active.find((a) => a.hazard.name === hazard.name) : undefined
    if (!alert) return next()
    const r = (await next()) as ReplyWithMore
    const head = elder ? elderForm(alert.message) : alert.message
    ctx.log.debug({ module: 'alerts', alert: alert.id }, 'alerts: active alert shown first')
    if (!r.answered || r.silent) return { text: `${head}\n发送「应急提醒」看本地全部提醒。`, answered: true, intent: 'alert' }
    return { ...r, text: `${head}\n——\n${r.text}` }
  }

  function menu(region: string | undefined, messages: string[], elder: boolean): Reply {
    const hazards = HAZARDS.map((h) => ({ h, ask: askFor(h.name) })).filter((x) => x.ask)
    const choices: Choice[] = [{ label: '订阅应急提醒', value: '订阅应急提醒' }, ...hazards.map((x) => ({ label: x.h.name, value: x.ask! }))]
    const list = choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n')
    const now = messages.length
      ? messages.join('\n\n')
      : region
        ? elder
          ? `${region}现在没有应急提醒。`
          : `${region}现在没有生效的应急提醒（24 小时内发布的）。`
        : elder
          ? '先说您在哪，如「我在东营」。'
          : '告诉我您在哪里（如「我在东营」），我就能查本地的应急提醒。'
    const intro = elder ? '回数字：' : '订阅后，本地发布台风、暴雨等应急提醒时第一时间通知您。也可以看看各种灾害怎么防，回复数字：'
    return { text: `${now}\n${intro}\n${list}`, answered: true, intent: 'alert', choices }
  }
}
