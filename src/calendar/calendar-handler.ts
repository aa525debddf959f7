import type { Context, Handler, ReplyWithMore } from '../core/bot.js'
import type { EventRef } from '../core/reply.js'
import { foldForMatch } from './alias-match.js'
import type { Calendar, Occurrence } from './calendar.js'
import { parseDateWindow, parseYearHint, RECENT_DAYS, type DateWindow } from './date-phrase.js'
import { parseEventTime } from './event-schema.js'
import { formatDay, formatSpan, formatTime } from './format-day.js'
import { weekdayName } from '../core/shanghai-time.js'
import { foldText } from '../search/fold-text.js'
import { addDays, dayOf, daysBetween, partsOf, type LocalDay } from './local-day.js'
import type { Audience, Observance } from './observance-schema.js'

/** What the calendar handler needs. */
export interface CalendarHandlerDeps {
  calendar: Calendar
}

/** Items shown before 「更多」 (3 in elder mode). */
export const MAX_ITEMS = 5
export const MAX_ITEMS_ELDER = 3
/** At most this many entries go behind 「更多」; a year's list would be a wall of text. */
const MAX_MORE_ITEMS = 15
/** At most this many entries travel in `events` (the rest are counted only). */
const MAX_EVENT_REFS = 30

/** Asking when: 哪天, 几号, 什么时候, 哪个月, 开始 … */
const WHEN = /哪天|哪一天|哪日|几号|几月|哪个月|哪月|什么时候|啥时候|什么时间|何时|日期|时间|哪几天|开始|结束|截止|多久|多长|周几|星期几|礼拜几|还有几天|还有多少天|到了吗|是今天|是明天|几时/
/** Asking what is on: 活动, 纪念日, 什么日子 … */
const EVENTS = /去哪|哪里玩|活动|纪念日|节日|宣传日|宣传周|宣传月|主题日|展览|展会|讲座|开放日|参观|科普(?:日|月|周|展|营|课)|大篷车|实验秀|什么日子|啥日子|什么节|有什么安排|好玩|可以去|能去|参加/
/** A plain ask for what is on, even without a date: 有什么科普活动, 最近有啥活动. */
const EVENT_ASK = /(有什么|有啥|有哪些|有没有|都有|还有)(科普|科学|适合[^，。？?]{0,6}的)?(活动|展览|讲座|纪念日|节日)|(活动|展览|讲座)(安排|日程|预告|吗|么)/
/** Asking where or whether a kind of local event is on: 「科普大篷车什么时候来」「实验秀在哪」. */
const LOCAL_ASK = /在哪|哪里|什么地方|来不来|会来|还有吗|有吗|有没有|报名/
/** How far ahead a question about a kind of local event looks. */
const TERM_DAYS = 365
/** Plan questions belong to the plan search: who leads, targets, counts, tasks. */
const PLAN_WORDS = /部门|牵头|负责|主管|归哪|归谁|目标|比例|多少场|多少次|多少人|几场|几次|方案|纲要|任务|措施|工程|分工|考核|经费|达到|要开展|应开展|开展哪些|如何开展|怎么开展|科学素质|提升行动/
/** Audience words in a question and the audiences they select. */
const AUDIENCE_WORDS: [RegExp, Audience[], string][] = [
  [/孩子|儿童|小孩|小朋友|学生|青少年|亲子|娃/, ['儿童', '青少年'], '适合孩子'],
  [/老人|老年|长辈|爷爷|奶奶|姥姥|姥爷|外公|外婆|退休/, ['老年人'], '适合老年人'],
  [/农民|种地|农村|养殖/, ['农民'], '面向农民'],
  [/工人|职工|企业员工/, ['产业工人'], '面向职工'],
  [/干部|公务员/, ['领导干部和公务员'], '面向干部'],
]
/** Activity words that, with an audience word, make a question about events: 「适合孩子的活动」「老人能去的讲座」. */
const ACTIVITY = /活动|展览|展会|讲座|开放日|参观|科普(?:日|月|周|展|营|课)|大篷车|实验秀|夏令营|研学|体验|能去|可以去|去哪|去玩|好玩/

/** The audience a question names (孩子 → 儿童, 青少年), with its label, or undefined. */
export function audienceOf(text: string): { audiences: Audience[]; label: string } | undefined {
  const picked = AUDIENCE_WORDS.find(([re]) => re.test(text))
  return picked ? { audiences: picked[1], label: picked[2] } : undefined
}

/**
 * True when a question asks what is on rather than what a plan says: an ask for events (有什么科普活动),
 * or an audience with activity words (「有没有适合老年人的科普活动」「带孩子能去的活动」), and no plan words
 * (牵头, 目标, 任务 …). The intent router uses it; the calendar answers such questions even without a date.
 */
export function asksForEvents(text: string): boolean {
  const t = foldText(text)
  if (PLAN_WORDS.test(t)) return false
  if (EVENT_ASK.test(t)) return true
  return !!audienceOf(t) && ACTIVITY.test(t) && /有|吗|哪|什么|啥|推荐|适合|能|可以/.test(t)
}

/** Filler that does not make a question long: 「丰收节呢？」 is still brief. */
const FILLER = /[是的呢吗嘛啊呀了？?！!。，,请问一下查询告诉我想知道]/g

/**
 * The calendar handler: answers when an observance is held (「防灾减灾日是哪天」 → the next
 * occurrence with weekday and days until) and what is on in a window (「这周末有什么科普活动」 →
 * up to five entries, local events of the user's region first, the rest behind 「更多」). Filters by
 * audience (适合孩子/老人) and by `ctx.region`. Anything else goes to `next()`.
 */
export function createCalendarHandler(deps: CalendarHandlerDeps): Handler {
  const { calendar } = deps
  // Kinds of local events residents ask for by name (科普大篷车, 科学实验秀): the events' own tags that
  // are not observances, longest first.
  const eventTerms = [...new Set(calendar.events.flatMap((e) => e.tags))]
    .filter((t) => Array.from(t).length >= 3 && !calendar.findObservance(t))
    .sort((a, b) => b.length - a.length)
  return async (ctx, next) => {
    // Traditional characters and full-width forms read like the simplified ones (防災減災日 → 防灾减灾日).
    const text = foldText(ctx.text)
    const today = dayOf(ctx.now)
    const asked = ctx.dialogue?.events
    // 「带孩子能去的有吗」 after a list of events: the same window, for that audience.
    if (ctx.followUp?.kind === 'audience' && asked) {
      return windowReply(ctx, text, calendar, { from: asked.from as LocalDay, to: asked.to as LocalDay, label: asked.label }, today)
    }
    if (!text || ctx.intent === 'plan' || (PLAN_WORDS.test(text) && ctx.intent !== 'event')) return next()
    const hit = calendar.matchObservance(text)
    const window = parseDateWindow(text, today)
    if (hit) {
      const rest = foldForMatch(text).replace(hit.key, '').replace(FILLER, '')
      const brief = Array.from(rest).length <= 3
      // 「地球日是4月22日吗」 and 「下周有防灾减灾日吗」 name a date too: still a question about the day.
      // A bare number (119, 315) is a day only when asked about as one: 「我要打119」 is not.
      const byName = !/^\d+$/.test(hit.key)
      if (WHEN.test(text) || EVENTS.test(text) || (byName && (brief || window))) return observanceReply(ctx, text, calendar, hit.value, today)
    }
    const term = eventTerms.find((t) => text.includes(t))
    if (term && (WHEN.test(text) || EVENT_ASK.test(text) || window || LOCAL_ASK.test(text))) {
      const reply = windowReply(ctx, text, calendar, window ?? { from: today, to: addDays(today, TERM_DAYS - 1), label: '近一年' }, today, term)
      if (reply.events?.length) return reply
      // No such event on the calendar: 「科技馆在哪」 may still be answered by the plans; say "none" only if not.
      const other = await next()
      return other.answered ? other : reply
    }
    if (window && EVENTS.test(text)) return windowReply(ctx, text, calendar, window, today)
    if (!window && (EVENT_ASK.test(text) || ctx.intent === 'event')) {
      return windowReply(ctx, text, calendar, { from: today, to: addDays(today, RECENT_DAYS - 1), label: '最近' }, today)
    }
    if (window && ctx.intent === 'event') return windowReply(ctx, text, calendar, window, today)
    return next()
  }
}

/** The answer to 「X是哪天」: this or next occurrence, days until, whether it is on now. */
function observanceReply(ctx: Context, text: string, calendar: Calendar, o: Observance, today: LocalDay): ReplyWithMore {
  const elder = !!ctx.user.elder
  const thisYear = partsOf(today).year
  const hint = parseYearHint(text, today)
  const lines: string[] = []
  let shown: Occurrence | undefined

  if (hint && hint.year !== thisYear) {
    shown = calendar.inYear(o, hint.year)[0]
    if (!shown) {
      const reason = o.since && hint.year < o.since ? `，${o.name}从${o.since}年开始设立` : ''
      lines.push(`${hint.year}年没有${o.name}的日期记录${reason}。`)
      shown = calendar.next(o, today)
      if (shown) lines.push(`下一次：${formatSpan(shown.start, shown.end, thisYear, { withYear: true })}，${countdown(shown, today)}。`)
    } else {
      lines.push(`${hint.year}年的${o.name}：${formatSpan(shown.start, shown.end, thisYear, { withYear: true })}${shown.end < today ? '，已经过去了' : `，${countdown(shown, today)}`}。`)
    }
  } else {
    const upcoming = calendar.next(o, today)
    const thisOne = hint ? calendar.inYear(o, thisYear)[0] : undefined
    if (thisOne && thisOne.end < today) {
      // 「今年…是哪天」 after the day: say when it was, then the next one.
      lines.push(`今年的${o.name}是${formatSpan(thisOne.start, thisOne.end, thisYear, { withYear: true })}，已经过去了。`)
      if (upcoming) lines.push(`下一次是${formatSpan(upcoming.start, upcoming.end, thisYear, { withYear: true })}，${countdown(upcoming, today)}。`)
      shown = upcoming
    } else if (upcoming) {
      shown = upcoming
      const ongoing = upcoming.start <= today
      const when = formatSpan(upcoming.start, upcoming.end, thisYear, { withYear: true })
      if (o.rule.kind === 'month' && !o.overrides.some((v) => v.start === upcoming.start)) {
        lines.push(`${o.name}在每年${o.rule.month}月。${ongoing ? `现在${countdown(upcoming, today)}` : `下一次是${when}，${countdown(upcoming, today)}`}。`)
      } else {
        lines.push(`${o.name}${ongoing && upcoming.start !== upcoming.end ? '是' : '：'}${when}，${countdown(upcoming, today)}。`)
      }
    } else {
      lines.push(`暂时没有${o.name}的日期。`)
    }
  }
  if (o.approximate && shown && !o.overrides.some((v) => v.start === shown!.start)) {
    lines.push(elder ? '具体日期以当年通知为准。' : '（按往年惯例推算，具体日期以当年官方通知为准。）')
  }
  if (!elder) lines.push(o.description)

  const locals = shown ? localDuring(calendar, shown, ctx.region?.name, ctx.region ? 2 : 0) : []
  if (locals.length) {
    lines.push(`${ctx.region!.short}本地活动：`)
    for (const e of locals) lines.push(`· ${eventLine(e, thisYear)}`)
  }
  const events = [shown, ...locals].filter((x): x is Occurrence => !!x).map(toRef)
  return { text: lines.join('\n'), answered: true, intent: 'event', events }
}

/** The answer to 「这周末有什么科普活动」: entries in the window, local first, the rest behind 「更多」. */
function windowReply(ctx: Context, text: string, calendar: Calendar, window: DateWindow, today: LocalDay, tag?: string): ReplyWithMore {
  const elder = !!ctx.user.elder
  const thisYear = partsOf(today).year
  const region = ctx.region?.name
  const picked = AUDIENCE_WORDS.find(([re]) => re.test(text))
  const audiences = picked?.[1]
  // The question is remembered as the calendar reads it back, so 「那东营呢」 asks the same window and audience there.
  const question = `${window.label}${picked ? `${picked[2]}的` : ''}${tag ?? '科普活动'}有哪些`
  const remember = { events: { from: window.from, to: window.to, label: window.label, ...(picked ? { audience: picked[2] } : {}) }, ...(ctx.region ? { region: ctx.region.name } : {}), question }
  const found = calendar.occurrences(window.from, window.to, { region, audiences })
  const all = tag ? found.filter((o) => o.event?.tags.includes(tag)) : found
  const locals = all.filter((o) => o.kind === 'local' && (!region || o.region === region))
  const others = all.filter((o) => !locals.includes(o))
  // With a region, its local events come first; without one, national days first and every region's events after.
  const ordered = region ? [...locals, ...others] : [...others, ...locals]
  const range = window.from === window.to
    ? `${formatDay(window.from, thisYear, { weekday: false })}，${weekdayName(partsOf(window.from).weekday)}`
    : formatSpan(window.from, window.to, thisYear, { weekday: false })
  const who = `${picked ? `${picked[2]}的` : ''}${tag ? `「${tag}」` : ''}`
  const where = ctx.region ? `${ctx.region.short}` : ''

  if (!ordered.length) {
    const lines = [`${window.label}（${range}）${where}没有查到${who}${tag ? '活动' : '科普活动或纪念日'}。`]
    const after = calendar.occurrences(addDays(window.to, 1), addDays(window.to, tag ? TERM_DAYS : 60), { region, audiences })
    const later = tag ? after.find((o) => o.event?.tags.includes(tag)) : after[0]
    if (later) lines.push(`之后最近的是：${itemLine(later, thisYear, today, !region)}`)
    if (!ctx.region) lines.push('告诉我您在哪个地区（如「我在东营」），可以查本地活动。')
    return { text: lines.join('\n'), answered: true, intent: 'event', events: later ? [toRef(later)] : [], remember }
  }

  const limit = elder ? MAX_ITEMS_ELDER : MAX_ITEMS
  const head = ordered.slice(0, limit)
  const tail = ordered.slice(limit)
  const lines = [`${window.label}（${range}）${where}${who}${tag ? '活动' : '科普活动和纪念日'}：`]
  head.forEach((o, i) => lines.push(`${i + 1}. ${itemLine(o, thisYear, today, !region)}`))
  if (tail.length) lines.push(`还有${tail.length}项，回复「更多」查看。`)
  if (head.some((o) => o.kind === 'local')) lines.push(elder ? '以主办方通知为准。' : '本地活动时间地点以主办方通知为准。')
  else if (!ctx.region && !elder) lines.push('告诉我您在哪个地区（如「我在东营」），可以查本地活动。')
  // The list is remembered, so 「2」 or 「第二个」 opens its second entry.
  const list = ordered.slice(0, limit + MAX_MORE_ITEMS).map((o) => ({ label: o.name, text: detailOf(o, thisYear, today) }))
  const reply: ReplyWithMore = { text: lines.join('\n'), answered: true, intent: 'event', events: ordered.slice(0, MAX_EVENT_REFS).map(toRef), remember: { ...remember, list } }
  if (tail.length) {
    const rest = tail.slice(0, MAX_MORE_ITEMS).map((o, i) => `${limit + i + 1}. ${itemLine(o, thisYear, today, !region)}`)
    if (tail.length > MAX_MORE_ITEMS) rest.push(`……共${ordered.length}项，可以缩小时间范围再问，或订阅科普活动日历查看全部。`)
    reply.more = rest.join('\n')
  }
  return reply
}

/** What opening one entry of an events list shows: when, where, who it is for, what it is. */
function detailOf(o: Occurrence, thisYear: number, today: LocalDay): string {
  if (o.kind === 'local' && o.event) {
    const e = o.event
    const who = e.audiences?.length ? `\n适合：${e.audiences.join('、')}` : ''
    const about = 'description' in e && typeof e.description === 'string' && e.description ? `\n${e.description}` : ''
    return `${eventLine(o, thisYear)}${o.region ? `（${o.region}）` : ''}${who}${about}\n时间地点以主办方通知为准。`
  }
  const until = o.start > today ? `，还有${daysBetween(today, o.start)}天` : ''
  return `${o.name}：${formatSpan(o.start, o.end, thisYear, { withYear: true })}${until}。${o.observance?.description ? `\n${o.observance.description}` : ''}`
}

function itemLine(o: Occurrence, thisYear: number, today: LocalDay, showRegion: boolean): string {
  if (o.kind === 'local') return `${showRegion && o.region ? `【${o.region}】` : ''}${eventLine(o, thisYear)}`
  const ongoing = o.start < today && o.end >= today && o.start !== o.end
  return `${formatSpan(o.start, o.end, thisYear)} ${o.name}${ongoing ? '（进行中）' : ''}`
}

function eventLine(o: Occurrence, thisYear: number): string {
  const e = o.event!
  const start = parseEventTime(e.start)
  const time = start.minutes !== undefined && o.start === o.end ? ` ${formatTime(start.minutes)}` : ''
  return `${formatSpan(o.start, o.end, thisYear)}${time} ${e.title}（${e.place}）`
}

/** 「还有7天」, 「就是今天」, 「正在进行中，还剩5天」. */
function countdown(o: Occurrence, today: LocalDay): string {
  if (o.start > today) return `还有${daysBetween(today, o.start)}天`
  if (o.start === o.end) return '就是今天'
  const left = daysBetween(today, o.end)
  return left === 0 ? '正在进行中，今天是最后一天' : `正在进行中，还剩${left + 1}天`
}

function localDuring(calendar: Calendar, o: Occurrence, region: string | undefined, max: number): Occurrence[] {
  if (!region || max <= 0) return []
  const tagged = (e: Occurrence): boolean => !!e.event && (e.event.tags.includes(o.name) || (o.observance?.aliases ?? []).some((a) => e.event!.tags.includes(a)))
  const during = calendar.occurrences(o.start, o.end, { region, kind: 'local' })
  return [...during.filter(tagged), ...during.filter((e) => !tagged(e))].slice(0, max)
}

function toRef(o: Occurrence): EventRef {
  const ref: EventRef = { name: o.name, start: o.start, end: o.end, kind: o.kind }
  if (o.region) ref.region = o.region
  return ref
}
