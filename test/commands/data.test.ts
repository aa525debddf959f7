import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cliHarness } from '../helpers/cli-harness.js'
import { parseUserKey, register } from '../../src/commands/data.js'
import { openStore } from '../../src/store/sql/open-store.js'

const cli = cliHarness('kepu-data-', [register])
const kepu = cli.kepu

const at = new Date('2026-09-14T01:00:00Z')

describe('kepu data purge --user', () => {
  it("deletes the user's state, private-chat subscriptions, queued messages and unanswered questions, and only theirs", async () => {
    const s = await openStore({ dataDir: cli.dir })
    await s.users.set('telegram:42', { region: '东营市' })
    await s.users.set('telegram:7', { region: '乌海市' })
    await s.subscribe({ channel: 'telegram', chatId: '42', topic: 'fraud-tip', region: undefined }, at)
    await s.subscribe({ channel: 'telegram', chatId: '7', topic: 'fraud-tip', region: undefined }, at)
    const a = await s.addAnnouncement({ name: 'tip', cron: '0 8 * * *', target: { kind: 'topic', topic: 'fraud-tip' }, template: 't', createdBy: 'cli' }, at)
    await s.recordFiring(a.id, at, [{ channel: 'telegram', chatId: '42', text: '提醒', topic: 'fraud-tip' }, { channel: 'telegram', chatId: '7', text: '提醒', topic: 'fraud-tip' }], at)
    await s.recordUnanswered({ channel: 'telegram', region: undefined, text: '甲', normalized: '甲', at, userKey: 'telegram:42' })
    await s.recordUnanswered({ channel: 'telegram', region: undefined, text: '乙', normalized: '乙', at, userKey: 'telegram:7' })
    await s.close()

    const text = await kepu('data', 'purge', '--user', 'telegram:42')
    expect(process.exitCode).toBeUndefined()
    expect(text).toBe('purged telegram:42: user state 1, subscriptions 1, blocked-chat marks 0, messages to the chat anonymised 1, unanswered questions 1, service requests anonymised 0, volunteer registrations 0\n')

    const after = await openStore({ dataDir: cli.dir })
    try {
      expect(await after.users.get('telegram:42')).toBeUndefined()
      expect(await after.users.get('telegram:7')).toBeDefined()
      expect(await after.subscriptionsOf('telegram', '42')).toEqual([])
      expect(await after.subscriptionsOf('telegram', '7')).toHaveLength(1)
      expect((await after.dueRows('telegram', new Date(at.getTime() + 1), 10)).map((r) => r.chatId)).toEqual(['7'])
      expect((await after.unansweredSince(new Date(0))).map((r) => r.text)).toEqual(['乙'])
    } finally {
      await after.close()
    }
  })

  it('removes the terminal history for a console user', async () => {
    writeFileSync(join(cli.dir, 'console-history'), '我的问题\n')
    expect(await kepu('data', 'purge', '--user', 'console:local')).toContain('console history removed')
    expect(existsSync(join(cli.dir, 'console-history'))).toBe(false)
  })

  it('refuses a --user that is not channel:userId, in one line with exit code 2', async () => {
    await kepu('data', 'purge', '--user', '42')
    expect(process.exitCode).toBe(2)
    expect(cli.err.join('')).toMatch(/^kepu data: --user "42": expected channel:userId/)
    expect(cli.err.join('').trim().split('\n')).toHaveLength(1)
    expect(() => parseUserKey('telegram:')).toThrow(/channel:userId/)
    expect(() => parseUserKey('telegram:1 2')).toThrow(/channel:userId/)
    expect(parseUserKey(' wechat:wxid_abc ')).toEqual({ key: 'wechat:wxid_abc', channel: 'wechat', userId: 'wxid_abc' })
  })
})
