import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { isDeepStrictEqual } from 'node:util'

/**
 * Validated content kept between runs: a YAML file's data as its schema returned it, saved as JSON under
 * the cache folder and keyed by a hash of the file's text and of the schema's definition. A start whose
 * files and schemas are unchanged reads JSON instead of parsing YAML and validating it; a changed file
 * (or schema) misses, so it is parsed and validated as before and its errors are the same one line.
 *
 * Off until `useContentCache(folder)` (createApp turns it on with its cache folder; tests leave it off).
 */
let folder: string | undefined

/** Turns the cache on in `dir` (its `content` sub-folder), or off with `undefined`. */
export function useContentCache(dir: string | undefined): void {
  folder = dir === undefined ? undefined : join(dir, 'content')
}

/** A cached entry's file for `path`: `<hash of path>-<hash of text and schema>.json`. */
interface Slot {
  file: string
  prefix: string
}

/**
 * Where `path`'s data with this text and schema would be, or undefined when the cache is off. The prefix
 * names the file and the copy of this code: the ES modules and the one-shot bundle print a schema's
 * refinements differently (so their stamps differ), and each must not remove the other's entries.
 */
export function contentSlot(path: string, text: string, schema: unknown): Slot | undefined {
  if (!folder) return undefined
  const prefix = createHash('sha256').update(import.meta.url).update('\u0000').update(path).digest('hex').slice(0, 12)
  const key = createHash('sha256').update(schemaStamp(schema)).update('\u0000').update(text).digest('hex').slice(0, 20)
  return { file: join(folder, `${prefix}-${key}.json`), prefix }
}

/** The cached data of a slot, or undefined (missing, unreadable: a miss). */
export function readContent(slot: Slot): unknown {
  try {
    return JSON.parse(readFileSync(slot.file, 'utf8')) as unknown
  } catch {
    return undefined
  }
}

/**
 * Saves validated data, and removes the entries of older versions of the same file. Data that JSON
 * would change (a Date, a Map, a key holding undefined) is not saved: it could not come back the same.
 * Any failure only means no cache.
 */
export function writeContent(slot: Slot, data: unknown): void {
  try {
    const json = JSON.stringify(data)
    if (!isDeepStrictEqual(JSON.parse(json), data)) return
    const dir = folder!
    mkdirSync(dir, { recursive: true })
    for (const name of readdirSync(dir)) if (name.startsWith(`${slot.prefix}-`) && join(dir, name) !== slot.file) rmSync(join(dir, name), { force: true })
    const tmp = `${slot.file}.${process.pid}.tmp`
    writeFileSync(tmp, json)
    renameSync(tmp, slot.file)
  } catch {
    // A cache that cannot be written costs the next start a parse.
  }
}

const stamps = new WeakMap<object, string>()

/**
 * A stable text of a zod schema's definition (types, fields, checks, defaults, and the source of its
 * refinements and transforms), so that a changed schema never reads data validated by the old one.
 */
export function schemaStamp(schema: unknown): string {
  if (!schema || typeof schema !== 'object') return String(schema)
  let stamp = stamps.get(schema)
  if (stamp === undefined) {
    stamp = createHash('sha256').update(describe(schema, new Map(), 0)).digest('hex')
    stamps.set(schema, stamp)
  }
  return stamp
}

const MAX_DEPTH = 64

function describe(value: unknown, seen: Map<object, number>, depth: number): string {
  if (value === null || value === undefined) return String(value)
  if (typeof value === 'function') return `fn(${value.toString()})`
  if (typeof value !== 'object') return `${typeof value}:${String(value)}`
  if (value instanceof RegExp) return `re:${String(value)}`
  if (value instanceof Date) return `date:${value.getTime()}`
  const at = seen.get(value)
  if (at !== undefined) return `@${at}`
  seen.set(value, seen.size)
  if (depth > MAX_DEPTH) return '…'
  // A zod schema or check: its definition is what it is.
  const zod = (value as { _zod?: { def?: unknown } })._zod
  if (zod && typeof zod === 'object' && zod.def) return `zod{${describe(zod.def, seen, depth + 1)}}`
  if (Array.isArray(value)) return `[${value.map((v) => describe(v, seen, depth + 1)).join(',')}]`
  if (value instanceof Map || value instanceof Set) return `${value.constructor.name}[${[...value].map((v) => describe(v, seen, depth + 1)).join(',')}]`
  const keys = Object.keys(value).sort()
  return `{${keys.map((k) => `${k}=${describe((value as Record<string, unknown>)[k], seen, depth + 1)}`).join(',')}}`
}
