import type { Command } from 'commander'
import { kepuProgram, runCli } from './commands/run-cli.js'

/** A subcommand's module: src/commands/<name>.ts exports `register(program)`. */
interface CommandModule {
  register(program: Command): void
}

/**
 * COMMANDS: every subcommand by name, in the order `kepu --help` lists them. A module is imported only
 * when its command runs (each brings its own dependencies: the app, the store, the adapters' SDKs), so
 * `kepu ask` does not load what `serve` needs. Help, no command or an unknown name loads them all.
 */
const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  ask: () => import('./commands/ask.js'),
  ics: () => import('./commands/ics.js'),
  chat: () => import('./commands/chat.js'),
  serve: () => import('./commands/serve.js'),
  announce: () => import('./commands/announce.js'),
  broadcast: () => import('./commands/broadcast.js'),
  report: () => import('./commands/report.js'),
  skills: () => import('./commands/skills.js'),
  data: () => import('./commands/data.js'),
  admin: () => import('./commands/admin.js'),
  'wechat-oa': () => import('./commands/wechat-oa.js'),
  alert: () => import('./commands/alert.js'),
  requests: () => import('./commands/requests.js'),
  store: () => import('./commands/store.js'),
}

/**
 * The `kepu` command, the composition root: the only module that knows every part (adapters included).
 * `kepu` has no options of its own, so the first word that is not an option names the command.
 */
const program = kepuProgram()
const named = process.argv.slice(2).find((a) => !a.startsWith('-'))
const wanted = named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS)
for (const module of await Promise.all(wanted.map((name) => COMMANDS[name]!()))) module.register(program)

await runCli(program)
