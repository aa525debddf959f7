import type { HttpRoute } from '../core/skill.js'

/** What `/readyz` checks: each part says whether it is ready. */
export interface Readiness {
  /** Content loaded, store open, adapters started … by name. */
  checks(): Record<string, boolean>
}

/**
 * `/healthz` (liveness: the process answers) and `/readyz` (200 only when every check passes, else 503
 * with the failing checks named), for process managers and load balancers.
 */
export function healthRoutes(readiness: Readiness): HttpRoute[] {
  return [
    { method: 'GET', path: '/healthz', handle: () => ({ status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'ok\n' }) },
    {
      method: 'GET',
      path: '/readyz',
      handle: () => {
        const checks = readiness.checks()
        const ready = Object.values(checks).every(Boolean)
        return { status: ready ? 200 : 503, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ready, checks }) }
      },
    },
  ]
}
