import { beforeAll, describe, expect, it } from 'vitest'
import { looksLikeNotice, pastedPart, readFraudAsk } from '../../src/fraud/fraud-ask.js'
import { loadFraudKnowledge, type FraudKnowledge } from '../../src/fraud/fraud-knowledge.js'
import { CONTENT_DIR } from './labelled-set.js'

let k: FraudKnowledge
beforeAll(() => {
  k = loadFraudKnowledge(CONTENT_DIR)
})

describe('pastedPart', () => {
  it.each([
    ['帮我看看这条消息是不是骗子：爸，我明天下午回家吃饭，不用等我', '爸，我明天下午回家吃饭，不用等我'],
    ['帮我看看这条短信：【医保局】您的医保卡已冻结，请点击 http://yb-gov.cc 解冻', '【医保局】您的医保卡已冻结，请点击 http://yb-gov.cc 解冻'],
    ['这是诈骗吗：恭喜您中奖了，这是诈骗吗？', '恭喜您中奖了'],
    ['是不是骗子？“奶奶我出车祸了快打钱”', '奶奶我出车祸了快打钱'],
    ['【某银行】您的账户异常，请登录 abc-bank.top 处理。这是诈骗吗', '【某银行】您的账户异常，请登录 abc-bank.top 处理'],
  ])('%s', (text, want) => {
    expect(pastedPart(text)).toBe(want)
  })
  it.each(['网上说刷单返利能赚钱，是真的吗？', '帮我看看这是不是诈骗'])('nothing pasted in %s', (text) => {
    expect(pastedPart(text)).toBeUndefined()
  })
})

describe('readFraudAsk', () => {
  const kind = (text: string, forwarded = false): string => {
    const a = readFraudAsk(text, forwarded, k)
    if (a.kind === 'check') return `check:${a.source}`
    if (a.kind === 'topic') return `topic:${a.topic.id}`
    if (a.kind === 'type') return `type:${a.type.id}`
    return a.kind
  }
  it.each([
    ['你好', 'pass'],
    ['', 'pass'],
    ['老张，下午下棋', 'pass'],
    ['老张，下午下棋', 'check:forwarded', true],
    ['有人打电话说我孙子打架被抓了，要我打钱', 'check:situation'],
    ['被骗了怎么办', 'topic:cheated'],
    ['我被冒充公安的骗了，转到安全账户了，怎么办', 'topic:cheated'],
    ['96110是什么电话', 'topic:call-from-96110'],
    ['反诈热线', 'topic:hotline'],
    ['怎么识别刷单诈骗', 'type:order-brushing'],
    ['防骗提醒', 'tips'],
    ['防骗提醒 3', 'tips'],
    ['校园贷要注销吗', 'type:campus-loan-credit'],
    ['【某银行】您的账户存在风险，请立即登录 icbc-safe.top 验证，否则冻结', 'check:unasked'],
    ['老年人防诈骗归哪个部门管', 'pass'],
    ['智慧助老行动谁牵头', 'pass'],
    ['被骗了该找哪个部门', 'topic:cheated'],
    ['科技活动周什么时候开始', 'pass'],
    ['贷款要先交保证金正常吗', 'check:situation'],
    ['有人打电话推销保险，是骗子吗', 'check:situation'],
    ['手机收到陌生链接能点吗', 'topic:links'],
    ['电信诈骗怎么举报', 'topic:hotline'],
    ['怎样识别诈骗电话', 'tips'],
    ['杀猪盘是什么', 'type:fake-investment'],
    ['今天股票会涨吗', 'pass'],
    ['怎么预防地震', 'pass'],
    ['儿子住院了怎么办', 'pass'],
    ['方案里关于老年人防诈骗怎么说', 'pass'],
    ['老年人怎样防止上当受骗', 'tips'],
    ['如何追回被骗的钱', 'topic:cheated'],
    ['找兼职要交押金正常吗', 'type:fake-part-time'],
  ])('%s → %s', (text, want, forwarded = false) => {
    expect(kind(text, forwarded as boolean)).toBe(want)
  })
})

describe('looksLikeNotice: a pasted message is checked without 「帮我看看」', () => {
  it.each([
    '【顺丰速运】您好，您的快递在运输途中丢失，我们将按商品价值三倍赔付，请添加理赔专员微信领取。',
    '【自来水公司】因管网维修，本周三上午8点至下午6点城区部分小区停水，请居民提前储水。',
    '您的社保卡需要重新认证，请点击 http://sm-shebao.vip 进行人脸认证，否则养老金停发',
    '我是你们单位的王局长，换了个号码，另外我这有个急事，先帮我给一个朋友转两万块，回头还你。',
    '妈，我换了个新号，手机掉水里了，急用钱，先转3000到这个卡上',
    '爸爸妈妈注意：本店新到一批保健品，原价998元今天只要198元，名额有限，速速拨打13812345678订购',
  ])('%s', (t) => {
    expect(looksLikeNotice(t)).toBe(true)
  })

  it.each([
    '老年人科学素质提升行动由哪个部门牵头',
    '我是医生，能参加科技志愿服务吗',
    '防灾减灾日是哪天？',
    '我家在东营垦利区',
    '我们市2025年科学素质目标是多少，要达到百分之多少',
  ])('not: %s', (t) => {
    expect(looksLikeNotice(t)).toBe(false)
  })
})
