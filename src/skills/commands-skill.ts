import { createCommandHandler } from '../answer/command-handler.js'
import type { KepuSkill } from './skill-env.js'

/** Greetings, help, 「更多」 and setting the region: conversation commands that need no knowledge. */
export const commandsSkill: KepuSkill = {
  name: 'commands',
  summary: '问候、帮助、「更多」、设置地区（我在东营）',
  setup: (env) => ({
    handlers: [{ name: 'commands', stage: 'command', handle: createCommandHandler({ regions: env.regions }) }],
    warmUp: ['你好'],
  }),
}
