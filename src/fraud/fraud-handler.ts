import type { Handler, ReplyWithMore } from '../core/bot.js'
import { readFraudAsk } from './fraud-ask.js'
import type { FraudKnowledge } from './fraud-knowledge.js'
import { renderCheck, renderTips, renderTopic, renderType } from './fraud-replies.js'

/** What the fraud handler needs. */
export interface FraudHandlerDeps {
  fraud: FraudKnowledge
}

/**
 * The scam check and anti-fraud answers (intent `fraud`). It answers forwarded messages (always checked; in a group
 * only when the bot is mentioned),
 * 「帮我看看：…」 pastes, described situations with red flags, general anti-fraud questions and questions about a
 * scam type; everything else, including questions about the plans' departments and targets, goes to `next()`.
 * A reply carries `fraud` whenever a check was made; every answer names 96110 and/or 110. In 长辈模式
 * (`ctx.user.elder`) answers are short and end with a numbered menu.
 */
export function createFraudHandler(deps: FraudHandlerDeps): Handler {
  const k = deps.fraud
  return async (ctx, next) => {
    const { incoming } = ctx
    // In a group, only what is addressed to the bot: a message forwarded into a group talks to the people there.
    if (incoming.isGroup && !incoming.mentioned) return next()
    const ask = readFraudAsk(ctx.text, incoming.forwarded, k)
    if (ask.kind === 'pass') return next()
    const o = { elder: ctx.user.elder === true }
    let reply: ReplyWithMore
    switch (ask.kind) {
      case 'check':
        reply = renderCheck(ask.check, ask.source, k, o)
        // Codes and counts only: never the resident's text.
        ctx.log.debug({ module: 'fraud', source: ask.source, risk: ask.check.risk, score: ask.check.score, type: ask.check.type }, 'scam check')
        break
      case 'topic':
        reply = renderTopic(ask.topic, ask.type, k, o)
        break
      case 'tips':
        reply = renderTips(ask.page, k, o)
        break
      case 'type':
        reply = renderType(ask.type, k, o)
        break
    }
    return reply
  }
}
