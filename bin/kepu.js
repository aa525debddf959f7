#!/usr/bin/env node
// The `kepu` command: runs the compiled CLI (built by `npm install` through the `prepare` script).
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

const dist = (path) => fileURLToPath(new URL(`../dist/${path}`, import.meta.url))
const cli = dist('src/cli.js')
if (!existsSync(cli)) {
  process.stderr.write('kepu: the build is missing; run `npm run build` (npm install does it for you).\n')
  process.exit(2)
}
// `kepu ask` is a one-shot process, so it runs from one bundled file whose compiled code is kept between
// runs (about half its time is otherwise spent loading modules). KEPU_BUNDLE=0 runs the ES modules instead.
const command = process.argv.slice(2).find((a) => !a.startsWith('-'))
let bundled
if (command === 'ask' && process.env.KEPU_BUNDLE !== '0') {
  const { runBundle } = await import(pathToFileURL(dist('src/core/run-bundle.js')).href)
  const { cacheDir } = await import(pathToFileURL(dist('src/core/cache-dir.js')).href)
  // Undefined when the bundle is missing or older than the last compile (`tsc` alone): then the modules run.
  bundled = await runBundle({ file: dist('kepu-ask.cjs'), builtAfter: dist('.tsbuildinfo'), cacheDir: `${cacheDir()}/code` })
}
if (bundled === undefined) await import(pathToFileURL(cli).href)
else {
  // `ask` is done and keeps nothing open (no store, no timers): leave once stdout is written rather than
  // wait for the event loop's last file handles to close (~12 ms of a ~200 ms process).
  const leave = () => process.exit()
  if (process.stdout.writableLength > 0) process.stdout.once('drain', leave)
  else leave()
}
