import type { AdminList } from '../announce/admins.js'
import type { Handler } from '../core/bot.js'
import { errorCode } from '../core/errors.js'
import type { ConsoleStore } from '../store/console-store.js'
import { createLoginLink } from './auth.js'
import { shanghaiDay } from './page-overview.js'

/**
 * Observe stage: counts every reply by day (Asia/Shanghai), region, intent and answered — numbers only, no
 * text and no user — for the 概览 page. A verdict on an answer (intent `feedback`) is not a question: it is
 * counted by the feedback skill instead. A failing store never costs the resident the reply.
 */
export function createStatsRecorder(store: ConsoleStore): Handler {
  return async (ctx, next) => {
    const reply = await next()
    if (reply.silent || reply.intent === 'feedback' || !ctx.text.trim()) return reply
    try {
      await store.countQuestion({ day: shanghaiDay(ctx.now), region: ctx.region?.name ?? '', intent: reply.intent, answered: reply.answered })
    } catch (err) {
      ctx.log.warn({ code: errorCode(err) }, 'console: question not counted')
    }
    return reply
  }
}

/** Staff stage: `/console` from an admin in a private chat gives a one-time login link; everyone else passes on. */
export function createConsoleCommand(deps: { store: ConsoleStore; admins: AdminList; baseUrl: string }): Handler {
  return async (ctx, next) => {
    if (ctx.text.trim().toLowerCase() !== '/console') return next()
    const { channel, userId, isGroup } = ctx.incoming
    if (!deps.admins.has(channel, userId)) return next()
    if (isGroup) return { text: '登录链接只在私聊里发：请私聊我发送 /console。', answered: true, intent: 'admin' }
    const url = await createLoginLink(deps.store, `${channel}:${userId}`, deps.baseUrl, ctx.now)
    return { text: `管理台登录链接（10 分钟内有效，只能用一次，请勿转发）：\n${url}`, answered: true, intent: 'admin' }
  }
}

/** A handoff ends by itself after a day without a message either way. */
export const HANDOFF_IDLE_MS = 24 * 3_600_000
/** The resident's words as typed (full-width punctuation kept), at most 2000 characters. */
function asTyped(text: string): string {
  return Array.from(text.trim()).slice(0, 2000).join('')
}

const END = /^(结束人工|结束人工服务|退出人工|回到机器人|结束)$/u

/**
 * Observe stage: the 人工 inbox. When the bot answered 「转人工」 (reply.handoff), the private chat gets a thread
 * in the console; while it is open every message goes to staff instead of the bot (acknowledged), until
 * 「结束人工」, a staff member ends it, or a day passes quietly. Group chats are never handed off. Admins on the
 * resident's platform are told in their private chat (`notifyStaff`), without the resident's words.
 */
export function createHandoffHandler(store: ConsoleStore, options: { idleMs?: number; notifyStaff?: (channel: string, text: string) => void } = {}): Handler {
  const idleMs = options.idleMs ?? HANDOFF_IDLE_MS
  return async (ctx, next) => {
    if (ctx.incoming.isGroup || !ctx.text.trim()) return next()
    const active = await store.activeHandoff(ctx.userKey, ctx.now, idleMs).catch((err: unknown) => {
      ctx.log.warn({ code: errorCode(err) }, 'console: handoff not looked up')
      return undefined
    })
    if (active) {
      if (END.test(ctx.text.replace(/[\s!！。.？?]+/gu, ''))) {
        await store.closeHandoff(active.id, ctx.now)
        return { text: '已结束人工服务，您可以继续问我问题。', answered: true, intent: 'help' }
      }
      await store.addHandoffMessage(active.id, { fromStaff: false, author: ctx.userKey, text: asTyped(ctx.incoming.text), at: ctx.now })
      return { text: '已转给工作人员，他们会在这里回复您。发「结束人工」可回到机器人。', answered: true, intent: 'help' }
    }
    const reply = await next()
    if (!reply.handoff) return reply
    try {
      const thread = await store.openHandoff(ctx.userKey, ctx.incoming.channel, ctx.incoming.chatId, ctx.now)
      await store.addHandoffMessage(thread.id, { fromStaff: false, author: ctx.userKey, text: asTyped(ctx.incoming.text), at: ctx.now })
    } catch (err) {
      ctx.log.warn({ code: errorCode(err) }, 'console: handoff not opened')
      return reply
    }
    options.notifyStaff?.(ctx.incoming.channel, `有居民请求人工（${ctx.userKey}${ctx.region ? `，${ctx.region.name}` : ''}），请到管理台「人工」页回复。`)
    return { ...reply, text: `${reply.text}\n已通知工作人员，他们会在这里回复您；发「结束人工」回到机器人。` }
  }
}
