import { lazyHandler } from '../core/lazy-handler.js'
import { createElderModeHandler } from '../fraud/elder-mode-handler.js'
import type { KepuSkill } from './skill-env.js'

/** 长辈模式: short replies and numbered menus that own the conversation while the mode is on. */
export const elderSkill: KepuSkill = {
  name: 'elder-mode',
  summary: '长辈模式：短回复、数字菜单，防骗热线常在',
  setup: (env) => ({
    handlers: [{ name: 'elder-mode', stage: 'mode', handle: lazyHandler(() => createElderModeHandler({ fraud: env.fraud() })) }],
    warmUp: ['老年人怎么防诈骗'],
  }),
}
