import { Command } from 'commander'
import { errorCode, KepuError } from '../core/errors.js'

/**
 * Runs the CLI so that every command reports a problem the same way: a content, config, store or input
 * error is ONE line on stderr naming the file, item and field (the error's message) and exit code 2; any
 * other failure is one line with its code and exit 1. The stack only with KEPU_DEBUG=1.
 */
export async function runCli(program: Command, argv: readonly string[] = process.argv): Promise<void> {
  const debug = process.env.KEPU_DEBUG === '1'
  const report = (err: unknown): void => {
    const name = program.args[0] ?? ''
    const prefix = `kepu${name ? ` ${name}` : ''}`
    if (err instanceof KepuError) {
      process.stderr.write(`${prefix}: ${err.message}\n`)
      process.exitCode = 2
    } else {
      process.stderr.write(`${prefix}: internal error (${errorCode(err)}); run with KEPU_DEBUG=1 for details\n`)
      process.exitCode = 1
    }
    if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`)
  }
  try {
    await program.parseAsync([...argv])
  } catch (err) {
    report(err)
  }
}

/** The `kepu` program without its commands (src/cli.ts adds the one on the command line). */
export function kepuProgram(): Command {
  return new Command('kepu').description('科普助手: science-literacy plans, activity calendar and anti-fraud help in chat')
}
