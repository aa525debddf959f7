import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runRequests } from '../../src/commands/requests.js'
import { packageRoot } from '../../src/core/package-root.js'
import { fromLocal } from '../../src/core/shanghai-time.js'
import { loadServiceMenu } from '../../src/requests/service-menu.js'
import type { Store } from '../../src/store/async-store.js'
import { openStore } from '../../src/store/sql/open-store.js'
import { FakeClock } from '../fakes/fake-clock.js'

const menu = loadServiceMenu(join(packageRoot(), 'content'))
let store: Store | undefined
afterEach(async () => {
  await store?.close()
  store = undefined
})

describe('kepu requests', () => {
  it('lists (contacts masked), shows, assigns, schedules and closes, telling the resident each time', async () => {
    store = await openStore({ file: ':memory:' })
    const clock = new FakeClock(fromLocal(2026, 11, 1, 9, 0))
    await store.createRequest({ channel: 'telegram', chatId: '7', userKey: 'telegram:7', region: '高平市', serviceId: 'smartphone', place: '米山镇某村', preferredDate: '下周六上午', audienceSize: 30, contact: '13800138000' }, clock.now())
    const out: string[] = []
    const run = (sub: string, args: string[] = [], opts = {}) => runRequests(sub, args, opts, { data: store!, menu, clock, out: (l) => out.push(l) })
    await run('list')
    expect(out.pop()).toBe('KP-2026-0001 [待接单] 高平市 智能手机使用课 · 下周六上午 · 约30人 · 138****8000')
    await run('show', ['kp-2026-1'])
    expect(out.pop()).toContain('联系：13800138000')
    await run('assign', ['KP-2026-0001', '智慧助老志愿服务队'])
    await run('schedule', ['KP-2026-0001', '2026-11-07', '09:30'])
    await run('close', ['KP-2026-0001', '讲了扫码和视频通话'])
    expect(out).toEqual([
      'KP-2026-0001 assigned to 智慧助老志愿服务队; the resident is told (queued)',
      'KP-2026-0001 scheduled; the resident is told (queued)',
      'KP-2026-0001 closed; the resident is asked for a 1–5 rating (queued)',
    ])
    const texts = []
    for (const r of await store.reports(new Date(0))) for (const row of await store.rowsOf(r.firingId)) texts.push(row.text)
    expect(texts).toHaveLength(3)
    expect(texts.join('\n')).toContain('2026-11-07 周六 09:30')
    out.length = 0
    await run('list')
    expect(out).toEqual(['no open requests (new, assigned, scheduled); --status all for every one'])
    await run('list', [], { status: 'all' })
    expect(out.pop()).toContain('[已完成]')
    await expect(run('schedule', ['KP-2026-0001', '2026-13-40'])).rejects.toThrow('时间「2026-13-40」不是有效的日期时间')
    await expect(run('assign', ['KP-2026-0009', '法律志愿服务队'])).rejects.toThrow('没有编号为 KP-2026-0009 的点单')
  })
})
