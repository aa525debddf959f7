import { createRequire } from 'node:module'
import type { RRule as RRuleClass } from 'rrule'

// rrule and lunar-typescript are loaded on first use (a year worked out, an RRULE checked, a lunar date
// read), through their CommonJS builds: a one-shot command that never reaches the calendar's dates does
// not pay for them at start. rrule's CommonJS build is also what works under Node ESM and vitest alike.
const require = createRequire(import.meta.url)

let rruleClass: typeof RRuleClass | undefined
let lunarLib: typeof import('lunar-typescript') | undefined

/** rrule's RRule class. */
export function rrule(): typeof RRuleClass {
  return (rruleClass ??= (require('rrule') as { RRule: typeof RRuleClass }).RRule)
}

/** lunar-typescript (Lunar, Solar). */
export function lunar(): typeof import('lunar-typescript') {
  return (lunarLib ??= require('lunar-typescript') as typeof import('lunar-typescript'))
}

export type { Options } from 'rrule'
