import type { Context, Handler } from '../core/bot.js'
import type { Reply } from '../core/reply.js'
import type { SubscriptionStore } from '../store/async-store.js'
import type { AdminList } from './admins.js'
import { isStaffCommand, runStaffCommand, type StaffCommandDeps } from './staff-commands.js'
import { topicById, topicIn, TOPICS, type Topic } from './topics.js'

/** Whether a user administers a group, asked of the platform (Telegram getChatMember); false when it cannot tell. */
export type GroupAdminCheck = (channel: string, chatId: string, userId: string) => Promise<boolean>

export interface SubscriptionHandlerDeps {
  store: SubscriptionStore
  /** Staff commands (/announce, /broadcast) in chat; without it they pass to the next handler. */
  staff?: StaffCommandDeps
  /** Bot admins (KEPU_ADMINS), who may unsubscribe any group; default the staff's list. */
  admins?: AdminList
  /** The platform's word on group admins; without it only bot admins may unsubscribe a group. */
  isGroupAdmin?: GroupAdminCheck
}

/** The reply to a group member who is not an admin asking to unsubscribe the group. */
export const GROUP_ADMIN_ONLY = '只有群主或群管理员可以退订本群的推送。'

const LIST = /^\/subscriptions\b|我的订阅|查看订阅|订阅了(什么|哪些)/
const UNSUBSCRIBE = /^\/unsubscribe\b|退订|取消订阅|不要再?(推送|发)了?/
const SUBSCRIBE = /^\/subscribe\b|订阅/
const ALL = /全部|所有|都/
/** Longer texts are questions that merely mention 订阅, not commands. */
const MAX_COMMAND_CHARS = 40

function reply(text: string, extra: Partial<Reply> = {}): Reply {
  return { text, answered: true, intent: 'subscribe', ...extra }
}

/**
 * Residents' subscriptions: 「订阅」 (a menu), 「订阅每日防骗提醒」, 「我的订阅」, 「退订」, and the
 * /subscribe, /unsubscribe, /subscriptions commands; plus staff commands when `staff` is given.
 * A subscription belongs to the chat (a group subscribes as a group) and remembers ctx.region.
 * 「退订」 removes the subscription and cancels the chat's queued messages in the same transaction,
 * so nothing more is sent from that moment. In a group only a group admin (asked of the platform) or a
 * bot admin (KEPU_ADMINS) may unsubscribe: the subscription is the group's, not the member's.
 */
export function createSubscriptionHandler(deps: SubscriptionHandlerDeps): Handler {
  const { store } = deps
  return async (ctx, next) => {
    const { incoming, text } = ctx
    if (incoming.isGroup && !incoming.mentioned) return next()
    // A forwarded text (「回复TD退订」 in a scam SMS) or a long message is not a command to us.
    if (incoming.forwarded || (Array.from(text).length > MAX_COMMAND_CHARS && !text.startsWith('/'))) return next()
    if (deps.staff && isStaffCommand(text)) return runStaffCommand(ctx, deps.staff)
    if (LIST.test(text)) return list(ctx)
    if (UNSUBSCRIBE.test(text)) return unsubscribe(ctx)
    if (SUBSCRIBE.test(text)) return subscribe(ctx)
    return next()
  }

  async function list(ctx: Context): Promise<Reply> {
    const subs = await store.subscriptionsOf(ctx.incoming.channel, ctx.incoming.chatId)
    if (subs.length === 0) return reply('您还没有订阅任何内容。发送「订阅」看看可以订阅什么。')
    const lines = subs.map((s, i) => `${i + 1}. ${topicById(s.topic)?.label ?? s.topic}${s.region ? `（${s.region}）` : ''}`)
    return reply(`您订阅了：\n${lines.join('\n')}\n发送「退订」可取消。`)
  }

  async function subscribe(ctx: Context): Promise<Reply> {
    const topic = topicIn(ctx.text.replace(SUBSCRIBE, ''))
    if (!topic) return menu('订阅', '您可以订阅：', '回复数字即可订阅。')
    const region = ctx.region?.name
    if (topic.regional && !region) {
      return reply(`「${topic.label}」按地区推送，请先告诉我您在哪里，例如发送「我在东营」，再发送「订阅${topic.label}」。`)
    }
    const { channel, chatId, isGroup } = ctx.incoming
    const isNew = await store.subscribe({ channel, chatId, isGroup, topic: topic.id, region }, ctx.now)
    ctx.log.info({ topic: topic.id, isNew }, 'subscription: added')
    const where = topic.regional ? `（${region}）` : ''
    return reply(`${isNew ? '已为您订阅' : '您已订阅'}「${topic.label}」${where}：${topic.when}。发送「退订」可随时取消。`)
  }

  /** A group's subscriptions are changed by its admins or a bot admin only; never on a missing sender. */
  async function mayManageGroup(ctx: Context): Promise<boolean> {
    const { channel, chatId, userId } = ctx.incoming
    if (!userId) return false
    if ((deps.admins ?? deps.staff?.admins)?.has(channel, userId)) return true
    if (!deps.isGroupAdmin) return false
    try {
      return await deps.isGroupAdmin(channel, chatId, userId)
    } catch {
      return false
    }
  }

  async function unsubscribe(ctx: Context): Promise<Reply> {
    const { channel, chatId } = ctx.incoming
    const subs = await store.subscriptionsOf(channel, chatId)
    if (subs.length === 0) return reply('您目前没有订阅，不会收到推送。')
    if (ctx.incoming.isGroup && !(await mayManageGroup(ctx))) {
      ctx.log.info({ code: 'E_PERMISSION', channel }, 'subscription: group unsubscribe refused (not an admin)')
      return reply(GROUP_ADMIN_ONLY)
    }
    const named = topicIn(ctx.text.replace(UNSUBSCRIBE, ''))
    let topic: Topic | undefined
    if (ALL.test(ctx.text) || (!named && subs.length === 1)) {
      await store.unsubscribe(channel, chatId, undefined, ctx.now)
      ctx.log.info({ topics: subs.length }, 'subscription: removed all')
      return reply('已为您退订全部推送，今后不再发送。想恢复时发送「订阅」。')
    }
    if (named) topic = named
    else return menu('退订', '您订阅了多项，要退订哪一项？', '回复数字即可。', subs.map((s) => s.topic), true)
    const removed = await store.unsubscribe(channel, chatId, topic.id, ctx.now)
    if (!removed) return reply(`您没有订阅「${topic.label}」。发送「我的订阅」查看。`)
    ctx.log.info({ topic: topic.id }, 'subscription: removed')
    return reply(`已退订「${topic.label}」，今后不再发送。`)
  }

  function menu(verb: string, head: string, tail: string, only?: string[], withAll = false): Reply {
    const topics = TOPICS.filter((t) => !only || only.includes(t.id))
    const choices = topics.map((t) => ({ label: t.label, value: `${verb}${t.label}` }))
    if (withAll) choices.push({ label: '全部退订', value: '全部退订' })
    const lines = choices.map((c, i) => `${i + 1}. ${c.label}`)
    return reply(`${head}\n${lines.join('\n')}\n${tail}`, { choices })
  }
}
