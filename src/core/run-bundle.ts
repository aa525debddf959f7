import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, dirname, join } from 'node:path'
import { Script } from 'node:vm'

/** What runBundle needs to know. */
export interface RunBundleOptions {
  /** The CommonJS bundle; it must export `main(): Promise<void>`. */
  file: string
  /** The bundle is stale (not run) when this file is newer: the build info of the compiler that wrote dist/. */
  builtAfter?: string
  /** The folder for the compiled code kept between runs (undefined: no code cache). */
  cacheDir?: string
}

/** How a run went, for tests and for KEPU_DEBUG. */
export interface BundleRun {
  /** The code cache was read and V8 accepted it. */
  cacheUsed: boolean
  /** A new code cache was written after the run. */
  cacheWritten: boolean
}

/** The CommonJS module wrapper, as Node's own loader wraps a file. */
const wrap = (source: string): string => `(function (exports, require, module, __filename, __dirname) { ${source}\n});`

/**
 * Runs a one-file CommonJS bundle with a V8 code cache: the bytecode of every function the last run
 * compiled is kept in `cacheDir` and handed back to V8, which then neither parses nor compiles them again.
 * Node 20 has no compile cache for ES modules (Node 22's `module.enableCompileCache`), and for a one-shot
 * command such as `kepu ask` loading and compiling ~300 module files is most of the process's time.
 *
 * Returns undefined (and runs nothing) when the bundle is missing or older than `builtAfter`, so the
 * caller falls back to the ES modules; a cache V8 rejects (another Node, other flags) is replaced after
 * the run; a cache that cannot be written only costs the next run its compile.
 */
export async function runBundle(options: RunBundleOptions): Promise<BundleRun | undefined> {
  let source: string
  let cacheFile: string | undefined
  const prefix = prefixOf(options.file)
  try {
    const stat = statSync(options.file)
    if (options.builtAfter !== undefined && statSync(options.builtAfter).mtimeMs > stat.mtimeMs) return undefined
    source = readFileSync(options.file, 'utf8')
    if (options.cacheDir !== undefined) {
      const key = `${stat.size}-${Math.trunc(stat.mtimeMs)}-${process.version}-${process.arch}`
      cacheFile = join(options.cacheDir, `${prefix}${key}.bin`)
    }
  } catch {
    return undefined
  }
  let cachedData: Buffer | undefined
  if (cacheFile !== undefined) {
    try {
      cachedData = readFileSync(cacheFile)
    } catch {
      // No cache yet: this run compiles and writes one.
    }
  }
  const script = new Script(wrap(source), { filename: options.file, cachedData })
  const cacheUsed = cachedData !== undefined && !script.cachedDataRejected
  const module = { exports: {} as { main?: () => Promise<void> } }
  const run = script.runInThisContext() as (...args: unknown[]) => void
  run.call(module.exports, module.exports, createRequire(options.file), module, options.file, dirname(options.file))
  if (typeof module.exports.main !== 'function') throw new Error(`${options.file} exports no main()`)
  await module.exports.main()
  // After the run, so the cache holds the functions this command compiled, not only the top level.
  const cacheWritten = !cacheUsed && cacheFile !== undefined && save(cacheFile, prefix, script.createCachedData())
  return { cacheUsed, cacheWritten }
}

/** The file name prefix of a bundle's caches (its base name), so older caches of it can be removed. */
const prefixOf = (file: string): string => `${basename(file).replace(/\.c?js$/u, '')}-`

/** Writes a cache (whole or not at all) and removes the bundle's older ones. */
function save(file: string, prefix: string, data: Buffer): boolean {
  try {
    const dir = dirname(file)
    mkdirSync(dir, { recursive: true })
    const name = file.slice(dir.length + 1)
    for (const old of readdirSync(dir)) if (old.startsWith(prefix) && old !== name) rmSync(join(dir, old), { force: true })
    const tmp = `${file}.${process.pid}.tmp`
    writeFileSync(tmp, data)
    renameSync(tmp, file)
    return true
  } catch {
    return false
  }
}
