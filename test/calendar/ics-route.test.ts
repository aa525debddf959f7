import ical from 'node-ical'
import { describe, expect, it } from 'vitest'
import { icsRoute } from '../../src/calendar/ics-route.js'
import { silentLogger } from '../../src/core/logger.js'
import { startHttpServer } from '../../src/http/http-server.js'
import { FakeClock } from '../fakes/fake-clock.js'
import { testApp } from '../helpers/app.js'

describe('GET /calendar/{region}.ics', () => {
  it('serves a region feed a phone can subscribe to, with an ETag and caching; 304 when unchanged; 404 for an unknown region', async () => {
    const app = testApp()
    const route = icsRoute({ calendar: () => app.calendar, regions: app.knowledge.regions, clock: new FakeClock('2026-05-05T01:00:00Z') })
    const http = await startHttpServer({ host: '127.0.0.1', port: 0, routes: [route], logger: silentLogger })
    try {
      const base = `http://127.0.0.1:${http.port}`
      const res = await fetch(`${base}/calendar/${encodeURIComponent('东营')}.ics`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toContain('text/calendar')
      expect(res.headers.get('cache-control')).toContain('max-age')
      const body = await res.text()
      const events = Object.values(ical.sync.parseICS(body)).filter((e) => e?.type === 'VEVENT')
      expect(events.length).toBeGreaterThan(5)
      expect(body).toContain('全国防灾减灾日')
      const etag = res.headers.get('etag')!
      expect((await fetch(`${base}/calendar/${encodeURIComponent('东营市')}.ics`, { headers: { 'if-none-match': etag } })).status).toBe(304)
      expect((await fetch(`${base}/calendar/all.ics`)).status).toBe(200)
      expect((await fetch(`${base}/calendar/${encodeURIComponent('火星')}.ics`)).status).toBe(404)
    } finally {
      await http.close()
    }
  })
})
