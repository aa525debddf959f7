import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { cardFromForm, cardsYaml, newCardId } from '../../src/console/staff-cards.js'
import { cardFileSchema } from '../../src/kepu/card-schema.js'
import type { StaffContentRow } from '../../src/store/console-store.js'

const REGIONS = ['东营市', '乌海市']
const FORM = {
  category: '健康',
  topic: '冬季泡脚',
  questions: '冬天泡脚水温多少合适\n 糖尿病人能泡脚吗 \n\n',
  keywords: '泡脚，水温、 糖尿病',
  answer: '泡脚水温在40℃左右、不超过45℃为宜，时间15到20分钟。糖尿病人脚部感觉差，容易烫伤，要先用手肘试水温或请家人帮忙。',
  elder: '泡脚水别太烫，40度左右，泡一刻钟就好。',
  steps: '先用手肘试水温\n泡15到20分钟\n擦干后涂润肤霜',
  org: '国家卫生健康委',
  title: '《老年人健康核心信息》',
  year: '2023',
}
const form = (extra: Record<string, string | string[]> = {}): URLSearchParams => {
  const f = new URLSearchParams()
  for (const [k, v] of Object.entries({ ...FORM, ...extra })) for (const x of [v].flat()) f.append(k, x)
  return f
}

describe('the card form', () => {
  it("gives the card as the files' schema reads it: lines, words, the year a number, today when no review date", () => {
    const r = cardFromForm(form({ regions: ['乌海市'] }), REGIONS, 'staff-abc', '2026-12-02')
    expect('card' in r && r.card).toEqual({
      id: 'staff-abc',
      category: '健康',
      topic: '冬季泡脚',
      questions: ['冬天泡脚水温多少合适', '糖尿病人能泡脚吗'],
      keywords: ['泡脚', '水温', '糖尿病'],
      answer: FORM.answer,
      elder: FORM.elder,
      steps: ['先用手肘试水温', '泡15到20分钟', '擦干后涂润肤霜'],
      source: { org: '国家卫生健康委', title: '《老年人健康核心信息》', year: 2023 },
      reviewed: '2026-12-02',
      regions: ['乌海市'],
    })
  })

  it.each([
    [{ topic: '' }, '主题：不能空着'],
    [{ topic: '冬'.repeat(21) }, '主题：最多 20 字'],
    [{ elder: '短'.repeat(81) }, '长辈模式的回答：81 字，最多 80 字'],
    [{ steps: ['一二', '三'.repeat(41)].join('\n') }, '步骤：（第 2 条）41 字，最多 40 字'],
    [{ steps: Array.from({ length: 9 }, (_, i) => `第${i}步骤`).join('\n') }, '步骤：最多 8 步'],
    [{ category: '天文' }, '分类：请从列表中选择'],
    [{ org: '' }, '来源：发布机构：至少 2 个字'],
    [{ questions: '绿萝\n好' }, '居民的问法：（第 2 条）至少 2 个字'],
    [{ title: '' }, '来源：文件或页面标题：至少 2 个字'],
    [{ year: '' }, '来源：年份：请写四位年份，如 2024'],
    [{ year: '1066' }, '来源：年份：请写四位年份，如 2024'],
    [{ reviewed: '12/01/2026' }, '核对日期：日期格式应为 2026-12-01'],
    [{ claim: '泡脚能治百病' }, '谣言的说法：只有辟谣卡片才写谣言的说法'],
    [{ verdict: '谣言' }, '结论：只有辟谣卡片才选结论'],
    [{ regions: '北京市' }, '适用地区：「北京市」不在地区列表里'],
  ])('%j → %s', (extra, message) => {
    const r = cardFromForm(form(extra), REGIONS, 'staff-abc', '2026-12-02')
    expect('errors' in r && r.errors).toEqual([message])
  })

  it('makes ids the schema accepts and no file uses', () => {
    const id = newCardId()
    expect(id).toMatch(/^staff-[0-9a-f]{10}$/)
    expect(newCardId()).not.toBe(id)
  })
})

describe('cards as YAML', () => {
  it('exports the active cards as a content/kepu file its schema reads back unchanged', () => {
    const r = cardFromForm(form(), REGIONS, 'staff-abc', '2026-12-02')
    if (!('card' in r)) throw new Error('expected a card')
    const row = (id: number, status: 'active' | 'withdrawn', card: object): StaffContentRow => ({ id, kind: 'card', itemId: `staff-${id}`, body: JSON.stringify(card), status, createdBy: 'telegram:1', createdAt: new Date(0), updatedAt: new Date(0) })
    const text = cardsYaml([row(1, 'active', r.card), row(2, 'withdrawn', { ...r.card, id: 'staff-gone', topic: '撤下的' })])
    expect(text).not.toContain('撤下的')
    const { load } = createRequire(import.meta.url)('js-yaml') as typeof import('js-yaml')
    expect(cardFileSchema.parse(load(text))).toEqual({ cards: [r.card] })
  })
})
