import { describe, expect, it } from 'vitest'
import { createCalendarHandler, MAX_ITEMS, MAX_ITEMS_ELDER } from '../../src/calendar/calendar-handler.js'
import { createBot } from '../../src/core/bot.js'
import { FakeClock } from '../fakes/fake-clock.js'
import { silentLogger } from '../../src/core/logger.js'
import { MemoryUserStateStore } from '../../src/core/user-state.js'
import { ask, PASSED, realCalendar } from './helpers.js'

/** Text compared the way the eval does: NFKC, no white space. */
const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, '')

describe('calendar handler: the sample questions', () => {
  it.each([
    ['2026-05-05', '防灾减灾日是哪天？', ['5月12日']],
    ['2026-09-01', '今年全国科普日是什么时候', ['9月']],
    ['2026-11-02', '这个月有什么科普活动？', ['119', '消防']],
    ['2026-04-16', '下周有什么活动', ['地球日']],
    ['2026-05-20', '全国科技工作者日是几号', ['5月30日']],
    ['2026-06-01', '安全生产月是哪个月？', ['6月']],
    ['2026-03-10', '世界水日是哪天', ['3月22日']],
    ['2026-09-01', '农民丰收节今年是哪天？', ['9月23日']],
    ['2026-05-01', '科技活动周什么时候开始？', ['5月']],
    ['2026-05-25', '世界无烟日是几号', ['5月31日']],
  ])('now %s 「%s」', async (now, q, anyOf) => {
    const r = await ask(q, { now })
    expect(r.intent).toBe('event')
    expect(r.answered).toBe(true)
    expect(anyOf.some((s) => norm(r.text).includes(s)), r.text).toBe(true)
    expect(norm(r.text).length).toBeLessThanOrEqual(300)
    expect(r.events?.length).toBeGreaterThan(0)
  })
})

describe('calendar handler: observance questions', () => {
  it('gives the weekday and the days until', async () => {
    const r = await ask('防灾减灾日是哪天？', { now: '2026-05-05' })
    expect(r.text).toContain('2026年5月12日（周二），还有7天')
    expect(r.events).toEqual([{ name: '全国防灾减灾日', start: '2026-05-12', end: '2026-05-12', kind: 'observance' }])
  })

  it.each([
    ['丰收节是哪天', '中国农民丰收节'],
    ['中国农民丰收节是哪天', '中国农民丰收节'],
    ['科普日什么时候', '全国科普日'],
    ['消防日是几号', '全国消防日'],
    ['119是哪天', '全国消防日'],
    ['119消防宣传月是哪个月', '119消防宣传月'],
    ['防震减灾日是哪天', '全国防灾减灾日'],
    ['重阳节是哪天', '老年节'],
    ['航天日', '中国航天日'],
    ['国际减灾日是哪天', '国际减灾日'],
    ['防災減災日是哪天', '全国防灾减灾日'],
    ['ＸＸ世界水日是幾號', '世界水日'],
  ])('「%s」 → %s', async (q, name) => {
    const r = await ask(q, { now: '2026-05-05' })
    expect(r.events?.[0]?.name).toBe(name)
  })

  it('says an ongoing observance is on now', async () => {
    const r = await ask('安全生产月是哪个月？', { now: '2026-06-10' })
    expect(r.text).toContain('正在进行中')
    expect(r.events?.[0]).toMatchObject({ start: '2026-06-01', end: '2026-06-30' })
  })

  it('after this year\'s date gives next year\'s', async () => {
    const r = await ask('世界水日是哪天', { now: '2026-06-01' })
    expect(r.text).toContain('2027年3月22日')
    expect(r.text).not.toContain('已经过去')
  })

  it('with 今年 after the date says when it was and gives next year\'s too', async () => {
    const r = await ask('今年世界水日是哪天', { now: '2026-06-01' })
    expect(r.text).toContain('2026年3月22日')
    expect(r.text).toContain('已经过去')
    expect(r.text).toContain('2027年3月22日')
  })

  it('answers for a named year', async () => {
    const r = await ask('2028年农民丰收节是哪天', { now: '2026-05-05' })
    expect(r.events?.[0]).toMatchObject({ start: '2028-09-22' })
  })

  it('says 就是今天 on the day', async () => {
    const r = await ask('消防日是哪天', { now: '2026-11-09' })
    expect(r.text).toContain('就是今天')
  })

  it('lists the local events of the user\'s region during the observance', async () => {
    const r = await ask('全国科普日有什么活动', { now: '2026-09-01', region: '神木市' })
    expect(r.text).toContain('神木本地活动')
    expect(r.events?.some((e) => e.kind === 'local' && e.region === '神木市')).toBe(true)
  })

  it('in elder mode leaves out the description', async () => {
    const full = await ask('防灾减灾日是哪天', { now: '2026-05-05' })
    const elder = await ask('防灾减灾日是哪天', { now: '2026-05-05', user: { elder: true } })
    expect(elder.text.length).toBeLessThan(full.text.length)
    expect(elder.text).toContain('5月12日')
  })
})

describe('calendar handler: window questions', () => {
  it('lists at most five and keeps the rest for 「更多」', async () => {
    const r = await ask('下个月有什么活动', { now: '2026-05-05' })
    const items = r.text.split('\n').filter((l) => /^\d+\. /.test(l))
    expect(items).toHaveLength(MAX_ITEMS)
    expect(r.text).toContain('更多')
    expect(r.more).toMatch(/^6\. /)
    // Without a region: national days by date, then every region's local events by date.
    for (const kind of ['observance', 'local']) {
      const days = r.events!.filter((e) => e.kind === kind).map((e) => e.start)
      expect([...days].sort()).toEqual(days)
    }
    const kinds = r.events!.map((e) => e.kind)
    expect(kinds.indexOf('observance')).toBeLessThan(Math.max(0, kinds.indexOf('local')) || Infinity)
  })

  it('puts local events of the user\'s region first', async () => {
    const r = await ask('这个月有什么科普活动', { now: '2026-09-01', region: '东营市' })
    expect(r.events?.[0]).toMatchObject({ kind: 'local', region: '东营市' })
    expect(r.events?.some((e) => e.kind === 'local' && e.region !== '东营市')).toBe(false)
    expect(r.text).toContain('以主办方通知为准')
  })

  it('filters by audience', async () => {
    const kids = await ask('下个月有什么适合孩子的活动', { now: '2026-08-10', region: '神木市' })
    const elders = await ask('下个月有什么适合老人的活动', { now: '2026-08-10', region: '神木市' })
    expect(kids.text).toContain('适合孩子')
    expect(elders.events?.map((e) => e.name)).toContain('世界阿尔茨海默病日')
    expect(kids.events?.map((e) => e.name)).not.toContain('世界阿尔茨海默病日')
  })

  it('treats 「有什么科普活动」 without a date as the next 30 days', async () => {
    const r = await ask('有什么科普活动', { now: '2026-05-05' })
    expect(r.text).toContain('最近')
    expect(r.events!.every((e) => e.end >= '2026-05-05' && e.start <= '2026-06-03')).toBe(true)
  })

  it('keeps 「更多」 bounded for a long window', async () => {
    const r = await ask('明年有哪些纪念日', { now: '2026-05-05' })
    expect(r.more!.split('\n').length).toBeLessThanOrEqual(16)
    expect(r.more).toContain('缩小时间范围')
  })

  it('shows at most three items in elder mode', async () => {
    const r = await ask('下个月有什么活动', { now: '2026-05-05', user: { elder: true } })
    expect(r.text.split('\n').filter((l) => /^\d+\. /.test(l))).toHaveLength(MAX_ITEMS_ELDER)
  })

  it('says so when nothing is on and names the next entry', async () => {
    const r = await ask('明天有什么活动', { now: '2026-01-06', region: '东营市' })
    expect(r.intent).toBe('event')
    expect(r.text).toContain('没有查到')
  })

  it('stays short for every month of 2026–2027', async () => {
    for (let m = 1; m <= 24; m++) {
      const now = `${2026 + Math.floor((m - 1) / 12)}-${String(((m - 1) % 12) + 1).padStart(2, '0')}-01`
      const r = await ask('这个月有什么活动', { now, region: '汕尾市城区' })
      expect(norm(r.text).length, now).toBeLessThanOrEqual(300)
    }
  })
})

describe('calendar handler: kinds of local events and date checks', () => {
  it('lists a kind of local event by its tag in the user\'s region', async () => {
    const r = await ask('科学实验秀什么时候有', { now: '2026-05-05', region: '神木市' })
    expect(r.intent).toBe('event')
    expect(r.events!.length).toBeGreaterThan(0)
    expect(r.events!.every((e) => e.kind === 'local' && e.region === '神木市')).toBe(true)
    expect(r.text).toContain('实验秀')
  })

  it('answers 「X是M月D日吗」 with the day', async () => {
    const r = await ask('地球日是4月22日吗', { now: '2026-04-01' })
    expect(r.text).toContain('4月22日')
  })

  it('says a month observance is held every year in its month', async () => {
    const r = await ask('爱国卫生月是几月', { now: '2026-05-05' })
    expect(r.text).toContain('每年4月')
  })

  it('answers 国庆 questions about children in the user\'s region', async () => {
    const r = await ask('国庆带孩子去哪玩', { now: '2026-09-10', region: '汕尾市城区' })
    expect(r.events?.[0]).toMatchObject({ kind: 'local', region: '汕尾市城区', start: '2026-10-04' })
  })
})

describe('calendar handler: what it leaves to others', () => {
  it.each([
    '老年人防诈骗归哪个部门管',
    '每年要开展多少场科学实验秀',
    '全国科普日由哪个部门牵头',
    '青少年科学素质提升行动的目标是什么',
    '这是不是诈骗',
    '你好',
    '',
    '我在东营',
    '科技活动开展得怎么样',
    '全国科普日期间要开展哪些活动',
    '科技活动周由哪个部门负责',
    '今天学点科普知识',
    '家里着火了我要打119',
    '今天打了119',
    '明天去北京的机票',
  ])('「%s」 → next()', async (q) => {
    expect(await ask(q, { now: '2026-05-05' })).toBe(PASSED)
  })
})

describe('calendar handler inside the bot', () => {
  it('answers through bot.handle and leaves the rest of a long list for 「更多」', async () => {
    const users = new MemoryUserStateStore()
    const dongying = { name: '东营市', short: '东营' }
    const bot = createBot({
      handlers: [createCalendarHandler({ calendar: realCalendar() })],
      clock: new FakeClock('2026-09-01T01:00:00Z'),
      logger: silentLogger,
      users,
      regions: { byName: (n) => (n.startsWith('东营') ? dongying : undefined), findIn: (t) => (t.includes('东营') ? dongying : undefined) },
    })
    const incoming = { channel: 'test', chatId: 'c', userId: 'u', isGroup: false, mentioned: true, forwarded: false, region: '东营市' }
    const r = await bot.handle({ ...incoming, text: '这个月有什么活动' })
    expect(r.intent).toBe('event')
    expect(r.events?.[0]).toMatchObject({ kind: 'local', region: '东营市' })
    expect(users.get('test:u')?.more).toMatch(/^6\. /)
    const d = await bot.handle({ ...incoming, text: '防灾减灾日是哪天' })
    expect(d.text).toContain('2027年5月12日')
  })
})
