import { beforeAll, describe, expect, it } from 'vitest'
import { createBot, type Bot, type Handler } from '../../src/core/bot.js'
import type { Clock } from '../../src/core/clock.js'
import { silentLogger } from '../../src/core/logger.js'
import type { Reply } from '../../src/core/reply.js'
import { MemoryUserStateStore } from '../../src/core/user-state.js'
import { createElderModeHandler } from '../../src/fraud/elder-mode-handler.js'
import { createFraudHandler } from '../../src/fraud/fraud-handler.js'
import { loadFraudKnowledge, type FraudKnowledge } from '../../src/fraud/fraud-knowledge.js'
import { cacheDir } from '../../src/core/cache-dir.js'
import { loadKepuKnowledge, type KepuKnowledge } from '../../src/kepu/kepu-knowledge.js'
import { CONTENT_DIR, readLabelledSet } from './labelled-set.js'

const clock: Clock = { now: () => new Date('2026-05-05T01:00:00Z') }
// Stands for the plan, department and calendar handlers after ours.
const planHandler: Handler = async () => ({ text: 'PLAN', answered: true, intent: 'plan' })

let k: FraudKnowledge
let bot: Bot
let users: MemoryUserStateStore
beforeAll(() => {
  k = loadFraudKnowledge(CONTENT_DIR)
})

function makeBot(): Bot {
  users = new MemoryUserStateStore()
  return createBot({
    handlers: [createElderModeHandler({ fraud: k }), createFraudHandler({ fraud: k }), planHandler],
    clock,
    logger: silentLogger,
    users,
    regions: { byName: () => undefined, findIn: () => undefined },
  })
}

function ask(text: string, opts: { forwarded?: boolean; user?: string; isGroup?: boolean; mentioned?: boolean } = {}): Promise<Reply> {
  return bot.handle({
    channel: 'test',
    chatId: 'c1',
    userId: opts.user ?? 'u1',
    isGroup: opts.isGroup ?? false,
    mentioned: opts.mentioned ?? true,
    forwarded: opts.forwarded ?? false,
    text,
  })
}

const size = (s: string): number => Array.from(s.replace(/\s/g, '')).length
const hasHotline = (s: string): boolean => /96110|(^|\D)110(\D|$)/.test(s)

describe('fraud handler: the sample questions', () => {
  beforeAll(() => {
    bot = makeBot()
  })

  it('a described 公检法 call is a scam with the hotline', async () => {
    const r = await ask('有人打电话说他是公安局的，说我的卡涉嫌洗钱，要我转到安全账户')
    expect(r.intent).toBe('fraud')
    expect(r.text).toContain('诈骗')
    expect(hasHotline(r.text)).toBe(true)
    expect(r.fraud?.risk).toBe('high')
    expect(r.fraud?.type).toBe('police-safe-account')
  })

  it('the anti-fraud hotline', async () => {
    expect((await ask('全国反诈专线电话是多少？')).text).toContain('96110')
  })

  it('a stranger asking for the code: do not give it', async () => {
    expect((await ask('陌生人要我手机上的验证码，给不给？')).text).toMatch(/不要|不能|切勿|不给|千万别|绝不/)
  })

  it('a pasted 医保 SMS with a fake link is high risk', async () => {
    const r = await ask('帮我看看这条短信：【医保局】您的医保卡已冻结，请点击 http://yb-gov.cc 解冻')
    expect(r.text).toMatch(/诈骗|风险/)
    expect(r.fraud?.risk).toBe('high')
  })

  it('cheated with 保健品: report it', async () => {
    expect((await ask('老人买保健品被骗了怎么办')).text).toMatch(/报警|110|96110/)
  })

  it('刷单返利 is a scam', async () => {
    expect((await ask('网上说刷单返利能赚钱，是真的吗？')).text).toContain('诈骗')
  })

  it('a pasted family message is low, and low never says it is safe', async () => {
    const r = await ask('帮我看看这条消息是不是骗子：爸，我明天下午回家吃饭，不用等我')
    expect(r.fraud?.risk).toBe('low')
    expect(r.text).toContain('没发现常见的诈骗套路')
    // Not a scam is not the same as true: the reply says so.
    expect(r.text).toContain('不代表')
    expect(r.text).not.toMatch(/安全的|放心|不是诈骗/)
  })
})

describe('fraud handler: similar questions by mechanism', () => {
  beforeAll(() => {
    bot = makeBot()
  })

  it.each([
    ['有个自称检察院的人打电话说我涉嫌非法集资，让我把存款转到指定账户', 'high'],
    ['接到电话说我孙子出车祸了要我马上打钱', 'high'],
    ['客服让我下载会议软件开屏幕共享', 'high'],
    ['这是诈骗吗：恭喜您中了二等奖，奖金5万元，领奖前请先缴纳手续费500元', 'high'],
    ['帮忙看一下这条短信是不是真的：【中国工商银行】您尾号6621卡11月20日支出58.00元，余额3245.18元。', 'low'],
    ['靠谱吗？“我们平台稳赚不赔，跟着老师买，日收益5%，先充值一万”', 'high'],
  ])('%s → %s', async (q, risk) => {
    const r = await ask(q)
    expect(r.intent).toBe('fraud')
    expect(r.fraud?.risk).toBe(risk)
    expect(hasHotline(r.text)).toBe(true)
  })

  it.each([
    ['被骗了怎么办', /110/],
    ['钱被骗走了还能追回吗', /110/],
    ['反诈电话是多少', /96110/],
    ['96110给我打电话是怎么回事', /96110/],
    ['老年人怎么防诈骗', /验证码/],
    ['常见的诈骗有哪些', /刷单/],
    ['杀猪盘是什么', /投资/],
    ['以房养老靠谱吗', /养老/],
    ['验证码能告诉银行客服吗', /别给|不给|不要/],
    ['国家反诈中心app怎么装', /应用商店/],
  ])('general question %s', async (q, want) => {
    const r = await ask(q)
    expect(r.intent).toBe('fraud')
    expect(r.text).toMatch(want)
    expect(hasHotline(r.text)).toBe(true)
    expect(r.fraud).toBeUndefined()
  })

  it.each(['老年人防诈骗归哪个部门管', '智慧助老行动谁牵头', '老年人科学素质提升行动的目标是什么', '反诈宣传月是几月', '今天股票会涨吗', '帮我订一张明天去北京的机票', '防灾减灾日是哪天'])(
    '%s goes to the next handler',
    async (q) => {
      expect((await ask(q)).text).toBe('PLAN')
    },
  )

  it('a forwarded message is always checked, even a harmless one', async () => {
    const r = await ask('老张，下午三点公园下棋，来不来？', { forwarded: true })
    expect(r.intent).toBe('fraud')
    expect(r.fraud?.risk).toBe('low')
    const s = await ask('【ETC服务】您的ETC卡已失效，请立即登录 etc-xf.cc 更新认证信息', { forwarded: true })
    expect(s.fraud?.risk).toBe('high')
  })

  it('an unmentioned group message is not ours, even forwarded; a mentioned one is', async () => {
    expect((await ask('被骗了怎么办', { isGroup: true, mentioned: false })).text).toBe('PLAN')
    expect((await ask('【ETC服务】您的ETC卡已失效，请立即登录 etc-xf.cc 更新认证信息', { isGroup: true, mentioned: false, forwarded: true })).text).toBe('PLAN')
    expect((await ask('【ETC服务】您的ETC卡已失效，请立即登录 etc-xf.cc 更新认证信息', { isGroup: true, mentioned: true, forwarded: true })).fraud?.risk).toBe('high')
  })

  it('replies are short: ≤ 300 characters, never over 450, the rest behind 「更多」', async () => {
    const qs = [
      '有人打电话说他是公安局的，说我的卡涉嫌洗钱，要我转到安全账户，还不让我告诉家人，让我下载会议软件开屏幕共享，把验证码告诉他，点击 http://gab-gov.top 登录',
      '老年人怎么防诈骗',
      '常见的诈骗有哪些',
      '网上说刷单返利能赚钱，是真的吗？',
      '被骗了怎么办',
    ]
    for (const q of qs) {
      const r = (await ask(q)) as Reply & { more?: string }
      expect(size(r.text), q).toBeLessThanOrEqual(300)
    }
  })

  it('every type answer and every topic answer names a hotline and fits', async () => {
    for (const t of k.types) {
      const r = await ask(`${t.aliases[0] ?? t.name}是不是诈骗？`)
      expect(r.intent, t.id).toBe('fraud')
      expect(hasHotline(r.text), t.id).toBe(true)
      expect(size(r.text), t.id).toBeLessThanOrEqual(300)
    }
  })
})

describe('fraud handler in 长辈模式', () => {
  beforeAll(() => {
    bot = makeBot()
  })

  it('a check is short, names the hotline and ends with a numbered menu that 「1」 follows', async () => {
    await ask('长辈模式', { user: 'e1' })
    const r = await ask('帮我看看：【医保局】您的医保卡已冻结，请点击 http://yb-gov.cc 解冻', { user: 'e1' })
    expect(r.fraud?.risk).toBe('high')
    expect(r.text).toContain('96110')
    expect(r.text).toMatch(/回复 1 /)
    expect(r.choices?.length).toBeGreaterThan(0)
    expect(size(r.text)).toBeLessThanOrEqual(150)
    const next = await ask('2', { user: 'e1' })
    expect(next.text).toContain('110')
  })

  it('tips come one per message, 「1」 for the next', async () => {
    await ask('长辈模式', { user: 'e2' })
    const first = await ask('防骗提醒', { user: 'e2' })
    expect(first.text).toContain(`（1/${k.tips.length}）`)
    const second = await ask('1', { user: 'e2' })
    expect(second.text).toContain(`（2/${k.tips.length}）`)
    expect(second.text).toContain(k.tips[1]!)
  })
})

describe('fraud handler on every labelled message, forwarded', () => {
  beforeAll(() => {
    bot = makeBot()
  })

  it('always checks, always names a hotline, stays short, in both modes', async () => {
    await ask('长辈模式', { user: 'old' })
    const labelled = readLabelledSet()
    // An empty set would make this loop pass without checking anything.
    expect(labelled.length).toBeGreaterThan(100)
    for (const m of labelled) {
      for (const user of ['young', 'old']) {
        const r = await ask(m.text, { forwarded: true, user })
        expect(r.intent, m.id).toBe('fraud')
        expect(r.fraud, m.id).toBeDefined()
        expect(hasHotline(r.text), m.id).toBe(true)
        expect(size(r.text), m.id).toBeLessThanOrEqual(300)
        if (r.fraud?.risk === 'low') expect(r.text, m.id).toMatch(/没发现常见的诈骗套路，但(这)?不代表/)
        if (user === 'old') expect(r.choices?.length, m.id).toBeGreaterThan(0)
      }
    }
  })
})

describe('described situations found after integration', () => {
  it.each(['我妈接到电话说社保卡要注销了', '网上认识的男朋友让我投资数字货币'])('%s is checked and answered with the hotline', async (q) => {
    const { testApp, incoming } = await import('../helpers/app.js')
    const r = await testApp().bot.handle(incoming(q, { userId: `situation-${q}` }))
    expect(r.intent).toBe('fraud')
    expect(r.fraud?.risk).not.toBe('low')
    expect(r.text).toMatch(/96110|110/)
  })
})

describe('fraud handler: the rumour check', () => {
  let kb: KepuKnowledge
  let rbot: Bot
  beforeAll(() => {
    kb = loadKepuKnowledge({ contentDir: CONTENT_DIR, regions: [], cacheDir: cacheDir() })
    rbot = createBot({
      handlers: [createElderModeHandler({ fraud: k }), createFraudHandler({ fraud: k, kepu: () => kb }), planHandler],
      clock,
      logger: silentLogger,
      users: new MemoryUserStateStore(),
      regions: { byName: () => undefined, findIn: () => undefined },
    })
  })
  const check = (text: string, user = 'r1', forwarded = true): Promise<Reply> => rbot.handle({ channel: 'test', chatId: 'c1', userId: user, isGroup: false, mentioned: true, forwarded, text })

  // Every rumour card's claim, forwarded as it circulates: never a low-risk verdict alone.
  it('a rumour is never answered with a low-risk scam verdict alone', async () => {
    const rumours = kb.cards.filter((c) => c.category === '辟谣')
    expect(rumours.length).toBeGreaterThanOrEqual(40)
    for (const c of rumours) {
      const r = await check(`【转发】${c.claim!}！赶紧告诉家里人！`)
      expect(r.fraud, c.id).toBeDefined()
      if (r.fraud?.risk === 'low') {
        expect(r.text, c.id).not.toMatch(/^【低风险】/)
        expect(r.text, c.id).toMatch(/谣言|不准确|只对了一部分|没法核实/)
      }
    }
  })

  it('a rumour pasted after 「帮我看看」 gets the card with its source', async () => {
    const r = await check('帮我看看：吃味精会致癌，家里千万别放了', 'r2', false)
    expect(r.text).toMatch(/谣言|不准确|只对了一部分/)
    expect(r.text).toContain('来源')
  })

  it('in 长辈模式 the rumour answer is the elder form with a menu', async () => {
    await check('长辈模式', 'r3', false)
    const r = await check('【转发】吃碘盐会得甲状腺癌，赶紧换无碘盐！', 'r3')
    expect(r.text).toMatch(/谣言|不准确|只对了一部分/)
    expect(r.text).toContain('回复 1')
  })

  it('a scam that spreads a rumour keeps the scam warning first', async () => {
    const r = await check('【紧急】喝醋能软化血管！点击 http://vinegar-health.cc 领取特效软化血管保健品，名额有限马上转账预订')
    expect(r.fraud?.risk).not.toBe('low')
    expect(r.text.split('\n')[0]).toMatch(/风险/)
  })
})

