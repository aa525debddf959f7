import { basename, join } from 'node:path'
import { ContentError } from '../core/errors.js'
import { loadYaml, yamlFilesIn } from '../knowledge/load-yaml.js'
import { createCalendar, type Calendar, type RegionalEvent } from './calendar.js'
import { eventsFileSchema } from './event-schema.js'
import { observancesFileSchema } from './observance-schema.js'

/**
 * Loads content/observances.yaml and every content/events/*.yaml once (at startup) and builds the
 * calendar. Throws a ContentError naming the file, item and field on the first invalid entry, and on a
 * local event id used in two files.
 */
export function loadCalendar(contentDir: string): Calendar {
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
  return createCalendar(observances, events)
}
