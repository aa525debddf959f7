import { describe, expect, it } from 'vitest'
import { telegramWebhookRoute } from '../../../adapters/telegram/webhook-route.js'
import type { TgUpdate } from '../../../adapters/telegram/to-incoming.js'
import { MemoryLogger } from '../../../src/core/logger.js'
import type { HttpRequest } from '../../../src/core/skill.js'
import { startHttpServer } from '../../../src/http/http-server.js'

const req = (body: string, secret?: string): HttpRequest => ({ method: 'POST', path: '/hook', query: new URLSearchParams(), headers: secret === undefined ? {} : { 'x-telegram-bot-api-secret-token': secret }, body })

function rig(closed = false) {
  const logger = new MemoryLogger()
  const accepted: TgUpdate[] = []
  let t = 0
  const route = telegramWebhookRoute({ path: '/hook', secret: 'right', accept: (u) => accepted.push(u), closed: () => closed, logger, now: () => t })
  return { route, logger, accepted, tick: (ms: number) => (t += ms) }
}

describe('telegramWebhookRoute', () => {
  it('takes an authenticated JSON update and answers 200', async () => {
    const { route, accepted } = rig()
    expect((await route.handle(req('{"update_id":7}', 'right'))).status).toBe(200)
    expect(accepted).toEqual([{ update_id: 7 }])
  })

  it('refuses a wrong or missing secret with 401, and logs the refusals once a minute with a count', async () => {
    const { route, logger, accepted, tick } = rig()
    for (let i = 0; i < 2000; i++) expect((await route.handle(req('{"update_id":1}', i % 2 ? 'wrong' : undefined))).status).toBe(401)
    expect(accepted).toHaveLength(0)
    expect(logger.records.filter((r) => JSON.stringify(r).includes('E_WEBHOOK_SECRET'))).toHaveLength(1)
    tick(60_000)
    await route.handle(req('{}', 'nope'))
    const lines = logger.records.filter((r) => JSON.stringify(r).includes('E_WEBHOOK_SECRET'))
    expect(lines).toHaveLength(2)
    expect(JSON.stringify(lines[1])).toContain('"refused":2000')
  })

  it('answers 400 to a body that is not JSON and 503 while the adapter is closed', async () => {
    expect((await rig().route.handle(req('{not json', 'right'))).status).toBe(400)
    expect((await rig(true).route.handle(req('{"update_id":1}', 'right'))).status).toBe(503)
  })

  it('gets 413 from the HTTP server for a body over the limit, not a reset connection', async () => {
    const { route, accepted } = rig()
    const http = await startHttpServer({ host: '127.0.0.1', port: 0, routes: [route], logger: new MemoryLogger(), bodyLimitBytes: 1024 })
    try {
      const res = await fetch(`http://127.0.0.1:${http.port}/hook`, { method: 'POST', headers: { 'x-telegram-bot-api-secret-token': 'right' }, body: JSON.stringify({ update_id: 1, pad: 'x'.repeat(5000) }) })
      expect(res.status).toBe(413)
      expect(accepted).toHaveLength(0)
      const ok = await fetch(`http://127.0.0.1:${http.port}/hook`, { method: 'POST', headers: { 'x-telegram-bot-api-secret-token': 'right' }, body: '{"update_id":2}' })
      expect(ok.status).toBe(200)
      expect((await fetch(`http://127.0.0.1:${http.port}/other`)).status).toBe(404)
    } finally {
      await http.close()
    }
  })
})
