import { describe, expect, it } from 'vitest'
import { hasOpenBracket, looksLikeHeading, splitBlocks, stripMarkup } from '../../src/knowledge/plan-lines.js'

describe('splitBlocks', () => {
  it('rejoins a sentence cut by a page break, even across a blank line', () => {
    const blocks = splitBlocks('**2. 推进科学家精神进校园行动。**利用科普大讲堂、流动科技馆\n\n进校园等活动，激励青少年。\n')
    expect(blocks).toEqual([{ kind: 'para', text: '2. 推进科学家精神进校园行动。利用科普大讲堂、流动科技馆进校园等活动，激励青少年。' }])
  })

  it('keeps a heading apart from the text under it', () => {
    const blocks = splitBlocks('青少年科学素质提升行动\n1.任务\n全面提升青少年科学素质水平，增强兴趣。')
    expect(blocks.map((b) => (b.kind === 'para' ? b.text : 'table'))).toEqual(['青少年科学素质提升行动', '1.任务', '全面提升青少年科学素质水平，增强兴趣。'])
  })

  it('ends a paragraph at a 牵头部门 line and keeps a cut unit note together', () => {
    const blocks = splitBlocks('牵头部门：教育局\n老年人科学素质提升行动\n开展活动。〔市卫体局牵头,市民政局、\n市科协等单位配合〕')
    expect(blocks.map((b) => (b.kind === 'para' ? b.text : 'table'))).toEqual(['牵头部门：教育局', '老年人科学素质提升行动', '开展活动。〔市卫体局牵头,市民政局、市科协等单位配合〕'])
  })

  it('reads a tab-flattened table: a cell per tab, untabbed lines continue it, a blank line ends the row', () => {
    const blocks = splitBlocks('\t行动\n\t内容\n\t单位\n\n\t青少年行动\n\t开展科学实验秀。\n\t市教体局\n市科协\n\n正文继续。')
    expect(blocks[0]).toEqual({ kind: 'table', rows: [['行动', '内容', '单位'], ['青少年行动', '开展科学实验秀。', '市教体局\n市科协']] })
    expect(blocks[1]).toEqual({ kind: 'para', text: '正文继续。' })
  })
})

describe('line helpers', () => {
  it('strips Markdown marks and ideographic spaces', () => {
    expect(stripMarkup('#### **四、重点工程**\u3000')).toBe('四、重点工程')
    expect(stripMarkup('---')).toBe('')
  })
  it('tells headings from sentences', () => {
    expect(looksLikeHeading('实施农区居民科学素质行动。')).toBe(true)
    expect(looksLikeHeading('到2025年，全市比例达到16%。')).toBe(false)
    expect(looksLikeHeading('市科协等单位配合〕')).toBe(false)
  })
  it('sees an unclosed bracket', () => {
    expect(hasOpenBracket('开展活动。〔市卫体局牵头')).toBe(true)
    expect(hasOpenBracket('（一）目标')).toBe(false)
  })
})
