import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Command } from 'commander'
import { afterEach, beforeEach, vi } from 'vitest'
import { runCli } from '../../src/commands/run-cli.js'

/** What a CLI test sees: a fresh data directory, and what the commands wrote. */
export interface CliHarness {
  /** The data directory of the current test (KEPU_DATA_DIR). */
  readonly dir: string
  readonly out: string[]
  readonly err: string[]
  /** Runs `kepu <args>` in process, through runCli like bin/kepu.js; returns what this call wrote to stdout. */
  kepu(...args: string[]): Promise<string>
}

/**
 * Registers, for the test file, a fresh data directory per test (with `env` stubbed in), stdout and stderr
 * captured, and the exit code reset; `kepu(...)` runs the given commands' `register` functions.
 */
export function cliHarness(prefix: string, registers: Array<(program: Command) => void>, env: Record<string, string> = {}): CliHarness {
  const state = { dir: '', out: [] as string[], err: [] as string[] }
  beforeEach(() => {
    state.dir = mkdtempSync(join(tmpdir(), prefix))
    vi.stubEnv('KEPU_DATA_DIR', state.dir)
    vi.stubEnv('KEPU_ADAPTERS', '')
    for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v)
    state.out = []
    state.err = []
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (state.out.push(String(s)), true))
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => (state.err.push(String(s)), true))
    process.exitCode = undefined
  })
  afterEach(() => {
    vi.restoreAllMocks()
    vi.unstubAllEnvs()
    process.exitCode = undefined
    rmSync(state.dir, { recursive: true, force: true })
  })
  return {
    get dir() {
      return state.dir
    },
    get out() {
      return state.out
    },
    get err() {
      return state.err
    },
    async kepu(...args: string[]) {
      // Each call returns only what it wrote.
      state.out.length = 0
      const program = new Command('kepu').exitOverride()
      for (const register of registers) register(program)
      await runCli(program, ['node', 'kepu', ...args])
      return state.out.join('')
    },
  }
}
