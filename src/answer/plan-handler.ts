import type { Handler, ReplyWithMore } from '../core/bot.js'
import type { Choice } from '../core/reply.js'
import type { KnowledgeBase } from '../knowledge/knowledge-base.js'
import type { AnalyzedQuestion } from '../search/analyze-question.js'
import type { SearchHit } from '../search/plan-index.js'
import { clipSentence } from './clip-sentence.js'
import { moreText, sourceLine, sourceRef } from './source-ref.js'

/** Tuning of the plan answers; the defaults are what the tests and the bench were measured with. */
export interface PlanAnswerOptions {
  /** The least share of the question's topic the answering sentence must cover to count as an answer. */
  minCoverage?: number
  /** The least combined score. */
  minScore?: number
  /** Characters of plan text in one answer. */
  maxSentence?: number
}

/**
 * Answers from the plans: finds the passage and sentence that answer, names the source, offers 「更多」
 * and follow-ups. Below the relevance threshold it passes (the chain ends in a polite decline). With
 * no region known and several regions answering differently, it answers per region, labelled.
 */
export function createPlanHandler(kb: KnowledgeBase, options: PlanAnswerOptions = {}): Handler {
  const minCoverage = options.minCoverage ?? 0.4
  const minScore = options.minScore ?? 0.55
  const maxSentence = options.maxSentence ?? 110

  return async (ctx, next) => {
    if (!ctx.text) return next()
    const q = kb.analyze(ctx.text)
    const region = ctx.region?.name
    const hits = kb.index.search(q, { limit: region ? 3 : 12, ...(region ? { region } : {}) }).filter((h) => h.coverage >= minCoverage && h.score >= minScore)
    const best = hits[0]
    if (!best) return next()
    // A question of only common words gets an answer only from a sentence that defines its words.
    if (kb.index.isVague(q) && !definesTopic(best.sentence, q.topic)) return next()
    const terms = new Set(kb.tokenize(`${q.topic} ${q.expansions.join(' ')}`))
    const clip = (h: SearchHit, max: number): string => clipSentence(h.sentence, terms, kb.tokenize, max, q.shape === 'number')

    const perRegion = region ? [] : distinctRegions(hits, best.score)
    if (perRegion.length > 1) return perRegionAnswer(kb, perRegion, clip)

    const plan = kb.planOf(best.passage.region)
    // 长辈模式: one short idea, no follow-up list.
    const elder = ctx.user.elder === true
    const lines = [clip(best, elder ? Math.min(60, maxSentence) : maxSentence)]
    if (q.shape === 'lead' && best.passage.leads.length) lines.push(`牵头：${best.passage.leads.join('、')}`)
    if (!region) lines[0] = `${best.passage.region}：${lines[0]}`
    lines.push(sourceLine(best.passage, plan))
    const hasMore = best.passage.text.length > best.sentence.length + 10
    if (hasMore) lines.push('回复「更多」看原文')
    const choices = elder ? [] : followUps(best, q)
    if (choices.length) lines.push(`您还可以问：${choices.map((c) => `「${c.label}」`).join('')}`)
    const reply: ReplyWithMore = {
      text: lines.join('\n'),
      answered: true,
      intent: 'plan',
      sources: hits.slice(0, 3).map((h) => sourceRef(h.passage, kb.planOf(h.passage.region))),
      ...(choices.length ? { choices } : {}),
      ...(hasMore ? { more: moreText(best.passage, plan) } : {}),
    }
    return reply
  }
}

/** True when the sentence defines the question's words: 「公民具备科学素质是指…」 for 「科学素质是啥」. */
function definesTopic(sentence: string, topic: string): boolean {
  const words = topic.split(' ').filter(Boolean)
  const last = words[words.length - 1]
  return !!last && new RegExp(`${last.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')}(的|一词|这个词)?(是指|指的是|就是)`, 'u').test(sentence)
}

/** The best hit of each region when several regions answer about equally well and differently. */
function distinctRegions(hits: SearchHit[], top: number): SearchHit[] {
  const seen = new Map<string, SearchHit>()
  const texts = new Set<string>()
  for (const h of hits) {
    if (h.score < top * 0.85 || seen.has(h.passage.region)) continue
    const key = h.sentence.replace(/[^\p{L}\p{N}]/gu, '').replace(/我市|我区|全市|全区|本市/gu, '')
    if (texts.has(key)) continue
    texts.add(key)
    seen.set(h.passage.region, h)
  }
  return [...seen.values()]
}

function perRegionAnswer(kb: KnowledgeBase, hits: SearchHit[], clip: (h: SearchHit, max: number) => string): ReplyWithMore {
  const shown = hits.slice(0, 3)
  const lines = ['各地方案的说法不同：']
  for (const h of shown) lines.push(`· ${h.passage.region}：${clip(h, 70)}（${h.passage.ref || '原文'}）`)
  if (hits.length > shown.length) lines.push(`另有${hits.length - shown.length}个地区，回复「更多」查看。`)
  lines.push('告诉我您在哪（如「我在东营」），以后只答本地的。')
  const rest = hits.slice(shown.length)
  return {
    text: lines.join('\n'),
    answered: true,
    intent: 'plan',
    sources: hits.map((h) => sourceRef(h.passage, kb.planOf(h.passage.region))),
    choices: shown.map((h) => ({ label: `我在${h.passage.region}`, value: `我在${h.passage.region}` })),
    ...(rest.length ? { more: rest.map((h) => `· ${h.passage.region}：${clip(h, 120)}\n${sourceLine(h.passage, kb.planOf(h.passage.region))}`).join('\n') } : {}),
  }
}

/** One to three questions that follow naturally from the answer. */
function followUps(hit: SearchHit, q: AnalyzedQuestion): Choice[] {
  const out: Choice[] = []
  const region = hit.passage.region
  if (hit.passage.action && q.shape !== 'lead') {
    out.push({ label: `${hit.passage.action}由谁牵头`, value: `${region}${hit.passage.action}由哪个部门牵头` })
  }
  out.push({ label: '最近有什么科普活动', value: '最近有什么科普活动' })
  return out.slice(0, 3)
}
