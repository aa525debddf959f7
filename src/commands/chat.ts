import { join, resolve } from 'node:path'
import type { Command } from 'commander'
import { createChatAdapter } from '../adapters.js'
import { createApp } from '../app.js'
import { loadConfig, type Config } from '../config.js'
import { cacheDir } from '../core/cache-dir.js'
import { createLogger } from '../core/logger.js'

/** The terminal's line history inside KEPU_DATA_DIR (kept unless KEPU_HISTORY=0; `kepu data purge --user console:…` removes it). */
export const CONSOLE_HISTORY_FILE = 'console-history'

/** `kepu chat` (what `npm start` runs): talk to the bot in the terminal. */
export function register(program: Command): void {
  program
    .command('chat')
    .description('chat with the bot in the terminal (/help for commands, /quit to leave)')
    .option('--region <name>', 'answer for this region until you name another (东营, 汕尾城区 …)')
    .option('--user <id>', 'keep the conversation under this user id', 'local')
    .action(async (opts: { region?: string; user: string }) => {
      let config: Config
      try {
        config = loadConfig()
      } catch (err) {
        process.stderr.write(`kepu chat: ${err instanceof Error ? err.message : String(err)}\n`)
        process.exitCode = 2
        return
      }
      // Only warnings reach the terminal: the conversation owns stdout.
      const logger = createLogger({ level: process.env.KEPU_LOG_LEVEL ?? 'warn', name: 'kepu-chat' })
      const app = createApp({ logger, cacheDir: cacheDir() })
      const adapter = await createChatAdapter({
        userId: opts.user,
        ...(opts.region ? { region: opts.region } : {}),
        ...(config.KEPU_HISTORY ? { historyFile: join(resolve(config.KEPU_DATA_DIR), CONSOLE_HISTORY_FILE) } : {}),
        logger,
      })
      await adapter.start((incoming) => app.bot.handle(incoming))
      const stop = (): void => void adapter.stop()
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
      await adapter.done
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
    })
}
