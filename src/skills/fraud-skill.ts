import { lazyHandler } from '../core/lazy-handler.js'
import { createFraudHandler } from '../fraud/fraud-handler.js'
import type { KepuSkill } from './skill-env.js'

/** The scam check of forwarded or pasted messages, and anti-fraud tips by scam type. */
export const fraudSkill: KepuSkill = {
  name: 'fraud',
  summary: '防诈骗：转发或粘贴的消息查风险，各类骗局的防范提示，96110 / 110',
  setup: (env) => ({
    handlers: [{ name: 'fraud-check', stage: 'check', handle: lazyHandler(() => createFraudHandler({ fraud: env.fraud(), kepu: env.kepu })) }],
    warmUp: ['帮我看看：点击链接领取补贴', '老年人怎么防诈骗'],
  }),
}
