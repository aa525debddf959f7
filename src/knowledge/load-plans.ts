import { readFileSync, readdirSync } from 'node:fs'
import { basename, join } from 'node:path'
import { ContentError } from '../core/errors.js'
import type { Plan } from './plan.js'
import { parsePlan } from './parse-plan.js'

/** Every `*.txt` in the seeds folder, parsed (README files are skipped). A new plan is a new file. */
export function loadPlans(seedsDir: string): Plan[] {
  let names: string[]
  try {
    names = readdirSync(seedsDir)
  } catch (err) {
    throw new ContentError(`seeds: folder ${seedsDir} is not readable`, { cause: err })
  }
  return names
    .filter((n) => n.endsWith('.txt'))
    .sort()
    .map((n) => parsePlan(readFileSync(join(seedsDir, n), 'utf8'), basename(n, '.txt')))
}
