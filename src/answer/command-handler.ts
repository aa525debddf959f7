import type { Handler, ReplyWithMore } from '../core/bot.js'
import { msg } from '../core/messages-zh.js'
import type { RegionRegistry } from '../knowledge/region-registry.js'

const GREETING = /^(你好|您好|hi|hello|hey|在吗|在不在|嗨|哈喽|早上好|下午好|晚上好|喂)$/iu
const HELP = /^(\/start|\/help|帮助|help|菜单|主菜单|回主菜单|返回|返回菜单|0|功能|使用说明|你能做什么|你会什么|你会做什么|你是谁|你能干什么|能干什么|有什么功能|怎么用|你可以做什么|你能帮我什么)$/iu
// Asking what the bot is for, in the many ways people do: 「你都能干啥」「这个机器人有什么用」「怎么使用」.
const HELP_LOOSE = [
  /^(你|您|这个?(机器人|助手|小助手)?|科普助手)?(都|还)?(能|可以|会)(帮我|帮|为我|给我)?(做|干|查|问|提供|办)?(些|点)?(什么|啥|哪些)(事|事情|服务|功能|内容|问题)?(吗|呢|呀)?$/u,
  /^(你|您|这个?(机器人|助手|小助手)?|科普助手)(有)?(什么|啥)(用|功能|用处|本事)(吗|呢|呀)?$/u,
  /^(怎么|如何|咋)(使用|用)(你|您|这个|科普助手)?(呢|呀)?$/u,
  /^(你好|您好|哈喽|嗨)(请问|我想问|我想问问|问一下|打扰了?)?$/u,
]
const ABOUT_BOT = /^(你是(谁|机器人|真人|人工智能|ai|人还是机器|什么)(吗|呀|啊)?|你叫什么(名字)?|谁开发的你|你是哪个单位的)$/iu
const THANKS = /^(谢谢|谢谢你|谢谢您|多谢|感谢|辛苦了|thanks|thankyou|thx)(啦|了|哈)?$/iu
const BYE = /^(再见|拜拜|bye|byebye|晚安|好的|好|嗯|嗯嗯|ok|知道了|明白了|收到)(啦|了|哈)?$/iu
const MORE = /^(更多|\/more|more|看原文|原文|详细|详情|展开)$/iu
const SET_REGION = /^(?:\/region|\/地区|我在|我住在|我家在|我是|我来自|切换到|切换地区到|地区[:：]?|设置地区[:：]?)\s*(.*?)(?:的人|人|市民|居民)?$/iu

/** Strips closing punctuation and spaces so 「你好！」 and 「你好」 read alike. */
function bare(text: string): string {
  return text.replace(/[\s!！。.？?~～、，,]+/gu, '').toLowerCase()
}

/**
 * Conversation commands that need no knowledge: greetings and help, 「更多」 (the rest of the last
 * answer), setting the region (「我在东营」, /region 东营). Empty input gets a gentle prompt.
 */
export function createCommandHandler(deps: { regions: RegionRegistry }): Handler {
  const { regions } = deps
  return async (ctx, next) => {
    const text = ctx.text
    if (!text || !/[\p{L}\p{N}]/u.test(text)) return { text: msg('empty'), answered: false, intent: 'none' }
    const b = bare(text)
    // In 长辈模式 「菜单」「帮助」 mean the elder menu, which the elder-mode handler shows.
    if (ctx.user.elder && /^(菜单|帮助|help|\/help|\/start|主菜单|回主菜单|返回|返回菜单|0|功能)$/iu.test(b)) return next()
    if (GREETING.test(b) || HELP.test(b) || HELP.test(text.trim()) || HELP_LOOSE.some((re) => re.test(b))) return helpReply(ctx.region?.name)
    if (ABOUT_BOT.test(b)) return { ...helpReply(ctx.region?.name), text: `我是科普助手，一个自动回复的程序，不是真人。内容来自各地全民科学素质行动方案、科普活动日历和防骗知识。\n${msg('help').split('\n').slice(1).join('\n')}` }
    if (THANKS.test(b)) return { text: '不客气！还有问题随时问我。遇到可疑电话或短信，记得打 96110 咨询。', answered: true, intent: 'help' }
    if (BYE.test(b)) return { text: '好的，有需要随时找我。', answered: true, intent: 'help' }
    if (MORE.test(b)) {
      const more = ctx.user.more
      if (!more) return { text: msg('noMore'), answered: true, intent: 'more' }
      delete ctx.user.more
      return { text: more, answered: true, intent: 'more' }
    }
    const m = SET_REGION.exec(text.trim())
    if (m && (text.startsWith('/') || text.length <= 14)) {
      const wanted = (m[1] ?? '').trim()
      const region = wanted ? (regions.byName(wanted) ?? regions.findIn(wanted)) : undefined
      if (region) {
        ctx.user.region = region.name
        return { text: `好的，已设为${region.name}。以后的问题按${region.name}的方案回答。`, answered: true, intent: 'region' }
      }
      if (wanted || text.startsWith('/')) return regionChoices(ctx.user.region, wanted)
    }
    return next()
  }

  function regionChoices(current: string | undefined, wanted: string): ReplyWithMore {
    const all = regions.all()
    const head = wanted ? `暂时没有「${wanted}」的方案。` : current ? `您现在的地区是${current}。` : '您还没有设置地区。'
    return {
      text: `${head}目前可选：\n${all.map((r, i) => `${i + 1}. ${r.name}`).join('\n')}\n回复序号或「我在+地区」即可。`,
      answered: true,
      intent: 'region',
      choices: all.map((r) => ({ label: r.name, value: `我在${r.name}` })),
    }
  }
}

function helpReply(region: string | undefined): ReplyWithMore {
  const where = region ? `\n当前地区：${region}（发「我在+地区」可更改）` : ''
  return {
    text: `${msg('help')}${where}`,
    answered: true,
    intent: 'help',
    choices: [
      { label: '最近有什么科普活动', value: '最近有什么科普活动' },
      { label: '老年人怎么防诈骗', value: '老年人怎么防诈骗' },
      { label: '我们市2025年科学素质目标是多少', value: '我们市2025年科学素质目标是多少' },
    ],
  }
}
