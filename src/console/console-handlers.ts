import type { AdminList } from '../announce/admins.js'
import type { Handler } from '../core/bot.js'
import { errorCode } from '../core/errors.js'
import type { ConsoleStore } from '../store/console-store.js'
import { createLoginLink } from './auth.js'
import { shanghaiDay } from './page-overview.js'

/**
 * Observe stage: counts every reply by day (Asia/Shanghai), region, intent and answered — numbers only, no
 * text and no user — for the 概览 page. A failing store never costs the resident the reply.
 */
export function createStatsRecorder(store: ConsoleStore): Handler {
  return async (ctx, next) => {
    const reply = await next()
    if (reply.silent || !ctx.text.trim()) return reply
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
