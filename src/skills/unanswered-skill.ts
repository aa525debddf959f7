import { createUnansweredRecorder } from '../announce/unanswered-recorder.js'
import type { KepuSkill } from './skill-env.js'

/** Records what residents asked that the bot could not answer, for staff (needs the store). */
export const unansweredSkill: KepuSkill = {
  name: 'unanswered',
  summary: '记录答不上的问题，供工作人员补充内容（kepu report unanswered）',
  setup: (env) => (env.store ? { handlers: [{ name: 'unanswered-recorder', stage: 'observe', handle: createUnansweredRecorder({ store: env.store }) }] } : {}),
}
