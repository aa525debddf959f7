import type { Handler } from '../core/bot.js'
import type { Reply } from '../core/reply.js'
import type { FraudKnowledge } from './fraud-knowledge.js'
import { withMenu } from './fraud-replies.js'

/** What the elder-mode handler needs. */
export interface ElderModeHandlerDeps {
  fraud: FraudKnowledge
}

const ON = /^(\/elder(@\w+)?\s+on|(请|帮我)?(开启|打开|开|进入|切换到?|切到|使用|用)?\s*(长辈|老人|老年|大字)(模式|版)(吧)?)$/i
const OFF = /^(\/elder(@\w+)?\s+off|(请|帮我)?(关闭|关掉|关|退出|取消|不要|不用)\s*(长辈|老人|老年|大字)(模式|版)(吧)?|(切换到?|回到|用)?普通模式|保持普通模式)$/i
const TOGGLE = /^\/elder(@\w+)?$/i
const MENU = /^(菜单|主菜单|回主菜单|回到主菜单|回菜单|回到菜单|返回菜单|返回主菜单|返回|目录|功能菜单|0)$/
const ELDER_MENU = /^(长辈菜单|长辈模式菜单)$/
// The resident finds the bot hard to read or says they are old: offer 长辈模式 (never switch silently).
// Not 「适合老人」: 「最近有啥适合老人的活动」 asks the calendar for events for older people.
const STRUGGLE = /看不懂|看不明白|字太多|太长了|说简单点|简单点说|说得?简单|听不懂|看不清|眼睛不好|年纪大了|老人版|老年版/

/**
 * 长辈模式 (intent `settings`): 「长辈模式」「关闭长辈模式」 and `/elder [on|off]` switch `ctx.user.elder`
 * (the bot persists it); 「菜单」 shows the numbered menu in 长辈模式; a resident who says the answers are hard to
 * read is offered the mode with a numbered choice. The menu's choices go on `Reply.choices`, so a bare 「1」 works;
 * a number on no menu shows the menu again, and 「菜单」「返回」「0」 always bring it back.
 */
export function createElderModeHandler(deps: ElderModeHandlerDeps): Handler {
  const e = deps.fraud.elder
  const menu = (intro: string): Reply => withMenu({ text: `${intro}\n${e.menuTitle}`, answered: true, intent: 'settings' }, e.menu)
  return async (ctx, next) => {
    if (ctx.incoming.isGroup && !ctx.incoming.mentioned) return next()
    const t = ctx.text.trim().replace(/[。.!！~～]+$/, '')
    const elder = ctx.user.elder === true
    if (ON.test(t) || (TOGGLE.test(t) && !elder)) {
      ctx.user.elder = true
      return menu(e.intro)
    }
    if (OFF.test(t) || (TOGGLE.test(t) && elder)) {
      const was = elder
      delete ctx.user.elder
      return { text: was || !/保持/.test(t) ? e.off : e.keep, answered: true, intent: 'settings' }
    }
    if (ELDER_MENU.test(t) || (elder && MENU.test(t))) return menu('好的。')
    // A number that is on no menu never dead-ends: the menu again.
    if (elder && /^\d{1,3}$/.test(t)) return menu(`没有第${t}项，请回复下面菜单上的数字。`)
    if (!elder && STRUGGLE.test(t) && Array.from(t).length <= 30) {
      return withMenu({ text: e.suggest, answered: true, intent: 'settings' }, [
        { label: '打开长辈模式', value: '长辈模式' },
        { label: '不用了', value: '保持普通模式' },
      ])
    }
    return next()
  }
}
