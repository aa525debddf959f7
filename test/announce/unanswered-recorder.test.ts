import { afterEach, describe, expect, it } from 'vitest'
import { createUnansweredRecorder, maskPersonal, normaliseQuestion } from '../../src/announce/unanswered-recorder.js'
import { formatUnansweredDigest, groupUnanswered } from '../../src/announce/unanswered-report.js'
import { createBot, type Handler } from '../../src/core/bot.js'
import { FakeClock } from '../fakes/fake-clock.js'
import { silentLogger } from '../../src/core/logger.js'
import { silentReply } from '../../src/core/reply.js'
import { openSqliteStore } from '../../src/store/sqlite-store.js'
import type { Store } from '../../src/store/store.js'

const stores: Store[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

function setup(answer: Handler) {
  const store = openSqliteStore({ file: ':memory:' })
  stores.push(store)
  const clock = new FakeClock('2026-09-14T01:00:00Z')
  const bot = createBot({
    handlers: [createUnansweredRecorder({ store }), answer],
    clock,
    logger: silentLogger,
    users: store.users,
    regions: { byName: () => undefined, findIn: () => undefined },
  })
  const ask = (text: string, isGroup = false) => bot.handle({ channel: 'telegram', chatId: '1', userId: '1', isGroup, mentioned: !isGroup, forwarded: false, text })
  return { store, ask }
}

describe('unanswered recorder', () => {
  it('records declined questions, masking numbers, and nothing else', async () => {
    const { store, ask } = setup(async (ctx, next) => (ctx.text.includes('科普日') ? { text: '9月', answered: true, intent: 'event' } : next()))
    await ask('全国科普日是哪天')
    await ask('医保卡怎么补办？我电话13812345678')
    await ask('   ')
    const rows = store.unansweredSince(new Date(0))
    expect(rows.map((r) => r.text)).toEqual(['医保卡怎么补办?我电话＊＊＊'])
  })

  it('ignores silent replies', async () => {
    const { store, ask } = setup(async () => silentReply())
    await ask('随便聊聊', true)
    expect(store.unansweredSince(new Date(0))).toEqual([])
  })

  it('groups the same question asked in different words of punctuation and particles', () => {
    const at = new Date('2026-09-14T01:00:00Z')
    const rows = ['医保卡怎么补办', '医保卡怎么补办？', '医保卡 怎么补办呢', '天气怎么样'].map((text, i) => ({
      channel: 'telegram',
      region: i === 2 ? '乌海市' : '东营市',
      text,
      normalized: normaliseQuestion(text),
      at: new Date(at.getTime() + i * 1000),
    }))
    const groups = groupUnanswered(rows)
    expect(groups.map((g) => [g.count, g.regions])).toEqual([[3, ['东营市', '乌海市']], [1, ['东营市']]])
    expect(formatUnansweredDigest(groups)).toContain('4 个问题')
    expect(formatUnansweredDigest([])).toBe('')
  })

  it('masks phone, ID and card numbers and e-mail addresses but keeps years and counts', () => {
    expect(maskPersonal('身份证 370502199001011234 邮箱 a.b@qq.com')).toBe('身份证 ＊＊＊ 邮箱 ＊＊＊')
    expect(maskPersonal('2026年有3场活动')).toBe('2026年有3场活动')
  })
})
