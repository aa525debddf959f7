import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ContentError } from '../../src/core/errors.js'
import { NATIONAL, parsePlan } from '../../src/knowledge/parse-plan.js'

const seed = (name: string): string => readFileSync(join(__dirname, '../../seeds', `${name}.txt`), 'utf8')
const plan = (name: string) => parsePlan(seed(name), name)
const action = (name: string, words: string) => plan(name).actions.find((a) => a.name.includes(words))

describe('parsePlan on the five seed shapes', () => {
  it('dongying: numbered prose, leads in the heading note, units after each item', () => {
    const p = plan('dongying')
    expect(p.region).toBe('东营市')
    expect(p.title).toBe('东营市全民科学素质行动规划纲要实施方案（2021—2025年）')
    expect(p.docNumber).toBe('东政发〔2022〕10号')
    expect(p.issued).toBe('2022-09-08')
    expect(p.actions.filter((a) => a.name.endsWith('提升行动'))).toHaveLength(5)
    expect(p.actions.filter((a) => a.name.endsWith('工程'))).toHaveLength(4)
    expect(action('dongying', '老年人')?.leads).toEqual(['市民政局'])
    const target = p.passages.find((x) => x.text.includes('16-17%'))
    expect(target?.ref).toBe('二、（三）')
    const helper = p.passages.find((x) => x.title === '实施智慧助老行动')
    expect(helper?.ref).toBe('三、（四）1')
    expect(helper?.units).toContain('市委网信办')
    expect(helper?.leads).toEqual(['市民政局'])
    expect(helper?.text).not.toMatch(/按职责分工负责/)
  })

  it('wuhai: unnumbered headings, 1.任务 2.措施 3.分工 with 牵头部门 lines, —— bullets', () => {
    const p = plan('wuhai')
    expect(p.region).toBe('乌海市')
    expect(p.draft).toBe(true)
    expect(p.docNumber).toBeUndefined()
    expect(p.actions.filter((a) => /行动$/.test(a.name))).toHaveLength(5)
    expect(p.actions.filter((a) => a.name.endsWith('工程'))).toHaveLength(4)
    expect(action('wuhai', '老年人')?.leads).toEqual(['卫健委', '民政局'])
    expect(action('wuhai', '产业工人')?.leads).toEqual(['人社局', '总工会'])
    const bullet = p.passages.find((x) => x.text.includes('群众点单'))
    expect(bullet?.ref).toMatch(/——\d$/)
    expect(bullet?.leads).toEqual(['科协'])
  })

  it('gaoping: Markdown marks removed, page-broken sentences rejoined, 〔…牵头〕 per item', () => {
    const p = plan('gaoping')
    expect(p.region).toBe('高平市')
    expect(p.docNumber).toBe('高政办发〔2022〕24号')
    expect(p.passages.some((x) => x.text.includes('**') || x.text.startsWith('#'))).toBe(false)
    const joined = p.passages.find((x) => x.title === '推进科学家精神进校园行动')
    expect(joined?.text).toContain('流动科技馆进校园等活动')
    expect(joined?.leads).toEqual(['市教育(科技)局', '市科协'])
    expect(action('gaoping', '青少年')?.leads[0]).toBe('市教育(科技)局')
    expect(p.actions.filter((a) => a.name.endsWith('工程'))).toHaveLength(5)
  })

  it('shenmu: a flattened table read as rows, empty cells inherit the row above', () => {
    const p = plan('shenmu')
    expect(p.region).toBe('神木市')
    expect(p.passages.length).toBeGreaterThan(100)
    expect(action('shenmu', '农民')?.leads).toEqual(['市农业农村局', '市乡村振兴局', '市妇联'])
    const show = p.passages.find((x) => x.text.includes('科学实验秀'))
    expect(show?.action).toBe('青少年科学素质提升行动')
    expect(show?.title).toBe('提升基础教育阶段科学教育水平')
    expect(show?.units).toEqual(['市教体局', '市科协'])
  })

  it('shanwei-chengqu: the trailing division table is joined to the actions', () => {
    const p = plan('shanwei-chengqu')
    expect(p.region).toBe('汕尾市城区')
    expect(p.actions).toHaveLength(11)
    expect(action('shanwei-chengqu', '产业工人')?.leads).toEqual(['区总工会'])
    expect(action('shanwei-chengqu', '科普信息化')?.leads).toEqual(['区科协', '区科工信局'])
    const item = p.passages.find((x) => x.title === '开展智慧助老专项行动')
    expect(item?.leads).toEqual(['区卫生健康局'])
  })

  it('a plan without a recognisable title is refused with the file named', () => {
    expect(() => parsePlan('随便写的一段文字。\n没有标题。', 'broken')).toThrow(ContentError)
    expect(() => parsePlan('随便写的一段文字。', 'broken')).toThrow(/broken\.txt/)
  })

  it('a sixth plan in another shape parses without code changes', () => {
    const text = ['某某县全民科学素质行动规划纲要实施方案（2021—2025年）', '一、工作目标', '到2025年，全县公民具备科学素质的比例达到11%。', '二、提升行动', '（一）青少年科学素质提升行动。（县教育局牵头，县科协配合）', '1.开展科学教育。每年举办科技节2次。（县教育局、县科协按职责分工负责）'].join('\n')
    const p = parsePlan(text, 'mouxian')
    expect(p.region).toBe('某某县')
    expect(p.actions[0]).toMatchObject({ name: '青少年科学素质提升行动', leads: ['县教育局'], units: ['县科协'] })
    expect(p.passages.find((x) => x.text.includes('科技节'))?.units).toEqual(['县教育局', '县科协'])
  })
})

describe('wider plans', () => {
  it('reads the national outline as the region 全国', () => {
    const text = ['全民科学素质行动规划纲要（2021—2035年）', '一、主要目标', '到2025年，我国公民具备科学素质的比例超过15%。'].join('\n')
    const p = parsePlan(text, 'national')
    expect(p.region).toBe(NATIONAL)
    expect(p.passages[0]?.text).toContain('超过15%')
  })
})
