import { existsSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Command } from 'commander'
import { loadConfig } from '../config.js'
import { InputError } from '../core/errors.js'
import { openConfiguredStore } from '../store/open-configured-store.js'
import type { PurgeCounts } from '../store/async-store.js'
import { DRAFT_KEY } from '../requests/requests-handler.js'
import { CONSOLE_HISTORY_FILE } from './chat.js'
import { consoleStoreOf } from '../store/sql/console-store-sql.js'

/** `channel:userId` as the bot keys users: telegram:123456789, wechat:wxid_abc, console:local. */
const USER_KEY = /^([a-z][a-z0-9_-]{0,31}):(\S{1,256})$/

/** Checks a `--user` value; the message says what is expected. */
export function parseUserKey(value: string): { key: string; channel: string; userId: string } {
  const m = USER_KEY.exec(value.trim())
  if (!m) throw new InputError(`--user ${JSON.stringify(value)}: expected channel:userId, e.g. telegram:123456789 or wechat:wxid_abc`)
  return { key: `${m[1]}:${m[2]}`, channel: m[1]!, userId: m[2]! }
}

/** One line saying what was removed. */
export function describePurge(key: string, counts: PurgeCounts, historyRemoved: boolean): string {
  const parts = [
    `user state ${counts.users}`,
    `subscriptions ${counts.subscriptions}`,
    `blocked-chat marks ${counts.blockedChats}`,
    `messages to the chat anonymised ${counts.outbox}`,
    `unanswered questions ${counts.unanswered}`,
    `service requests anonymised ${counts.serviceRequests}`,
    `volunteer registrations ${counts.volunteers}`,
    ...(historyRemoved ? ['console history removed'] : []),
  ]
  return `purged ${key}: ${parts.join(', ')}`
}

/**
 * `kepu data purge --user <channel:userId>`: a resident's right to erasure. Deletes from the store in
 * KEPU_DATA_DIR, in one transaction, the user's state, the subscriptions and block of their private chat,
 * the messages queued to it (cancelled; every row to it keeps no chat id or text), the unanswered
 * questions they asked, the contact and place of their 科技志愿服务 requests (number, service, status and
 * rating stay for statistics) and their volunteer registration. For a console user the terminal's line
 * history goes too.
 */
export function register(program: Command): void {
  const data = program.command('data').description('personal data kept by the bot (docs/operations.md)')
  data
    .command('purge')
    .description("delete a user's stored data: state, private-chat subscriptions, messages queued to them, unanswered questions they asked, service-request contacts, volunteer registration")
    .requiredOption('--user <channel:userId>', 'the user, e.g. telegram:123456789 or wechat:wxid_abc')
    .action(async (opts: { user: string }) => {
      const user = parseUserKey(opts.user)
      const config = loadConfig()
      const store = await openConfiguredStore(config)
      let counts: PurgeCounts
      let handoff: number
      try {
        counts = await store.purgeUser(user.key)
        handoff = (await consoleStoreOf(store)?.purgeHandoffs(user.key)) ?? 0
        // An unfinished 点单 or volunteer dialogue may hold a phone number (kept 30 minutes at most).
        await store.deleteValue(DRAFT_KEY(user.key))
      } finally {
        await store.close()
      }
      let historyRemoved = false
      const history = join(resolve(config.KEPU_DATA_DIR), CONSOLE_HISTORY_FILE)
      if (user.channel === 'console' && existsSync(history)) {
        rmSync(history, { force: true })
        historyRemoved = true
      }
      process.stdout.write(`${describePurge(user.key, counts, historyRemoved)}${handoff ? `, handoff messages ${handoff}` : ''}\n`)
    })
}
