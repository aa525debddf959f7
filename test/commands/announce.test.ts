import { describe, expect, it } from 'vitest'
import { cliHarness } from '../helpers/cli-harness.js'
import { register as registerAnnounce } from '../../src/commands/announce.js'
import { register as registerBroadcast } from '../../src/commands/broadcast.js'
import { parseSince, register as registerReport } from '../../src/commands/report.js'
import { openStore } from '../../src/store/sql/open-store.js'

const cli = cliHarness('kepu-cli-', [registerAnnounce, registerBroadcast, registerReport])
const kepu = cli.kepu

describe('kepu announce / broadcast / report', () => {
  it('adds an announcement and shows the next five firings in Asia/Shanghai', async () => {
    const text = await kepu('announce', 'add', '--cron', '0 9 * * 1', '--topic', 'weekly', '--region', '东营', '--template', '本周科普活动：\\n{week_events}')
    expect(text).toContain('added #1')
    expect(text.match(/周一 09:00/g)).toHaveLength(5)
    expect(await kepu('announce', 'list')).toMatch(/#1 .*东营市/)
    const s = await openStore({ dataDir: cli.dir })
    expect((await s.getAnnouncement(1))!.template).toBe('本周科普活动：\n{week_events}')
    await s.close()
  })

  it('refuses a bad cron, an unknown region and a missing target with exit code 2 and one line', async () => {
    await kepu('announce', 'add', '--cron', '0 9 * *', '--topic', 'weekly', '--template', 'x')
    expect(process.exitCode).toBe(2)
    expect(cli.err.join('')).toMatch(/^kepu announce add: cron 表达式/)
    process.exitCode = undefined
    await kepu('announce', 'add', '--cron', '0 9 * * 1', '--topic', 'weekly', '--region', '火星', '--template', 'x')
    expect(cli.err.join('')).toContain('不认识地区「火星」')
    await kepu('announce', 'add', '--cron', '0 9 * * 1', '--template', 'x')
    expect(cli.err.join('')).toContain('a target is needed')
    expect(await kepu('announce', 'list')).toContain('no announcements')
  })

  it('previews with live content, removes, and broadcasts to named chats', async () => {
    await kepu('announce', 'add', '--cron', '0 8 * * *', '--topic', 'fraud-tip', '--template', '每日防骗提醒：{daily_tip}')
    const preview = await kepu('announce', 'preview', '1')
    expect(preview).toContain('0 recipient(s)')
    expect(preview).toMatch(/每日防骗提醒：\S+/)
    expect(await kepu('announce', 'remove', '1')).toContain('removed #1')
    expect(await kepu('broadcast', '--chats', 'telegram:1,wechat:wxid_a', '--text', '周六上午科技馆免费开放')).toContain('to 2 chat(s)')
    expect(await kepu('report', 'deliveries')).toMatch(/total 2, sent 0, .*pending 2/)
  })

  it('lists unanswered questions grouped, most asked first', async () => {
    const s = await openStore({ dataDir: cli.dir })
    const at = new Date()
    for (const text of ['医保怎么报销', '医保怎么报销？', '明天天气']) await s.recordUnanswered({ channel: 'telegram', region: '东营市', text, normalized: text.replace(/？/, ''), at })
    await s.close()
    const text = await kepu('report', 'unanswered', '--since', '1d')
    expect(text).toContain('3 question(s) in 2 group(s)')
    expect(text.indexOf('医保')).toBeLessThan(text.indexOf('明天天气'))
    expect(text).toMatch(/2×/)
  })

  it('ranks unanswered questions by the residents who asked, not by how often', async () => {
    const s = await openStore({ dataDir: cli.dir })
    const at = new Date()
    for (let i = 0; i < 20; i++) await s.recordUnanswered({ channel: 'telegram', region: '东营市', text: `广告 ${i} 加微信 abc_123 看 www.x.com`, normalized: '广告', at, userKey: 'telegram:666' })
    for (const user of ['1', '2']) await s.recordUnanswered({ channel: 'telegram', region: '东营市', text: '医保怎么报销', normalized: '医保怎么报销', at, userKey: `telegram:${user}` })
    await s.close()
    const text = await kepu('report', 'unanswered', '--since', '1d')
    expect(text).toContain('22 question(s) in 2 group(s)')
    expect(text).toMatch(/ 2 人 +2× +医保怎么报销/)
    expect(text).toMatch(/ 1 人 +20×/)
    expect(text.indexOf('医保')).toBeLessThan(text.indexOf('广告'))
    expect(text).not.toContain('abc_123')
    expect(text).not.toContain('www.x.com')
  })

  it('prints under a question the answers residents called 没用 and their comments, one short line each, newest first', async () => {
    const s = await openStore({ dataDir: cli.dir })
    const at = new Date()
    const base = { channel: 'telegram', region: '乌海市', text: '科技馆几点开门', normalized: '科技馆几点开门' }
    const long = `乌海市科技馆开放时间：\n周二至周日 9:00–17:00（16:30 停止入馆），周一闭馆。${'节假日另行通知。'.repeat(5)}`
    const older = await s.recordUnhelpful({ ...base, at: new Date(at.getTime() - 60_000), userKey: 'telegram:31', answer: long })
    await s.commentUnanswered(older!, '没说\n周一开不开')
    await s.recordUnhelpful({ ...base, at, userKey: 'telegram:32', answer: '科技馆每天开放。' })
    await s.close()
    const lines = (await kepu('report', 'unanswered', '--since', '1d')).split('\n')
    const i = lines.findIndex((l) => /2 人 +2× +科技馆几点开门/.test(l))
    expect(i).toBeGreaterThanOrEqual(0)
    expect(lines[i + 1]).toMatch(/^ +没用 \d{4}-\d\d-\d\d 周. \d\d:\d\d {2}答：科技馆每天开放。$/)
    expect(lines[i + 2]).toMatch(/^ +没用 .* 答：乌海市科技馆开放时间： 周二至周日 9:00–17:00（16:30 停止入馆）… {2}居民说：没说 周一开不开$/)
    // A question nobody called 没用 has no such line under it.
    expect(lines.filter((l) => l.includes('没用 ')).length).toBe(2)
  })

  it('reads --since as a duration or a date', () => {
    const now = new Date('2026-09-14T01:00:00Z')
    expect(parseSince('7d', now)).toEqual(new Date('2026-09-07T01:00:00Z'))
    expect(parseSince('2026-09-01', now)).toEqual(new Date('2026-09-01T01:00:00Z'))
    expect(() => parseSince('last week', now)).toThrow(/--since/)
  })
})
