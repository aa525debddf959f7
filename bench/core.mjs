// Core benchmark: startup, index build and load, reply time over a few thousand questions, memory, and
// top-1 retrieval accuracy of our tokenizer against MiniSearch's default one and a plain word tokenizer.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import MiniSearch from 'minisearch'

export const title = 'Core: startup, index, reply time, memory, retrieval accuracy'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dist = (p) => join(root, 'dist/src', p)

const ms = (x) => `${x.toFixed(1)} ms`

/** Starts a fresh process that loads the app and answers one question; returns its own timings. */
function startup(cacheDir, warm) {
  const script = `
    const t0 = performance.now()
    const { createApp } = await import(${JSON.stringify(dist('app.js'))})
    const app = createApp({ cacheDir: ${JSON.stringify(cacheDir)}, warm: ${warm} })
    await app.ready
    const t1 = performance.now()
    await app.bot.handle({ channel: 'b', chatId: '1', userId: '1', isGroup: false, mentioned: true, forwarded: false, text: '东营2025年科学素质目标是多少' })
    const t2 = performance.now()
    process.stdout.write(JSON.stringify({ ready: t1, first: t2 - t1, uptime: process.uptime() * 1000, rss: process.memoryUsage().rss }))`
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(r.stderr)
  return JSON.parse(r.stdout)
}

/** A small seeded PRNG, so the generated questions are the same on every run. */
function prng(seed) {
  let s = seed >>> 0
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32)
}

/**
 * Known-item questions made from the plans: for a sentence with a figure, a few of its content words
 * and 「是多少」, without the figure; the right answer is the passage it came from.
 */
/** Runs the questions twice through bot.handle in a fresh process; returns p50/p99 per pass and RSS. */
function replyTimes(questions) {
  const script = `
    const { createApp } = await import(${JSON.stringify(dist('app.js'))})
    const questions = JSON.parse(require('node:fs').readFileSync(0, 'utf8'))
    const app = createApp({ warm: true, cacheDir: ${JSON.stringify(join(root, 'node_modules/.cache/kepu'))} })
    await app.ready
    const pct = (a, p) => a[Math.min(a.length - 1, Math.floor(p * a.length))]
    const passes = []
    for (let pass = 0; pass < 2; pass++) {
      const times = []
      let i = 0
      for (const item of questions) {
        const started = performance.now()
        await app.bot.handle({ channel: 'bench', chatId: 'c', userId: 'u' + (i++ % 50), isGroup: false, mentioned: true, forwarded: item.forwarded === true, text: item.q, ...(item.region ? { region: item.region } : {}) })
        times.push(performance.now() - started)
      }
      times.sort((a, b) => a - b)
      passes.push({ p50: pct(times, 0.5), p99: pct(times, 0.99) })
    }
    process.stdout.write(JSON.stringify({ count: questions.length, first: passes[0], second: passes[1], rss: process.memoryUsage().rss }))`
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `import { createRequire } from 'node:module'; const require = createRequire(${JSON.stringify(join(root, 'package.json'))}); ${script}`], { input: JSON.stringify(questions), encoding: 'utf8', maxBuffer: 1 << 24 })
  if (r.status !== 0) throw new Error(r.stderr)
  return JSON.parse(r.stdout)
}

function syntheticQuestions(kb, count) {
  const rand = prng(20261122)
  const pool = []
  for (const plan of kb.plans) for (const p of plan.passages) for (const s of p.text.split(/[。；]/u)) if (/\d/.test(s) && s.length > 12) pool.push({ p, s })
  const out = []
  while (out.length < count && pool.length) {
    const { p, s } = pool[Math.floor(rand() * pool.length)]
    const words = kb.tokenize(s.replace(/\d+(\.\d+)?%?/gu, ' ')).filter((w) => w.length >= 2 && !/\d/.test(w))
    const unique = [...new Set(words)]
    const picked = []
    for (let i = 0; i < 4 && unique.length; i++) picked.push(unique.splice(Math.floor(rand() * unique.length), 1)[0])
    out.push({ q: `${picked.join('')}是多少？`, region: p.region, expect: (hit) => hit.region === p.region && hit.text.includes(s.trim().slice(0, 12)) })
  }
  return out
}

function evalQuestions() {
  const file = join(root, '../shared/eval/questions.jsonl')
  let items
  try {
    items = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
  } catch {
    return []
  }
  return items
    .filter((i) => i.kind === 'plan' && i.src_region)
    .map((i) => ({
      q: i.q,
      region: i.src_region,
      // A lead-unit answer comes from the passage's units, so they count as its text here.
      expect: (hit) => hit.region === i.src_region && (i.has ?? i.all ?? []).some((h) => `${hit.text} ${(hit.leads ?? []).join('、')}`.normalize('NFKC').includes(h)),
    }))
}

export async function run() {
  const { createApp } = await import(dist('app.js'))
  const { PlanIndex } = await import(dist('search/plan-index.js'))
  const { createTokenizer } = await import(dist('search/tokenizer.js'))
  const { foldText } = await import(dist('search/fold-text.js'))
  const lines = []

  // Startup, in fresh processes: cold (no cache) and warm (cache from the cold run).
  const cache = mkdtempSync(join(tmpdir(), 'kepu-bench-'))
  const median = (f) => [f(), f(), f()].sort((a, b) => a.ready - b.ready)[1]
  const cold = startup(cache, true)
  const lazy = median(() => startup(cache, false))
  const warm = median(() => startup(cache, true))
  rmSync(cache, { recursive: true, force: true })
  lines.push('| measure | value | target |', '| --- | --- | --- |')
  lines.push(`| ready to answer (modules + content; shards and calendar years on first use) | ${ms(lazy.ready)}, first answer +${ms(lazy.first)} | ≤ 500 ms |`)
  lines.push(`| ready with everything warm (all shards, sentence terms, calendar years, warm-up questions), as \`serve\` starts | ${ms(warm.ready)}, first answer +${ms(warm.first)} | |`)
  lines.push(`| ready on a cold cache (domain dictionary and shards built and saved) | ${ms(cold.ready)} | |`)

  // Index build and load, in this process.
  const app = createApp({ warm: false })
  const kb = app.knowledge
  const passages = kb.plans.reduce((n, p) => n + p.passages.length, 0)
  let t = performance.now()
  const saved = new Map()
  const store = { read: (r) => saved.get(r), write: (r, s) => saved.set(r, JSON.parse(JSON.stringify(s))) }
  new PlanIndex(kb.plans, kb.tokenize, 'bench', store).warm()
  const build = performance.now() - t
  t = performance.now()
  new PlanIndex(kb.plans, kb.tokenize, 'bench', store).warm()
  const load = performance.now() - t
  lines.push(`| index build, ${kb.plans.length} plans / ${passages} passages / ${saved.size} shards | ${ms(build)} | |`)
  lines.push(`| index load from saved shards | ${ms(load)} | |`)

  // Reply time through bot.handle over a few thousand questions, in a fresh process (so RSS is the bot's own).
  const known = [...evalQuestions(), ...syntheticQuestions(kb, 3000)]
  const mixed = [
    ...known.map(({ q, region }) => ({ q, region })),
    ...readFileSync(join(root, '../shared/eval/questions.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)),
  ]
  const replies = replyTimes(mixed)
  lines.push(`| core reply p50 over ${replies.count} questions (first pass) | ${ms(replies.first.p50)} | |`)
  lines.push(`| core reply p99 (first pass, caches cold) | ${ms(replies.first.p99)} | ≤ 2 ms |`)
  lines.push(`| core reply p50 / p99 (second pass, steady state) | ${ms(replies.second.p50)} / ${ms(replies.second.p99)} | ≤ 2 ms |`)
  lines.push(`| RSS after both passes | ${(replies.rss / 1e6).toFixed(0)} MB (at first answer: ${(warm.rss / 1e6).toFixed(0)} MB) | ≤ 150 MB |`)

  // Top-1 accuracy on the same questions, each within its region.
  const wordOnly = createTokenizer({ bigrams: false, dictionary: undefined })
  const docs = kb.plans.flatMap((p) => p.passages).map((p) => ({ id: p.id, region: p.region, title: p.title, text: p.text, leads: p.leads }))
  const byId = new Map(docs.map((d) => [d.id, d]))
  const plain = (tokenize) => {
    const shards = new Map()
    for (const d of docs) {
      if (!shards.has(d.region)) shards.set(d.region, new MiniSearch({ fields: ['title', 'text'], ...(tokenize ? { tokenize, searchOptions: { tokenize } } : {}) }))
      shards.get(d.region).add(d)
    }
    return (q, region) => {
      const top = shards.get(region)?.search(q, { boost: { title: 2 } })[0]
      return top ? byId.get(top.id) : undefined
    }
  }
  const systems = [
    ['MiniSearch, default tokenizer', plain(undefined)],
    ['MiniSearch, jieba words only', plain((s) => wordOnly.tokenize(foldText(s)))],
    ['kepu (jieba + bigrams, folding, synonyms, sentence re-rank)', (q, region) => kb.index.search(kb.analyze(q), { region, limit: 1 })[0]?.passage],
  ]
  const sets = [['public sample (plan items)', evalQuestions()], ['generated known-item questions', known.slice(evalQuestions().length)]]
  lines.push('', '| top-1 accuracy | ' + sets.map(([n, s]) => `${n} (${s.length})`).join(' | ') + ' |', '| --- | ' + sets.map(() => '---').join(' | ') + ' |')
  for (const [name, search] of systems) {
    const cells = sets.map(([, s]) => {
      const ok = s.filter((item) => {
        const hit = search(item.q, item.region)
        return hit && item.expect(hit)
      }).length
      return `${((100 * ok) / Math.max(1, s.length)).toFixed(1)}%`
    })
    lines.push(`| ${name} | ${cells.join(' | ')} |`)
  }
  return lines
}
