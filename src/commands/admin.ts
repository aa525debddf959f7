import type { Command } from 'commander'
import { AdminList } from '../announce/admins.js'
import { consoleBaseUrl, createLoginLink, LOGIN_LINK_TTL_MS } from '../console/auth.js'
import { InputError } from '../core/errors.js'
import { loadConfig } from '../config.js'
import { openConfiguredStore } from '../store/open-configured-store.js'
import { consoleStoreOf } from '../store/sql/console-store-sql.js'
import { parseUserKey } from './data.js'

/**
 * `kepu admin link --user telegram:123`: prints a one-time login URL for the staff console
 * (`http://HOST:PORT/admin/login?token=…`, good for 10 minutes, once) for an admin named in KEPU_ADMINS.
 * The store keeps only the token's hash.
 */
export function register(program: Command): void {
  const admin = program.command('admin').description('the staff web console (docs/staff.md)')
  admin
    .command('link')
    .description('print a one-time login link to the staff console for an admin in KEPU_ADMINS (10 minutes, single use)')
    .requiredOption('--user <channel:userId>', 'the admin, e.g. telegram:123456789')
    .action(async (opts: { user: string }) => {
      const user = parseUserKey(opts.user)
      const config = loadConfig()
      if (!AdminList.parse(config.KEPU_ADMINS.join(',')).has(user.channel, user.userId)) {
        throw new InputError(`admin link: ${user.key} is not in KEPU_ADMINS`)
      }
      const store = await openConfiguredStore(config)
      try {
        const consoleStore = consoleStoreOf(store)
        if (!consoleStore) throw new InputError('admin link: the store does not support the console')
        const url = await createLoginLink(consoleStore, user.key, consoleBaseUrl(config.KEPU_HTTP_HOST, config.KEPU_HTTP_PORT ?? 8080), new Date())
        process.stdout.write(`${url}\n`)
        process.stderr.write(`valid for ${LOGIN_LINK_TTL_MS / 60_000} minutes, once; open it on the machine that can reach the console\n`)
      } finally {
        await store.close()
      }
    })
}
