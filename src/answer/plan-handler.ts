import type { Handler, ReplyWithMore } from '../core/bot.js'
import type { Choice } from '../core/reply.js'
import type { KnowledgeBase } from '../search/knowledge-base.js'
import type { AnalyzedQuestion } from '../search/analyze-question.js'
import type { SearchHit } from '../search/plan-index.js'
import { foldText } from '../search/fold-text.js'
import type { Passage, Plan } from '../knowledge/plan.js'
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
    const relevant = (h: SearchHit): boolean => h.coverage >= minCoverage && h.score >= minScore
    const hits = preferAsked(kb.index.search(q, { limit: region ? 3 : 12, ...(region ? { region } : {}) }).filter(relevant), q)
    const best = hits[0]
    // The region's plan does not cover it: say so plainly, naming the region, and offer what other plans say.
    const topicTerms = new Set(kb.tokenize(`${q.topic} ${q.expansions.join(' ')}`))
    // A figure answers 「多少」 only in a clause about the topic: 「比例达到12%」 is no count of volunteers.
    const figure = (h: SearchHit): boolean => h.sentence.split(/[，,；;：:]/u).some((c) => /\d/u.test(c) && kb.tokenize(foldText(c)).some((t) => t.length >= 2 && topicTerms.has(t)))
    if (!best) return region && !kb.index.isVague(q) ? (notCovered(ctx.text, q, region, q.shape === 'number' ? figure : undefined) ?? next()) : next()
    // A question of only common words gets an answer only from a sentence that defines its words.
    if (kb.index.isVague(q) && !definesTopic(best.sentence, q.topic)) return next()
    const terms = new Set(kb.tokenize(`${q.topic} ${q.expansions.join(' ')}`))
    const clip = (h: SearchHit, max: number): string => clipSentence(h.sentence, terms, kb.tokenize, max, q.shape === 'number')

    const perRegion = region ? [] : distinctRegions(hits, best.score)
    if (perRegion.length > 1) return { ...perRegionAnswer(kb, perRegion, clip), remember: { question: ctx.text, passages: perRegion.map((h) => h.passage.id) } }

    // 「多少」 answered by a sentence without a figure, where other plans have one: the plan does not say.
    if (region && q.shape === 'number' && !figure(best)) {
      const honest = notCovered(ctx.text, q, region, figure)
      if (honest) return honest
    }

    const plan = kb.planOf(best.passage.region)
    const remember = { question: ctx.text, region: best.passage.region, passages: hits.map((h) => h.passage.id), cursor: best.passage.id, ...(best.passage.action ? { action: best.passage.action } : {}) }
    // 「都有哪些…」 about a section with several items: a short numbered list, remembered for 「第二个」.
    const section = q.shape === 'list' && plan ? sectionItems(plan, best.passage, q, kb.tokenize) : undefined
    if (section) return listAnswer(kb, plan!, section, ctx.user.elder === true, remember)

    // 长辈模式: one short idea, no follow-up list.
    const elder = ctx.user.elder === true
    // A list question answered by a sentence that lists nothing: the passage's enumerating sentence instead.
    const listSentence = q.shape === 'list' && (best.sentence.match(/、/gu) ?? []).length < 2 ? enumeration(best.passage.text, terms, kb.tokenize) : undefined
    const lines = [listSentence && listSentence !== best.sentence ? clipSentence(listSentence, terms, kb.tokenize, elder ? 60 : maxSentence) : clip(best, elder ? Math.min(60, maxSentence) : maxSentence)]
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
      remember,
    }
    return reply
  }

  /**
   * 「神木市的方案里没有写这件事」 and what other plans say (up to two), when other plans answer it;
   * `wanted` narrows what counts as an answer elsewhere (a figure for 「多少」). Undefined when none does.
   */
  function notCovered(question: string, q: AnalyzedQuestion, region: string, wanted: (h: SearchHit) => boolean = () => true): ReplyWithMore | undefined {
    const others = distinctRegions(kb.index.search(q, { limit: 12, spread: 4, loads: 1 }).filter((h) => h.passage.region !== region && h.coverage >= minCoverage && h.score >= minScore && wanted(h)), 0)
    if (!others.length) return undefined
    const terms = new Set(kb.tokenize(`${q.topic} ${q.expansions.join(' ')}`))
    const shown = others.slice(0, 2)
    const what = q.shape === 'number' ? `没有写${topicPhrase(q)}的具体数字` : '里没有写这件事'
    const lines = [`${region}的方案${what}。其他地方的方案是这样写的：`]
    for (const h of shown) lines.push(`· ${h.passage.region}：${clipSentence(h.sentence, terms, kb.tokenize, 70, q.shape === 'number')}（${h.passage.ref || '原文'}）`)
    return {
      text: lines.join('\n'),
      answered: true,
      intent: 'plan',
      sources: shown.map((h) => sourceRef(h.passage, kb.planOf(h.passage.region))),
      remember: { question, region, passages: shown.map((h) => h.passage.id) },
    }
  }
}

// 「有啥品牌」「有哪些设施」: the word after the question word is what is asked for; generic words are not.
const ASKED = /(?:有啥|有什么|有哪些|哪些|什么|啥|哪几个|哪几种)([\u4e00-\u9fff]{2,4}?)(?:吗|呢|啊|呀|$|[，,。？?！!])/u
const GENERIC_ASKED = /^(做法|措施|举措|办法|安排|内容|东西|工作|活动|情况|事情|事儿|方面|地方|时候|意思|要求|规定|部门|单位)$/u

/**
 * Among answers about as good as the best, the first whose sentence carries the word asked for
 * (「我们市的科普信息化有啥品牌」 → the sentence with 品牌), else the ranking as it was.
 */
function preferAsked(hits: SearchHit[], q: AnalyzedQuestion): SearchHit[] {
  const asked = ASKED.exec(q.folded)?.[1]
  const best = hits[0]
  if (!asked || GENERIC_ASKED.test(asked) || !best || best.sentence.includes(asked)) return hits
  const carrier = hits.find((h) => h.score >= best.score * 0.8 && h.sentence.includes(asked))
  return carrier ? [carrier, ...hits.filter((h) => h !== carrier)] : hits
}

/** The topic words of a question as a short phrase for 「…没有写X的具体数字」. */
function topicPhrase(q: AnalyzedQuestion): string {
  const runs = q.topic.split(' ').filter((r) => Array.from(r).length >= 2)
  const joined = runs.length ? runs.join('') : q.topic.replace(/\s+/gu, '')
  // The thing, not what is to be done with it: 「2025年公民科学素质要达到」 → 「2025年公民科学素质」.
  const cut = joined.replace(/(要|将|应|需要|达到|实现|建|有)[^要将应需达实建有]*$/u, '')
  const t = Array.from(cut).length >= 4 ? cut : joined
  return Array.from(t).length <= 12 ? t : Array.from(t).slice(0, 12).join('')
}

/** The share of a question's topic terms a text has. */
function topicShare(text: string, topic: string[], tokenize: (s: string) => string[]): number {
  if (!topic.length) return 0
  const have = new Set(tokenize(foldText(text)))
  return topic.filter((t) => have.has(t)).length / topic.length
}

/** A section of a plan listed item by item. */
interface Section {
  heading: string
  items: Passage[]
  /** How the items are named when they are sub-sections (their headings). */
  labels?: string[]
}

const GENERIC_TITLE = /^(任务|措施|目标|主要任务|主要措施|重点任务|工作措施|内容)$/u

/**
 * The section a list question asks about: the heading above the answering passage that covers the
 * question's topic at least as well as the passage's own title, when it holds two or more items.
 */
function sectionItems(plan: Plan, passage: Passage, q: AnalyzedQuestion, tokenize: (s: string) => string[]): Section | undefined {
  const topic = [...new Set(tokenize(q.topic))]
  const runs = q.topic.split(' ').filter(Boolean).map((r) => [...new Set(tokenize(r))])
  const own = topicShare(passage.title, topic, tokenize)
  for (let depth = passage.headings.length - 1; depth >= 0; depth--) {
    const heading = passage.headings[depth]!
    const share = topicShare(heading, topic, tokenize)
    // Every part of the topic must be in the heading: 「科普信息化有啥品牌」 asks for 品牌, not the whole 科普信息化 section.
    if (share < 0.5 || share < own || runs.some((r) => topicShare(heading, r, tokenize) < 0.5)) continue
    const items = plan.passages.filter((p) => p.headings[depth] === heading && p.headings.slice(0, depth).join('/') === passage.headings.slice(0, depth).join('/'))
    // A section of sub-sections (提升行动 → 青少年…, 农民… ) is listed by its sub-headings, each opening its first item.
    const subs = [...new Set(items.map((p) => p.headings[depth + 1]).filter((h): h is string => !!h && !GENERIC_TITLE.test(h)))]
    if (subs.length >= 2 && items.filter((p) => p.headings.length > depth + 1).length > items.length / 2) {
      return { heading, items: subs.map((h) => items.find((p) => p.headings[depth + 1] === h)!), labels: subs }
    }
    const distinct = items.filter((p, i) => items.findIndex((x) => x.text === p.text) === i)
    if (distinct.length >= 2) return { heading, items: distinct }
  }
  return undefined
}

/** How an item of a section is named in a list: its title, or its first words when the title says nothing. */
function itemLabel(p: Passage, section: Section, sameTitles: boolean): string {
  const first = (p.text.match(/^[^。；;！!？?]+/u)?.[0] ?? p.text).trim()
  const useTitle = !sameTitles && p.title && p.title !== section.heading && !GENERIC_TITLE.test(p.title) && !p.headings.includes(p.title)
  const label = useTitle ? p.title : first
  return Array.from(label).length > 34 ? `${Array.from(label).slice(0, 33).join('')}…` : label
}

const LIST_ITEMS = 6

function listAnswer(kb: KnowledgeBase, plan: Plan, section: Section, elder: boolean, remember: NonNullable<ReplyWithMore['remember']>): ReplyWithMore {
  const sameTitles = new Set(section.items.map((p) => p.title)).size === 1
  const labels = section.labels ?? section.items.map((p) => itemLabel(p, section, sameTitles))
  const common = section.items.every((p) => p.action && p.action === section.items[0]!.action) ? section.items[0]!.action : undefined
  const max = elder ? 3 : LIST_ITEMS
  const lines = [`${plan.region}「${section.heading}」有${section.items.length}项：`]
  labels.slice(0, max).forEach((l, i) => lines.push(`${i + 1}. ${l}`))
  lines.push(sourceLine({ ...section.items[0]!, ref: section.items[0]!.ref.replace(/\s*›[^›]*$/u, '') || section.items[0]!.ref }, plan))
  lines.push(`想看哪一项，回复「第二条」或数字${labels.length > max ? '；回复「更多」看其余各项' : ''}。`)
  return {
    text: lines.join('\n'),
    answered: true,
    intent: 'plan',
    sources: section.items.slice(0, 3).map((p) => sourceRef(p, plan)),
    ...(labels.length > max ? { more: labels.slice(max).map((l, i) => `${max + i + 1}. ${l}`).join('\n') } : {}),
    // The answer is about the section, not one of its items: 「这个归谁管」 names the section's action's units.
    remember: { ...remember, passages: [], ...(common ? { action: common, wholeAction: true } : {}), list: section.items.map((p, i) => ({ label: labels[i]!, passage: p.id })) },
  }
}

/** The sentence of a passage that enumerates (「农技驿站、农村夜校、科普惠农服务站、农家书屋等」) and shares the question's terms. */
function enumeration(text: string, terms: ReadonlySet<string>, tokenize: (s: string) => string[]): string | undefined {
  let best: { s: string; score: number } | undefined
  for (const raw of text.match(/[^。；;！!？?]+[。；;！!？?]?/gu) ?? []) {
    const s = raw.trim()
    const commas = (s.match(/、/gu) ?? []).length
    if (commas < 2) continue
    const shared = [...new Set(tokenize(foldText(s)))].filter((t) => terms.has(t)).length
    const score = shared + Math.min(commas, 4) * 0.5
    if (!best || score > best.score) best = { s, score }
  }
  return best?.s
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
