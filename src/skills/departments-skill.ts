import { createDepartmentHandler } from '../answer/department-handler.js'
import { lazyHandler } from '../core/lazy-handler.js'
import type { KepuSkill } from './skill-env.js'

/** Who leads which task, from the plans' division of work. */
export const departmentsSkill: KepuSkill = {
  name: 'departments',
  summary: '分工：某项行动由哪个部门牵头，某个部门牵头哪些任务',
  setup: (env) => ({
    handlers: [{ name: 'departments', stage: 'answer', handle: lazyHandler(() => createDepartmentHandler(env.knowledge())) }],
    warmUp: ['青少年科学素质提升行动由哪个部门牵头'],
  }),
}
