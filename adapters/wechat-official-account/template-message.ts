import { toLocalDate } from '../../src/core/shanghai-time.js'
import type { TemplateData } from './api-client.js'

/**
 * A template message per topic (WECHAT_OA_TEMPLATES): which template, and what goes in each of its
 * fields. Field values are patterns with `{text}` (the whole message), `{first}` (its first line), `{rest}`
 * (the lines after it), `{date}` (when it is sent, 2026年5月12日 09:00, Asia/Shanghai) and `{topic}`.
 */
export interface TemplateConfig {
  /** The template_id from 公众平台 → 广告与服务 → 模板消息 → 我的模板. */
  id: string
  /** Field key (as the template shows it, e.g. `thing1`, `time2`) → pattern. */
  fields: Record<string, string>
  /** Opened when the resident taps the message (an article or the 科协's page); optional. */
  url?: string
}

/**
 * How long a field's value may be, by the key's type (the part before the digits), as WeChat documents it
 * for 类目模板 fields: `thing` 20 characters, `character_string` 32, `phrase` 5, `name` 10 …; a longer value
 * makes the whole send fail (47003), so it is clipped with 「…」.
 */
const FIELD_LIMITS: Record<string, number> = { thing: 20, character_string: 32, number: 32, letter: 32, symbol: 5, phrase: 5, name: 10, phone_number: 17, car_number: 8, amount: 11, const: 20 }
const DEFAULT_LIMIT = 200

/** The template for a topic: the topic's own, else the one for the priority (`alert`), else `*`. */
export function templateFor(templates: Readonly<Record<string, TemplateConfig>>, topic: string | undefined, priority: string | undefined): TemplateConfig | undefined {
  return (topic ? templates[topic] : undefined) ?? (priority ? templates[priority] : undefined) ?? templates['*']
}

/** Fills a template's fields from a message's text. */
export function templateData(config: TemplateConfig, text: string, now: Date, topic = ''): TemplateData {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean)
  const { year, month, day } = toLocalDate(now)
  const hm = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(11, 16)
  const values: Record<string, string> = {
    text: lines.join(' '),
    first: lines[0] ?? '',
    rest: lines.slice(1).join(' '),
    date: `${year}年${month}月${day}日 ${hm}`,
    topic,
  }
  const data: TemplateData = {}
  for (const [key, pattern] of Object.entries(config.fields)) {
    const value = pattern.replace(/\{(text|first|rest|date|topic)\}/g, (_, name: string) => values[name] ?? '')
    data[key] = { value: clip(value, limitOf(key)) }
  }
  return data
}

function limitOf(key: string): number {
  const type = key.replace(/\d+$/, '')
  return FIELD_LIMITS[type] ?? DEFAULT_LIMIT
}

/** At most `max` characters (code points), the last one 「…」 when cut (after no dangling punctuation). */
function clip(value: string, max: number): string {
  const chars = Array.from(value)
  if (chars.length <= max) return value
  return `${chars.slice(0, max - 1).join('').replace(/[\s，。、；：！？,.;:!?]+$/u, '')}…`
}
