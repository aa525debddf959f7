import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { ContentError } from '../core/errors.js'
import type { Choice } from '../core/reply.js'
import { loadYaml } from '../knowledge/load-yaml.js'

const text = z.string().trim().min(1)
const regexSource = z.string().min(1)

const TypeSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/, 'ids are lower-case words joined by -'),
  name: text,
  aliases: z.array(text).default([]),
  keywords: z.array(regexSource).min(1),
  signals: z.array(z.string()).default([]),
  how: text,
  flags: z.array(text).min(1),
  todo: z.array(text).min(1),
  tip: text,
})

const TypesFile = z.object({ types: z.array(TypeSchema).min(1) })

const SignalSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/, 'ids are lower-case words joined by -'),
  label: text,
  weight: z.number().refine((n) => n !== 0, 'a weight of 0 does nothing'),
  kind: z.enum(['pattern', 'link-odd', 'link-lookalike']).default('pattern'),
  patterns: z.array(regexSource).default([]),
  with: z.array(z.array(regexSource).min(1)).default([]),
  negatable: z.boolean().default(false),
  unless: z.array(z.string()).default([]),
  advice: text.optional(),
})

const SignalsFile = z.object({
  levels: z.object({ high: z.number(), medium: z.number() }).refine((l) => l.high > l.medium, 'levels.high must be above levels.medium'),
  warning_clauses: z.array(regexSource).default([]),
  negations: z.array(text).default([]),
  negation_window: z.number().int().min(0).max(20).default(6),
  links: z.object({
    official: z.array(z.string().min(3)),
    lookalike_tokens: z.array(z.string().min(2)),
    cheap_tlds: z.array(z.string().min(2)),
  }),
  signals: z.array(SignalSchema).min(1),
})

const TopicSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  triggers: z.array(regexSource).min(1),
  text: z.string(),
  elder: z.array(text).default([]),
})

const AdviceFile = z.object({
  hotlines: z.object({ anti_fraud: text, police: text, line: text, elder_line: text, generic: text }),
  tips: z.array(text).min(1),
  topics: z.array(TopicSchema).min(1),
  elder: z.object({
    intro: text,
    off: text,
    keep: text,
    suggest: text,
    menu_title: text,
    menu: z.array(z.object({ label: text, value: text })).min(1),
  }),
})

/** A scam type, ready to match. */
export interface ScamType {
  id: string
  name: string
  /** Names residents use for the scam itself, lower-cased: a question naming one is about this type. */
  aliases: string[]
  keywords: RegExp[]
  /** Ids of the signals typical of this type; a found one weighs as two keyword hits. */
  signals: string[]
  how: string
  flags: string[]
  todo: string[]
  tip: string
}

/** A red flag with its weight, ready to match. */
export interface FraudSignal {
  id: string
  label: string
  weight: number
  kind: 'pattern' | 'link-odd' | 'link-lookalike'
  patterns: RegExp[]
  with: RegExp[][]
  negatable: boolean
  unless: string[]
  advice: string | undefined
}

/** A general anti-fraud answer. */
export interface FraudTopic {
  id: string
  triggers: RegExp[]
  text: string
  elder: string[]
}

/** Everything the scam check and the handlers know, loaded from content/fraud/*.yaml. */
export interface FraudKnowledge {
  types: ScamType[]
  signals: FraudSignal[]
  levels: { high: number; medium: number }
  /** A sentence matching one of these warns against scams; red flags are not looked for in it. */
  warningClauses: RegExp[]
  negations: string[]
  negationWindow: number
  links: { official: string[]; lookalikeTokens: string[]; cheapTlds: string[] }
  hotlines: { antiFraud: string; police: string; line: string; elderLine: string; generic: string }
  tips: string[]
  topics: FraudTopic[]
  elder: { intro: string; off: string; keep: string; suggest: string; menuTitle: string; menu: Choice[] }
}

/**
 * Loads and validates the fraud content: `types.yaml`, `signals.yaml` and `advice.yaml` from `<contentDir>/fraud/`
 * (or from `contentDir` itself when it holds them). Every pattern is compiled here, so a bad regular expression
 * fails at start with the file, item and field named.
 */
export function loadFraudKnowledge(contentDir: string): FraudKnowledge {
  const dir = existsSync(join(contentDir, 'fraud', 'types.yaml')) ? join(contentDir, 'fraud') : contentDir
  const typesFile = loadYaml(join(dir, 'types.yaml'), TypesFile)
  const signalsFile = loadYaml(join(dir, 'signals.yaml'), SignalsFile)
  const adviceFile = loadYaml(join(dir, 'advice.yaml'), AdviceFile)

  const types = typesFile.types.map((t, i) => ({
    ...t,
    aliases: t.aliases.map((a) => a.normalize('NFKC').toLowerCase()),
    keywords: t.keywords.map((k, j) => compile(k, `types.yaml: item ${i + 1} (${t.id}): keywords.${j}`)),
  }))
  unique(types.map((t) => t.id), 'types.yaml')

  const ids = new Set(signalsFile.signals.map((s) => s.id))
  unique(signalsFile.signals.map((s) => s.id), 'signals.yaml')
  types.forEach((t, i) => {
    for (const id of t.signals) if (!ids.has(id)) throw new ContentError(`content: types.yaml: types item ${i + 1} (${t.id}): signals: unknown signal "${id}"`)
  })
  const signals = signalsFile.signals.map((s, i): FraudSignal => {
    const where = `signals.yaml: signals item ${i + 1} (${s.id})`
    if (s.kind === 'pattern' && s.patterns.length === 0) throw new ContentError(`content: ${where}: patterns: a pattern signal needs at least one pattern`)
    for (const u of s.unless) if (!ids.has(u)) throw new ContentError(`content: ${where}: unless: unknown signal "${u}"`)
    return {
      id: s.id,
      label: s.label,
      weight: s.weight,
      kind: s.kind,
      patterns: s.patterns.map((p, j) => compile(p, `${where}: patterns.${j}`)),
      with: s.with.map((group, g) => group.map((p, j) => compile(p, `${where}: with.${g}.${j}`))),
      negatable: s.negatable,
      unless: s.unless,
      advice: s.advice,
    }
  })

  const topics = adviceFile.topics.map((t, i) => ({
    ...t,
    triggers: t.triggers.map((p, j) => compile(p, `advice.yaml: topics item ${i + 1} (${t.id}): triggers.${j}`)),
  }))
  unique(topics.map((t) => t.id), 'advice.yaml')

  return {
    types,
    signals,
    levels: signalsFile.levels,
    warningClauses: signalsFile.warning_clauses.map((p, j) => compile(p, `signals.yaml: warning_clauses.${j}`)),
    negations: signalsFile.negations,
    negationWindow: signalsFile.negation_window,
    links: {
      official: signalsFile.links.official.map((d) => d.toLowerCase()),
      lookalikeTokens: signalsFile.links.lookalike_tokens.map((d) => d.toLowerCase()),
      cheapTlds: signalsFile.links.cheap_tlds.map((d) => d.toLowerCase()),
    },
    hotlines: {
      antiFraud: adviceFile.hotlines.anti_fraud,
      police: adviceFile.hotlines.police,
      line: adviceFile.hotlines.line,
      elderLine: adviceFile.hotlines.elder_line,
      generic: adviceFile.hotlines.generic,
    },
    tips: adviceFile.tips,
    topics,
    elder: {
      intro: adviceFile.elder.intro,
      off: adviceFile.elder.off,
      keep: adviceFile.elder.keep,
      suggest: adviceFile.elder.suggest,
      menuTitle: adviceFile.elder.menu_title,
      menu: adviceFile.elder.menu,
    },
  }
}

function compile(source: string, where: string): RegExp {
  try {
    return new RegExp(source, 'iu')
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err)
    throw new ContentError(`content: ${where}: not a valid regular expression: ${why}`)
  }
}

function unique(ids: string[], file: string): void {
  const seen = new Set<string>()
  for (const id of ids) {
    if (seen.has(id)) throw new ContentError(`content: ${file}: id "${id}" is used twice`)
    seen.add(id)
  }
}
