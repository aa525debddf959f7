import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runBundle } from '../../src/core/run-bundle.js'

/** A bundle as esbuild writes one: CommonJS, exporting main(), with text outside ASCII in a string and a regular expression. */
const BUNDLE = `"use strict";
const path = require("node:path");
const TITLE = /^(?<region>[\\u4e00-\\u9fa5]{2,6}?市)全民科学素质/u;
module.exports.main = async () => {
  const m = TITLE.exec("东营市全民科学素质行动规划纲要实施方案");
  globalThis.__runBundleTest = { region: m && m.groups.region, greeting: "你好", dir: path.basename(__dirname), self: module.exports === exports };
};
`

const runner = join(__dirname, '../../src/core/run-bundle.ts')

/**
 * runBundle in a process of its own, as bin/kepu.js runs it: V8 keeps what one process compiled, so a
 * second Script of the same source in this process would not even look at the cache.
 */
function runInChild(file: string, cacheDir: string): unknown {
  const code = `import { runBundle } from ${JSON.stringify(runner)}; console.log(JSON.stringify(await runBundle(${JSON.stringify({ file, cacheDir })})))`
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', timeout: 30_000 })
  if (r.status !== 0) throw new Error(r.stderr)
  return JSON.parse(r.stdout) as unknown
}

describe('runBundle', { timeout: 60_000 }, () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kepu-run-bundle-'))
    delete (globalThis as { __runBundleTest?: unknown }).__runBundleTest
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))
  const result = () => (globalThis as { __runBundleTest?: Record<string, unknown> }).__runBundleTest

  it('runs main() with the module wrapper, and keeps text outside ASCII as written (regular expressions too)', async () => {
    const file = join(dir, 'app.cjs')
    writeFileSync(file, BUNDLE)
    expect(await runBundle({ file })).toEqual({ cacheUsed: false, cacheWritten: false })
    expect(result()).toEqual({ region: '东营市', greeting: '你好', dir: dir.split(/[\\/]/u).pop(), self: true })
  })

  it('writes a code cache after the first run and V8 takes it on the next', async () => {
    const file = join(dir, 'app.cjs')
    writeFileSync(file, BUNDLE)
    const cacheDir = join(dir, 'code')
    expect(runInChild(file, cacheDir)).toEqual({ cacheUsed: false, cacheWritten: true })
    expect(readdirSync(cacheDir)).toEqual([expect.stringMatching(/^app-\d+-\d+-v\d+\.\d+\.\d+-\w+\.bin$/u)])
    expect(runInChild(file, cacheDir)).toEqual({ cacheUsed: true, cacheWritten: false })
  })

  it('replaces a cache V8 rejects, and one of an older bundle', async () => {
    const file = join(dir, 'app.cjs')
    writeFileSync(file, BUNDLE)
    const cacheDir = join(dir, 'code')
    runInChild(file, cacheDir)
    const [first] = readdirSync(cacheDir)
    writeFileSync(join(cacheDir, first!), 'not a code cache')
    expect(runInChild(file, cacheDir)).toEqual({ cacheUsed: false, cacheWritten: true })
    expect(runInChild(file, cacheDir)).toEqual({ cacheUsed: true, cacheWritten: false })
    // A rebuilt bundle: its cache is new and the old one goes.
    writeFileSync(file, `${BUNDLE}// rebuilt\n`)
    expect(runInChild(file, cacheDir)).toEqual({ cacheUsed: false, cacheWritten: true })
    const after = readdirSync(cacheDir)
    expect(after).toHaveLength(1)
    expect(after[0]).not.toBe(first)
  })

  it('runs nothing when the bundle is missing or older than the last compile, so the caller runs the modules', async () => {
    const file = join(dir, 'app.cjs')
    expect(await runBundle({ file })).toBeUndefined()
    writeFileSync(file, BUNDLE)
    const info = join(dir, '.tsbuildinfo')
    writeFileSync(info, '{}')
    const past = new Date(Date.now() - 60_000)
    utimesSync(file, past, past)
    expect(await runBundle({ file, builtAfter: info })).toBeUndefined()
    expect(result()).toBeUndefined()
    utimesSync(info, new Date(past.getTime() - 60_000), new Date(past.getTime() - 60_000))
    expect(await runBundle({ file, builtAfter: info })).toBeDefined()
  })

  it('refuses a file that exports no main()', async () => {
    const file = join(dir, 'app.cjs')
    writeFileSync(file, 'module.exports.other = 1\n')
    await expect(runBundle({ file })).rejects.toThrow(/exports no main/u)
  })
})
