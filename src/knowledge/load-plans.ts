import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import { ContentError } from '../core/errors.js'
import type { Plan } from './plan.js'
import { parsePlan } from './parse-plan.js'

/** A plan with where its file sits in the corpus, for the plans above it (a province above its cities). */
export interface LoadedPlans {
  plans: Plan[]
  /** Region → the regions of the plans in the folders above its plan's folder (nearest first). */
  above: Map<string, string[]>
}

export interface LoadPlansOptions {
  /** Where parsed plans are kept between runs (keyed by each file's text and the parser's code). */
  cacheDir?: string
}

/**
 * Every `*.txt` under the seeds folder, nested folders included (province/city/county), parsed; README
 * files are skipped. A plan's id is its path without `.txt` (`dongying`, `shandong/dongying`). A new plan
 * is a new file. Plans in a folder are searched with those of its sub-folders (a province's with its
 * cities'); plans at the top level are peers. With a cache folder, a file parsed before (same text, same parser) is read as JSON.
 */
export function loadPlans(seedsDir: string, options: LoadPlansOptions = {}): Plan[] {
  return loadPlanTree(seedsDir, options).plans
}

/** loadPlans, with the folder structure (see LoadedPlans). */
export function loadPlanTree(seedsDir: string, options: LoadPlansOptions = {}): LoadedPlans {
  let files: string[]
  try {
    files = textFilesUnder(seedsDir)
  } catch (err) {
    throw new ContentError(`seeds: folder ${seedsDir} is not readable`, { cause: err })
  }
  const cache = options.cacheDir ? join(options.cacheDir, 'plans') : undefined
  const stamp = cache ? parserStamp() : undefined
  const used = new Set<string>()
  const pool = new Map<string, string>()
  let wrote = false
  const folders: string[] = []
  const plans = files.map((file) => {
    const rel = relative(seedsDir, file).split(sep).join('/')
    const id = rel.replace(/\.txt$/u, '')
    folders.push(dirname(rel))
    const text = readFileSync(file, 'utf8')
    if (!cache || !stamp) return parsePlan(text, id)
    const name = `${createHash('sha256').update(stamp).update('\u0000').update(id).update('\u0000').update(text).digest('hex').slice(0, 24)}.json`
    used.add(name)
    try {
      return sharePlanStrings(JSON.parse(readFileSync(join(cache, name), 'utf8')) as Plan, pool)
    } catch {
      const plan = parsePlan(text, id)
      wrote = save(cache, name, plan) || wrote
      return plan
    }
  })
  if (cache && wrote) prune(cache, used)
  // The plans of each folder; a plan's parents are those of the folders above its own, nearest first.
  // The corpus's own top level holds peers (a flat seeds/), not parents: the national outline is found by its title.
  const byFolder = new Map<string, string[]>()
  plans.forEach((plan, i) => byFolder.set(folders[i]!, [...(byFolder.get(folders[i]!) ?? []), plan.region]))
  const above = new Map<string, string[]>()
  plans.forEach((plan, i) => {
    const parents: string[] = []
    for (let folder = dirname(folders[i]!); folder !== '.'; folder = dirname(folder)) {
      for (const region of byFolder.get(folder) ?? []) if (region !== plan.region && !parents.includes(region)) parents.push(region)
    }
    if (parents.length) above.set(plan.region, parents)
  })
  return { plans, above }
}

const NONE = Object.freeze([]) as unknown as string[]

/**
 * Makes a plan read from JSON share its short repeated strings (headings, units, leads, refs, region) with
 * the plans read before it: JSON gives every occurrence its own copy, and a national corpus repeats
 * the same few thousand unit names and headings hundreds of thousands of times.
 */
function sharePlanStrings(plan: Plan, pool: Map<string, string>): Plan {
  const one = (s: string): string => {
    const have = pool.get(s)
    if (have !== undefined) return have
    pool.set(s, s)
    return s
  }
  // Most passages name no lead unit or unit: they share one empty list (a cached plan is never changed).
  const all = (list: string[]): string[] => (list.length ? list.map(one) : NONE)
  for (const a of plan.actions) {
    a.leads = all(a.leads)
    a.units = all(a.units)
  }
  plan.region = one(plan.region)
  plan.passages = plan.passages.map((x) => ({ ...x, planId: one(x.planId), region: plan.region, ref: one(x.ref), headings: all(x.headings), title: x.title.length <= 40 ? one(x.title) : x.title, leads: all(x.leads), units: all(x.units), ...(x.action !== undefined ? { action: one(x.action) } : {}) }))
  return plan
}

/** Every *.txt under a folder, sorted by path; folders whose name starts with a dot are skipped. */
function textFilesUnder(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...textFilesUnder(path))
    else if (entry.name.endsWith('.txt')) out.push(path)
  }
  return out.sort()
}

/**
 * Set only inside the one-shot bundle (bin/bundle.mjs): the parser files are not beside the bundle, so
 * their hash is computed when the bundle is built, by the function below on the compiled files.
 */
declare const __KEPU_PARSER_STAMP__: string | undefined

/** A hash of the parser's own code (this folder's parsing modules), so a parser change re-parses every plan. */
export function parserStamp(): string | undefined {
  if (typeof __KEPU_PARSER_STAMP__ === 'string') return __KEPU_PARSER_STAMP__
  const hash = createHash('sha256')
  for (const name of ['parse-plan', 'plan-lines', 'unit-parser']) {
    let text: string | undefined
    for (const ext of ['.js', '.ts']) {
      try {
        text = readFileSync(new URL(`./${name}${ext}`, import.meta.url), 'utf8')
        break
      } catch {
        // Compiled (.js) or run from source (.ts).
      }
    }
    if (text === undefined) return undefined
    hash.update(text)
  }
  return hash.digest('hex')
}

function save(folder: string, name: string, plan: Plan): boolean {
  try {
    mkdirSync(folder, { recursive: true })
    const tmp = join(folder, `${name}.${process.pid}.tmp`)
    writeFileSync(tmp, JSON.stringify(plan))
    renameSync(tmp, join(folder, name))
    return true
  } catch {
    return false
  }
}

/** Removes parsed plans no file of this corpus has any more. */
function prune(folder: string, used: Set<string>): void {
  try {
    for (const name of readdirSync(folder)) if (name.endsWith('.json') && !used.has(name)) rmSync(join(folder, name), { force: true })
  } catch {
    // A cache we cannot tidy costs disk space only.
  }
}
