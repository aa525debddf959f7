/** One plan document, parsed. */
export interface Plan {
  /** Stable id: the seed file's name without extension (dongying, shanwei-chengqu …). */
  id: string
  /** The region named in the title: 东营市, 汕尾市城区 … */
  region: string
  /** The plan's title as published. */
  title: string
  /** Issuing number (东政发〔2022〕10号), when stated. */
  docNumber?: string
  /** Issuing date, YYYY-MM-DD, when stated. */
  issued?: string
  /** True for a draft for comment (征求意见稿). */
  draft: boolean
  /** The 提升行动 and 重点工程 (and any other block that names lead units). */
  actions: Action[]
  passages: Passage[]
}

/** An action or project (提升行动 / 重点工程) and who leads it. */
export interface Action {
  /** 青少年科学素质提升行动 … (without a leading 实施). */
  name: string
  /** Where it stands: 三、（一）. */
  ref: string
  leads: string[]
  units: string[]
}

/** A retrievable piece of a plan: one paragraph, item, bullet or table row. */
export interface Passage {
  /** `planId#n`. */
  id: string
  planId: string
  region: string
  /** The numbered path shown as the source: 三、（四）1 or 青少年科学素质提升行动 › 2.措施. */
  ref: string
  /** Headings above this passage, outermost first (numbering stripped). */
  headings: string[]
  /** The item's own title (its first sentence or bold lead-in), or the nearest heading. */
  title: string
  text: string
  /** The action this passage belongs to, if any. */
  action?: string
  /** Lead units (牵头) for this passage: its own, else its action's. */
  leads: string[]
  /** Responsible or cooperating units (按职责分工负责, 责任部门, 配合, table column). */
  units: string[]
}
