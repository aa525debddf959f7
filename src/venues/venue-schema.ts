import { z } from 'zod'
import { audienceSchema } from '../calendar/observance-schema.js'

/** The kinds of place residents ask about. */
export const VENUE_KINDS = ['科技馆', '科普教育基地', '流动科技馆', '科普大篷车', '社区科普站', '农村科普站', '博物馆', '天文馆', '图书馆'] as const
export type VenueKind = (typeof VENUE_KINDS)[number]

/** One stop of a travelling exhibition: where, and in which month (YYYY-MM). */
export const stopSchema = z.object({ place: z.string().trim().min(2), month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM') }).strict()

/** One venue (content/venues/*.yaml). */
export const venueSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a kebab-case id'),
    name: z.string().trim().min(2).max(40),
    kind: z.enum(VENUE_KINDS),
    /** The county, district, town or street it is in, when it is not the whole region. */
    district: z.string().trim().min(2).optional(),
    address: z.string().trim().min(2),
    hours: z.string().trim().min(2),
    booking: z.string().trim().min(2),
    price: z.string().trim().min(2),
    audiences: z.array(audienceSchema).min(1),
    phone: z.string().trim().min(3).optional(),
    summary: z.string().trim().min(2).max(120),
    /** True when written as an example rather than taken from the operator's own notice. */
    sample: z.boolean().default(false),
    /** For 流动科技馆 and 科普大篷车: the towns, schools or villages it visits, by month. */
    stops: z.array(stopSchema).optional(),
  })
  .strict()
export type VenueEntry = z.infer<typeof venueSchema>

/** One file under content/venues/: a region's venues. */
export const venuesFileSchema = z
  .object({ region: z.string().trim().min(2), venues: z.array(venueSchema) })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Map<string, number>()
    file.venues.forEach((v, i) => {
      const prev = seen.get(v.id)
      if (prev !== undefined) ctx.addIssue({ code: 'custom', path: ['venues', i, 'id'], message: `duplicate id ${v.id} (also item ${prev + 1})` })
      else seen.set(v.id, i)
    })
  })
export type VenuesFile = z.infer<typeof venuesFileSchema>
