import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { calendarJsonSchemas, schemaFileText } from '../../src/calendar/calendar-json-schemas.js'
import { loadCalendar } from '../../src/calendar/load-calendar.js'
import { ContentError } from '../../src/core/errors.js'
import { CONTENT_DIR, realCalendar } from './helpers.js'

const calendar = realCalendar()
const SEEDS = join(CONTENT_DIR, '..', 'seeds')
const PLAN_FILES: Record<string, string> = {
  东营市: 'dongying.txt', 乌海市: 'wuhai.txt', 高平市: 'gaoping.txt', 神木市: 'shenmu.txt', 汕尾市城区: 'shanwei-chengqu.txt',
}

describe('content/observances.yaml', () => {
  // Every recurring day, week or month the issue names, as a resident would say it.
  it.each([
    '全国科普日', '全国科普月', '科技活动周', '全国防灾减灾日', '科技之春宣传月', '三下乡', '食品安全宣传周', '安全生产月',
    '119消防宣传日', '消防宣传月', '全国低碳日', '世界环境日', '世界水日', '世界气象日', '世界野生动植物日', '国际森林日',
    '世界卫生日', '世界无烟日', '世界地球日', '全国科技工作者日', '中国农民丰收节', '老年健康宣传周', '双创活动周',
    '公众科学日', '爱国卫生月', '全民国家安全教育日', '中国航天日', '国际博物馆日', '全国爱眼日', '世界读书日', '国际减灾日',
  ])('has %s', (name) => {
    expect(calendar.findObservance(name), name).toBeDefined()
  })

  // Dates checked against the official calendars (fixed days, 秋分 by the almanac, nth weekdays by hand).
  it.each([
    ['全国防灾减灾日', 2026, '2026-05-12', '2026-05-12'],
    ['全国科技工作者日', 2027, '2027-05-30', '2027-05-30'],
    ['安全生产月', 2028, '2028-06-01', '2028-06-30'],
    ['119消防宣传月', 2029, '2029-11-01', '2029-11-30'],
    ['全国消防日', 2030, '2030-11-09', '2030-11-09'],
    ['世界水日', 2026, '2026-03-22', '2026-03-22'],
    ['世界气象日', 2027, '2027-03-23', '2027-03-23'],
    ['世界野生动植物日', 2028, '2028-03-03', '2028-03-03'],
    ['国际森林日', 2029, '2029-03-21', '2029-03-21'],
    ['世界卫生日', 2030, '2030-04-07', '2030-04-07'],
    ['世界无烟日', 2026, '2026-05-31', '2026-05-31'],
    ['世界地球日', 2027, '2027-04-22', '2027-04-22'],
    ['世界环境日', 2028, '2028-06-05', '2028-06-05'],
    ['中国农民丰收节', 2026, '2026-09-23', '2026-09-23'],
    ['中国农民丰收节', 2027, '2027-09-23', '2027-09-23'],
    ['中国农民丰收节', 2028, '2028-09-22', '2028-09-22'],
    ['中国农民丰收节', 2029, '2029-09-23', '2029-09-23'],
    ['中国农民丰收节', 2030, '2030-09-23', '2030-09-23'],
    ['全国科普日', 2026, '2026-09-19', '2026-09-20'],
    ['全国科普日', 2030, '2030-09-21', '2030-09-22'],
    ['全国科普月', 2027, '2027-09-01', '2027-09-30'],
    ['爱国卫生月', 2026, '2026-04-01', '2026-04-30'],
    ['科技之春宣传月', 2026, '2026-03-01', '2026-03-31'],
    ['全国中小学生安全教育日', 2026, '2026-03-30', '2026-03-30'],
    ['老年节', 2026, '2026-10-18', '2026-10-18'],
    ['全国科技活动周', 2024, '2024-05-25', '2024-05-31'],
    ['全国科技活动周', 2022, '2022-08-20', '2022-08-27'],
  ] as const)('%s %i: %s – %s', (name, year, start, end) => {
    const o = calendar.findObservance(name)!
    expect(calendar.inYear(o, year).map(({ start, end }) => ({ start, end }))).toEqual([{ start, end }])
  })

  it('has no 全国科普月 before 2025', () => {
    expect(calendar.inYear(calendar.findObservance('全国科普月')!, 2024)).toEqual([])
  })

  it('names, for each plan listed, a term that plan really uses; and lists every plan that uses the full name', () => {
    const texts = Object.fromEntries(Object.entries(PLAN_FILES).map(([r, f]) => [r, readFileSync(join(SEEDS, f), 'utf8')]))
    for (const o of calendar.observances) {
      const terms = [o.name, ...o.aliases].map((t) => t.replace(/["“”]/g, ''))
      for (const region of o.plans) {
        expect(Object.keys(texts), `${o.name}: unknown plan ${region}`).toContain(region)
        expect(terms.some((t) => texts[region]!.replace(/["“”]/g, '').includes(t)), `${o.name} in ${region}`).toBe(true)
      }
      for (const [region, text] of Object.entries(texts)) if (text.includes(o.name)) expect(o.plans, `${o.name} is named by ${region}`).toContain(region)
    }
  })

  it('gives every observance an audience and a description of its own', () => {
    const descriptions = new Set(calendar.observances.map((o) => o.description))
    expect(descriptions.size).toBe(calendar.observances.length)
  })
})

describe('content/events', () => {
  it('has events for all five regions in 2026 and 2027, each telling that the organiser\'s notice prevails', () => {
    for (const region of Object.keys(PLAN_FILES)) {
      for (const year of ['2026', '2027']) expect(calendar.events.some((e) => e.region === region && e.start.startsWith(year)), `${region} ${year}`).toBe(true)
    }
    for (const e of calendar.events) expect(e.note).toContain('以主办方通知为准')
  })
})

describe('content/schema', () => {
  it.each(Object.entries(calendarJsonSchemas()))('%s is up to date with the zod schema', (name, schema) => {
    const onDisk = readFileSync(join(CONTENT_DIR, 'schema', name), 'utf8')
    expect(onDisk, `regenerate: npx tsx -e "import('./src/calendar/calendar-json-schemas.ts').then((m) => m.writeCalendarJsonSchemas('content/schema'))"`).toBe(schemaFileText(schema))
  })
})

describe('loadCalendar errors', () => {
  function contentWith(observances: string, events?: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'kepu-cal-'))
    writeFileSync(join(dir, 'observances.yaml'), observances)
    mkdirSync(join(dir, 'events'))
    for (const [name, text] of Object.entries(events ?? {})) writeFileSync(join(dir, 'events', name), text)
    return dir
  }
  const good = 'id: a-day\n  name: 某某日\n  rule: { kind: fixed, month: 5, day: 12 }\n  description: 一个测试用的纪念日。\n  audiences: [公众]\n'

  it('names the file, the item and the field', () => {
    const dir = contentWith(`- ${good}- id: b-day\n  name: 全国科普日\n  rule: { kind: fixed, month: 13, day: 1 }\n  description: 一个测试用的纪念日。\n  audiences: [公众]\n`)
    expect(() => loadCalendar(dir)).toThrow(ContentError)
    expect(() => loadCalendar(dir)).toThrow(/observances\.yaml: item 2 \(全国科普日\): rule\.month/)
  })

  it('rejects an unknown audience and a bad RRULE', () => {
    expect(() => loadCalendar(contentWith(`- ${good.replace('[公众]', '[路人]')}`))).toThrow(/item 1 \(某某日\): audiences\.0/)
    expect(() => loadCalendar(contentWith(`- ${good.replace('{ kind: fixed, month: 5, day: 12 }', '{ kind: rrule, rrule: "FREQ=DAILY" }')}`))).toThrow(/rule\.rrule/)
  })

  it('names the event file, item and field', () => {
    const event = (start: string, end: string) => `region: 东营市\ntimezone: Asia/Shanghai\nevents:\n  - id: e1\n    title: 测试活动\n    start: ${start}\n    end: ${end}\n    place: 某地\n    organiser: 某单位\n    audiences: [公众]\n    signup: 无需报名\n    note: 以主办方通知为准。\n`
    expect(() => loadCalendar(contentWith(`- ${good}`, { 'dy.yaml': event('2026-05-12T09:00', '2026-05-12T08:00') }))).toThrow(/dy\.yaml: events item 1 \(测试活动\): end/)
    expect(() => loadCalendar(contentWith(`- ${good}`, { 'dy.yaml': event('2026-02-30T09:00', '2026-02-30T10:00') }))).toThrow(/dy\.yaml: events item 1 \(测试活动\): start/)
    expect(() => loadCalendar(contentWith(`- ${good}`, { 'dy.yaml': event('2026-05-12T09:00', '2026-05-12T10:00').replace('以主办方通知为准', '详见通知') }))).toThrow(/note/)
  })
})
