// rrule ships a CommonJS build without an `exports` map, so Node's ESM loader sees only its default
// export; take the classes from there (types come from its ESM declarations).
import rrule from 'rrule'

/** rrule's RRule class, loaded in a way that works under Node ESM and vitest alike. */
export const RRule = rrule.RRule
export type { Options } from 'rrule'
