// Builds dist/kepu-ask.cjs, the one-shot bundle of `kepu ask` (src/cli-ask.ts and every module it
// needs, packages included, in one CommonJS file), after `tsc` has built dist/. bin/kepu.js runs it with a
// V8 code cache (src/core/run-bundle.ts); every other command runs the ES modules. `npm run build` and
// `npm install` (the `prepare` script) run this.
import { build } from 'esbuild'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const { parserStamp } = await import(pathToFileURL(`${root}dist/src/knowledge/load-plans.js`).href)

await build({
  entryPoints: [`${root}dist/src/cli-ask.js`],
  outfile: `${root}dist/kepu-ask.cjs`,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Strings as \u escapes (the default), which keeps the file small to decode; regular expressions stay as written.
  charset: 'ascii',
  minifyWhitespace: true,
  // Native addons (and the store's drivers, which `ask` does not open) stay in node_modules.
  external: ['@node-rs/*', 'better-sqlite3', 'pg', 'pg-native'],
  // Module-relative paths (createRequire, the package root) resolve from the bundle's own place in dist/.
  define: { 'import.meta.url': '__kepu_bundle_url', __KEPU_PARSER_STAMP__: JSON.stringify(parserStamp() ?? null) },
  banner: { js: 'const __kepu_bundle_url = require("node:url").pathToFileURL(__filename).href;' },
  logLevel: 'warning',
})
