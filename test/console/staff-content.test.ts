import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sleep } from '../../src/announce/delivery-worker.js'
import { StaffContent } from '../../src/console/staff-content.js'
import { cacheDir } from '../../src/core/cache-dir.js'
import { MemoryLogger } from '../../src/core/logger.js'
import { loadKepuKnowledge, type KepuKnowledge } from '../../src/kepu/kepu-knowledge.js'
import { RegionRegistry } from '../../src/knowledge/region-registry.js'
import { loadSynonymEntries } from '../../src/search/query-vocabulary.js'
import { SynonymRegistry } from '../../src/search/synonym-registry.js'
import type { Store } from '../../src/store/async-store.js'
import { consoleStoreOf } from '../../src/store/sql/console-store-sql.js'
import { openStore } from '../../src/store/sql/open-store.js'
import { ADMIN_A, csrfOf, loginWith, startHarness, type Harness } from './console-harness.js'

const CONTENT_DIR = join(import.meta.dirname, '..', '..', 'content')
const T0 = new Date('2026-12-02T02:00:00Z')

/** A sleep the test wakes by hand: `round()` lets the loop run one sync and waits until it sleeps again. */
function manualSleep(): { sleep: Sleep; round(): Promise<void>; stopped: () => boolean } {
  let wake: (() => void) | undefined
  let asleep: (() => void) | undefined
  let aborted = false
  const sleep: Sleep = (_ms, signal) =>
    new Promise<void>((resolve) => {
      wake = resolve
      signal?.addEventListener('abort', () => {
        aborted = true
        resolve()
      })
      asleep?.()
    })
  return {
    sleep,
    round: () =>
      new Promise<void>((resolve) => {
        asleep = resolve
        wake?.()
      }),
    stopped: () => aborted,
  }
}

const GRAPE_HAIL = {
  id: 'staff-hail',
  category: '农业技术',
  topic: '冰雹后果园',
  questions: ['下了冰雹果树被砸了怎么补救'],
  keywords: ['冰雹', '雹灾'],
  answer: '雹灾后及时剪除被砸断的枝条和烂果，喷一遍保护性杀菌剂防止伤口感染，追施速效肥帮助树势恢复。',
  elder: '冰雹砸了果树，剪掉断枝烂果，打一遍防病的药。',
  source: { org: '农业农村部', title: '《农业防灾减灾技术指导意见》', year: 2024 },
  reviewed: '2026-12-01',
}

describe('stored content in one process', () => {
  let store: Store
  let kepu: KepuKnowledge
  const synonyms = new SynonymRegistry()
  const logger = new MemoryLogger()
  beforeAll(async () => {
    store = await openStore({ file: ':memory:' })
    kepu = loadKepuKnowledge({ contentDir: CONTENT_DIR, regions: RegionRegistry.load(join(CONTENT_DIR, 'regions.yaml')).all(), cacheDir: cacheDir(), synonyms })
  })
  afterAll(async () => {
    await store.close()
  })

  it('loads only when the version moved, leaves out (and logs by id) a row that fails the schema, and never loads the cards for nothing', async () => {
    const cs = consoleStoreOf(store)!
    let loads = 0
    const live = new StaffContent({ store: cs, kepu: () => (loads++, kepu), synonyms, fileSynonyms: () => [], logger })
    await live.sync()
    expect(loads).toBe(0)
    expect(synonyms.version).toBe(1)
    await live.sync()
    expect(synonyms.version).toBe(1)

    await cs.addStaffContent({ kind: 'synonym', itemId: 'syn-a', body: JSON.stringify({ say: ['汪星人'], means: ['狗'] }), createdBy: ADMIN_A }, T0)
    await cs.addStaffContent({ kind: 'synonym', itemId: 'syn-bad', body: JSON.stringify({ say: ['秘密的话'] }), createdBy: ADMIN_A }, T0)
    await cs.addStaffContent({ kind: 'card', itemId: 'staff-hail', body: JSON.stringify(GRAPE_HAIL), createdBy: ADMIN_A }, T0)
    await live.sync()
    expect(synonyms.entries).toEqual([{ say: ['汪星人'], means: ['狗'] }])
    expect(kepu.index.answer('下冰雹把果树砸坏了怎么办')?.card).toMatchObject({ id: 'staff-hail', file: 'console' })
    const warning = logger.records.find((r) => r.level === 'warn')!
    expect(warning.obj).toMatchObject({ code: 'E_CONTENT' })
    expect(JSON.stringify(warning)).not.toContain('秘密的话')
  })
})

describe('stored content across processes (two harnesses on one database)', () => {
  let dir: string
  let a: Harness
  let b: Harness
  const clockB = manualSleep()
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kepu-replicas-'))
    const file = join(dir, 'kepu.sqlite')
    a = await startHarness({}, { file })
    b = await startHarness({}, { file, sleep: clockB.sleep })
  })
  afterAll(async () => {
    await a.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it("another process answers with a card and a synonym added on this one after its next poll, and stops with the console's undo", async () => {
    const ask = (h: Harness, text: string) => h.app.bot.handle({ channel: 'telegram', chatId: '77', userId: '77', isGroup: false, mentioned: true, forwarded: false, text })
    expect((await ask(b, '下冰雹把果树砸坏了怎么办')).text).not.toContain('剪除被砸断的枝条')
    const { cookie } = await loginWith(await a.link(ADMIN_A))
    const post = async (path: string, fields: Record<string, string>) => {
      const csrf = csrfOf(await (await fetch(`${a.base}/admin/content`, { headers: { cookie: cookie! } })).text())
      return fetch(`${a.base}${path}`, { method: 'POST', body: new URLSearchParams({ ...fields, _csrf: csrf }), redirect: 'manual', headers: { cookie: cookie! } })
    }
    const card = await post('/admin/content/card', {
      category: GRAPE_HAIL.category,
      topic: GRAPE_HAIL.topic,
      questions: GRAPE_HAIL.questions.join('\n'),
      keywords: GRAPE_HAIL.keywords.join('、'),
      answer: GRAPE_HAIL.answer,
      elder: GRAPE_HAIL.elder,
      org: GRAPE_HAIL.source.org,
      title: GRAPE_HAIL.source.title,
      year: String(GRAPE_HAIL.source.year),
    })
    expect(card.status).toBe(303)
    expect((await post('/admin/content/synonym', { kind: 'say', say: '汪星人', means: '狗' })).status).toBe(303)
    // This process at once; the other one only after its poll.
    expect((await ask(a, '下冰雹把果树砸坏了怎么办')).text).toContain('剪除被砸断的枝条')
    expect((await ask(b, '下冰雹把果树砸坏了怎么办')).text).not.toContain('剪除被砸断的枝条')
    expect((await ask(b, '被汪星人咬了怎么办')).answered).toBe(false)
    await clockB.round()
    expect((await ask(b, '下冰雹把果树砸坏了怎么办')).text).toContain('剪除被砸断的枝条')
    expect((await ask(b, '被汪星人咬了怎么办')).text).toContain('狂犬')
    expect(clockB.stopped()).toBe(false)
    await b.close()
    expect(clockB.stopped()).toBe(true)
  })
})

it("content/synonyms.yaml's groups are what the form lists", () => {
  expect(loadSynonymEntries(join(CONTENT_DIR, 'synonyms.yaml')).length).toBeGreaterThan(20)
})
