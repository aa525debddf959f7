import { createPlanHandler } from '../answer/plan-handler.js'
import { lazyHandler } from '../core/lazy-handler.js'
import type { KepuSkill } from './skill-env.js'

/** Search of the plans: the sentence that answers, its section, 「更多」 for the passage. */
export const plansSkill: KepuSkill = {
  name: 'plans',
  summary: '方案检索：目标、任务、措施，答出原句并注明出处',
  setup: (env) => ({
    handlers: [{ name: 'plans', stage: 'answer', handle: lazyHandler(() => createPlanHandler(env.knowledge())) }],
    warmUp: ['公民科学素质比例目标是多少'],
  }),
}
