import { describe, expect, it } from 'vitest'
import { formatUnansweredDigest, groupUnanswered } from '../../src/announce/unanswered-report.js'
import type { UnansweredQuestion } from '../../src/store/async-store.js'

const at = (min: number) => new Date(Date.UTC(2026, 4, 5, 2, min))
const row = (over: Partial<UnansweredQuestion>): UnansweredQuestion => ({ channel: 'telegram', region: '东营市', text: '防灾减灾日是哪天', normalized: '防灾减灾日是哪天', at: at(0), ...over })

describe('groupUnanswered with 没用 rows (the feedback skill)', () => {
  it('counts them with the declined askings of the same question and lists each answer shown and comment, newest first', () => {
    const groups = groupUnanswered([
      row({ asker: 'a' }),
      row({ asker: 'b', at: at(1), answer: '5月12日', comment: '没说几点' }),
      row({ asker: 'c', at: at(2), answer: '5月12日。' }),
      row({ asker: 'd', text: '火星上有人吗', normalized: '火星上有人吗' }),
    ])
    expect(groups[0]).toMatchObject({ text: '防灾减灾日是哪天', users: 3, count: 3 })
    expect(groups[0]!.unhelpful).toEqual([
      { answer: '5月12日。', at: at(2) },
      { answer: '5月12日', comment: '没说几点', at: at(1) },
    ])
    expect(groups[1]).not.toHaveProperty('unhelpful')
  })

  it('the weekly digest says 没能回答或居民说没用 and how many askings of a question were 没用', () => {
    const digest = formatUnansweredDigest(
      groupUnanswered([row({ asker: 'a' }), row({ asker: 'b', at: at(1), answer: '5月12日' }), row({ asker: 'd', text: '火星上有人吗', normalized: '火星上有人吗' })]),
    )
    expect(digest).toBe('近期有 3 个问题没能回答或居民说没用（2 类），问的人最多的：\n1. 防灾减灾日是哪天（2 人，2 次，东营市，1 次说没用）\n2. 火星上有人吗（1 人，1 次，东营市）')
  })
})
