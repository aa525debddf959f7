import type { Calendar } from '../calendar/calendar.js'
import { addDays, dayOf, partsOf } from '../calendar/local-day.js'
import type { Handler, ReplyWithMore } from '../core/bot.js'
import { routedElsewhere } from '../kepu/kepu-handler.js'
import type { Venue } from './load-venues.js'

/** What the venue handler needs. */
export interface VenueHandlerDeps {
  venues: readonly Venue[]
  /** For the events held at a venue; absent: none are linked. */
  calendar?: Calendar
}

/** The label every sample entry carries. */
export const SAMPLE_LABEL = '（示例信息，以主办方公布为准）'

// A place to learn science: named by kind, or asked for (「哪里能带孩子学科学」).
const VENUE = /科技馆|科普馆|科学馆|科普基地|教育基地|流动科技馆|大篷车|科普站|科普e站|博物馆|天文馆|科普场馆|展馆|科技小院/u
const WHERE_LEARN = /(哪里|哪儿|哪有|去哪|什么地方|啥地方|有没有地方).{0,12}(科学|科普|长见识|做实验|实验)|(带|领)(孩子|小孩|娃|学生).{0,12}(科学|科普|长见识|实验)/u
// Questions about the plans' building targets (「要建多少个科普教育基地」): the plans answer them.
const PLAN_ASK = /建设|创建|新建|建成|建几|建多|要建|多少个|几个|几家|目标|方案|规划|牵头|达到|面积|平米|十四五|部门|由谁/u
// A question about what happens there on a date is the calendar's, unless it asks about the place itself.
const EVENT_ASK = /活动|讲座|比赛|展演|科普日|科技周/u
const PLACE_ASK = /几点|开门|关门|开放|闭馆|门票|收费|免费|多少钱|预约|地址|在哪|怎么去|电话|适合|有没有|有吗|来我们|来俺|什么时候来|啥时候来|哪天来|几月来|来不来/u
const TRAVELLING = /大篷车|流动科技馆|巡展|流动/u
const WHEN = /什么时候|啥时候|几月|哪天|何时|多会|来不来|还来|会来|来我们|来俺|到我们|到俺/u
const KIDS = /孩子|小孩|儿童|娃|亲子|学生|小朋友|青少年/u
const PLACE_NAME = /(?:^|[来到去在住是和与的，,、\s])([\u4e00-\u9fff]{2,3}(?:镇|乡|街道|县|区|旗))/gu
const DETAIL_MAX = 2

/**
 * Venues (intent `venue`): 科技馆, 科普教育基地, 流动科技馆 and 科普大篷车 stops, per region: opening hours,
 * price and booking, what suits children, whether a district or town has one, when the travelling
 * exhibition comes (its stops), and the events held there. Sample entries are labelled. Questions about
 * the plans' targets for building venues, and event questions, go to `next()`.
 */
export function createVenueHandler(deps: VenueHandlerDeps): Handler {
  const { venues } = deps
  const regionsWith = [...new Set(venues.map((v) => v.region))]
  return async (ctx, next) => {
    const t = ctx.text.trim()
    if (!t || (ctx.incoming.isGroup && !ctx.incoming.mentioned)) return next()
    const asked = VENUE.test(t) || WHERE_LEARN.test(t)
    // The router's events intent may be a venue question with an audience word (「哪里能带孩子学科学」): ours.
    if (!asked || PLAN_ASK.test(t) || routedElsewhere(ctx, ['knowledge', 'event'])) return next()
    if (EVENT_ASK.test(t) && !PLACE_ASK.test(t)) return next()
    const elder = ctx.user.elder === true
    const region = ctx.region?.name
    if (!region) {
      const text = `您在哪个地区？我收录了这些地区的科普场馆：${regionsWith.join('、')}。发送「我在东营」这样的话设置地区后再问我。`
      return { text, answered: true, intent: 'venue', choices: regionsWith.map((r) => ({ label: r, value: `我在${r}` })) }
    }
    const here = venues.filter((v) => v.region === region)
    if (!here.length) return { text: `${region}的科普场馆我这里还没有收录，可以问问当地科协。`, answered: true, intent: 'venue' }

    if (TRAVELLING.test(t) && WHEN.test(t)) return stopsReply(t, here, ctx.now, elder)

    const named = placesIn(t, here)
    let shown = here
    let note = ''
    if (named.length) {
      const inPlace = here.filter((v) => named.some((p) => v.district?.includes(p) || p.includes(v.district ?? '\u0000') || (v.stops ?? []).some((s) => s.place.includes(p))))
      if (inPlace.length) shown = inPlace
      else note = `${named.join('、')}的科普场馆我这里还没有收录；${region}收录的有：`
    }
    const kind = kindAsked(t)
    if (kind) {
      const ofKind = shown.filter((v) => kind.test(v.name) || kind.test(v.kind))
      if (ofKind.length) shown = ofKind
      else if (!note) note = `${region}没有收录这一类场馆；可以去的有：`
    }
    if (KIDS.test(t)) {
      const forKids = shown.filter((v) => v.audiences.some((a) => a === '儿童' || a === '青少年' || a === '家长'))
      if (forKids.length) shown = forKids
    }
    // Fixed places first (a museum before a travelling caravan), museums first of all.
    shown = [...shown].sort((a, b) => rank(a) - rank(b))
    return listReply(shown, note, elder, eventsAt(shown, ctx.now, deps.calendar))
  }
}

function rank(v: Venue): number {
  return v.kind === '科技馆' ? 0 : v.stops ? 3 : v.kind === '科普教育基地' ? 1 : 2
}

/** The kind a question names, as a pattern over names and kinds. */
function kindAsked(t: string): RegExp | undefined {
  if (/流动科技馆|大篷车/u.test(t)) return /流动科技馆|大篷车/u
  if (/科技馆|科普馆|科学馆/u.test(t)) return /^科技馆$|科技馆$/u
  if (/基地/u.test(t)) return /基地/u
  if (/科普站|科普e站/u.test(t)) return /科普站|科普e站/u
  if (/博物馆/u.test(t)) return /博物馆/u
  if (/科技小院/u.test(t)) return /科技小院/u
  return undefined
}

/**
 * Town and district names a question mentions (「锦界镇有没有…」): the venues' own districts and stops
 * first, else a name ending in 镇/乡/街道/县/区/旗 after a word boundary (not 「我们镇」).
 */
function placesIn(t: string, venues: readonly Venue[]): string[] {
  const known = new Set(venues.flatMap((v) => [v.district ?? '', ...(v.stops ?? []).map((s) => s.place)]).filter((p) => p.length >= 2))
  const found = [...known].filter((p) => t.includes(p))
  if (found.length) return found
  return [...new Set([...t.matchAll(PLACE_NAME)].map((m) => m[1]!))].filter((p) => !/^(我们|俺们|咱们|城区|市区|郊区|社区|景区|本区|全区|全县)/u.test(p))
}

function line(v: Venue): string {
  return `· ${v.name}（${v.kind}${v.district ? `，${v.district}` : ''}）：${v.hours}；${v.price}`
}

function detail(v: Venue): string {
  return [`${v.name}（${v.kind}${v.district ? `，${v.district}` : ''}）：${v.summary}`, `开放：${v.hours}；${v.price}；${v.booking}。`, `地址：${v.address}${v.phone ? `；电话：${v.phone}` : ''}`].join('\n')
}

function listReply(shown: Venue[], note: string, elder: boolean, events: string[]): ReplyWithMore {
  const sample = shown.some((v) => v.sample) ? SAMPLE_LABEL : ''
  if (elder) {
    const v = shown[0]!
    const text = [`${note}${v.name}：${v.hours}，${v.price}。`, sample].filter(Boolean).join('\n')
    const more = shown.map(detail).join('\n\n')
    return { text: `${text}\n回复「更多」看地址和其他场馆`, answered: true, intent: 'venue', more }
  }
  const head = note || ''
  const parts = [head, ...shown.slice(0, DETAIL_MAX).map((v, i) => (i === 0 ? detail(v) : line(v))), ...(shown.length > 1 ? [shown.length > DETAIL_MAX ? `还有 ${shown.length - DETAIL_MAX} 处，回复「更多」看详细` : '回复「更多」看详细'] : [])]
  if (events.length) parts.push(`近期在这里的活动：${events.join('；')}`)
  if (sample) parts.push(sample)
  const more = shown.length > 1 ? shown.slice(1).map(detail).join('\n\n') : undefined
  return { text: parts.filter(Boolean).join('\n'), answered: true, intent: 'venue', ...(more ? { more } : {}) }
}

/** When the travelling exhibition comes: the stops from this month on (the town asked about first). */
function stopsReply(t: string, here: Venue[], now: Date, elder: boolean): ReplyWithMore {
  const travelling = here.filter((v) => v.stops?.length && (/大篷车/u.test(t) ? true : v.kind === '流动科技馆' || v.kind === '科普大篷车'))
  const month = dayOf(now).slice(0, 7)
  const named = placesIn(t, here)
  const lines: string[] = []
  for (const v of travelling) {
    const upcoming = (v.stops ?? []).filter((s) => s.month >= month)
    const asked = upcoming.filter((s) => named.some((p) => s.place.includes(p) || p.includes(s.place)))
    const list = (asked.length ? asked : upcoming).slice(0, elder ? 2 : 4)
    if (!list.length) lines.push(`${v.name}近期的巡展站点还没有公布，${v.booking}。`)
    else lines.push(`${v.name}（${v.kind}）接下来的巡展：${list.map((s) => `${monthName(s.month)} ${s.place}`).join('；')}。${elder ? '' : `${v.hours}，${v.price}；${v.booking}。`}`)
  }
  if (!lines.length) {
    const text = `${here[0]!.region}没有收录流动科技馆或科普大篷车的巡展安排，可以问问当地科协。`
    return { text, answered: true, intent: 'venue' }
  }
  if (named.length && !lines.some((l) => named.some((p) => l.includes(p)))) lines.unshift(`暂时没有到${named.join('、')}的安排，可以请村委会、学校向科协申请。`)
  else if (!named.length) lines.push('没排到您那里的话，可以请村委会或学校联系科协预约。')
  if (travelling.some((v) => v.sample)) lines.push(SAMPLE_LABEL)
  return { text: lines.join('\n'), answered: true, intent: 'venue' }
}

function monthName(ym: string): string {
  const [y, m] = ym.split('-')
  return `${y}年${Number(m)}月`
}

/** Upcoming events (next 60 days) whose place is one of these venues. */
function eventsAt(shown: Venue[], now: Date, calendar: Calendar | undefined): string[] {
  if (!calendar) return []
  const today = dayOf(now)
  const names = shown.slice(0, DETAIL_MAX).map((v) => ({ v, key: v.name.replace(/（.*?）/gu, '') }))
  const out: string[] = []
  const year = partsOf(today).year
  for (const o of calendar.occurrences(today, addDays(today, 60), { kind: 'local' })) {
    const place = o.event?.place ?? ''
    const at = names.find(({ v, key }) => o.region === v.region && place.includes(key))
    if (at) {
      const { month, day, year: y } = partsOf(o.start)
      out.push(`${y === year ? '' : `${y}年`}${month}月${day}日 ${o.name}（${at.key}）`)
    }
    if (out.length >= 2) break
  }
  return out
}
