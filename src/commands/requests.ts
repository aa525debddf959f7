import { join } from 'node:path'
import type { Command } from 'commander'
import { loadConfig } from '../config.js'
import { systemClock, type Clock } from '../core/clock.js'
import { InputError, KepuError } from '../core/errors.js'
import { packageRoot } from '../core/package-root.js'
import { createRequestDesk, type RequestData } from '../requests/request-desk.js'
import { loadServiceMenu, type ServiceMenu } from '../requests/service-menu.js'
import { SERVICE_REQUEST_STATUSES, type ServiceRequestStatus } from '../store/async-store.js'
import { openConfiguredStore } from '../store/open-configured-store.js'

export interface RequestsCliDeps {
  data: RequestData
  menu: ServiceMenu
  clock: Clock
  out: (line: string) => void
}

/** Runs one `kepu requests` subcommand on a store (the same desk as the chat commands /requests, /assign …). */
export async function runRequests(sub: string, args: string[], opts: { status?: string; json?: boolean }, deps: RequestsCliDeps): Promise<void> {
  const desk = createRequestDesk({ data: deps.data, menu: deps.menu, clock: deps.clock })
  const by = 'cli'
  switch (sub) {
    case 'list': {
      let status: ServiceRequestStatus[] | undefined
      if (opts.status === 'all') status = [...SERVICE_REQUEST_STATUSES]
      else if (opts.status) {
        if (!(SERVICE_REQUEST_STATUSES as readonly string[]).includes(opts.status)) throw new InputError(`--status ${opts.status}: one of ${SERVICE_REQUEST_STATUSES.join(', ')}, all`)
        status = [opts.status as ServiceRequestStatus]
      }
      const list = await desk.list({ ...(status ? { status } : {}), limit: 500 })
      if (opts.json) for (const r of list) deps.out(JSON.stringify(r))
      else if (list.length === 0) deps.out(status ? 'no requests' : 'no open requests (new, assigned, scheduled); --status all for every one')
      else for (const r of list) deps.out(desk.line(r))
      return
    }
    case 'show':
      deps.out(desk.detail(await desk.get(args[0] ?? '')))
      return
    case 'assign': {
      if (args.length < 2) throw new InputError('usage: kepu requests assign KP-2026-0012 农技志愿服务队')
      const r = await desk.assign(args[0]!, args.slice(1).join(''), by)
      deps.out(`${r.number} assigned to ${r.team}; the resident is told (queued)`)
      return
    }
    case 'schedule': {
      if (args.length < 2) throw new InputError('usage: kepu requests schedule KP-2026-0012 2026-12-20 14:00')
      const r = await desk.schedule(args[0]!, args.slice(1).join(' '), by)
      deps.out(`${r.number} scheduled; the resident is told (queued)`)
      return
    }
    case 'close': {
      const r = await desk.close(args[0] ?? '', by, args.slice(1).join(' ') || undefined)
      deps.out(`${r.number} closed; the resident is asked for a 1–5 rating (queued)`)
      return
    }
    case 'volunteers': {
      const vs = await desk.volunteers()
      if (opts.json) for (const v of vs) deps.out(JSON.stringify(v))
      else if (vs.length === 0) deps.out('no volunteers registered')
      else for (const v of vs) deps.out(`${v.name} · ${v.area} · ${v.skills.join('、')} · ${v.contact}`)
      return
    }
    default:
      throw new InputError(`unknown subcommand ${sub}: list, show, assign, schedule, close, volunteers`)
  }
}

/** `kepu requests list|show|assign|schedule|close|volunteers`: 科技志愿服务 requests for staff. */
export function register(program: Command): void {
  const cmd = program.command('requests').description('科技志愿服务「群众点单」 requests and volunteers (the same as /requests, /assign, /schedule, /close in chat)')
  const action = (sub: string) => async (args: string[] | string | undefined, opts: { status?: string; json?: boolean }) => {
    const list = Array.isArray(args) ? args : args ? [args] : []
    const data = await openConfiguredStore(loadConfig())
    try {
      await runRequests(sub, list, opts, { data, menu: loadServiceMenu(join(packageRoot(), 'content')), clock: systemClock, out: (l) => process.stdout.write(`${l}\n`) })
    } catch (err) {
      if (!(err instanceof KepuError)) throw err
      process.stderr.write(`kepu requests: ${err.message}\n`)
      process.exitCode = 2
    } finally {
      await data.close()
    }
  }
  cmd.command('list').description('open requests, newest first (contacts masked)').option('--status <status>', `${SERVICE_REQUEST_STATUSES.join('|')}|all`).option('--json', 'one JSON object a line').action((opts: { status?: string; json?: boolean }) => action('list')(undefined, opts))
  cmd.command('show <number>').description('every field of one request, the contact in full').action((n: string) => action('show')([n], {}))
  cmd.command('assign <number> <team...>').description('assign to a team of content/services.yaml; tells the resident').action((n: string, team: string[]) => action('assign')([n, ...team], {}))
  cmd.command('schedule <number> <date> [time]').description('schedule (Asia/Shanghai, e.g. 2026-12-20 14:00); tells the resident').action((n: string, d: string, t?: string) => action('schedule')([n, d, ...(t ? [t] : [])], {}))
  cmd.command('close <number> [note...]').description('close; asks the resident for a 1–5 rating').action((n: string, note: string[] = []) => action('close')([n, ...note], {}))
  cmd.command('volunteers').description('volunteers who registered').option('--json', 'one JSON object a line').action((opts: { json?: boolean }) => action('volunteers')(undefined, opts))
}
