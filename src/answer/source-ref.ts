import type { SourceRef } from '../core/reply.js'
import type { Passage, Plan } from '../knowledge/plan.js'

/** The batch contract's source record for a passage. */
export function sourceRef(passage: Passage, plan: Plan | undefined): SourceRef {
  return {
    region: passage.region,
    doc: plan?.title ?? passage.planId,
    ref: passage.ref,
    title: passage.title,
    text: passage.text.length > 400 ? `${passage.text.slice(0, 400)}…` : passage.text,
  }
}

/** 「（来源：东营市…实施方案（2021—2025年） · 三、（三））」, the line residents see under an answer. */
export function sourceLine(passage: Passage, plan: Plan | undefined): string {
  const doc = plan ? `《${plan.title}》` : passage.region
  return passage.ref ? `（来源：${doc} ${passage.ref}）` : `（来源：${doc}）`
}

/** The text behind 「更多」: the passage in full, with where it stands. */
export function moreText(passage: Passage, plan: Plan | undefined): string {
  const head = [passage.region, passage.ref].filter(Boolean).join(' · ')
  const units = [passage.leads.length ? `牵头：${passage.leads.join('、')}` : '', passage.units.length ? `参与：${passage.units.join('、')}` : ''].filter(Boolean).join('\n')
  const body = passage.text.length > 1200 ? `${passage.text.slice(0, 1200)}…` : passage.text
  return [`【${head}】`, body, units, plan ? `出处：《${plan.title}》` : ''].filter(Boolean).join('\n')
}
