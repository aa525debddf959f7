import type { DialogueState } from '../core/user-state.js'
import type { FollowUp, RegionRef, Router, RouterInput, Understanding } from '../core/bot.js'
import { asksForEvents, audienceOf } from '../calendar/calendar-handler.js'
import { parseDateWindow } from '../calendar/date-phrase.js'
import { dayOf } from '../calendar/local-day.js'
import { looksLikeNotice } from '../fraud/fraud-ask.js'
import type { PlaceMention, RegionRegistry } from '../knowledge/region-registry.js'
import { onlyPlaceAndFiller, smallTalkKind, type DialogueWords } from './dialogue-words.js'

export interface IntentRouterDeps {
  regions: RegionRegistry
  words: DialogueWords
  /** Words that mean the resident's own region (咱市, 俺们市, 区里: content/synonyms.yaml `region_words`). */
  ownRegionWords: readonly string[]
}

// What the plans are about: a question with these words, or about 「咱市」, asks what a plan says.
const PLAN_VOCABULARY = /方案|规划|纲要|提升行动|重点工程|科学素质|牵头|分工|责任单位|责任部门|哪个部门|哪些部门|什么部门|哪个单位|哪些单位/u
// Asking what has been done or arranged (「给老年人办了啥」「…是咋弄的」「有啥安排」) asks about the plans too.
const PLAN_ASK = /[办做干搞弄]了(?:些)?(?:啥|什么|哪些)|有(?:啥|什么|哪些)(?:安排|措施|举措|政策|打算|做法|规定|部署)|(?:怎么|咋)(?:安排|部署)|是(?:咋|怎么)(?:弄|搞|做)的/u

// ── Region statements: 「我家在利津」「咱是乌海的」「我是汕尾人」「在神木住」「我们单位在高平」「老家神木的」 ──
// What may stand before the place: who (我/俺/咱/我们 …, their home, work place) and how (住, 在, 是, 来自 …).
const STATEMENT_LEAD =
  /^(?:(?:我|俺|咱|我们|俺们|咱们)(?:家|老家|单位|公司|学校|这|这里|这儿|这边)?(?:就|现在|目前|一直|也|都)?(?:是|住|住在|在|来自|生活在|工作在|落户在?|户口在)?(?:的)?|(?:老家|家|户口)(?:在|是)?|(?:在|住|住在|来自))?$/u
// What may stand after it: its level, 这边/那边, 的/人/住 and a soft particle.
const STATEMENT_TAIL = /^(?:市|区|县|镇|乡|街道)?(?:这边|那边|这儿|这里|一带|附近|本地)?(?:的|人|住|住的|居民|市民|的人|上班|工作|上学|生活|打工|落户)?(?:的|人)?(?:哈|呢|啊|呀|哦|嘞)?$/u
// Between two places (东营|垦利区, 高平|米山镇).
const STATEMENT_GAP = /^(?:市|区|县|的)?$/u
const CLAUSE = /[，,。！!；;？?\s]+/u

// ── Follow-ups ──
const CORRECTION =
  /^(?:不对|不是|错了|搞错了|说错了|我不是问这个|不是问这个|不是这个|我问的不是这个|我说的不是这个)[，,。!！\s]*(?:我(?:是)?(?:想|要)?问(?:的)?(?:是)?|我是说|我说的是|是问|是)?[，,:：\s]*(.+)$/u
// During a conversation, 「我问的是…」「我想问的是…」 alone also corrects the last question's topic.
const RESTATE = /^(?:我(?:是)?(?:想|要)?问的是|我是(?:想)?问|我说的是)[，,:：\s]*(.+)$/u
const ITEM = /第\s*([0-9一二三四五六七八九十两]{1,3})\s*(?:条|个|项|点|件|种|段|部分|个事)|(最后一)(?:条|个|项|点|件|种|段)/u
const ITEM_FILLER = /展开|讲讲|说说|讲一讲|说一说|详细|具体|看看|内容|是什么|是啥|什么|呢|吧|啊|的|再|一下|那|给我|我想|想|看|说|讲|打开|点开|呀/gu
const NEXT =
  /^(?:那)?(?:接着|继续|再|然后|往下)?(?:说|讲|往下说|多说点|多说一点|多说几句|说说|讲讲|详细说说|具体说说|展开说说|展开讲讲|展开说|展开讲|说详细点|讲详细点|详细点|多讲点|多讲讲|说下去|讲下去)(?:呢|吧|啊|呀)?$|^(?:还有呢|然后呢|下面呢|后面呢|接下来呢|还有吗|还有别的吗|下一条|下一段|继续|接着说|接着讲|再多说点|再多说一些|更多|看原文|原文|详细|详情|展开|\/more|more)$/iu
const DEICTIC = /那个|这个|这事|这件事|这块|这项工作|这项|这些|它|该项|刚才(?:那个|说的)?|上面(?:这个|说的)?/gu
const DEICTIC_AT_START = /^(?:那)?(?:那个|这个|这事|这件事|这块|这项|这些|它|该项)/u
// The part of a question that asks (谁牵头, 有哪些, 是多少): carried over to a corrected topic.
const ASK_PART = /(?:由|归|是|都有|有|[办做干搞弄]了)?(?:谁|哪个|哪些|哪家|什么|啥|多少|几|怎么|如何|咋|有没有|是否)[^，,。？?！!]*$/u
const PARTNERS = /配合|参与|协助|协同|还有哪些(?:单位|部门)|还有谁|其他(?:单位|部门)|别的(?:单位|部门)/u
const LEADS = /谁|哪个(?:部门|单位)|哪些(?:部门|单位)|什么(?:部门|单位)|哪家|牵头|负责|主管|主抓|归.{0,6}管|管的|谁管/u
const UNITS_FILLER = /那|是|由|归|谁|哪个|哪些|哪家|什么|部门|单位|机构|牵头|负责|主管|主抓|管|抓|的|来|呢|啊|呀|吗|还有|配合|参与|协助|协同|其他|别的|具体|主要|一起|都|有|在/gu
const ADVICE = /^(?:那|那么)?(?:我)?(?:现在)?(?:该|应该|要|得)?(?:怎么办|咋办|怎么做|咋整|怎么处理|如何处理|咋处理|该咋办|怎么弄)(?:呢|啊|呀|才好)?$/u
const WINDOW_FILLER = /[呢吗啊呀吧]|那(?:么)?|的话|的|活动|有什么|有啥|有没有|有吗|科普|安排|怎么样|再|看看|要是|如果是|呢/gu
const AUDIENCE_ASK = /能去|可以去|适合|参加|能参加|有吗|有没有|的呢|去的|玩的|能带|可以带|能玩|合适/u
// While 长辈模式 is on, these words belong to its menu.
const ELDER_MENU = /^(菜单|主菜单|回主菜单|回到主菜单|回菜单|回到菜单|返回菜单|返回|返回主菜单|目录|功能菜单|0)$/u

function bare(text: string): string {
  return text.replace(/[\s!！。.？?~～、，,：:；;]+/gu, '')
}

const CN: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 }
/** 「三」 → 3, 「十二」 → 12, 「7」 → 7. */
export function itemNumber(s: string): number | undefined {
  if (/^\d+$/u.test(s)) return Number(s)
  if (s.length === 1) return CN[s]
  const m = /^([一二三四五六七八九])?十([一二三四五六七八九])?$/u.exec(s)
  return m ? (m[1] ? CN[m[1]]! : 1) * 10 + (m[2] ? CN[m[2]]! : 0) : undefined
}

/**
 * THE router: decides once, before the handler chain, what a message is. Precedence, first match wins:
 *  1. forwarded → `check`;
 *  2. 长辈模式 on and a bare number or a menu word → `mode` (the menu answers, never a dead end);
 *  3. a bare number (no choice of the last reply had it) → item N of the list just shown, else off-menu;
 *  4. small talk only (「好嘞」「知道啦，多谢」) → `smalltalk`;
 *  5. a pasted notice (【…】, a link, a "relative" asking for money) → `check`;
 *  6. a region statement (「我家在利津」) → sets the region; alone → `region`, with a question → that question;
 *  7. follow-ups on the live dialogue: correction, item N, next part, who leads / who else, scam advice,
 *     another time window or audience for the events just listed, the same question for another region;
 *  8. questions: events (audience or activity words, no plan words) → `event`; plan vocabulary or 「咱市」
 *     words → `plan` (knowledge cards and venues stand aside; plan facts, departments and plan search answer);
 *     anything else is left to the answer handlers in stage order and the decline.
 */
export function createIntentRouter(deps: IntentRouterDeps): Router {
  const { regions, words } = deps
  const ownRegion = [...deps.ownRegionWords].filter((w) => Array.from(w).length >= 2)
  /** The intent of a question that leans on nothing: events when it asks for them, the plans when it is about them. */
  const questionRoute = (text: string, _input: RouterInput): Understanding => {
    if (asksForEvents(text)) return { intent: 'event' }
    if (PLAN_VOCABULARY.test(text) || PLAN_ASK.test(text) || ownRegion.some((w) => text.includes(w))) return { intent: 'plan' }
    return {}
  }
  return (input) => {
    const text = input.text.trim()
    const b = bare(text)
    // Group chatter not addressed to the bot is nobody's follow-up or small talk.
    if (input.incoming.isGroup && !input.incoming.mentioned) return {}
    if (input.incoming.forwarded) return { intent: 'check' }
    if (ELDER_MENU.test(b)) return input.user.elder ? { intent: 'mode' } : {}
    if (input.user.elder && /^\d{1,3}$/u.test(b)) return { intent: 'mode' }
    if (/^\d{1,3}$/u.test(b)) {
      const n = Number(b)
      return { intent: 'followup', followUp: input.dialogue?.list?.length ? { kind: 'item', n } : { kind: 'off-menu', n } }
    }
    if (smallTalkKind(text, words)) return { intent: 'smalltalk' }
    if (looksLikeNotice(text)) return { intent: 'check' }
    const statement = readRegionStatement(text, input.dialogue)
    if (statement) {
      const setRegion = { region: statement.place.region, ...(statement.place.district ? { district: statement.place.district } : {}) }
      if (!statement.rest) return { intent: 'region', setRegion }
      return { ...questionRoute(statement.rest, input), text: statement.rest, setRegion }
    }
    const followUp = readFollowUp(text, b, input)
    if (followUp) return followUp
    return questionRoute(text, input)
  }

  /** The place a region statement names and the question after it, if the message starts with one. */
  function readRegionStatement(text: string, dialogue: DialogueState | undefined): { place: PlaceMention; rest: string } | undefined {
    const clauses = text.split(CLAUSE).filter(Boolean)
    const first = clauses[0]
    if (!first) return undefined
    const places = regions.placesIn(first)
    if (!places.length || places.some((p) => p.region !== places[0]!.region)) return undefined
    const head = first.slice(0, places[0]!.at)
    const last = places[places.length - 1]!
    const tail = first.slice(last.at + last.length)
    const gaps = places.slice(1).map((p, i) => first.slice(places[i]!.at + places[i]!.length, p.at))
    if (!STATEMENT_LEAD.test(head) || !STATEMENT_TAIL.test(tail) || !gaps.every((g) => STATEMENT_GAP.test(g))) return undefined
    // A bare place name during a conversation asks the last question there (「高平」 after an answer).
    if (!head && !tail && clauses.length === 1 && dialogue?.question) return undefined
    const place = [...places].reverse().find((p) => p.district) ?? places[0]!
    const rest = text.slice(text.indexOf(first) + first.length).replace(/^[，,。！!；;\s]+/u, '').trim()
    // 「我老家利津，现在住东营」: the last statement is where the resident lives now.
    const again = rest ? readRegionStatement(rest.replace(/^(?:现在|目前|如今|后来)/u, ''), undefined) : undefined
    return again ?? { place, rest }
  }

  function readFollowUp(text: string, b: string, input: RouterInput): Understanding | undefined {
    const d = input.dialogue
    const correction = CORRECTION.exec(text) ?? (d ? RESTATE.exec(text) : null)
    if (correction && bare(correction[1]!).length >= 2) {
      let rest = correction[1]!.trim()
      // 「不是，我想问农民那块」 after 「青少年…谁牵头」: the new topic with the question the resident was asking.
      const ask = d?.question ? ASK_PART.exec(d.question)?.[0] : undefined
      if (ask && !ASK_PART.test(rest)) rest = `${rest.replace(/[。！!？?]+$/u, '')}${ask}`
      const own = regions.findIn(rest)
      const region = own ?? (d?.region ? regions.byName(d.region) : undefined)
      const again: Understanding = d?.intent === 'event' || d?.intent === 'department' || d?.intent === 'plan' ? { intent: d.intent } : {}
      const route = questionRoute(rest, input)
      return { ...again, ...(route.intent ? route : {}), followUp: { kind: 'correction' }, text: rest, ...(region ? { region } : {}) }
    }
    const item = ITEM.exec(b)
    if (item && !b.replace(item[0], '').replace(ITEM_FILLER, '')) {
      const n = item[2] ? (d?.list?.length ?? 1) : itemNumber(item[1]!)
      if (n) return { intent: 'followup', followUp: { kind: 'item', n } }
    }
    const unitsAsk = !b.replace(DEICTIC, '').replace(UNITS_FILLER, '') && (PARTNERS.test(b) || LEADS.test(b))
    if (!d) {
      // Without a conversation, 「接着说」「第二个」「这个归谁管」 have nothing to lean on: say so rather than search.
      if ((NEXT.test(b) && !/^(更多|看原文|原文|详细|详情|展开|\/more|more)$/iu.test(b)) || (unitsAsk && DEICTIC_AT_START.test(b))) return { intent: 'followup', followUp: { kind: 'next' } }
      return undefined
    }
    if (NEXT.test(b)) return { intent: 'followup', followUp: { kind: 'next' } }
    if ((d.passages?.length || d.action) && unitsAsk) return { intent: 'followup', followUp: { kind: 'units', who: PARTNERS.test(b) ? 'partners' : 'lead' } satisfies FollowUp }
    if (d.scam && ADVICE.test(b)) return { intent: 'followup', followUp: { kind: 'advice' } }
    if (d.events) {
      const today = dayOf(input.now)
      if (Array.from(b).length <= 12 && parseDateWindow(b, today) && !b.replace(WINDOW_FILLER, '').replace(/[0-9一二三四五六七八九十]+月份?|这周末?|下周末?|本周末?|周末|这个月|下个月|今天|明天|后天|最近|国庆|五一|元旦|春节|暑假|寒假|中秋|端午|清明|[上中下]旬/gu, '')) {
        return { intent: 'event', followUp: { kind: 'window' }, text: `${b.replace(/[呢吗啊呀吧]+$/u, '')}${d.events.audience ?? ''}有什么科普活动` }
      }
      if (audienceOf(b) && AUDIENCE_ASK.test(b) && Array.from(b).length <= 16) return { intent: 'event', followUp: { kind: 'audience' } }
    }
    if (d.question) {
      const places = regions.placesIn(text)
      const other = places[0]?.region
      if (other && places.every((p) => p.region === other) && onlyPlaceAndFiller(text, places, words)) {
        const region: RegionRef = other
        const again: Understanding = d.intent === 'event' || d.intent === 'department' || d.intent === 'plan' ? { intent: d.intent } : questionRoute(d.question, input)
        return { ...again, followUp: { kind: 'region' }, text: d.question, region }
      }
    }
    return undefined
  }
}
