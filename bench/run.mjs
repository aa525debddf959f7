#!/usr/bin/env node
// `npm run bench`: runs every bench/<part>.mjs (after `npm run build`) and prints one Markdown report.
// Each part exports `title` and `async run()` that returns Markdown lines. `npm run bench -- fraud` runs one part.
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const only = process.argv.slice(2)
const parts = readdirSync(here)
  .filter((n) => n.endsWith('.mjs') && n !== 'run.mjs')
  .sort()
  .filter((n) => only.length === 0 || only.includes(n.replace(/\.mjs$/, '')))

console.log(`# kepu-bot benchmarks\n\nnode ${process.version}, ${process.platform}/${process.arch}, ${new Date().toISOString()}\n`)
let failed = 0
for (const name of parts) {
  const mod = await import(pathToFileURL(join(here, name)).href)
  console.log(`## ${mod.title ?? name}\n`)
  try {
    const lines = await mod.run()
    console.log(lines.join('\n') + '\n')
  } catch (err) {
    failed++
    console.log(`failed: ${err instanceof Error ? err.stack : String(err)}\n`)
  }
}
process.exit(failed ? 1 : 0)
