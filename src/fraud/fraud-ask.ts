import type { FraudKnowledge, FraudTopic, ScamType } from './fraud-knowledge.js'
import { checkMessage, matchType, rankType, type ScamCheck } from './scam-check.js'

/** How a message came to be checked. */
export type CheckSource = 'forwarded' | 'pasted' | 'situation' | 'unasked'

/** What the resident wants from the fraud helper, read from the shape of the message. */
export type FraudAsk =
  | { kind: 'check'; source: CheckSource; check: ScamCheck }
  | { kind: 'topic'; topic: FraudTopic; type: ScamType | undefined }
  | { kind: 'tips'; page: number | undefined }
  | { kind: 'type'; type: ScamType }
  | { kind: 'pass' }

// 「帮我看看」「这是诈骗吗」「是不是骗子」「靠谱吗」…: the resident asks for a judgement.
const CHECK_REQUEST =
  /帮[我忙]?(看看|看一?下|瞧瞧|查查|查一?下|鉴定|判断|分析)|你(看看|瞧瞧)|是不是(诈骗|骗子|骗局|骗人|假的|真的)|是否(诈骗|骗局|真实)|是(诈骗|骗子|骗局|骗人的|假的)吗|是真的吗|真的假的|靠谱吗|可信吗|能信吗|会不会是骗/
// The resident tells what happened to them: 「有人打电话说…」「对方要我…」.
const NARRATIVE = /有人|对方|陌生人|陌生电话|自称|接到|收到|打来|来电|打电话|发短信|发来|发消息|加我|让我|要我|叫我|说我|问我要|给我打/
// A question about the plans (departments, targets), not about fraud itself: the plan handlers answer it.
const PLAN_QUESTION =
  /方案|规划|牵头|分工|责任单位|责任部门|职责|实施方案|纲要|提升行动|智慧助老|哪个部门|哪些部门|什么部门|哪个单位|哪些单位|谁负责|谁来负责|谁牵头|谁管|归[^，。？?]{0,4}管|目标|比例|指标|十四五|科学素质/
// Something did happen to the resident: then even a 「找哪个部门」 question is ours.
const INCIDENT = /被骗|上当|受骗|骗走|报警|转账了|转了钱/
// A date question about an activity or observance: the calendar answers it.
const WHEN_QUESTION = /哪天|几号|什么时候|哪一天|几月|日期/
const WHEN_SUBJECT = /[日节周月]|活动|讲座|宣传/
// A question that doubts something (「…是真的吗」「…正常吗」), or one that only asks what to do: the second needs
// more evidence (keyword hits) before it is taken as a question about a scam type (「儿子住院了怎么办」 is not).
const FRAUD_WORDS = /骗|诈|是真的吗|真的假的|靠谱|可信|能信|套路|上当|坑|正常吗|合理吗|真的会|会不会被/
const ADVICE_WORDS = /怎么办|咋办|能赚钱|能不能|可以[^，。？?]{0,3}吗|要不要|注意什么|怎么(识别|防|应对|处理|回事)|会不会|对吗|行吗/
// What a pasted message looks like: an SMS signature, a web address, the formal 您.
const MESSAGE_LOOK = /^【[^】]{1,20}】|https?:\/\/|www\.|[a-z0-9-]+\.(com|cn|cc|top|xyz|vip|net|icu)|您/i
// Any sign that a message is a question, so that naming a scam type is asking about it.
const QUESTION = /[吗呢?？]|什么|怎么|如何|咋|靠谱|真的|能不能|可以|要不要|是不是|会不会|哪些|注意|识别|防范|小心/
// What a forwarded notice looks like, pasted without any request (see looksLikeNotice).
const SENDER_TAG = /^\s*【[^】]{2,20}】/
const LINK = /https?:\/\/|www\.|[a-z0-9-]+\.(com|cn|cc|top|xyz|vip|net|icu|org|info|club|shop|site)\b/i
const PHONE = /(?<!\d)(1[3-9]\d{9}|400-?\d{3}-?\d{4}|0\d{2,3}-?\d{7,8}|95\d{3,4})(?!\d)/
const MONEY = /[0-9一二两三四五六七八九十百千万]+\s*(元|块|万)|转\s*[0-9一二两三四五六七八九十百千万]+|转账|汇款|打款|转给|转到|借钱|借我|用钱|要钱|垫付|付款|红包|赔付|理赔|退款|补贴|返利|领取|保证金|手续费|押金|养老金|医保|社保/
const URGENT = /立即|马上|尽快|赶紧|赶快|急事|着急|今天内|当天|\d+\s*小时内|逾期|否则|冻结|停发|过期|作废|失效|最后一天|限时|速/
// First person from someone the resident should know: a relative, a boss, an official, a "new number".
const PERSONA = /^(喂[，,]?)?(我是|是我|这是我)|^(爸|妈|爷爷|奶奶|姥姥|姥爷|外公|外婆)[，,]?|我(换|改)了?(个|一个)?(新)?(手机)?(号|号码|微信)|这是我的?新(号|号码|微信)/
const FORMAL = /您(的|好)|尊敬的|敬请|请(于|在|及时|点击|添加|联系|回复|拨打)|特此通知/

/**
 * True when a message reads like a notice or a message forwarded from someone else, pasted without
 * 「帮我看看」: a sender tag 【…】, a link, a relative or an official writing in the first person about
 * money, or money with urgency and a way to reach them. Such a message is checked as a possible scam.
 * Questions (「…吗」「怎么…」) and short texts are not notices.
 */
export function looksLikeNotice(text: string): boolean {
  const t = text.trim()
  if (Array.from(t).length < 15) return false
  if (SENDER_TAG.test(t) || LINK.test(t)) return true
  const money = MONEY.test(t)
  if (PERSONA.test(t) && money) return true
  if (money && URGENT.test(t) && (PHONE.test(t) || FORMAL.test(t))) return true
  return false
}

const TIPS_PAGE = /^防骗提醒\s*(?:第\s*)?(\d{1,2})?\s*条?$/
const CLAUSE = /[，,。；;！!？?\s]+/

/**
 * Reads what a message asks of the fraud helper. Pure: the order of the rules is the design.
 * 1. forwarded → check the whole text; 2. 「帮我看看：…」 with a pasted message → check the pasted part;
 * 3. a plan question (部门, 牵头, 目标 …) or a date question about an activity → pass;
 * 4. 「防骗提醒 N」 → tips; 5. 「被骗了…」 → what to do now (with the type's advice when one is named);
 * 6. a described situation (「有人打电话说…」) with red flags → check; 7. a general topic (hotline, 验证码, 96110 …);
 * 8. a question naming a scam type (「杀猪盘是什么」) → that type; 9. a question carrying red flags → check;
 * 10. a question about a type by its keywords → that type; 11. an unasked paste with strong red flags → check;
 * 12. a request about a described situation → check; a bare request → how to check; anything else → pass.
 */
export function readFraudAsk(text: string, forwarded: boolean, knowledge: FraudKnowledge): FraudAsk {
  const t = text.trim()
  if (!t) return { kind: 'pass' }
  if (forwarded) return { kind: 'check', source: 'forwarded', check: checkMessage(t, knowledge) }

  const request = CHECK_REQUEST.test(t)
  const pasted = request ? pastedPart(t) : undefined
  if (pasted) return { kind: 'check', source: 'pasted', check: checkMessage(pasted, knowledge) }

  // A notice pasted as it came (【医保局】…, a link, a "relative" asking for money) is checked as it is.
  if (looksLikeNotice(t)) return { kind: 'check', source: 'unasked', check: checkMessage(t, knowledge) }

  if (PLAN_QUESTION.test(t) && !INCIDENT.test(t)) return { kind: 'pass' }
  if (WHEN_QUESTION.test(t) && WHEN_SUBJECT.test(t) && !INCIDENT.test(t)) return { kind: 'pass' }

  const page = TIPS_PAGE.exec(t)
  if (page) return { kind: 'tips', page: page[1] ? Number(page[1]) : undefined }

  const topic = knowledge.topics.find((tp) => tp.triggers.some((re) => re.test(t)))
  const type = typeAskedAbout(t, knowledge, NARRATIVE.test(t))
  if (topic?.id === 'cheated') return { kind: 'topic', topic, type: matchType(t, knowledge) }

  const check = checkMessage(t, knowledge)
  const narrative = NARRATIVE.test(t)
  if (narrative && check.risk !== 'low') return { kind: 'check', source: 'situation', check }

  if (topic) {
    // A generic topic gives way to the scam type the question names: 「怎么识别刷单诈骗」 is about 刷单.
    if (type && (topic.id === 'tips' || topic.id === 'types-list' || topic.id === 'check-how')) return { kind: 'type', type }
    if (topic.id === 'tips') return { kind: 'tips', page: undefined }
    return { kind: 'topic', topic, type: undefined }
  }
  const named = typeNamed(t, knowledge)
  if (named && QUESTION.test(t)) return { kind: 'type', type: named }
  // A question that carries red flags itself (「贷款要先交保证金正常吗」) is a described situation.
  if (QUESTION.test(t) && check.risk !== 'low') return { kind: 'check', source: 'situation', check }
  if (type) return { kind: 'type', type }
  if (check.risk === 'high' || (check.risk === 'medium' && MESSAGE_LOOK.test(t))) return { kind: 'check', source: 'unasked', check }
  // 「有人打电话推销保险，是骗子吗」: the resident asks about what happened, even when nothing looks wrong.
  if (request && narrative) return { kind: 'check', source: 'situation', check }
  if (request) {
    const how = knowledge.topics.find((tp) => tp.id === 'check-how')
    if (how) return { kind: 'topic', topic: how, type: undefined }
  }
  return { kind: 'pass' }
}

/**
 * The message pasted after a request: after a colon (「帮我看看这条短信：…」), inside quotes, or the request
 * clauses removed when the rest looks like a message (【…】, a web address, 您). Undefined when nothing is pasted.
 */
export function pastedPart(text: string): string | undefined {
  const colon = /[:：](?!\/\/)/.exec(text)
  if (colon && colon.index < text.length - 1) {
    const head = text.slice(0, colon.index)
    if (CHECK_REQUEST.test(head) || /短信|消息|信息|微信|电话|内容|链接|说/.test(head)) {
      const body = dropRequestClauses(text.slice(colon.index + 1))
      if (Array.from(body).length >= 4) return body
    }
  }
  const quoted = /[「“"‘『]([^」”"’』]{6,})[」”"’』]/.exec(text)
  if (quoted) return quoted[1]!.trim()
  const rest = dropRequestClauses(text)
  if (rest !== text.trim() && MESSAGE_LOOK.test(rest) && Array.from(rest).length >= 8) return rest
  return undefined
}

/** Removes short clauses that only ask for a judgement (「这是诈骗吗」「帮我看看」) from either end. */
function dropRequestClauses(text: string): string {
  const parts = text.trim().split(CLAUSE).filter(Boolean)
  const isRequest = (p: string): boolean => CHECK_REQUEST.test(p) && Array.from(p).length <= 16
  while (parts.length && isRequest(parts[parts.length - 1]!)) parts.pop()
  while (parts.length && isRequest(parts[0]!)) parts.shift()
  if (!parts.length) return ''
  // Keep the original punctuation between the remaining clauses.
  const first = text.indexOf(parts[0]!)
  const last = text.lastIndexOf(parts[parts.length - 1]!) + parts[parts.length - 1]!.length
  return text.slice(first, last).trim()
}

/**
 * The scam type a question is about: one it names by an alias (「杀猪盘是什么」), else the best keyword match when
 * the question is plainly about fraud or asks what to do.
 */
function typeAskedAbout(text: string, knowledge: FraudKnowledge, narrative: boolean): ScamType | undefined {
  const named = typeNamed(text, knowledge)
  if (named && QUESTION.test(text)) return named
  const strong = FRAUD_WORDS.test(text)
  const weak = ADVICE_WORDS.test(text)
  if (!strong && !weak) return undefined
  const best = rankType(text, knowledge)
  if (!best) return undefined
  return strong || best.hits >= (narrative ? 2 : 3) ? best.type : undefined
}

/** The type whose longest alias occurs in `text`, or undefined. */
export function typeNamed(text: string, knowledge: FraudKnowledge): ScamType | undefined {
  const t = text.normalize('NFKC').toLowerCase()
  let best: ScamType | undefined
  let bestLen = 0
  for (const type of knowledge.types) {
    for (const a of type.aliases) {
      if (a.length > bestLen && t.includes(a)) {
        best = type
        bestLen = a.length
      }
    }
  }
  return best
}
