import type { FraudVerdict, RiskLevel } from '../core/reply.js'
import type { FraudKnowledge, FraudSignal, ScamType } from './fraud-knowledge.js'
import { findHosts, judgeHost } from './link-hosts.js'

/** One red flag (or calming sign) found in a message, with its weight, so the verdict can be explained. */
export interface SignalHit {
  id: string
  /** The plain-words label, with `{host}` filled in for link signals. */
  label: string
  weight: number
  advice: string | undefined
}

/** The verdict plus how it was reached: the score, every hit and the matched type. */
export interface ScamCheck extends FraudVerdict {
  /** The sum of the weights of `hits`. */
  score: number
  /** Signals found, strongest first; negative (calming) ones included. */
  hits: SignalHit[]
  /** The scam type the message most resembles, when the risk is medium or high. */
  scamType: ScamType | undefined
}

/**
 * Checks a message for scam signals. Pure and fast: no network, no state. The risk is the sum of the weights of the
 * signals found, compared with the levels in content; `signals` names the red flags (positive weights) in plain
 * words, strongest first.
 */
export function checkMessage(text: string, knowledge: FraudKnowledge): ScamCheck {
  const t = text.normalize('NFKC')
  // Red flags are looked for outside sentences that warn against scams; calming signals see the whole text.
  const flagged = withoutWarnings(t, knowledge.warningClauses)
  const found = new Map<string, SignalHit>()
  const hosts = findHosts(flagged).map((h) => judgeHost(h, knowledge.links))
  const odd = hosts.filter((h) => !h.official)
  const fake = odd.find((h) => h.lookalike)

  for (const s of knowledge.signals) {
    if (s.kind === 'link-odd') {
      if (odd.length) found.set(s.id, hit(s, (fake ?? odd[0]!).host))
    } else if (s.kind === 'link-lookalike') {
      if (fake) found.set(s.id, hit(s, fake.host))
    } else if (matches(s, s.weight > 0 ? flagged : t, knowledge)) {
      found.set(s.id, hit(s))
    }
  }
  // Calming signals step aside next to the red flags they name.
  for (const s of knowledge.signals) {
    if (found.has(s.id) && s.unless.some((u) => found.has(u))) found.delete(s.id)
  }

  const hits = [...found.values()].sort((a, b) => b.weight - a.weight)
  const score = hits.reduce((sum, h) => sum + h.weight, 0)
  const risk: RiskLevel = score >= knowledge.levels.high ? 'high' : score >= knowledge.levels.medium ? 'medium' : 'low'
  const scamType = risk === 'low' ? undefined : matchType(t, knowledge, new Set(found.keys()))
  const verdict: ScamCheck = {
    risk,
    signals: hits.filter((h) => h.weight > 0).map((h) => h.label),
    score,
    hits,
    scamType,
  }
  if (scamType) verdict.type = scamType.id
  return verdict
}

/**
 * The scam type whose keywords match `text` most often (each keyword counts once, each of its typical signals found
 * counts twice; ties go to the earlier type), or undefined when nothing matches. Used for checked messages and for
 * questions alike.
 */
export function matchType(text: string, knowledge: FraudKnowledge, signalIds?: ReadonlySet<string>): ScamType | undefined {
  return rankType(text, knowledge, signalIds)?.type
}

/** The best-matching scam type with its score (keyword hits plus twice its typical signals found), or undefined. */
export function rankType(text: string, knowledge: FraudKnowledge, signalIds?: ReadonlySet<string>): { type: ScamType; hits: number } | undefined {
  let best: { type: ScamType; hits: number } | undefined
  for (const type of knowledge.types) {
    let hits = 0
    for (const k of type.keywords) if (k.test(text)) hits++
    if (signalIds) for (const id of type.signals) if (signalIds.has(id)) hits += 2
    if (hits > (best?.hits ?? 0)) best = { type, hits }
  }
  return best
}

/** The text without the sentences that match a warning pattern (「…的都是诈骗」「谨防…」). */
export function withoutWarnings(text: string, warnings: RegExp[]): string {
  if (!warnings.length) return text
  const sentences = text.split(/(?<=[。！？!?；;\n])/)
  return sentences.filter((x) => !warnings.some((w) => w.test(x))).join('')
}

function hit(s: FraudSignal, host?: string): SignalHit {
  return { id: s.id, label: host ? s.label.replace('{host}', host) : s.label, weight: s.weight, advice: s.advice }
}

function matches(s: FraudSignal, text: string, knowledge: FraudKnowledge): boolean {
  const main = s.patterns.some((p) => (s.negatable ? matchesUnnegated(p, text, knowledge) : p.test(text)))
  return main && s.with.every((group) => group.some((p) => p.test(text)))
}

/** True when `p` matches somewhere not just after a negation such as 「切勿」「没有」. */
function matchesUnnegated(p: RegExp, text: string, knowledge: FraudKnowledge): boolean {
  for (const m of text.matchAll(globalOf(p))) {
    const before = text.slice(Math.max(0, m.index - knowledge.negationWindow), m.index)
    // A negation that belongs to an earlier clause does not negate this one.
    const clause = before.split(/[，。；,;!?！？]/).pop() ?? ''
    if (!knowledge.negations.some((n) => clause.includes(n))) return true
  }
  return false
}

// matchAll needs the g flag; compiled once per pattern rather than once per check.
const globals = new WeakMap<RegExp, RegExp>()
function globalOf(p: RegExp): RegExp {
  let g = globals.get(p)
  if (!g) {
    g = new RegExp(p.source, `${p.flags}g`)
    globals.set(p, g)
  }
  return g
}
