import { createCalendarHandler } from '../calendar/calendar-handler.js'
import { icsRoute } from '../calendar/ics-route.js'
import { lazyHandler } from '../core/lazy-handler.js'
import type { KepuSkill } from './skill-env.js'

/** Observance days and local events, by Chinese date phrases. */
export const calendarSkill: KepuSkill = {
  name: 'calendar',
  summary: '活动日历：纪念日、科普活动周、本地活动（这周末、下个月 …）',
  setup: (env) => ({
    handlers: [{ name: 'calendar', stage: 'answer', handle: lazyHandler(() => createCalendarHandler({ calendar: env.calendar() })) }],
    warmUp: ['防灾减灾日是哪天', '最近有什么科普活动'],
    // The public feed residents subscribe to on a phone (docs/calendar.md).
    routes: [icsRoute({ calendar: env.calendar, regions: env.regions, clock: env.clock })],
  }),
}
