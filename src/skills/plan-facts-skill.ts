import { createPlanInfoHandler } from '../answer/plan-info-handler.js'
import { lazyHandler } from '../core/lazy-handler.js'
import type { KepuSkill } from './skill-env.js'

/** Questions about the plans themselves: title, 文号, date, draft status, which plans are loaded. */
export const planFactsSkill: KepuSkill = {
  name: 'plan-facts',
  summary: '方案本身：标题、文号、印发日期、是否征求意见稿、收录了哪些方案',
  setup: (env) => ({
    handlers: [{ name: 'plan-facts', stage: 'answer', handle: lazyHandler(() => createPlanInfoHandler(env.knowledge())) }],
  }),
}
