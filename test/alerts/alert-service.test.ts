import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ACTIVE_MS, BLANK, createAlerts, elderForm, MAX_ALERT_CHARS, stepsFor } from '../../src/alerts/alert-service.js'
import { hazardByName, hazardIn, HAZARDS } from '../../src/alerts/hazards.js'
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
const stores: Store[] = []
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close()
})

async function setup() {
  const store = await openStore({ file: ':memory:' })
  stores.push(store)
  const clock = new FakeClock(fromLocal(2026, 8, 1, 18, 0))
  return { store, clock, alerts: createAlerts({ store, clock, regions, cards: () => cards }) }
}

describe('hazards', () => {
  it('every hazard has know-how in the cards (steps or a short form)', () => {
    for (const h of HAZARDS) expect(stepsFor(h, '东营市', cards).steps.length, h.name).toBeGreaterThan(0)
  })
  it('reads the hazard of a question or a command', () => {
    expect(hazardIn('台风来了怎么办')?.name).toBe('台风')
    expect(hazardIn('遇到泥石流往哪跑')?.name).toBe('地质灾害')
    expect(hazardIn('暴雨内涝开车要注意啥')?.name).toBe('暴雨')
    expect(hazardIn('血压高怎么办')).toBeUndefined()
    expect(hazardByName('山洪')?.name).toBe('洪水')
  })
})

describe('alerts', () => {
  it('composes the template: headline, the staff text, the cards\' key steps with their source', async () => {
    const { alerts } = await setup()
    const d = await alerts.preview('东营', '台风', '今晚到明天台风影响我市，沿海有10级大风。')
    expect(d.region).toBe('东营市')
    const lines = d.message.split('\n')
    expect(lines[0]).toBe('【应急提醒·东营市】台风预警')
    expect(lines[1]).toBe('今晚到明天台风影响我市，沿海有10级大风。')
    expect(d.message).toContain('防范要点：\n1. 收起阳台、窗台上的花盆杂物')
    expect(d.message).toContain('（要点来源：中国气象局《气象灾害预警信号及防御指南》）')
    expect(d.message).toContain('回复「退订应急提醒」可取消')
    expect(elderForm(d.message)).toBe(lines.slice(0, 2).join('\n'))
  })

  it('names what is wrong: region, hazard, text', async () => {
    const { alerts } = await setup()
    await expect(alerts.preview('火星', '台风', '今晚有台风来')).rejects.toThrow('不认识地区「火星」')
    await expect(alerts.preview('东营', '海啸怪兽', '今晚有台风来')).rejects.toThrow(/不认识灾种「海啸怪兽」；可用：台风、暴雨/u)
    await expect(alerts.preview('东营', '台风', '来了')).rejects.toThrow('提醒内容太短')
    await expect(alerts.preview('东营', '台风', '风'.repeat(301))).rejects.toThrow('301 字，最多 300 字')
  })

  it('counts and queues the region\'s subscribers only, due before every queued announcement, active for 24 h', async () => {
    const { store, clock, alerts } = await setup()
    for (const id of ['1', '2']) await store.subscribe({ channel: 'telegram', chatId: id, topic: 'alert', region: '东营市' }, clock.now())
    await store.subscribe({ channel: 'telegram', chatId: '3', topic: 'alert', region: '乌海市' }, clock.now())
    const d = await alerts.preview('东营市', '暴雨', '今天夜间有大暴雨，低洼地段注意防范。')
    expect(d.recipients).toBe(2)
    const firing = await alerts.send(d, 'telegram:42')
    expect(firing.recipients).toBe(2)
    const rows = await store.rowsOf(firing.id)
    expect(rows.map((r) => [r.chatId, r.topic, r.nextAttemptAt])).toEqual([
      ['1', 'alert', 0],
      ['2', 'alert', 0],
    ])
    expect((await alerts.active('东营市')).map((a) => a.hazard.name)).toEqual(['暴雨'])
    expect(await alerts.active('乌海市')).toEqual([])
    clock.advance(ACTIVE_MS)
    expect(await alerts.active('东营市')).toEqual([])
  })

  it('gives the template around the staff text (the same lines preview composes) and a starter text per hazard', async () => {
    const { alerts } = await setup()
    for (const h of HAZARDS) {
      const t = alerts.template('东营', h.name)
      expect(t.region).toBe('东营市')
      expect(Array.from(t.starter).length, h.name).toBeLessThanOrEqual(MAX_ALERT_CHARS)
      expect(t.starter, h.name).toContain(BLANK)
      const filled = t.starter.replaceAll(BLANK, '3')
      expect((await alerts.preview('东营', h.name, filled)).message).toBe(`${t.before}\n${filled}\n${t.after}`)
    }
    expect(() => alerts.template('火星', '台风')).toThrow('不认识地区「火星」')
    expect(() => alerts.template('东营', '海啸怪兽')).toThrow('不认识灾种「海啸怪兽」')
    await expect(alerts.preview('东营', '台风', hazardByName('台风')!.starter)).rejects.toThrow(`还有「${BLANK}」`)
  })

  it('reports the deliveries of recent alerts only, newest first', async () => {
    const { store, clock, alerts } = await setup()
    await store.subscribe({ channel: 'telegram', chatId: '1', topic: 'alert', region: '东营市' }, clock.now())
    const a = await store.addAnnouncement({ name: '每日防骗提醒', cron: null, target: { kind: 'chats', chats: [] }, template: 't', createdBy: 'test' }, clock.now())
    await store.recordFiring(a.id, clock.now(), [{ channel: 'telegram', chatId: '9', text: 't' }], clock.now())
    const first = await alerts.send(await alerts.preview('东营', '暴雨', '今晚有暴雨，请减少外出。'), 'telegram:42')
    clock.advance(60_000)
    const second = await alerts.send(await alerts.preview('东营', '高温', '明天最高气温40℃，请注意防暑。'), 'telegram:42')
    const recent = await alerts.recent(new Date(0))
    expect(recent.map((r) => [r.firingId, r.name, r.total, r.pending])).toEqual([
      [second.id, '应急提醒 东营市 高温', 1, 1],
      [first.id, '应急提醒 东营市 暴雨', 1, 1],
    ])
    expect(await alerts.recent(new Date(clock.now().getTime() - 30_000))).toHaveLength(1)
  })
})
