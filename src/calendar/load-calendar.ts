import { basename, join } from 'node:path'
import { ContentError } from '../core/errors.js'
import { loadYaml, yamlFilesIn } from '../knowledge/load-yaml.js'
import { createCalendar, type Calendar, type RegionalEvent } from './calendar.js'
import { eventsFileSchema } from './event-schema.js'
import { observancesFileSchema } from './observance-schema.js'

/**
 * Loads content/observances.yaml and every content/events/*.yaml once (at startup) and builds the
 * calendar. Throws a ContentError naming the file, item and field on the first invalid entry, and on a
 * local event id used in two files. With `warm`, observance dates for the years the local events cover
 * are worked out at once (a long-running server wants that); otherwise each year is worked out on first
 * use, which keeps one-shot commands quick to start.
 */
export function loadCalendar(contentDir: string, options: { warm?: boolean } = {}): Calendar {
  const observances = loadYaml(join(contentDir, 'observances.yaml'), observancesFileSchema)
  const events: RegionalEvent[] = []
  const seen = new Map<string, string>()
  for (const file of yamlFilesIn(join(contentDir, 'events'))) {
    const data = loadYaml(file, eventsFileSchema)
    for (const e of data.events) {
      const other = seen.get(e.id)
      if (other) throw new ContentError(`content: ${basename(file)}: event ${e.id}: id: also used in ${other}`)
      seen.set(e.id, basename(file))
      events.push({ ...e, region: data.region })
    }
  }
  const calendar = createCalendar(observances, events)
  // Warm the years the local events cover (and one either side): the years residents ask about.
  const years = events.map((e) => Number(e.start.slice(0, 4)))
  if (options.warm && years.length) calendar.warm(Math.min(...years) - 1, Math.max(...years) + 1)
  return calendar
}
