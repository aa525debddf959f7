import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

let cached: string | undefined

/** The folder holding package.json, `content/` and `seeds/`, found from this file (works from src/ and dist/src/). */
export function packageRoot(): string {
  if (cached) return cached
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'content'))) return (cached = dir)
    const up = dirname(dir)
    if (up === dir) throw new Error('kepu: cannot find the package root (package.json beside content/)')
    dir = up
  }
}
