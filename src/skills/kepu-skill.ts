import { lazyHandler } from '../core/lazy-handler.js'
import { createKepuHandler } from '../kepu/kepu-handler.js'
import type { KepuSkill } from './skill-env.js'

/** Knowledge cards: emergency know-how, health, smartphone help, rumours, farming, with the source named. */
export const kepuSkill: KepuSkill = {
  name: 'kepu-cards',
  summary: '科普知识卡片：应急避险、健康、手机使用、辟谣、农业技术，注明来源；长辈模式给简短版',
  setup: (env) => ({
    handlers: [{ name: 'kepu-cards', stage: 'answer', handle: lazyHandler(() => createKepuHandler({ kepu: env.kepu() })) }],
    warmUp: ['在家怎么量血压', '手机字体怎么调大'],
  }),
}
