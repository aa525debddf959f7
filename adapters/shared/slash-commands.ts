/**
 * The slash commands every chat adapter offers, and the plain question each one stands for. The core
 * understands natural phrases (「帮助」「我在东营」「长辈模式」), so a command is only a shortcut to one:
 * adding a command never needs a change in the core.
 */
export interface SlashCommand {
  /** Without the slash, lower case, as Telegram's setMyCommands wants it. */
  command: string
  /** Shown in Telegram's command menu and in the console's /help. */
  description: string
  /** The text the bot receives; `arg` is what followed the command (may be empty). */
  toText(arg: string): string
  /** True when the argument is a message to check as a possible scam (it goes in as forwarded). */
  forwardsArg?: boolean
}

/** In menu order. */
export const SLASH_COMMANDS: readonly SlashCommand[] = [
  { command: 'start', description: '开始使用科普助手', toText: () => '帮助' },
  { command: 'help', description: '我能做什么', toText: () => '帮助' },
  { command: 'events', description: '近期科普活动和纪念日', toText: (arg) => arg || '最近有什么科普活动' },
  { command: 'tips', description: '防诈骗小提示', toText: (arg) => arg || '老年人怎么防诈骗' },
  { command: 'check', description: '查一条消息是不是诈骗：/check 消息内容', toText: (arg) => arg || '怎么识别诈骗消息', forwardsArg: true },
  { command: 'region', description: '设置所在地区：/region 东营', toText: (arg) => (arg ? `我在${arg}` : '/region') },
  { command: 'elder', description: '长辈模式开关：/elder on 或 /elder off', toText: (arg) => (arg ? `/elder ${arg}` : '/elder') },
  { command: 'more', description: '看上一条回答的更多内容', toText: () => '更多' },
  { command: 'subscribe', description: '订阅活动周报、活动提醒或每日防骗提醒', toText: (arg) => (arg ? `订阅${arg}` : '订阅') },
  { command: 'unsubscribe', description: '退订推送', toText: (arg) => (arg ? `退订${arg}` : '退订') },
  { command: 'subscriptions', description: '我订阅了什么', toText: () => '我的订阅' },
]

/** What a slash command turns into. */
export interface CommandText {
  text: string
  forwarded: boolean
}

/**
 * Maps `/cmd arg` (the bot's @name already removed) to the question it stands for; an unknown command
 * comes back unchanged so that the bot can say it does not understand.
 */
export function commandToText(command: string, arg: string): CommandText {
  const name = command.replace(/^\//, '').toLowerCase()
  const known = SLASH_COMMANDS.find((c) => c.command === name)
  const rest = arg.trim()
  if (!known) return { text: rest ? `/${name} ${rest}` : `/${name}`, forwarded: false }
  return { text: known.toText(rest), forwarded: Boolean(known.forwardsArg && rest) }
}
