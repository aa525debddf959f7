import { serve, type ServerType } from '@hono/node-server'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { AddressInfo } from 'node:net'
import { errorCode } from '../core/errors.js'
import type { Logger } from '../core/logger.js'
import type { HttpRequest, HttpRoute } from '../core/skill.js'

/** Where and how the one HTTP server listens. */
export interface HttpServerOptions {
  host: string
  port: number
  routes: readonly HttpRoute[]
  logger: Logger
  /** The largest request body accepted; larger ones get 413 (default 1 MiB). */
  bodyLimitBytes?: number
}

/** A started HTTP server. */
export interface HttpServer {
  /** The port it listens on (useful with port 0). */
  readonly port: number
  /** Stops taking connections and closes the open ones. */
  close(): Promise<void>
}

/**
 * The one HTTP server `serve` owns (Hono on Node's http): skills and adapters register routes on it
 * (health checks, the Telegram webhook, later the console and the WeChat callback). Two routes on one
 * method and path are a programming error. A route that throws answers 500 with no detail.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const log = options.logger.child({ module: 'http' })
  const app = new Hono()
  app.use('*', bodyLimit({ maxSize: options.bodyLimitBytes ?? 1 << 20, onError: (c) => c.text('Payload Too Large', 413) }))
  const seen = new Set<string>()
  for (const route of options.routes) {
    const key = `${route.method} ${route.path}`
    if (seen.has(key)) throw new Error(`http: two routes for ${key}`)
    seen.add(key)
    app.on(route.method, route.path, async (c) => {
      const url = new URL(c.req.url)
      const req: HttpRequest = {
        method: c.req.method,
        path: url.pathname,
        query: url.searchParams,
        headers: c.req.header(),
        body: route.method === 'POST' ? await c.req.text() : '',
      }
      try {
        const res = await route.handle(req)
        return c.body(res.body ?? '', res.status as 200, res.headers ?? {})
      } catch (err) {
        log.error({ code: errorCode(err), route: key }, 'route failed')
        return c.text('Internal Server Error', 500)
      }
    })
  }
  app.notFound((c) => c.text('Not Found', 404))
  let server: ServerType | undefined
  await new Promise<void>((resolve, reject) => {
    server = serve({ fetch: app.fetch, hostname: options.host, port: options.port }, () => resolve())
    server.once('error', reject)
  })
  const s = server!
  const port = (s.address() as AddressInfo).port
  log.info({ host: options.host, port, routes: options.routes.length }, 'http listening')
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        s.close(() => resolve())
        if ('closeAllConnections' in s) (s as { closeAllConnections(): void }).closeAllConnections()
      }),
  }
}
