/** HTML that is already safe to send: built by `h` (every interpolated value escaped) or `raw`. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Escapes text for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!)
}

type Part = SafeHtml | string | number | boolean | null | undefined | readonly Part[]

function render(part: Part): string {
  if (part === null || part === undefined || part === false || part === true) return ''
  if (part instanceof SafeHtml) return part.value
  if (Array.isArray(part)) return (part as readonly Part[]).map(render).join('')
  return escapeHtml(String(part))
}

/**
 * The one way pages are written: a tagged template whose interpolations are escaped (strings, numbers,
 * arrays of parts) unless they are SafeHtml themselves. `false`, `null` and `undefined` render nothing, so
 * `${cond && h`…`}` works.
 */
export function h(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  let out = strings[0]!
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!
  })
  return new SafeHtml(out)
}

/** Trusted markup (only for constants written in this code, never for input). */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup)
}

/** A time as staff read it: 2026-12-05 09:30 (Asia/Shanghai). */
export function shanghaiTime(t: Date): string {
  const s = new Date(t.getTime() + 8 * 3_600_000).toISOString()
  return `${s.slice(0, 10)} ${s.slice(11, 16)}`
}
