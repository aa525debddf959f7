import { h, type SafeHtml } from './html.js'

export interface Bar {
  label: string
  value: number
  /** A second value drawn inside the bar (e.g. answered of all). */
  part?: number
}

/**
 * A horizontal bar chart as inline SVG (no script, no external file), with a title and a text
 * alternative for screen readers; the numbers are also written next to each bar.
 */
export function barChart(title: string, bars: readonly Bar[], options: { partLabel?: string } = {}): SafeHtml {
  if (!bars.length) return h`<p class="muted">（暂无数据）</p>`
  const max = Math.max(1, ...bars.map((b) => b.value))
  const row = 30
  const labelW = 130
  const barW = 360
  const height = bars.length * row + 10
  const desc = bars.map((b) => `${b.label}：${b.value}${b.part !== undefined ? `（${options.partLabel ?? ''}${b.part}）` : ''}`).join('；')
  return h`<figure class="card"><figcaption><strong>${title}</strong></figcaption>
<svg role="img" aria-label="${`${title}：${desc}`}" viewBox="0 0 ${labelW + barW + 90} ${height}" width="100%" preserveAspectRatio="xMinYMin meet">
${bars.map((b, i) => {
  const y = i * row + 5
  const w = Math.round((b.value / max) * barW)
  const pw = b.part !== undefined ? Math.round((b.part / max) * barW) : 0
  return h`<text x="0" y="${y + 19}" fill="#1a1a1a">${b.label}</text><rect x="${labelW}" y="${y}" width="${w}" height="22" fill="#8fb8c9"></rect>${b.part !== undefined ? h`<rect x="${labelW}" y="${y}" width="${pw}" height="22" fill="#0b4f6c"></rect>` : ''}<text x="${labelW + w + 6}" y="${y + 19}" fill="#1a1a1a">${b.value}${b.part !== undefined ? `（${b.part}）` : ''}</text>`
})}
</svg>${options.partLabel ? h`<p class="muted">深色：${options.partLabel}；括号里是${options.partLabel}的数量。</p>` : ''}</figure>`
}
