import { createHash } from 'node:crypto'
import type { RegionResolver } from '../core/bot.js'
import type { Clock } from '../core/clock.js'
import type { HttpRequest, HttpResponse, HttpRoute } from '../core/skill.js'
import type { Calendar } from './calendar.js'
import { buildIcsFeed } from './ics-feed.js'
import { addDays, dayOf } from './local-day.js'

/** The path of a region's public feed; `all` is every region. */
export const ICS_PATH = '/calendar/:region'

/**
 * The public iCalendar feeds residents subscribe to on a phone: `/calendar/东营市.ics` (or the short form,
 * `/calendar/all.ics` for every region), 30 days back and 13 months ahead, with an ETag so calendar apps
 * that poll get 304 when nothing changed, and an hour of caching. Stored events (added in the console) are
 * in the feed as soon as they are in the calendar.
 */
export function icsRoute(deps: { calendar: () => Calendar; regions: RegionResolver; clock: Clock }): HttpRoute {
  return {
    method: 'GET',
    path: ICS_PATH,
    handle(req: HttpRequest): HttpResponse {
      const m = /^\/calendar\/([^/]+)\.ics$/u.exec(decodeURIComponent(req.path))
      if (!m) return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Not Found' }
      const wanted = m[1]!
      const region = wanted === 'all' ? undefined : deps.regions.byName(wanted)?.name
      if (wanted !== 'all' && !region) return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: `没有「${wanted}」这个地区的日历` }
      const today = dayOf(deps.clock.now())
      const from = addDays(today, -30)
      const to = addDays(today, 400)
      const body = buildIcsFeed(deps.calendar(), { from, to, ...(region ? { region } : {}), stamp: new Date(`${from}T00:00:00Z`) })
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`
      const headers = { 'content-type': 'text/calendar; charset=utf-8', etag, 'cache-control': 'public, max-age=3600', 'content-disposition': `inline; filename="kepu-${wanted === 'all' ? 'all' : 'region'}.ics"` }
      if (req.headers['if-none-match'] === etag) return { status: 304, headers }
      return { status: 200, headers, body }
    },
  }
}
