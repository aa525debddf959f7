import { errorCode } from '../../src/core/errors.js'
import type { Logger } from '../../src/core/logger.js'

/** Calls one Bot API method (the adapter's request with its timeout). */
export type BotApiCall = (method: 'getChatMember', payload: Record<string, unknown>) => Promise<unknown>

/** A group or supergroup id: negative digits. Private chats (positive) have no admins. */
const GROUP_ID = /^-[1-9]\d{0,19}$/
/** A user id: positive digits, as the mapper validated it. */
const USER_ID = /^[1-9]\d{0,19}$/

/** The ChatMember statuses that may manage the group. */
const ADMIN_STATUSES = new Set(['creator', 'administrator'])

/**
 * Asks Telegram whether a user administers a group (getChatMember). Anything odd — not a group id, a
 * malformed user id, an error, an unexpected answer — is `false`, never an exception: a permission is
 * granted only on Telegram's explicit word.
 */
export async function isTelegramGroupAdmin(call: BotApiCall, chatId: string, userId: string, log: Logger): Promise<boolean> {
  if (!GROUP_ID.test(chatId) || !USER_ID.test(userId)) return false
  try {
    const member = (await call('getChatMember', { chat_id: chatId, user_id: Number(userId) })) as { status?: unknown; user?: { id?: unknown } } | undefined
    if (member?.user?.id !== undefined && String(member.user.id) !== userId) return false
    return typeof member?.status === 'string' && ADMIN_STATUSES.has(member.status)
  } catch (err) {
    log.warn({ code: errorCode(err) }, 'telegram: getChatMember failed; not treated as an admin')
    return false
  }
}
