// Fraud benchmark: the scam check on the labelled set, half by half (tune / holdout / holdout2, see
// test/fraud/MEASUREMENTS.md), per scam type, plus how fast
// one check runs. Pass marks: scams rated high or medium ≥ 90 %, benign kept low ≥ 90 %, on each half.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export const title = 'Fraud: scam check on the labelled set (tune / holdout / holdout2), speed'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const load = (p) => import(pathToFileURL(join(root, 'dist/src/fraud', p)).href)

const pct = (n, d) => (d ? `${n}/${d} (${((100 * n) / d).toFixed(1)} %)` : '—')

export async function run() {
  const { loadFraudKnowledge } = await load('fraud-knowledge.js')
  const { checkMessage } = await load('scam-check.js')
  const k = loadFraudKnowledge(join(root, 'content'))
  const set = readFileSync(join(root, 'test/fraud/labelled-messages.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l))

  const lines = ['| half | scams caught (high or medium) | benign kept low | type named right | verdict |', '| --- | --- | --- | --- | --- |']
  const misses = []
  let failed = false
  for (const half of ['tune', 'holdout', 'holdout2']) {
    const rows = set.filter((m) => m.half === half)
    const scams = rows.filter((m) => m.label === 'scam')
    const benign = rows.filter((m) => m.label === 'benign')
    let caught = 0
    let typed = 0
    let kept = 0
    for (const m of scams) {
      const v = checkMessage(m.text, k)
      if (v.risk !== 'low') caught++
      else misses.push(`- ${m.id} (${m.type}): rated low, score ${v.score}`)
      if (v.type === m.type) typed++
    }
    for (const m of benign) {
      const v = checkMessage(m.text, k)
      if (v.risk === 'low') kept++
      else misses.push(`- ${m.id} (benign): rated ${v.risk}, score ${v.score}: ${v.signals.join('；')}`)
    }
    const ok = caught / scams.length >= 0.9 && kept / benign.length >= 0.9
    if (!ok) failed = true
    lines.push(`| ${half} | ${pct(caught, scams.length)} | ${pct(kept, benign.length)} | ${pct(typed, scams.length)} | ${ok ? 'pass' : 'FAIL'} |`)
  }

  lines.push('', '| scam type | caught | rated high |', '| --- | --- | --- |')
  for (const t of k.types) {
    const scams = set.filter((m) => m.label === 'scam' && m.type === t.id)
    const verdicts = scams.map((m) => checkMessage(m.text, k).risk)
    lines.push(`| ${t.name} | ${pct(verdicts.filter((r) => r !== 'low').length, scams.length)} | ${pct(verdicts.filter((r) => r === 'high').length, scams.length)} |`)
  }
  if (misses.length) lines.push('', 'Misses:', ...misses)

  // Speed: every message of the set, many times over; a check must stay far below a millisecond.
  const texts = set.map((m) => m.text)
  for (let i = 0; i < 200; i++) checkMessage(texts[i % texts.length], k)
  const rounds = 50
  const t0 = performance.now()
  for (let r = 0; r < rounds; r++) for (const t of texts) checkMessage(t, k)
  const each = (performance.now() - t0) / (rounds * texts.length)
  lines.push('', `Speed: ${(each * 1000).toFixed(1)} µs per check (mean over ${rounds * texts.length} checks), ${Math.round(1000 / each)} checks/s.`)
  if (failed) throw new Error(`labelled set below the pass marks\n${lines.join('\n')}`)
  return lines
}
