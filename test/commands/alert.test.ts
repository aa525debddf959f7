import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runAlert } from '../../src/commands/alert.js'
import { packageRoot } from '../../src/core/package-root.js'
import { fromLocal } from '../../src/core/shanghai-time.js'
import { loadCards } from '../../src/kepu/load-cards.js'
import { RegionRegistry } from '../../src/knowledge/region-registry.js'
import type { Store } from '../../src/store/async-store.js'
import { openStore } from '../../src/store/sql/open-store.js'
import { FakeClock } from '../fakes/fake-clock.js'

const contentDir = join(packageRoot(), 'content')
const cards = loadCards(contentDir)
const regions = RegionRegistry.load(join(contentDir, 'regions.yaml'))
let store: Store | undefined
afterEach(async () => {
  await store?.close()
  store = undefined
})

async function rig(confirm?: boolean) {
  store = await openStore({ file: ':memory:' })
  const clock = new FakeClock(fromLocal(2026, 7, 1, 8, 0))
  await store.subscribe({ channel: 'wechat', chatId: 'wxid_a', topic: 'alert', region: '神木市' }, clock.now())
  const out: string[] = []
  const deps = { store, regions, cards, clock, out: (l: string) => out.push(l), ...(confirm === undefined ? {} : { confirm: async () => confirm }) }
  return { store, out, deps }
}

describe('kepu alert', () => {
  const opts = { region: '神木', hazard: '暴雨', text: '今天午后到夜间有大暴雨，采空区、沟道附近注意防范。' }

  it('prints the alert and the recipients, and sends nothing without --yes or a terminal', async () => {
    const { store, out, deps } = await rig()
    expect(await runAlert(opts, deps)).toBeUndefined()
    expect(out[0]!.split('\n')[0]).toBe('【应急提醒·神木市】暴雨预警')
    expect(out).toContain('recipients: 1 chat(s) subscribed to 应急提醒 in 神木市')
    expect(out.at(-1)).toBe('not sent: add --yes to send (no terminal to ask)')
    expect(await store.listAnnouncements()).toEqual([])
  })

  it('asks y/N at a terminal: N sends nothing, y queues it', async () => {
    const no = await rig(false)
    expect(await runAlert(opts, no.deps)).toBeUndefined()
    expect(no.out.at(-1)).toBe('not sent')
    await no.store.close()
    store = undefined
    const yes = await rig(true)
    const id = await runAlert(opts, yes.deps)
    expect(yes.out.at(-1)).toMatch(/^queued #\d+ to 1 chat\(s\), ahead of every queued announcement/u)
    expect((await yes.store.rowsOf(id!)).map((r) => [r.chatId, r.topic])).toEqual([['wxid_a', 'alert']])
  })

  it('sends with --yes; a mistake is an InputError naming the value', async () => {
    const { deps } = await rig()
    expect(await runAlert({ ...opts, yes: true }, deps)).toBeTypeOf('number')
    await expect(runAlert({ ...opts, hazard: '龙卷风暴' }, deps)).rejects.toThrow('不认识灾种「龙卷风暴」')
  })
})
