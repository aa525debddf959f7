import { describe, expect, it } from 'vitest'
import { cliHarness } from '../helpers/cli-harness.js'
import { register } from '../../src/commands/admin.js'
import { register as registerData } from '../../src/commands/data.js'
import { hashSecret } from '../../src/console/auth.js'
import { consoleStoreOf } from '../../src/store/sql/console-store-sql.js'
import { openStore } from '../../src/store/sql/open-store.js'

const cli = cliHarness('kepu-admin-', [register, registerData], { KEPU_ADMINS: 'telegram:1001', KEPU_HTTP_PORT: '8099' })
const kepu = cli.kepu

describe('kepu admin link', () => {
  it('prints a one-time URL on the HTTP host and port; the store keeps only the hash, usable once', async () => {
    const text = await kepu('admin', 'link', '--user', 'telegram:1001')
    expect(process.exitCode).toBeUndefined()
    const m = /^http:\/\/127\.0\.0\.1:8099\/admin\/login\?token=([A-Za-z0-9_-]{43})\n$/.exec(text)
    expect(m).not.toBeNull()
    expect(cli.err.join('')).toContain('10 minutes')
    const store = await openStore({ dataDir: cli.dir })
    try {
      const s = consoleStoreOf(store)!
      expect(await s.useLoginToken(m![1]!, new Date())).toBeUndefined()
      expect(await s.useLoginToken(hashSecret(m![1]!), new Date())).toBe('telegram:1001')
    } finally {
      await store.close()
    }
  })

  it('refuses a user who is not in KEPU_ADMINS (exit 2, one line)', async () => {
    expect(await kepu('admin', 'link', '--user', 'telegram:2002')).toBe('')
    expect(process.exitCode).toBe(2)
    expect(cli.err.join('')).toContain('telegram:2002 is not in KEPU_ADMINS')
  })
})

describe('kepu data purge --user: the console part', () => {
  it("deletes the resident's handoff messages and says how many", async () => {
    const store = await openStore({ dataDir: cli.dir })
    const s = consoleStoreOf(store)!
    const th = await s.openHandoff('telegram:42', 'telegram', '42', new Date())
    await s.addHandoffMessage(th.id, { fromStaff: false, author: 'telegram:42', text: '我的电话是…', at: new Date() })
    await s.addHandoffMessage(th.id, { fromStaff: true, author: 'telegram:1001', text: '收到', at: new Date() })
    const other = await s.openHandoff('telegram:7', 'telegram', '7', new Date())
    await s.addHandoffMessage(other.id, { fromStaff: false, author: 'telegram:7', text: '你好', at: new Date() })
    await store.close()
    expect(await kepu('data', 'purge', '--user', 'telegram:42')).toMatch(/, handoff messages 2\n$/)
    const after = await openStore({ dataDir: cli.dir })
    try {
      const c = consoleStoreOf(after)!
      expect(await c.getHandoff(th.id)).toBeUndefined()
      expect(await c.handoffMessages(other.id)).toHaveLength(1)
    } finally {
      await after.close()
    }
  })
})
