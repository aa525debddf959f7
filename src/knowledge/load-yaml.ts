import { readFileSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, join } from 'node:path'
import type { z } from 'zod'
import { ContentError } from '../core/errors.js'
import { contentSlot, readContent, writeContent } from './content-cache.js'

/** js-yaml, loaded on the first file the content cache does not have (a warm start never needs it). */
let yaml: typeof import('js-yaml') | undefined
const parseYaml = (text: string): unknown => (yaml ??= createRequire(import.meta.url)('js-yaml') as typeof import('js-yaml')).load(text)

/**
 * Reads a YAML file and validates it with a zod schema. Any error is one line that names the file,
 * the item (its index and its `name`/`title`/`id` when it has one) and the field:
 * `content: observances.yaml: item 7 (全国科普日): rule.month: Expected number, received string`.
 * `name` is how the file is named in errors (default: its base name; a folder's files say `kepu/x.yaml`).
 * With the content cache on (`useContentCache`), an unchanged file under an unchanged schema is read from
 * the data saved when it last passed validation.
 */
export function loadYaml<S extends z.ZodType>(file: string, schema: S, name = basename(file)): z.infer<S> {
  let raw: unknown
  let slot: ReturnType<typeof contentSlot>
  try {
    const text = readFileSync(file, 'utf8')
    slot = contentSlot(file, text, schema)
    const cached = slot && readContent(slot)
    if (cached !== undefined) return cached as z.infer<S>
    raw = parseYaml(text)
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err)
    throw new ContentError(`content: ${name}: not readable YAML: ${why}`, { cause: err })
  }
  const result = schema.safeParse(raw)
  if (result.success) {
    if (slot) writeContent(slot, result.data)
    return result.data
  }
  const issue = result.error.issues[0]!
  throw new ContentError(`content: ${name}: ${describePath(raw, issue.path)}: ${issue.message}`)
}

/** All `.yaml`/`.yml` files of a folder, sorted by name (empty when the folder is missing). */
export function yamlFilesIn(dir: string): string[] {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  return names.filter((n) => /\.ya?ml$/i.test(n)).sort().map((n) => join(dir, n))
}

/** `item 7 (全国科普日): rule.month` for a zod issue path into a list (or a list under a top-level key). */
function describePath(root: unknown, path: ReadonlyArray<PropertyKey>): string {
  const parts = path.map(String)
  let node: unknown = root
  let prefix = ''
  let i = 0
  // Walk to the first array index: that is "the item".
  for (; i < parts.length; i++) {
    if (Array.isArray(node) && /^\d+$/.test(parts[i]!)) {
      const index = Number(parts[i])
      const item = (node as unknown[])[index]
      const label = itemLabel(item)
      prefix = `${parts.slice(0, i).join('.')}${i ? ' ' : ''}item ${index + 1}${label ? ` (${label})` : ''}`
      i++
      break
    }
    node = node && typeof node === 'object' ? (node as Record<string, unknown>)[parts[i]!] : undefined
  }
  const field = parts.slice(i).join('.')
  if (!prefix) return field || '(top level)'
  return field ? `${prefix}: ${field}` : prefix
}

function itemLabel(item: unknown): string | undefined {
  if (!item || typeof item !== 'object') return undefined
  const o = item as Record<string, unknown>
  for (const k of ['name', 'title', 'id']) if (typeof o[k] === 'string') return o[k] as string
  return undefined
}
