import { z } from 'zod'
import { venuesFileSchema } from './venue-schema.js'

/**
 * The JSON Schema of a venues file (content/schema/venues.schema.json), for editors; generated from the
 * zod schema (a test fails when the file is out of date).
 */
export function venuesJsonSchema(): object {
  return { title: 'kepu-bot venues (content/venues/*.yaml)', ...z.toJSONSchema(venuesFileSchema, { io: 'input' }) }
}
