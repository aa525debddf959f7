/** A subscription topic residents can choose. */
export interface Topic {
  /** Stable id, stored with subscriptions and used in targets (`topic:weekly@东营市`). */
  id: string
  /** The name residents see. */
  label: string
  /** Words that pick this topic in 「订阅…」. */
  keywords: string[]
  /** True when the content depends on the resident's region (it needs ctx.region). */
  regional: boolean
  /** When it is sent, in plain words, for the confirmation. */
  when: string
}

/** The topic of emergency alerts (应急提醒): its messages go out before every queued announcement. */
export const ALERT_TOPIC = 'alert'

/** The topics, in menu order. */
export const TOPICS: readonly Topic[] = [
  { id: 'weekly', label: '本地区活动周报', keywords: ['周报', '本周', '每周', '活动周报'], regional: true, when: '每周一早上推送本地区本周的科普活动' },
  { id: 'events', label: '活动提醒', keywords: ['活动提醒', '活动通知', '纪念日', '科普日'], regional: true, when: '重要科普活动和纪念日前几天提醒您' },
  { id: 'fraud-tip', label: '每日防骗提醒', keywords: ['防骗', '防诈', '反诈', '诈骗', '每日提醒'], regional: false, when: '每天早上推送一条防骗小知识' },
  { id: 'daily-kepu', label: '每日科普', keywords: ['每日科普', '每天科普', '科普小知识', '科普知识', '小常识'], regional: false, when: '每天早上推送一条科普小知识（应季的应急、健康知识和辟谣）' },
  { id: ALERT_TOPIC, label: '应急提醒', keywords: ['应急提醒', '应急预警', '灾害预警', '预警提醒', '预警'], regional: true, when: '本地发布台风、暴雨、地震等应急提醒时第一时间通知您，附防范要点' },
]

/** The topic with this id, or undefined. */
export function topicById(id: string): Topic | undefined {
  return TOPICS.find((t) => t.id === id)
}

/** The topic a text names (its label or a keyword), or undefined. Labels win over keywords. */
export function topicIn(text: string): Topic | undefined {
  return TOPICS.find((t) => text.includes(t.label)) ?? TOPICS.find((t) => t.keywords.some((k) => text.includes(k)))
}
