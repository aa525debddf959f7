import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Reply } from '../../src/core/reply.js'
import { ADMIN_A, loginWith, startHarness, type Harness } from './console-harness.js'

let t: Harness
beforeAll(async () => {
  t = await startHarness()
})
afterAll(async () => {
  await t.close()
})

let nextUser = 3100
async function chat(texts: string[]): Promise<Reply[]> {
  const userId = String(nextUser++)
  const out: Reply[] = []
  for (const text of texts) {
    t.clock.advance(1000)
    out.push(await t.app.bot.handle({ channel: 'telegram', chatId: userId, userId, isGroup: false, mentioned: true, forwarded: false, text }))
  }
  return out
}

describe('概览: residents’ feedback', () => {
  it('shows 有用 and 没用 of the last 14 days; a verdict is not counted as a question', async () => {
    const [a, thanks] = await chat(['防灾减灾日是哪天', '1'])
    expect(a!.feedback).toBeDefined()
    expect(thanks!.intent).toBe('feedback')
    await chat(['防灾减灾日是哪天', '2', '没写几点'])
    await chat(['世界地球日是哪天', '2', '0'])
    // An older count outside the 14 days is left out.
    await t.store.countFeedback('2026-11-01', 'useful')
    const { cookie } = await loginWith(await t.link(ADMIN_A))
    const html = await (await fetch(`${t.base}/admin/`, { headers: { cookie: cookie! } })).text()
    expect(html).toContain('近 14 天居民对回答的反馈：有用 <strong>1</strong> 次，没用 <strong>2</strong> 次')
    expect(html).toContain('每天的反馈（近 14 天）')
    expect(html).toMatch(/12-02：3（有用1）/u)
    // Three questions were asked: the verdicts and the comment are not questions.
    expect(html).toContain('近 14 天共 <strong>3</strong> 个问题')
  })
})
