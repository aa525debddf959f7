import { AnswerRecords } from '../feedback/answer-records.js'
import { createFeedbackHandler } from '../feedback/feedback-handler.js'
import { createFeedbackOffer } from '../feedback/feedback-offer.js'
import type { KepuSkill } from './skill-env.js'

/**
 * Residents say whether an answer helped: 👍/👎 on Telegram, 「回复 1 有用，2 没用」 on text platforms, offered
 * on answers from content now and then (feedback-offer.ts: the first answer, then one in five). 有用 is
 * counted; 没用 is counted and lands in 未回答 with the answer shown and an optional comment. Needs the store;
 * without it (`ask`, `chat`) nothing is offered and batch answers are exactly as before.
 */
export const feedbackSkill: KepuSkill = {
  name: 'feedback',
  summary: '居民对回答的反馈：有用 / 没用（Telegram 按钮，其他平台回复 1 或 2），没用的进「未回答」并可留言',
  setup(env) {
    const data = env.data ?? env.store
    if (!data) return {}
    const records = new AnswerRecords(data)
    return {
      handlers: [
        { name: 'feedback-offer', stage: 'observe', handle: createFeedbackOffer({ records }) },
        { name: 'feedback', stage: 'command', handle: createFeedbackHandler({ data, records }) },
      ],
    }
  },
}
