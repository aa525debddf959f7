import { PassThrough } from 'node:stream'
import { ScanStatus } from 'wechaty'
import { PuppetMock, mock } from 'wechaty-puppet-mock'
import { afterEach, describe, expect, it } from 'vitest'
import { createWechatAdapter, type WechatAdapter } from '../../../adapters/wechat/wechat-adapter.js'
import { DeliveryError } from '../../../src/core/errors.js'
import type { Incoming } from '../../../src/core/incoming.js'
import type { Reply } from '../../../src/core/reply.js'

// The real wechaty with wechaty-puppet-mock: contacts and rooms say things, the bot's replies come back
// as messages from the logged-in user.

const echo = (i: Incoming): Reply => ({ text: `答：${i.text}`, answered: true, intent: 'plan' })

interface Rig {
  adapter: WechatAdapter
  mocker: mock.Mocker
  user: mock.ContactMock
  seen: Incoming[]
  /** Texts the bot sent, with where and when. */
  out: Array<{ to: string; text: string; at: number }>
}

let rig: Rig | undefined

async function setup(reply: (i: Incoming) => Reply = echo, options: { sendIntervalMs?: number; roomRegions?: Record<string, string> } = {}): Promise<Rig> {
  const mocker = new mock.Mocker()
  const puppet = new PuppetMock({ mocker })
  const seen: Incoming[] = []
  const out: Rig['out'] = []
  const adapter = createWechatAdapter({
    puppet,
    name: 'kepu-test',
    sendIntervalMs: options.sendIntervalMs ?? 0,
    keywords: ['科普助手'],
    roomRegions: options.roomRegions ?? {},
    qrOutput: new PassThrough(),
  })
  await adapter.start(async (i) => {
    seen.push(i)
    return reply(i)
  })
  const user = mocker.createContact({ name: '科普助手' })
  mocker.login(user)
  await new Promise<void>((resolve) => adapter.wechaty!.once('login', () => resolve()))
  // ContactMock is an EventEmitter; its typings lean on a package that is not installed.
  ;(user as unknown as NodeJS.EventEmitter).on('message', (m: mock.MessageMock) => {
    if (m.talker().id !== user.id) return
    out.push({ to: m.room()?.id ?? m.listener()?.id ?? '', text: m.text() ?? '', at: Date.now() })
  })
  rig = { adapter, mocker, user, seen, out }
  return rig
}

afterEach(async () => {
  await rig?.adapter.stop()
  rig = undefined
})

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('WechatAdapter with wechaty-puppet-mock', () => {
  it('answers a question in a private chat', async () => {
    const { mocker, user, seen, out } = await setup()
    const resident = mocker.createContact({ name: '王阿姨' })
    resident.say('防灾减灾日是哪天？').to(user)
    await until(() => out.length === 1)
    expect(out[0]).toMatchObject({ to: resident.id, text: '答：防灾减灾日是哪天？' })
    expect(seen[0]).toMatchObject({ channel: 'wechat', chatId: resident.id, userId: resident.id, isGroup: false, forwarded: false })
  })

  it('in a room, answers an @mention and a leading keyword, ignores the rest, and maps the topic to a region', async () => {
    const { mocker, user, seen, out } = await setup(echo, { roomRegions: { 东营社区科普群: '东营市' } })
    const a = mocker.createContact({ name: '老李' })
    const b = mocker.createContact({ name: '小张' })
    const room = mocker.createRoom({ topic: '东营社区科普群', memberIdList: [user.id, a.id, b.id] })
    a.say('今天下午谁去活动中心？').to(room)
    a.say('@科普助手\u2005科技活动周什么时候开始', [user]).to(room)
    await until(() => out.length === 1)
    b.say('科普助手 这条短信是不是诈骗').to(room)
    await until(() => out.length === 2)
    await new Promise((r) => setTimeout(r, 50))
    expect(seen.map((i) => i.text)).toEqual(['科技活动周什么时候开始', '这条短信是不是诈骗'])
    expect(seen.every((i) => i.isGroup && i.chatId === room.id && i.region === '东营市')).toBe(true)
    expect(out).toHaveLength(2)
    expect(out.every((o) => o.to === room.id)).toBe(true)
    expect(out[0]!.text).toContain('答：科技活动周什么时候开始')
  })

  it('in a room, @-mentions the asker by a name clipped to 20 characters, whatever its length', async () => {
    const { mocker, user, out } = await setup()
    const long = mocker.createContact({ name: `长${'名'.repeat(100_000)}` })
    const short = mocker.createContact({ name: '老李' })
    const room = mocker.createRoom({ topic: '科普群', memberIdList: [user.id, long.id, short.id] })
    long.say('科普助手 防灾减灾日是哪天').to(room)
    await until(() => out.length === 1)
    short.say('科普助手 你好').to(room)
    await until(() => out.length === 2)
    expect(out[0]!.text).toBe(`@长${'名'.repeat(18)}…\u2005答：防灾减灾日是哪天`)
    expect(out[0]!.text.length).toBeLessThan(40)
    expect(out[1]!.text).toBe('@老李\u2005答：你好')
  })

  it('spaces outgoing messages by the configured interval', async () => {
    const { mocker, user, out } = await setup(echo, { sendIntervalMs: 120 })
    const people = [1, 2, 3].map((n) => mocker.createContact({ name: `居民${n}` }))
    for (const p of people) p.say('你好').to(user)
    await until(() => out.length === 3)
    const gaps = out.slice(1).map((o, i) => o.at - out[i]!.at)
    expect(gaps.every((g) => g >= 110)).toBe(true)
  })

  it('lists choices as numbers when the text does not, and sends nothing for a silent reply', async () => {
    const { mocker, user, out } = await setup((i) =>
      i.text === '静'
        ? { text: '', answered: false, intent: 'ignored', silent: true }
        : { text: '请选择地区：', answered: true, intent: 'region', choices: [{ label: '东营市', value: '我在东营市' }, { label: '乌海市', value: '我在乌海市' }] },
    )
    const p = mocker.createContact({ name: '赵' })
    p.say('静').to(user)
    p.say('/region').to(user)
    await until(() => out.length === 1)
    await new Promise((r) => setTimeout(r, 50))
    expect(out.map((o) => o.text)).toEqual(['请选择地区：\n1. 东营市\n2. 乌海市'])
  })

  it('keeps answering after the bot throws on one message', async () => {
    const { mocker, user, out } = await setup((i) => {
      if (i.text === '炸') throw new Error('boom')
      return echo(i)
    })
    const p = mocker.createContact({ name: '钱' })
    p.say('炸').to(user)
    await until(() => out.length === 1)
    p.say('好').to(user)
    await until(() => out.length === 2)
    expect(out[0]!.text).toContain('出了点问题')
    expect(out[1]!.text).toBe('答：好')
  })

  it('sends announcements to a contact or a room, and fails clearly for an unknown id', async () => {
    const { adapter, mocker, user, out } = await setup()
    const p = mocker.createContact({ name: '孙' })
    const room = mocker.createRoom({ topic: '乌海科普群', memberIdList: [user.id, p.id] })
    await adapter.send({ chatId: p.id, text: '明天科普讲座' })
    await adapter.send({ chatId: room.id, text: '本周科技活动周', isGroup: true })
    await until(() => out.length === 2)
    expect(out.map((o) => [o.to, o.text])).toEqual([
      [p.id, '明天科普讲座'],
      [room.id, '本周科技活动周'],
    ])
    const err = await adapter.send({ chatId: 'nobody', text: 'x', isGroup: false }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DeliveryError)
  })

  it('draws the login QR code in the terminal', async () => {
    const mocker = new mock.Mocker()
    const qrOutput = new PassThrough()
    let drawn = ''
    qrOutput.on('data', (c: Buffer) => (drawn += c.toString('utf8')))
    const adapter = createWechatAdapter({ puppet: new PuppetMock({ mocker }), name: 'kepu-qr-test', qrOutput })
    rig = { adapter, mocker, user: mocker.createContact(), seen: [], out: [] }
    await adapter.start(async (i) => echo(i))
    mocker.scan('https://login.weixin.qq.com/l/kepu-test', ScanStatus.Waiting)
    await until(() => drawn.includes('扫描'))
    expect(drawn).toContain('用微信扫描下面的二维码')
    // Terminal QR art is drawn with block characters.
    expect(drawn).toMatch(/[\u2580-\u259F]/)
  })
})
