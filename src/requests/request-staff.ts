import type { AdminList } from '../announce/admins.js'
import type { Context, Handler } from '../core/bot.js'
import { InputError, KepuError } from '../core/errors.js'
import type { Reply } from '../core/reply.js'
import { SERVICE_REQUEST_STATUSES, type ServiceRequestStatus } from '../store/async-store.js'
import type { RequestDesk } from './request-desk.js'
import { STATUS_ZH } from './request-desk.js'

const STAFF = /^\/(requests|assign|schedule|close|volunteers)(?:@\w+)?(?:\s+|$)/i

const USAGE = [
  '点单命令：',
  '/requests —— 未完成的点单（/requests all 全部，/requests KP-2026-0012 详情）',
  '/assign KP-2026-0012 农技志愿服务队',
  '/schedule KP-2026-0012 2026-12-20 14:00',
  '/close KP-2026-0012',
  '/volunteers —— 登记的志愿者',
].join('\n')

const reply = (text: string): Reply => ({ text, answered: true, intent: 'admin' })

export interface RequestStaffDeps {
  /** Absent without the store: the commands say so. */
  desk?: () => RequestDesk
  admins: AdminList
}

/**
 * Staff commands for 科技志愿服务 requests (KEPU_ADMINS only): /requests, /assign, /schedule, /close,
 * /volunteers. A non-admin is refused and the attempt logged with the command word, never the text.
 */
export function createRequestStaffHandler(deps: RequestStaffDeps): Handler {
  return async (ctx, next) => {
    if (ctx.incoming.isGroup && !ctx.incoming.mentioned) return next()
    const m = STAFF.exec(ctx.text)
    if (!m) return next()
    const command = m[1]!.toLowerCase()
    const { channel, userId } = ctx.incoming
    if (!deps.admins.has(channel, userId)) {
      ctx.log.warn({ code: 'E_PERMISSION', user: ctx.userKey, command }, 'requests: refused a staff command from a non-admin')
      return reply('抱歉，只有管理员可以处理点单。')
    }
    if (!deps.desk) return reply('点单需要数据库：请在 `kepu serve` 下使用。')
    // Requests hold residents' phone numbers: handled in a private chat only.
    if (ctx.incoming.isGroup) return reply('点单里有居民的电话，请在和我的私聊里处理。')
    try {
      return await run(command, ctx.text.slice(m[0].length).trim(), ctx, deps.desk())
    } catch (err) {
      if (err instanceof InputError) return reply(`${err.message}\n\n${USAGE}`)
      if (err instanceof KepuError) return reply(`没有办成：${err.code}`)
      throw err
    }
  }
}

async function run(command: string, rest: string, ctx: Context, desk: RequestDesk): Promise<Reply> {
  const tokens = rest.split(/\s+/u).filter(Boolean)
  const by = ctx.userKey
  switch (command) {
    case 'requests': {
      const arg = tokens[0]
      if (arg && /^KP-/iu.test(arg)) return reply(desk.detail(await desk.get(arg)))
      const status = arg === 'all' ? [...SERVICE_REQUEST_STATUSES] : arg && (SERVICE_REQUEST_STATUSES as readonly string[]).includes(arg) ? [arg as ServiceRequestStatus] : undefined
      const list = await desk.list(status ? { status } : {})
      if (list.length === 0) return reply(status ? '没有这样的点单。' : '没有未完成的点单。')
      return reply(`${status ? '点单' : '未完成的点单'}（新的在前）：\n${list.map(desk.line).join('\n')}\n详情：/requests 编号`)
    }
    case 'assign': {
      if (tokens.length < 2) throw new InputError('格式：/assign 编号 服务队')
      const r = await desk.assign(tokens[0]!, tokens.slice(1).join(''), by)
      ctx.log.info({ module: 'requests', request: r.number, by }, 'requests: assigned')
      return reply(`已把 ${r.number} 派给「${r.team}」，已通知居民。`)
    }
    case 'schedule': {
      if (tokens.length < 2) throw new InputError('格式：/schedule 编号 2026-12-20 14:00')
      const r = await desk.schedule(tokens[0]!, tokens.slice(1).join(' '), by)
      ctx.log.info({ module: 'requests', request: r.number, by }, 'requests: scheduled')
      return reply(`已为 ${r.number} 排期（${STATUS_ZH[r.status]}），已通知居民。`)
    }
    case 'close': {
      if (tokens.length < 1) throw new InputError('格式：/close 编号')
      const r = await desk.close(tokens[0]!, by, tokens.slice(1).join(' ') || undefined)
      ctx.log.info({ module: 'requests', request: r.number, by }, 'requests: closed')
      return reply(`已完成 ${r.number}，已请居民打分。`)
    }
    default: {
      const vs = await desk.volunteers()
      if (vs.length === 0) return reply('还没有人登记志愿者。')
      return reply(`登记的志愿者（${vs.length} 人）：\n${vs.map((v, i) => `${i + 1}. ${v.name} · ${v.area} · ${v.skills.join('、')} · ${v.contact}`).join('\n')}`)
    }
  }
}
