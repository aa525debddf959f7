import type { Handler, ReplyWithMore } from '../core/bot.js'
import type { KepuKnowledge } from '../kepu/kepu-knowledge.js'
import { checkRumour, type RumourFinding } from '../kepu/rumour-check.js'
import { pastedPart, readFraudAsk } from './fraud-ask.js'
import type { FraudKnowledge } from './fraud-knowledge.js'
import { renderCheck, renderRumour, renderTips, renderTopic, renderType, renderUnverified } from './fraud-replies.js'
import { checkMessage } from './scam-check.js'

/** What the fraud handler needs. */
export interface FraudHandlerDeps {
  fraud: FraudKnowledge
  /** The knowledge cards, for the rumour check (loaded on the first message that needs them); absent: no rumour check. */
  kepu?: () => KepuKnowledge
}

/**
 * The scam check and anti-fraud answers (intent `fraud`). It answers forwarded messages (always checked; in a group
 * only when the bot is mentioned),
 * 「帮我看看：…」 pastes, described situations with red flags, general anti-fraud questions and questions about a
 * scam type; everything else, including questions about the plans' departments and targets, goes to `next()`.
 * A reply carries `fraud` whenever a check was made; every answer names 96110 and/or 110. In 长辈模式
 * (`ctx.user.elder`) answers are short and end with a numbered menu.
 *
 * Every checked message also runs the rumour check (with `kepu`): a known rumour is answered by its card, a
 * health or science claim no card covers is said to be unverifiable (answered: false, so staff see it), and a
 * message that is neither scam nor rumour is never called safe. A bare 「…是真的吗」 about a rumour gets the card.
 */
export function createFraudHandler(deps: FraudHandlerDeps): Handler {
  const k = deps.fraud
  const rumourOf = (text: string, message: boolean, region: string | undefined): RumourFinding =>
    deps.kepu ? checkRumour(text, deps.kepu().index, { region, message }) : { kind: 'none' }
  return async (ctx, next) => {
    const { incoming } = ctx
    // In a group, only what is addressed to the bot: a message forwarded into a group talks to the people there.
    if (incoming.isGroup && !incoming.mentioned) return next()
    const ask = readFraudAsk(ctx.text, incoming.forwarded, k)
    if (ask.kind === 'pass') return next()
    const o = { elder: ctx.user.elder === true }
    const region = ctx.region?.name
    let reply: ReplyWithMore
    switch (ask.kind) {
      case 'check': {
        const message = ask.source !== 'situation'
        const text = ask.source === 'pasted' ? (pastedPart(ctx.text) ?? ctx.text) : ctx.text
        const rumour = rumourOf(text, message, region)
        reply = renderCheck(ask.check, ask.source, k, o, rumour)
        // Codes and counts only: never the resident's text.
        ctx.log.debug({ module: 'fraud', source: ask.source, risk: ask.check.risk, score: ask.check.score, type: ask.check.type, rumour: rumour.kind === 'rumour' ? rumour.hit.card.id : rumour.kind }, 'scam check')
        break
      }
      case 'topic': {
        // 「喝红糖水能补血，是真的吗」: a request for a judgement about a claim, not about a message.
        if (ask.topic.id === 'check-how') {
          const rumour = rumourOf(ctx.text, false, region)
          if (rumour.kind === 'rumour') return renderRumour(rumour.hit.card, k, o)
          if (rumour.kind === 'claim') return renderUnverified(checkMessage(ctx.text, k), k, o)
        }
        reply = renderTopic(ask.topic, ask.type, k, o)
        break
      }
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
