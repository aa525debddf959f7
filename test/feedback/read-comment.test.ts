import { describe, expect, it } from 'vitest'
import { readComment, type CommentReading } from '../../src/feedback/read-comment.js'

describe('readComment: what the message after 「哪里不对或缺了什么？」 is', () => {
  it.each<[string, CommentReading]>([
    ['0', 'skip'],
    ['跳过', 'skip'],
    ['算了。', 'skip'],
    ['没说具体时间', 'comment'],
    ['太笼统了', 'comment'],
    ['不对', 'comment'],
    ['答非所问', 'comment'],
    ['日期写错了吧？', 'comment'],
    ['缺了报名方式', 'comment'],
    ['我想问的是哪个部门牵头', 'comment'],
    ['希望能写上电话', 'comment'],
    ['信息是去年的', 'comment'],
    ['东营2025年科学素质目标是多少', 'other'],
    ['防灾减灾日是哪天', 'other'],
    ['这周末有活动吗', 'other'],
    ['3', 'other'],
    ['/help', 'other'],
    ['说'.repeat(121), 'other'],
  ])('%s → %s', (text, reading) => {
    expect(readComment(text, { forwarded: false })).toBe(reading)
  })

  it('follows the router: thanks, a region, a menu word are not remarks; a correction is a remark and a question', () => {
    expect(readComment('谢谢', { intent: 'smalltalk', forwarded: false })).toBe('other')
    expect(readComment('我家在利津', { intent: 'region', forwarded: false })).toBe('other')
    expect(readComment('不对，我想问的是重点工程', { intent: 'plan', followUp: { kind: 'correction' }, forwarded: false })).toBe('comment-and-answer')
    expect(readComment('没说清楚', { forwarded: true })).toBe('other')
  })
})
