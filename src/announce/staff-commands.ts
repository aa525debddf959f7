import type { Context } from '../core/bot.js'
import { InputError, KepuError } from '../core/errors.js'
import type { Reply } from '../core/reply.js'
import type { AdminList } from './admins.js'
import { describeAnnouncement, formatShanghai, parseLeadDays, parseTarget, type Announcements } from './announcements.js'

export interface StaffCommandDeps {
  announcements: Announcements
  admins: AdminList
  /** Called after a broadcast is queued (the delivery worker's `wake`). */
  onQueued?: () => void
}

const STAFF = /^\/(announce|broadcast)(?:@\w+)?(?:\s+|$)/i

/** True when the text is a staff command (`/announce …`, `/broadcast …`). */
export function isStaffCommand(text: string): boolean {
  return STAFF.test(text)
}

const USAGE = [
  '公告命令：',
  '/announce list',
  '/announce add 0 9 * * 1 weekly@东营市 本周科普活动：{week_events}',
  '/announce add 0 9 * * * events lead=3,1 observance=全国科普日 {reminders}',
  '/announce preview 编号',
  '/announce remove 编号',
  '/broadcast fraud-tip 今天起……',
].join('\n')

function reply(text: string): Reply {
  return { text, answered: true, intent: 'admin' }
}

/**
 * Runs a staff command from chat. A non-admin is refused and the attempt is logged (with the user key and
 * the command word, never the text). Input mistakes come back as the InputError's Chinese message.
 */
export async function runStaffCommand(ctx: Context, deps: StaffCommandDeps): Promise<Reply> {
  const m = STAFF.exec(ctx.text)!
  const command = m[1]!.toLowerCase()
  const { channel, userId } = ctx.incoming
  if (!deps.admins.has(channel, userId)) {
    ctx.log.warn({ code: 'E_PERMISSION', user: ctx.userKey, command }, 'announce: refused a staff command from a non-admin')
    return { text: '抱歉，只有管理员可以安排公告和群发。', answered: true, intent: 'admin' }
  }
  const rest = ctx.text.slice(m[0].length).trim()
  try {
    return await (command === 'broadcast' ? broadcast(rest, ctx, deps) : announce(rest, ctx, deps))
  } catch (err) {
    if (err instanceof InputError) return reply(`${err.message}\n\n${USAGE}`)
    if (err instanceof KepuError) return reply(`没有办成：${err.code}`)
    throw err
  }
}

async function announce(rest: string, ctx: Context, deps: StaffCommandDeps): Promise<Reply> {
  const tokens = rest.split(/\s+/).filter(Boolean)
  const sub = tokens.shift()?.toLowerCase()
  const by = ctx.userKey
  switch (sub) {
    case 'list': {
      const all = await deps.announcements.list()
      if (all.length === 0) return reply('还没有安排公告。')
      return reply(all.map(describeAnnouncement).join('\n'))
    }
    case 'add': {
      if (tokens.length < 7) throw new InputError('格式：/announce add 分 时 日 月 周 目标 模板')
      const cron = tokens.splice(0, 5).join(' ')
      const target = parseTarget(tokens.shift()!)
      let leadDays: number[] | undefined
      let observance: string | undefined
      for (;;) {
        const t = tokens[0]
        if (t?.startsWith('lead=')) leadDays = parseLeadDays(t.slice(5))
        else if (t?.startsWith('observance=')) observance = t.slice(11)
        else break
        tokens.shift()
      }
      const template = tokens.join(' ')
      const { announcement, next } = await deps.announcements.add(
        { cron, target, template, ...(leadDays ? { leadDays } : {}), ...(observance ? { observance } : {}) },
        by,
      )
      ctx.log.info({ announcement: announcement.id, by }, 'announce: added')
      return reply(`已添加公告 #${announcement.id}。接下来五次：\n${next.map(formatShanghai).join('\n')}`)
    }
    case 'preview': {
      const rows = await deps.announcements.preview(parseId(tokens[0]))
      if (rows.length === 0) return reply('现在触发的话，没有要发的内容（没有订阅者，或内容为空）。')
      return reply(`将发给 ${rows.length} 个聊天，例如：\n${rows[0]!.text}`)
    }
    case 'remove': {
      const id = parseId(tokens[0])
      if (!(await deps.announcements.remove(id))) throw new InputError(`没有编号为 ${id} 的公告`)
      ctx.log.info({ announcement: id, by }, 'announce: removed')
      return reply(`已删除公告 #${id}，排队中未发出的消息也已取消。`)
    }
    default:
      return reply(USAGE)
  }
}

async function broadcast(rest: string, ctx: Context, deps: StaffCommandDeps): Promise<Reply> {
  const i = rest.search(/\s/)
  if (i < 0) throw new InputError('格式：/broadcast 目标 内容')
  const firing = await deps.announcements.broadcast(parseTarget(rest.slice(0, i)), rest.slice(i + 1).trim(), ctx.userKey)
  ctx.log.info({ firing: firing.id, recipients: firing.recipients, by: ctx.userKey }, 'announce: broadcast queued')
  deps.onQueued?.()
  return reply(`已排队群发给 ${firing.recipients} 个聊天（批次 #${firing.id}）。`)
}

function parseId(token: string | undefined): number {
  const id = Number(token?.replace(/^#/, ''))
  if (!Number.isInteger(id) || id <= 0) throw new InputError(`公告编号「${token ?? ''}」应是正整数`)
  return id
}
