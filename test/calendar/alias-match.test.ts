import { describe, expect, it } from 'vitest'
import { containsWithinOneEdit, createAliasMatcher } from '../../src/calendar/alias-match.js'

const match = createAliasMatcher([
  { names: ['全国防灾减灾日', '防灾减灾日'], value: 'disaster' },
  { names: ['国际减灾日'], value: 'idr' },
  { names: ['中国农民丰收节', '丰收节'], value: 'harvest' },
  { names: ['全国科技活动周', '科技活动周'], value: 'week' },
  { names: ['全国科普日'], value: 'day' },
  { names: ['全国科普月'], value: 'month' },
])

describe('createAliasMatcher', () => {
  it.each([
    ['防灾减灾日是哪天', 'disaster', true],
    ['国际减灾日是哪天', 'idr', true],
    ['农民丰收节今年是哪天', 'harvest', true],
    ['科普日什么时候', 'day', true],
    ['科普月', 'month', true],
    ['“全国科普日”', 'day', true],
    ['防震减灾日', 'disaster', false],
    ['科技活动用是哪天', undefined, false],
  ] as const)('%s → %s', (text, value, exact) => {
    const hit = match(text)
    expect(hit?.value).toBe(value)
    if (hit) expect(hit.exact).toBe(exact)
  })

  it('does not read 科技活动 as 科技活动周 nor 减灾日 (a part of 防灾减灾日) as 国际减灾日', () => {
    expect(match('这周末有什么科技活动')).toBeUndefined()
    expect(match('减灾日是哪天')).toBeUndefined()
  })
})

describe('containsWithinOneEdit', () => {
  it.each([
    ['防震减灾日', '防灾减灾日', true],
    ['防灾减日', '防灾减灾日', true],
    ['防灾减灾灾日', '防灾减灾日', true],
    ['防灾日', '防灾减灾日', false],
    ['科技活动', '科技活动周', false],
  ] as const)('%s ~ %s: %s', (text, key, want) => expect(containsWithinOneEdit(text, key)).toBe(want))
})
