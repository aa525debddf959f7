import { register } from './commands/ask.js'
import { kepuProgram, runCli } from './commands/run-cli.js'

/**
 * `kepu ask` on its own: the entry of the one-shot bundle `dist/kepu-ask.cjs` (built by bin/bundle.mjs), which
 * bin/kepu.js runs with a V8 code cache when the command is `ask`. The same command as src/cli.ts registers,
 * so the same output; only its modules come from one file whose compiled code is kept between runs.
 */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  const program = kepuProgram()
  register(program)
  await runCli(program, argv)
}
