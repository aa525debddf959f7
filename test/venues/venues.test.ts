import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadCalendar } from '../../src/calendar/load-calendar.js'
import { createBot, type Bot } from '../../src/core/bot.js'
import { ContentError } from '../../src/core/errors.js'
import { silentLogger } from '../../src/core/logger.js'
import type { Reply } from '../../src/core/reply.js'
import { MemoryUserStateStore } from '../../src/core/user-state.js'
import { RegionRegistry } from '../../src/knowledge/region-registry.js'
import { loadVenues, type Venue } from '../../src/venues/load-venues.js'
import { createVenueHandler, SAMPLE_LABEL } from '../../src/venues/venue-handler.js'
import { venuesJsonSchema } from '../../src/venues/venues-json-schema.js'

const CONTENT_DIR = join(import.meta.dirname, '..', '..', 'content')
const NEXT = 'NEXT'
let venues: Venue[]
let bot: Bot
beforeAll(() => {
  venues = loadVenues(CONTENT_DIR)
  const regions = RegionRegistry.load(join(CONTENT_DIR, 'regions.yaml'))
  bot = createBot({
    handlers: [createVenueHandler({ venues, calendar: loadCalendar(CONTENT_DIR) }), async () => ({ text: NEXT, answered: false, intent: 'none' })],
    clock: { now: () => new Date('2026-11-29T01:00:00Z') },
    logger: silentLogger,
    users: new MemoryUserStateStore(),
    regions,
  })
})
const ask = (text: string, region?: string, userId = 'u1'): Promise<Reply> =>
  bot.handle({ channel: 'test', chatId: 'c1', userId, isGroup: false, mentioned: true, forwarded: false, text, ...(region ? { region } : {}) })

describe('content/venues', () => {
  it('every file validates; every region has a venue; ids are unique', () => {
    expect(new Set(venues.map((v) => v.region))).toEqual(new Set(['东营市', '乌海市', '高平市', '神木市', '汕尾市城区']))
    expect(new Set(venues.map((v) => v.id)).size).toBe(venues.length)
  })

  it('content/schema/venues.schema.json is up to date with the zod schema', () => {
    expect(JSON.parse(readFileSync(join(CONTENT_DIR, 'schema', 'venues.schema.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(venuesJsonSchema())))
  })

  it('an error names the file with its folder, the item and the field in one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kepu-venues-'))
    mkdirSync(join(dir, 'venues'))
    const v = (month: string) =>
      `  - {id: x-bus, name: 示例大篷车, kind: 科普大篷车, address: 各乡镇, hours: 白天, booking: 无需预约, price: 免费, audiences: [公众], summary: 巡展, sample: true, stops: [{place: 某镇, month: "${month}"}]}`
    writeFileSync(join(dir, 'venues', 'x.yaml'), `region: 东营市\nvenues:\n${v('2026-13')}\n`)
    expect(() => loadVenues(dir)).toThrow(ContentError)
    expect(() => loadVenues(dir)).toThrow(/^content: venues\/x\.yaml: venues item 1 \(示例大篷车\): stops\.0\.month: expected YYYY-MM$/)
  })
})

describe('venue questions', () => {
  it('opening hours of the science museum, labelled as sample, linked to events there', async () => {
    const r = await ask('科技馆几点开门', '神木市')
    expect(r.intent).toBe('venue')
    expect(r.text).toContain('神木市科技馆')
    expect(r.text).toMatch(/9:00/)
    expect(r.text).toContain(SAMPLE_LABEL)
    expect(r.text).toContain('近期在这里的活动')
  })

  it('what suits children, in the region the question names', async () => {
    const r = await ask('东营哪里能带孩子去学学科学知识')
    expect(r.text).toContain('东营市科技馆')
  })

  it('when the 大篷车 comes: its next stops', async () => {
    const r = await ask('科普大篷车啥时候来俺们村', '高平市')
    expect(r.text).toMatch(/2026年12月 马村镇/)
  })

  it('a town the travelling exhibition visits is named first', async () => {
    const r = await ask('流动科技馆什么时候来锦界镇', '神木市')
    expect(r.text).toMatch(/锦界镇/)
    expect(r.text).not.toMatch(/暂时没有到/)
  })

  it('whether a town has a base', async () => {
    expect((await ask('大柳塔镇有没有科普基地', '神木市')).text).toContain('大柳塔镇')
    expect((await ask('红柳镇有没有科普基地', '神木市')).text).toMatch(/红柳镇的科普场馆我这里还没有收录/)
  })

  it('without a region it asks for one', async () => {
    const r = await ask('科技馆几点开门', undefined, 'noregion')
    expect(r.choices?.length).toBeGreaterThan(1)
  })

  it.each(['十四五期间要创建多少个自治区级科普教育基地', '区里的综合性科普场馆要建多大？', '科技馆这周末有什么活动', '防灾减灾日是哪天'])('leaves 「%s」 to others', async (q) => {
    expect((await ask(q, '乌海市')).text).toBe(NEXT)
  })
})
