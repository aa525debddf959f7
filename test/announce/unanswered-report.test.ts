import { describe, expect, it } from 'vitest'
import { groupUnanswered } from '../../src/announce/unanswered-report.js'
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
})
