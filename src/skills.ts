import { alertsSkill } from './skills/alerts-skill.js'
import { calendarSkill } from './skills/calendar-skill.js'
import { commandsSkill } from './skills/commands-skill.js'
import { consoleSkill } from './skills/console-skill.js'
import { departmentsSkill } from './skills/departments-skill.js'
import { feedbackSkill } from './skills/feedback-skill.js'
import { dialogueSkill } from './skills/dialogue-skill.js'
import { elderSkill } from './skills/elder-skill.js'
import { floodGuardSkill } from './skills/flood-guard-skill.js'
import { fraudSkill } from './skills/fraud-skill.js'
import { kepuSkill } from './skills/kepu-skill.js'
import { planFactsSkill } from './skills/plan-facts-skill.js'
import { plansSkill } from './skills/plans-skill.js'
import { requestsSkill } from './skills/requests-skill.js'
import type { KepuSkill } from './skills/skill-env.js'
import { subscriptionsSkill } from './skills/subscriptions-skill.js'
import { unansweredSkill } from './skills/unanswered-skill.js'
import { venuesSkill } from './skills/venues-skill.js'

/**
 * THE list of capabilities. `serve`, `chat` and `ask` build the bot from it; `kepu skills` prints the
 * chain it makes. Handlers run by their declared stage (core/skill.ts), then in this order. Adding a
 * skill is a new file under src/skills/ and one line here (docs/skills.md).
 */
export const SKILLS: readonly KepuSkill[] = [
  floodGuardSkill,
  unansweredSkill,
  // Before every other command: a bare 1 or 2 right after its offer is a verdict (the offer is only made when the number means nothing else).
  feedbackSkill,
  requestsSkill,
  dialogueSkill,
  commandsSkill,
  elderSkill,
  subscriptionsSkill,
  fraudSkill,
  alertsSkill,
  venuesSkill,
  calendarSkill,
  kepuSkill,
  planFactsSkill,
  departmentsSkill,
  plansSkill,
  consoleSkill,
]
