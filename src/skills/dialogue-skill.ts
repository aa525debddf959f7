import { join } from 'node:path'
import { createDeclineHandler } from '../answer/decline-handler.js'
import { createDialogueHandler } from '../answer/dialogue-handler.js'
import { loadDialogueWords, type DialogueWords } from '../answer/dialogue-words.js'
import { createIntentRouter } from '../answer/intent-router.js'
import type { Router } from '../core/bot.js'
import { lazyHandler } from '../core/lazy-handler.js'
import type { KepuSkill, SkillEnv } from './skill-env.js'

const wordsOf = new WeakMap<SkillEnv, DialogueWords>()
function words(env: SkillEnv): DialogueWords {
  let w = wordsOf.get(env)
  if (!w) {
    w = loadDialogueWords(join(env.contentDir, 'question-words.yaml'))
    wordsOf.set(env, w)
  }
  return w
}

/** THE intent router of the bot (answer/intent-router.ts), built on the skill env; the composition root gives it to createBot. */
export function dialogueRouter(env: SkillEnv): Router {
  return createIntentRouter({ regions: env.regions, words: words(env), ownRegionWords: env.knowledge().vocabulary.regionWords })
}

/**
 * The conversation: follow-ups on the dialogue state (那高平呢, 接着说, 第三条, 这个归谁管, 九月份呢, 那我该怎么办),
 * small talk, the region said in words (俺家在利津), and the decline that says what was understood and
 * offers the next step.
 */
export const dialogueSkill: KepuSkill = {
  name: 'dialogue',
  summary: '对话：追问（那高平呢、接着说、第三条、这个归谁管）、寒暄、用话设地区（我家在利津）、答不了时给出下一步',
  setup: (env) => ({
    handlers: [
      { name: 'dialogue', stage: 'command', handle: lazyHandler(() => createDialogueHandler({ knowledge: env.knowledge, fraud: env.fraud, words: words(env), adminContact: env.config.KEPU_ADMIN_CONTACT })) },
      { name: 'decline', stage: 'fallback', handle: lazyHandler(() => createDeclineHandler({ knowledge: env.knowledge, adminContact: env.config.KEPU_ADMIN_CONTACT })) },
    ],
    // The slip loads pinyin and the corpus vocabulary before the first resident pays for it.
    warmUp: ['谢谢', '我在东营', '那高平呢', '重点公程有几个'],
  }),
}
