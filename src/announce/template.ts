import { InputError } from '../core/errors.js'
import { isoDate, toLocalDate, weekdayName } from '../core/shanghai-time.js'

/**
 * Live content a template can pull, injected so that announcements do not depend on how the calendar and
 * the anti-fraud knowledge are loaded. Each returns resident-ready Chinese text ('' when there is nothing).
 */
export interface TemplateContent {
  /** This week's events in a region (all regions when undefined), as of `now`. */
  weekEvents(region: string | undefined, now: Date): string
  /** The next observance after `now`, e.g. 「9月20日 全国科普日（还有 5 天）」. */
  nextObservance(now: Date): string
  /** Today's anti-fraud tip. */
  dailyTip(now: Date): string
  /** Today's knowledge card (season-aware). Optional: without it, {daily_kepu} is empty. */
  dailyKepu?(now: Date): string
  /**
   * Observances falling within `days` days after `now` (Asia/Shanghai dates, YYYY-MM-DD), for reminders
   * with lead times. Optional: without it, reminders have nothing to remind of.
   */
  upcomingObservances?(now: Date, days: number): { name: string; date: string }[]
}

/** Content that has nothing to say: for the CLI before the calendar and fraud knowledge are wired. */
export const emptyTemplateContent: TemplateContent = {
  weekEvents: () => '',
  nextObservance: () => '',
  dailyTip: () => '',
}

/** What a template is rendered for. */
export interface TemplateScope {
  now: Date
  region: string | undefined
  /** For observance reminders: the reminder lines of this firing. */
  reminders?: string
  /** For the weekly digest to admins. */
  unanswered?: string
}

/** The placeholders a template may use, with what they stand for (shown in help). */
export const PLACEHOLDERS: Record<string, string> = {
  week_events: '本周本地区科普活动',
  next_observance: '下一个科普纪念日',
  daily_tip: '今日防骗提醒',
  daily_kepu: '今日科普小知识（应季）',
  reminders: '纪念日提前提醒（配合 --lead 使用）',
  date: '日期（如 2026-09-17）',
  weekday: '星期（如 周一）',
  region: '地区名',
  unanswered: '近一周未答问题汇总（发给管理员）',
}

const PLACEHOLDER = /\{([a-z_]+)\}/g

/** Checks that a template is not empty and uses only known placeholders; throws an InputError naming the bad one. */
export function validateTemplate(template: string): void {
  if (!template.trim()) throw new InputError('模板不能为空')
  for (const m of template.matchAll(PLACEHOLDER)) {
    if (!(m[1]! in PLACEHOLDERS)) {
      throw new InputError(`模板里的「{${m[1]}}」不认识；可用：${Object.keys(PLACEHOLDERS).map((k) => `{${k}}`).join(' ')}`)
    }
  }
}

/** Placeholders that bring content; a template whose content placeholders are all empty has nothing to send. */
const CONTENT_KEYS = new Set(['week_events', 'next_observance', 'daily_tip', 'daily_kepu', 'reminders', 'unanswered'])

/** A rendered template. */
export interface Rendered {
  text: string
  /** True when the template pulls content and every piece came back empty: nothing worth sending. */
  empty: boolean
}

/** Fills a template's placeholders with live content; blank lines left by empty content are dropped. */
export function renderTemplate(template: string, content: TemplateContent, scope: TemplateScope): Rendered {
  const cache = new Map<string, string>()
  let pulled = 0
  let filled = 0
  const value = (key: string): string => {
    let v = cache.get(key)
    if (v !== undefined) return v
    switch (key) {
      case 'week_events': v = content.weekEvents(scope.region, scope.now); break
      case 'next_observance': v = content.nextObservance(scope.now); break
      case 'daily_tip': v = content.dailyTip(scope.now); break
      case 'daily_kepu': v = content.dailyKepu?.(scope.now) ?? ''; break
      case 'reminders': v = scope.reminders ?? ''; break
      case 'date': v = isoDate(scope.now); break
      case 'weekday': v = weekdayName(toLocalDate(scope.now).weekday); break
      case 'region': v = scope.region ?? ''; break
      case 'unanswered': v = scope.unanswered ?? ''; break
      default: v = ''
    }
    v = v.trim()
    if (CONTENT_KEYS.has(key)) {
      pulled++
      if (v) filled++
    }
    cache.set(key, v)
    return v
  }
  const text = template
    .replace(PLACEHOLDER, (_, key: string) => value(key))
    .split('\n')
    .filter((line, i, all) => line.trim() || (i > 0 && all[i - 1]!.trim()))
    .join('\n')
    .trim()
  return { text, empty: !text || (pulled > 0 && filled === 0) }
}
