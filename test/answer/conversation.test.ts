import { describe, expect, it } from 'vitest'
import { createApp, type App } from '../../src/app.js'
import { cacheDir } from '../../src/core/cache-dir.js'
import type { Reply } from '../../src/core/reply.js'
import { FakeClock } from '../fakes/fake-clock.js'
import { incoming } from '../helpers/app.js'

// Whole conversations through the bot, one table per follow-up kind. Each row is a new user; the clock
// is fake and moves one minute a turn, so nothing sleeps.
const clock = new FakeClock('2026-10-15T01:00:00Z')
let app: App | undefined
const bot = () => (app ??= createApp({ clock, cacheDir: cacheDir() })).bot

let users = 0
async function talk(turns: string[], extra: { region?: string } = {}): Promise<Reply[]> {
  const userId = `conv-${++users}`
  const out: Reply[] = []
  for (const t of turns) {
    clock.advance(60_000)
    out.push(await bot().handle(incoming(t, { userId, ...extra })))
  }
  return out
}
const last = (rs: Reply[]): Reply => rs[rs.length - 1]!

describe('region said in words', () => {
  it.each([
    ['我家在利津', '东营市', '利津县'],
    ['俺家在东营垦利区', '东营市', '垦利区'],
    ['咱是乌海的', '乌海市', undefined],
    ['我是汕尾人', '汕尾市城区', undefined],
    ['在神木住', '神木市', undefined],
    ['我们单位在高平', '高平市', undefined],
    ['我们乌海这边的', '乌海市', undefined],
    ['俺是高平米山镇的', '高平市', '米山镇'],
    ['老家神木的', '神木市', undefined],
    ['我住乌海海南区', '乌海市', '海南区'],
    ['我们这是东营广饶', '东营市', '广饶县'],
    ['俺在高平上班', '高平市', undefined],
    ['我现在住在神木', '神木市', undefined],
    ['东营的', '东营市', undefined],
    ['我老家利津，现在住神木', '神木市', undefined],
  ])('「%s」 sets %s in one short line', async (said, region, district) => {
    const [r] = await talk([said])
    expect(r).toMatchObject({ answered: true, intent: 'region' })
    expect(r!.text).toContain(region)
    if (district) expect(r!.text).toContain(district)
    expect(r!.text.split('\n')).toHaveLength(1)
  })

  it.each(['我在海南', '我是你们单位的王局长', '我是医生', '我在家'])('「%s」 sets no region', async (said) => {
    const [r] = await talk([said])
    expect(r!.text).not.toContain('已设为')
  })

  it('sets the region and answers the question in the same message', async () => {
    const [r] = await talk(['我在神木，科普志愿者队伍有多少人'])
    expect(r!.text).toMatch(/已设为神木市/)
    expect(r!.sources?.[0]?.region).toBe('神木市')
    const [again] = await talk(['我是东营广饶的'])
    expect(again!.text).toContain('广饶县')
  })

  it('remembers the region for the next question', async () => {
    const rs = await talk(['我家在利津', '咱市应急科普这块是怎么安排的'])
    expect(last(rs).sources?.[0]?.region).toBe('东营市')
  })
})

describe('follow-ups', () => {
  it.each([
    [['我在东营', '咱市在乡村振兴科技支撑上有啥做法', '换成神木呢'], '神木市'],
    [['我在高平', '俺们市领导干部科学素质提升都有啥', '乌海那边是咋弄的'], '乌海市'],
    [['我在高平', '俺们市领导干部科学素质提升都有啥', '那东营呢'], '东营市'],
  ])('other region: %j answers the same question there', async (turns, region) => {
    const rs = await talk(turns)
    expect(last(rs).answered).toBe(true)
    expect(last(rs).sources?.[0]?.region).toBe(region)
  })

  it.each([
    [['我在高平', '俺们市领导干部科学素质提升都有啥', '展开讲讲第三条'], '任职考察'],
    [['我在高平', '俺们市领导干部科学素质提升都有啥', '第三条展开讲讲'], '任职考察'],
    [['我在高平', '俺们市领导干部科学素质提升都有啥', '3'], '任职考察'],
    [['我在乌海', '提升行动有哪些', '第二个'], '农'],
  ])('item N: %j opens that item', async (turns, want) => {
    const rs = await talk(turns)
    expect(rs[1]!.text).toMatch(/1\. .*\n2\. /u)
    expect(last(rs).text).toContain(want)
  })

  it.each([
    [['我在汕尾城区', '咱区农村科普有啥设施建设', '牵头的是哪个单位'], ['区农业农村和水利局']],
    [['我在东营', '咱市应急科普这块是怎么安排的', '这个归哪个部门管'], ['市科协']],
    [['我在神木', '我们市的科普信息化有啥品牌', '这事归谁管'], ['市委宣传部', '市科协']],
    [['我在汕尾城区', '青少年科学素质提升行动谁牵头', '还有哪些单位配合'], ['区委宣传部', '团区委']],
  ])('who leads / who else: %j', async (turns, units) => {
    const rs = await talk(turns)
    for (const u of units) expect(last(rs).text).toContain(u)
    expect(last(rs).intent).toBe('department')
  })

  it('next part: 「接着说」 shows the rest, then the next passage of the section', async () => {
    const rs = await talk(['我在东营', '咱市应急科普这块是怎么安排的', '再多说点'])
    expect(last(rs).text).toContain('应急科普专家队伍')
    expect(last(rs).sources?.[0]?.region).toBe('东营市')
    const more = await talk(['我在神木', '我们市的科普信息化有啥品牌', '接着说', '接着说'])
    expect(last(more).answered).toBe(true)
    expect(last(more).text).not.toContain('没有更多')
  })

  it('time window and audience: the events just listed, another month, then for children', async () => {
    clock.set('2026-05-28T11:00:00Z')
    const rs = await talk(['我们乌海这边的', '周末有什么科普活动吗', '九月份呢', '带孩子能去的有吗'])
    expect(rs[2]!.text).toMatch(/科普日|科普月/)
    expect(rs[2]!.intent).toBe('event')
    expect(last(rs).intent).toBe('event')
    expect(last(rs).text).toContain('适合孩子')
    const week = await talk(['我在东营', '下个月有什么活动', '这周呢'])
    expect(last(week).text).toMatch(/本周/)
  })

  it('a number after an events list opens that event, not a plan passage', async () => {
    clock.set('2026-05-28T11:00:00Z')
    const rs = await talk(['我在神木', '下个月有什么活动', '2'])
    expect(last(rs).intent).toBe('event')
    expect(last(rs).sources ?? []).toHaveLength(0)
  })

  it('correction: 「不对，我想问的是…」 asks the new topic in the same region', async () => {
    const rs = await talk(['我住汕尾城区', '咱区农村科普有啥设施建设', '不对，我想问的是青少年那块谁牵头'])
    expect(last(rs).text).toContain('区教育局')
    expect(last(rs).sources?.[0]?.region).toBe('汕尾市城区')
  })

  it('advice: 「那我该怎么办」 after a scam check', async () => {
    const rs = await talk(['【神木市人社局】您的社保卡需要重新认证，否则下月养老金将停发，请点击 http://sm-shebao.vip 进行人脸认证。', '那我该怎么办'], { region: '神木市' })
    expect(rs[0]!.fraud?.risk).toBe('high')
    expect(last(rs).text).toContain('96110')
    expect(last(rs).text).toMatch(/别点|不要点/)
  })

  it('without a conversation, a follow-up says so instead of searching', async () => {
    for (const t of ['第二个', '接着说', '这个归谁管']) {
      const [r] = await talk([t])
      expect(r!.sources ?? []).toHaveLength(0)
    }
  })

  it('context expires after 30 quiet minutes', async () => {
    const userId = `conv-${++users}`
    await bot().handle(incoming('我在高平', { userId }))
    await bot().handle(incoming('俺们市领导干部科学素质提升都有啥', { userId }))
    clock.advance(31 * 60_000)
    const r = await bot().handle(incoming('第三条', { userId }))
    expect(r.text).not.toContain('任职考察')
  })
})

describe('small talk inside a conversation', () => {
  it.each(['好嘞', '知道啦，多谢', '回头见', '谢谢你帮我看', '好，多谢', '谢谢，拜拜', '谢谢，回头见'])('「%s」 gets a short kind reply', async (t) => {
    const rs = await talk(['我在东营', '咱市应急科普这块是怎么安排的', t])
    expect(last(rs)).toMatchObject({ answered: true, intent: 'help' })
    expect(last(rs).text.length).toBeLessThan(40)
  })
})

describe('pasted messages are checked without a prefix', () => {
  it.each([
    ['我是你们单位的王局长，换了个号码，明天上午来我办公室一趟。另外我这有个急事，先帮我给一个朋友转两万块，回头还你。', 'high'],
    ['【顺丰速运】您好，您的快递在运输途中丢失，我们将按商品价值三倍赔付，请添加理赔专员微信，并在对方发送的链接中填写银行卡信息领取。', 'high'],
    ['【自来水公司】因管网维修，本周三上午8点至下午6点城区部分小区停水，请居民提前储水，不便之处敬请谅解。', 'low'],
  ])('%s → %s', async (t, risk) => {
    const [r] = await talk([t])
    expect(r!.fraud?.risk).toBe(risk)
    expect(r!.text).toContain('96110')
  })
})

describe('elder mode never dead-ends', () => {
  it('an off-menu number shows the menu again; 返回, 菜单 and 0 always work', async () => {
    const rs = await talk(['开启老年模式', '3', '20', '回主菜单', '返回', '0', '菜单'])
    expect(rs[2]!.text).toMatch(/没有第20项/)
    for (const r of rs.slice(2)) expect(r.text).toMatch(/回复 1 /)
    const scam = await talk(['长辈模式', '刚才有人打电话说我医保卡被冻结了，让我按1转人工'])
    expect(last(scam).text).toContain('96110')
  })
})

describe('declines', () => {
  it('say what was understood, offer three questions, stay short', async () => {
    const [r] = await talk(['咱市有几个机场'], { region: '神木市' })
    expect(r!.answered).toBe(false)
    expect(r!.text).toContain('神木市的方案里没有写这件事')
    expect(r!.choices).toHaveLength(3)
    expect(r!.text.length).toBeLessThan(120)
  })

  it('name the admins\' contact when it is configured', async () => {
    const withContact = createApp({ clock, cacheDir: cacheDir(), config: { ...(app ??= createApp({ clock, cacheDir: cacheDir() })).config, KEPU_ADMIN_CONTACT: '科协办公室 0546-1234567' } })
    const r = await withContact.bot.handle(incoming('帮我订一张明天去北京的机票', { userId: 'decline-contact' }))
    expect(r.answered).toBe(false)
    expect(r.text).toContain('科协办公室 0546-1234567')
    const human = await withContact.bot.handle(incoming('转人工', { userId: 'decline-contact' }))
    expect(human.text).toContain('科协办公室 0546-1234567')
  })
})
