#!/usr/bin/env node
// The `kepu` command: runs the compiled CLI (built by `npm install` through the `prepare` script).
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

const cli = fileURLToPath(new URL('../dist/src/cli.js', import.meta.url))
if (!existsSync(cli)) {
  process.stderr.write('kepu: the build is missing; run `npm run build` (npm install does it for you).\n')
  process.exit(2)
}
await import(pathToFileURL(cli).href)
