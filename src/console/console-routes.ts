import { createHmac } from 'node:crypto'
import type { HttpRequest, HttpResponse, HttpRoute } from '../core/skill.js'
import { clearedSessionCookie, cookieOf, hashSecret, LoginLimiter, newSecret, sameSecret, SESSION_COOKIE, SESSION_IDLE_MS, sessionCookie } from './auth.js'
import { htmlResponse, redirect, type ConsoleDeps, type StaffHandler } from './console-context.js'
import { h } from './html.js'
import { CONSOLE_CSS, page } from './layout.js'
import { alertRoutes } from './page-alerts.js'
import { announcementRoutes } from './page-announcements.js'
import { auditRoutes } from './page-audit.js'
import { contentRoutes } from './page-content.js'
import { eventRoutes } from './page-events.js'
import { handoffRoutes } from './page-handoff.js'
import { overviewRoutes } from './page-overview.js'
import { requestRoutes } from './page-requests.js'
import { unansweredRoutes } from './page-unanswered.js'

/** Sent with every console response: no framing, no sniffing, no referrer, nothing loaded from elsewhere, no script. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
}

function secured(res: HttpResponse): HttpResponse {
  return { ...res, headers: { ...SECURITY_HEADERS, ...(res.headers ?? {}) } }
}

/** The signature of a redirect's notice and error, keyed by the session's secret. */
function messageSig(query: URLSearchParams, key: string): string {
  return createHmac('sha256', key).update(`${query.get('notice') ?? ''}\u0000${query.get('error') ?? ''}`).digest('base64url').slice(0, 22)
}

/** Adds the signature to a redirect that carries a notice or an error. */
function signMessages(location: string, key: string): string {
  const url = new URL(location, 'http://console.invalid')
  if (!url.searchParams.has('notice') && !url.searchParams.has('error')) return location
  url.searchParams.set('sig', messageSig(url.searchParams, key))
  return `${url.pathname}${url.search}${url.hash}`
}

/** The query with its notice and error only when this session's console put them there: a crafted link cannot put words on a page. */
function trustedMessages(query: URLSearchParams, key: string): URLSearchParams {
  if (!query.has('notice') && !query.has('error')) return query
  const sig = query.get('sig') ?? ''
  if (sameSecret(sig, messageSig(query, key))) return query
  const kept = new URLSearchParams(query)
  kept.delete('notice')
  kept.delete('error')
  return kept
}

function forbidden(text: string): HttpResponse {
  return htmlResponse(page({ title: '没有权限', path: '' }, h`<p>${text}</p>`), 403)
}

/**
 * Every route of the staff console under /admin/. A page needs a session (else 303 to the login page); the
 * session's user must still be in KEPU_ADMINS (else 403); a POST must carry the session's CSRF token in
 * `_csrf` (else 403). Login is by a one-time link (`kepu admin link`, `/console` in chat): the link's page
 * asks for one click, so a chat app's link preview cannot use it up.
 */
export function consoleRoutes(deps: ConsoleDeps): HttpRoute[] {
  const limiter = new LoginLimiter()
  const log = deps.logger.child({ module: 'console' })

  function guard(method: 'GET' | 'POST', path: string, handler: StaffHandler): HttpRoute {
    return {
      method,
      path,
      handle: async (req) => {
        const now = deps.clock.now()
        const id = cookieOf(req.headers['cookie'], SESSION_COOKIE)
        const session = id ? await deps.store.touchSession(hashSecret(id), now, SESSION_IDLE_MS) : undefined
        if (!session) {
          if (method === 'POST') return secured(forbidden('登录已过期，请重新获取登录链接。'))
          return secured({ ...redirect('/admin/login'), headers: { location: '/admin/login', ...(id ? { 'set-cookie': clearedSessionCookie() } : {}) } })
        }
        const [channel, ...rest] = session.userKey.split(':')
        if (!deps.admins.has(channel ?? '', rest.join(':'))) return secured(forbidden('您已不在管理员名单（KEPU_ADMINS）中。'))
        const form = method === 'POST' ? new URLSearchParams(req.body) : new URLSearchParams()
        if (method === 'POST' && !sameSecret(form.get('_csrf') ?? '', session.csrf)) {
          log.warn({ path }, 'console: CSRF token missing or wrong')
          return secured(forbidden('表单已失效，请返回刷新页面后再提交。'))
        }
        const res = await handler({ req: { ...req, query: trustedMessages(req.query, session.csrf) }, user: session.userKey, csrf: session.csrf, form, now })
        const headers: Record<string, string> = { 'set-cookie': sessionCookie(id!), ...(res.headers ?? {}) }
        if (headers['location']) headers['location'] = signMessages(headers['location'], session.csrf)
        // Sliding expiry: the cookie lives as long as the session does.
        return secured({ ...res, headers })
      },
    }
  }

  const loginPage = (req: HttpRequest): HttpResponse => {
    const token = req.query.get('token') ?? ''
    const body = token
      ? h`<form method="post" action="/admin/login" class="card"><input type="hidden" name="token" value="${token}"><p>这是一次性登录链接，10 分钟内有效。</p><button type="submit">登录管理台</button></form>`
      : h`<p>请在聊天里给机器人发送 <code>/console</code>，或在服务器上运行 <code>npx kepu admin link --user 渠道:用户ID</code>，获取一次性登录链接。</p>`
    return secured(htmlResponse(page({ title: '登录', path: '/admin/login' }, body)))
  }

  return [
    { method: 'GET', path: '/admin/console.css', handle: () => secured({ status: 200, headers: { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'max-age=300' }, body: CONSOLE_CSS }) },
    { method: 'GET', path: '/admin', handle: () => secured(redirect('/admin/')) },
    { method: 'GET', path: '/admin/login', handle: loginPage },
    {
      method: 'POST',
      path: '/admin/login',
      handle: async (req) => {
        const now = deps.clock.now()
        if (limiter.blocked(now.getTime())) return secured({ status: 429, headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '60' }, body: '登录尝试太多，请一分钟后再试。' })
        const token = new URLSearchParams(req.body).get('token') ?? ''
        const userKey = token ? await deps.store.useLoginToken(hashSecret(token), now) : undefined
        if (!userKey) {
          limiter.fail(now.getTime())
          return secured(htmlResponse(page({ title: '登录', path: '/admin/login', error: '这个登录链接已用过或已过期（有效期 10 分钟，只能用一次）。请重新获取。' }, h``), 403))
        }
        const [channel, ...rest] = userKey.split(':')
        if (!deps.admins.has(channel ?? '', rest.join(':'))) {
          limiter.fail(now.getTime())
          return secured(forbidden('这个账号不是管理员（KEPU_ADMINS）。'))
        }
        // A new session at every login (the old cookie's session, if any, ends): no fixation.
        const old = cookieOf(req.headers['cookie'], SESSION_COOKIE)
        if (old) await deps.store.deleteSession(hashSecret(old))
        const id = newSecret()
        await deps.store.createSession(hashSecret(id), userKey, newSecret(), now)
        await deps.store.audit({ at: now, actor: userKey, action: 'login', subject: 'console', before: null, after: null })
        return secured({ status: 303, headers: { location: '/admin/', 'set-cookie': sessionCookie(id) }, body: '' })
      },
    },
    guard('POST', '/admin/logout', async (r) => {
      const id = cookieOf(r.req.headers['cookie'], SESSION_COOKIE)
      if (id) await deps.store.deleteSession(hashSecret(id))
      return { status: 303, headers: { location: '/admin/login', 'set-cookie': clearedSessionCookie() }, body: '' }
    }),
    ...overviewRoutes(deps, guard),
    ...unansweredRoutes(deps, guard),
    ...contentRoutes(deps, guard),
    ...eventRoutes(deps, guard),
    ...announcementRoutes(deps, guard),
    ...alertRoutes(deps, guard),
    ...requestRoutes(deps, guard),
    ...handoffRoutes(deps, guard),
    ...auditRoutes(deps, guard),
  ]
}
