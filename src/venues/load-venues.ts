import { basename, join } from 'node:path'
import { ContentError } from '../core/errors.js'
import { loadYaml, yamlFilesIn } from '../knowledge/load-yaml.js'
import { venuesFileSchema, type VenueEntry } from './venue-schema.js'

/** A venue with its region and the file it came from. */
export interface Venue extends VenueEntry {
  region: string
  file: string
}

/** The folder under content/ that holds the venues. */
export const VENUES_FOLDER = 'venues'

/**
 * Loads every file of content/venues/ (one region each) and validates it; the first invalid entry throws
 * a ContentError of one line naming the file with its folder, the item and the field
 * (`content: venues/shenmu.yaml: venues item 4 (神木市流动科技馆): stops.0.month: expected YYYY-MM`).
 * An id used in two files is an error too. A missing folder is no venues.
 */
export function loadVenues(contentDir: string): Venue[] {
  const out: Venue[] = []
  const where = new Map<string, string>()
  for (const file of yamlFilesIn(join(contentDir, VENUES_FOLDER))) {
    const name = `${VENUES_FOLDER}/${basename(file)}`
    const data = loadYaml(file, venuesFileSchema, name)
    data.venues.forEach((v, i) => {
      const other = where.get(v.id)
      if (other) throw new ContentError(`content: ${name}: venues item ${i + 1} (${v.name}): id: also used in ${other}`)
      where.set(v.id, name)
      out.push({ ...v, region: data.region, file: name })
    })
  }
  return out
}
