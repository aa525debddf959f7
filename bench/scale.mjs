// Scale benchmark (issue 13): synthetic corpora of N plans (the five seeds copied under made-up region
// names, nested in folders of 100, generated under a temp dir and removed afterwards), each measured in
// fresh processes: a cold start that builds and saves the index, then a `serve`-like start on the warm
// cache (ready, RSS), 20,000 region questions spread over every region and questions without a region
// through bot.handle, RSS after them, and top-1 accuracy of region-scoped known-item questions.
// Sizes: KEPU_BENCH_SCALE (default "5,100,1000"; "3000" runs the full corpus, a few minutes on 2 cores).
// Also the one-shot start-up: `node bin/kepu.js ask …` against `node -e 0`, measured in the same run.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export const title = 'Scale: plans in the corpus, warm start, memory, reply time (issue 13)'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dist = (p) => join(root, 'dist/src', p)
const SEED_REGIONS = { 'dongying.txt': ['东营'], 'gaoping.txt': ['高平'], 'shanwei-chengqu.txt': ['汕尾'], 'shenmu.txt': ['神木'], 'wuhai.txt': ['乌海'] }
const POOL = [...'甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥']

/** The i-th made-up place name: three characters of POOL (10,648 names). */
function placeName(i) {
  const n = POOL.length
  return POOL[Math.floor(i / (n * n)) % n] + POOL[Math.floor(i / n) % n] + POOL[i % n]
}

/** Writes N plans under `dir`: copy i is seed i mod 5 with its place name replaced, 100 plans a folder. */
function generate(dir, count) {
  const seeds = Object.keys(SEED_REGIONS).map((f) => [f, readFileSync(join(root, 'seeds', f), 'utf8')])
  for (let i = 0; i < count; i++) {
    const [file, text] = seeds[i % seeds.length]
    const name = placeName(i)
    let copy = text
    for (const real of SEED_REGIONS[file]) copy = copy.split(real).join(name)
    const folder = join(dir, `p${String(Math.floor(i / 100)).padStart(2, '0')}`)
    mkdirSync(folder, { recursive: true })
    writeFileSync(join(folder, `${i}-${file}`), copy)
  }
}

/** Region questions per corpus (KEPU_BENCH_QUESTIONS, default 20,000 as issue 13 asks). */
const QUESTIONS = Number(process.env.KEPU_BENCH_QUESTIONS ?? 20000)
const pct = (a, p) => a[Math.min(a.length - 1, Math.floor(p * a.length))]
const ms = (x) => (x < 10 ? x.toFixed(2) : x.toFixed(0))
const mb = (x) => `${(x / 1e6).toFixed(0)} MB`

function child(args, input) {
  const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', fileURLToPath(import.meta.url), '--child', JSON.stringify(args)], { encoding: 'utf8', input, maxBuffer: 1 << 26, env: { ...process.env, KEPU_LOG_LEVEL: 'silent' } })
  if (r.status !== 0) throw new Error(r.stderr || `child exited ${r.status}`)
  return JSON.parse(r.stdout)
}

/** In a fresh process: a start on `cacheDir` (warm: as serve), then, when asked, questions. */
async function childMain({ seedsDir, cacheDir, questions: regionCount, open: openCount }) {
  const t0 = performance.now()
  const { createApp } = await import(dist('app.js'))
  const { loadConfig } = await import(dist('config.js'))
  const app = createApp({ seedsDir, cacheDir, warm: true, config: loadConfig({ envFile: false }) })
  await app.ready
  const ready = performance.now() - t0
  const rssReady = process.memoryUsage().rss
  globalThis.gc?.()
  const heapReady = process.memoryUsage().heapUsed
  const out = { ready, rssReady, heapReady, plans: app.knowledge.plans.length, loaded: app.knowledge.index.loaded() }
  if (!regionCount) return out
  const kb = app.knowledge
  // Known-item questions as in bench/core: a few words of a sentence with a figure, and 「是多少」.
  let s = 20261129
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32)
  const pools = kb.plans.map((plan) => plan.passages.flatMap((p) => p.text.split(/[。；]/u).filter((x) => /\d/.test(x) && x.length > 12).map((x) => ({ p, x }))))
  const make = (plan, pool) => {
    const { x } = pool[Math.floor(rand() * pool.length)]
    const words = [...new Set(kb.tokenize(x.replace(/\d+(\.\d+)?%?/gu, ' ')).filter((w) => w.length >= 2 && !/\d/.test(w)))]
    const picked = []
    for (let i = 0; i < 4 && words.length; i++) picked.push(words.splice(Math.floor(rand() * words.length), 1)[0])
    return { q: `${picked.join('')}是多少？`, region: plan.region, expect: x.trim().slice(0, 12) }
  }
  const items = []
  for (let i = 0; i < regionCount; i++) {
    const k = Math.floor(rand() * kb.plans.length)
    if (pools[k].length) items.push(make(kb.plans[k], pools[k]))
  }
  const regionTimes = []
  let i = 0
  for (const item of items) {
    const t = performance.now()
    await app.bot.handle({ channel: 'bench', chatId: 'c', userId: `u${i++ % 50}`, isGroup: false, mentioned: true, forwarded: false, text: item.q, region: item.region })
    regionTimes.push(performance.now() - t)
  }
  const openTimes = []
  for (const item of items.slice(0, openCount)) {
    const t = performance.now()
    await app.bot.handle({ channel: 'bench', chatId: 'o', userId: `o${i++}`, isGroup: false, mentioned: true, forwarded: false, text: item.q })
    openTimes.push(performance.now() - t)
  }
  // Accuracy: the top hit of a region-scoped search is the passage the question came from.
  const sample = items.slice(0, 3000)
  const right = sample.filter((item) => {
    const hit = kb.index.search(kb.analyze(item.q), { region: item.region, limit: 1 })[0]
    return hit && hit.passage.region === item.region && hit.passage.text.includes(item.expect)
  }).length
  regionTimes.sort((a, b) => a - b)
  openTimes.sort((a, b) => a - b)
  return {
    ...out,
    questions: items.length,
    region: { p50: pct(regionTimes, 0.5), p99: pct(regionTimes, 0.99) },
    open: { count: openTimes.length, p50: pct(openTimes, 0.5), p99: pct(openTimes, 0.99) },
    accuracy: right / sample.length,
    accuracyCount: sample.length,
    rssAfter: process.memoryUsage().rss,
    heapAfter: (globalThis.gc?.(), process.memoryUsage().heapUsed),
    loadedAfter: kb.index.loaded(),
  }
}

/** Median wall time of a command over `n` runs (ms). */
function wall(cmd, args, n) {
  const times = []
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: root })
    if (r.status !== 0) throw new Error(r.stderr)
    times.push(performance.now() - t)
  }
  return times.sort((a, b) => a - b)[Math.floor(n / 2)]
}

export async function run() {
  const sizes = (process.env.KEPU_BENCH_SCALE ?? '5,100,1000').split(',').map(Number).filter((n) => n > 0)
  const lines = ['| plans | cold start (build, save) | `serve` ready, warm cache | RSS (live heap) after ready | shards loaded | region question p50 / p99 | without a region p50 / p99 | RSS (live heap) after questions | region-scoped top-1 accuracy |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |']
  for (const n of sizes) {
    const base = mkdtempSync(join(tmpdir(), 'kepu-scale-'))
    try {
      const seedsDir = join(base, 'seeds')
      const cacheDir = join(base, 'cache')
      generate(seedsDir, n)
      const t = performance.now()
      child({ seedsDir, cacheDir })
      const cold = performance.now() - t
      const warm = [child({ seedsDir, cacheDir }), child({ seedsDir, cacheDir }), child({ seedsDir, cacheDir })].sort((a, b) => a.ready - b.ready)[1]
      const q = child({ seedsDir, cacheDir, questions: QUESTIONS, open: 500 })
      lines.push(`| ${n} | ${(cold / 1000).toFixed(1)} s | ${ms(warm.ready)} ms | ${mb(warm.rssReady)} (${mb(warm.heapReady)}) | ${warm.loaded.shards} (${mb(warm.loaded.bytes)} est.) | ${ms(q.region.p50)} / ${ms(q.region.p99)} ms | ${ms(q.open.p50)} / ${ms(q.open.p99)} ms | ${mb(q.rssAfter)} (${mb(q.heapAfter)}) | ${(100 * q.accuracy).toFixed(1)}% of ${q.accuracyCount} |`)
      process.stderr.write(`${lines[lines.length - 1]}\n`)
    } finally {
      rmSync(base, { recursive: true, force: true })
    }
  }
  // One-shot start-up, on the package's own cache (warm after the first run).
  const question = '东营2025年科学素质目标是多少'
  spawnSync(process.execPath, [join(root, 'bin/kepu.js'), 'ask', question], { cwd: root })
  const nodeAlone = wall(process.execPath, ['-e', '0'], 5)
  const ask = wall(process.execPath, [join(root, 'bin/kepu.js'), 'ask', question], 5)
  lines.push('', '| one-shot start-up (median of 5, same run) | wall time | ÷ `node -e 0` | target |', '| --- | ---: | ---: | --- |')
  lines.push(`| \`node -e 0\` | ${ms(nodeAlone)} ms | 1.0 | |`)
  lines.push(`| \`node bin/kepu.js ask "${question}"\` | ${ms(ask)} ms | ${(ask / nodeAlone).toFixed(1)} | ≤ 4× |`)
  lines.push('', `Questions: ${QUESTIONS} region-scoped known-item questions over random regions and the first 500 of them without a region, through bot.handle; accuracy on the first 3,000. Memory budget KEPU_INDEX_MEMORY_MB=${process.env.KEPU_INDEX_MEMORY_MB ?? 128}. Load average at the end: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}.`)
  return lines
}

if (process.argv[2] === '--child' && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = await childMain(JSON.parse(process.argv[3]))
  process.stdout.write(JSON.stringify(out))
  process.exit(0)
}
