import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { packageRoot } from '../../src/core/package-root.js'
import { answer, readContact, readCount, readSkills, startOrder, startVolunteer, type DialogueEnv, type Draft, type StepResult } from '../../src/requests/request-dialogue.js'
import { loadServiceMenu } from '../../src/requests/service-menu.js'

const menu = loadServiceMenu(join(packageRoot(), 'content'))
const regions = ['东营市', '乌海市', '高平市', '神木市', '汕尾市城区']
const env = (over: Partial<DialogueEnv> = {}): DialogueEnv => ({
  menu,
  regions,
  regionIn: (t) => (t.includes('垦利') || t.includes('东营') ? '东营市' : undefined),
  region: undefined,
  elder: false,
  ...over,
})

/** Answers each text in turn, checking that every step keeps a draft (no dead end). */
function walk(start: Draft, texts: string[], e = env()): StepResult {
  let draft = start
  let r: StepResult | undefined
  for (const t of texts) {
    r = answer(draft as Extract<Draft, { kind: 'order' | 'volunteer' }>, t, e)
    if (!r.draft) return r
    draft = r.draft
  }
  return r!
}

describe('order dialogue', () => {
  it('asks service, place, region (when unknown), date, size, contact, then confirms', () => {
    const s = startOrder(env())
    expect(s.prompt.text).toContain('1. 农业技术讲座')
    expect(s.prompt.choices?.length).toBe(menu.services.length)
    let r = answer(s.draft, '1', env())
    expect(r.draft).toMatchObject({ step: 'place', serviceId: 'farm-tech' })
    r = answer(r.draft as never, '乌海市海南区某某村村委会', env())
    expect(r.draft).toMatchObject({ step: 'region' })
    expect(r.prompt.text).toContain('2. 乌海市')
    r = answer(r.draft as never, '2', env())
    expect(r.draft).toMatchObject({ step: 'date', region: '乌海市' })
    r = answer(r.draft as never, '下个月中旬', env())
    expect(r.draft).toMatchObject({ step: 'size', date: '下个月中旬' })
    r = answer(r.draft as never, '大概五十人', env())
    expect(r.draft).toMatchObject({ step: 'contact', size: 50 })
    r = answer(r.draft as never, '王老师 13800138000', env())
    expect(r.draft).toMatchObject({ step: 'confirm', contact: '王老师 13800138000' })
    expect(r.prompt.text).toContain('138****8000')
    expect(r.prompt.text).not.toContain('13800138000')
    r = answer(r.draft as never, '1', env())
    expect(r.submit).toMatchObject({ serviceId: 'farm-tech', place: '乌海市海南区某某村村委会', region: '乌海市', date: '下个月中旬', size: 50 })
    expect(r.draft).toBeUndefined()
  })

  it('takes the region from the place or the resident, and skips the menu when the service is known', () => {
    const s = startOrder(env(), 'health')
    expect(s.draft.step).toBe('place')
    expect(answer(s.draft, '垦利区胜利街道社区活动室', env()).draft).toMatchObject({ step: 'date', region: '东营市' })
    expect(answer(s.draft, '村委会大院', env({ region: '神木市' })).draft).toMatchObject({ step: 'date', region: '神木市' })
  })

  it('re-asks with the options after an answer that does not fit, at every step', () => {
    const cases: [Draft, string, RegExp][] = [
      [{ kind: 'order', step: 'service' }, '99', /1\. 农业技术讲座/u],
      [{ kind: 'order', step: 'service' }, '随便来点啥', /回复下面的数字/u],
      [{ kind: 'order', step: 'place', serviceId: 'eco' }, '这是干什么的？', /在哪里办/u],
      [{ kind: 'order', step: 'region', serviceId: 'eco', place: '村里' }, '9', /1\. 东营市/u],
      [{ kind: 'order', step: 'date', serviceId: 'eco', place: '村里', region: '东营市' }, '12', /什么时候/u],
      [{ kind: 'order', step: 'size', serviceId: 'eco', place: '村里', region: '东营市', date: '周六' }, '很多很多', /人数/u],
      [{ kind: 'order', step: 'contact', serviceId: 'eco', place: '村里', region: '东营市', date: '周六', size: 5 }, '找村支书', /电话/u],
      [{ kind: 'order', step: 'confirm', serviceId: 'eco', place: '村里', region: '东营市', date: '周六', size: 5, contact: '13800138000' }, '啥意思', /1 提交/u],
      [{ kind: 'volunteer', step: 'skills', name: '张', area: '东营' }, '都会', /1\. 医疗卫生/u],
    ]
    for (const [draft, text, re] of cases) {
      const r = answer(draft as never, text, env())
      expect(r.draft, text).toEqual(draft)
      expect(r.prompt.text, text).toMatch(re)
      expect(r.submit).toBeUndefined()
    }
  })

  it('is cancelled at any step by 「取消」「算了」, keeping nothing', () => {
    const steps: Draft[] = [
      { kind: 'order', step: 'service' },
      { kind: 'order', step: 'place', serviceId: 'eco' },
      { kind: 'order', step: 'date', serviceId: 'eco', place: '村里', region: '东营市' },
      { kind: 'order', step: 'size', serviceId: 'eco', place: '村里', region: '东营市', date: '周六' },
      { kind: 'order', step: 'contact', serviceId: 'eco', place: '村里', region: '东营市', date: '周六', size: 5 },
      { kind: 'order', step: 'confirm', serviceId: 'eco', place: '村里', region: '东营市', date: '周六', size: 5, contact: '13800138000' },
      { kind: 'volunteer', step: 'name' },
      { kind: 'volunteer', step: 'contact', name: '张', area: '东营', skills: ['法律'] },
    ]
    for (const d of steps) {
      for (const word of ['取消', '算了', '算了吧。', '不弄了']) {
        const r = answer(d as never, word, env())
        expect(r.cancelled, `${word} at ${JSON.stringify(d)}`).toBe(true)
        expect(r.draft).toBeUndefined()
      }
    }
  })

  it('starts again on 「重新填写」 at the confirmation', () => {
    const r = answer({ kind: 'order', step: 'confirm', serviceId: 'eco', place: '村里', region: '东营市', date: '周六', size: 5, contact: '13800138000' }, '2', env())
    expect(r.draft).toEqual({ kind: 'order', step: 'service' })
  })

  it('uses short texts and numbered menus in 长辈模式', () => {
    const e = env({ elder: true })
    const s = startOrder(e)
    expect(s.prompt.text.split('\n')[0]).toBe('想请哪种服务？回数字：')
    const r = walk(s.draft, ['农业技术讲座', '村委会', '3', '明天', '20', '13800138000'], e)
    expect(r.prompt.text).toContain('1. 提交')
    for (const line of r.prompt.text.split('\n')) expect(Array.from(line).length).toBeLessThanOrEqual(30)
  })
})

describe('volunteer dialogue', () => {
  it('asks name, area, skills (kept from 「我是医生」), contact, then confirms', () => {
    const s = startVolunteer(env(), ['医疗卫生'])
    const r1 = answer(s.draft, '我叫李医生', env())
    expect(r1.draft).toMatchObject({ step: 'area', name: '李医生' })
    const r2 = answer(r1.draft as never, '东营市垦利区', env())
    expect(r2.prompt.text).toContain('回「好」就按「医疗卫生」登记')
    const r3 = answer(r2.draft as never, '好', env())
    expect(r3.draft).toMatchObject({ step: 'contact', skills: ['医疗卫生'] })
    const r4 = walk(r3.draft!, ['13912345678', '提交'])
    expect(r4.submit).toMatchObject({ kind: 'volunteer', name: '李医生', area: '东营市垦利区', skills: ['医疗卫生'], contact: '13912345678' })
  })
})

describe('readers', () => {
  it('reads head counts', () => {
    expect(readCount('50')).toBe(50)
    expect(readCount('大概50人')).toBe(50)
    expect(readCount('三十个')).toBe(30)
    expect(readCount('两百')).toBe(200)
    expect(readCount('十五')).toBe(15)
    expect(readCount('一千二百')).toBe(1200)
    expect(readCount('很多')).toBeUndefined()
    expect(readCount('0')).toBeUndefined()
  })
  it('reads a phone number as the contact', () => {
    expect(readContact('13800138000')).toBe('13800138000')
    expect(readContact('王老师 138-0013-8000')).toBe('王老师 138-0013-8000')
    expect(readContact('0546-8221234')).toBe('0546-8221234')
    expect(readContact('找村支书')).toBeUndefined()
    expect(readContact('12345')).toBeUndefined()
  })
  it('reads skills by number or name', () => {
    expect(readSkills('1,3', menu.volunteerSkills)).toEqual(['医疗卫生', '教育教学'])
    expect(readSkills('法律和科普讲解', menu.volunteerSkills)).toEqual(['科普讲解', '法律'])
  })
})
