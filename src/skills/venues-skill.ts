import { lazyHandler } from '../core/lazy-handler.js'
import { loadVenues } from '../venues/load-venues.js'
import { createVenueHandler } from '../venues/venue-handler.js'
import type { KepuSkill } from './skill-env.js'

/** 科技馆, 科普教育基地, 流动科技馆 and 科普大篷车 stops per region, linked to the events held there. */
export const venuesSkill: KepuSkill = {
  name: 'venues',
  summary: '科普场馆：科技馆、科普基地开放时间、适合孩子的去处、流动科技馆和科普大篷车什么时候来',
  setup: (env) => ({
    handlers: [{ name: 'venues', stage: 'answer', handle: lazyHandler(() => createVenueHandler({ venues: loadVenues(env.contentDir), calendar: env.calendar() })) }],
    warmUp: ['科技馆几点开门'],
  }),
}
