/** What the check makes of one web address found in a message. */
export interface HostJudgement {
  host: string
  official: boolean
  /** Pretends to be official (an official-sounding token outside an official domain), a cheap TLD or a bare IP. */
  lookalike: boolean
}

/** The lists that decide (content/fraud/signals.yaml `links`). */
export interface LinkRules {
  official: string[]
  lookalikeTokens: string[]
  cheapTlds: string[]
}

// A host with a letter TLD, with or without a scheme; or a scheme with a bare IPv4 address.
const HOST = /(?:https?:\/\/)?((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,12})(?![a-z0-9-])/gi
const IP_URL = /https?:\/\/(\d{1,3}(?:\.\d{1,3}){3})/gi

/** Every distinct host named in `text`, lower-cased, in order of appearance. Pure; no look-ups. */
export function findHosts(text: string): string[] {
  const out: string[] = []
  const add = (h: string): void => {
    const host = h.toLowerCase().replace(/^www\./, '')
    if (!out.includes(host)) out.push(host)
  }
  for (const m of text.matchAll(HOST)) {
    const host = m[1]!
    // 「3.5元」「v1.2」 are not hosts: a real host has a letter TLD and at least one label with a letter or digit run.
    const before = m.index > 0 ? text[m.index - 1]! : ''
    if (/[@a-z0-9]/i.test(before) && !m[0].startsWith('http')) continue
    add(host)
  }
  for (const m of text.matchAll(IP_URL)) add(m[1]!)
  return out
}

/** Whether a host is official, and whether it looks like a fake of an official one. */
export function judgeHost(host: string, rules: LinkRules): HostJudgement {
  const h = host.toLowerCase()
  const official = rules.official.some((d) => h === d || h.endsWith(`.${d}`))
  if (official) return { host: h, official, lookalike: false }
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(h)) return { host: h, official, lookalike: true }
  const labels = h.split('.')
  const tld = labels[labels.length - 1]!
  const words = h.split(/[.-]/)
  const pretends = rules.lookalikeTokens.some((t) => words.includes(t) || words.some((w) => w.startsWith(t) && w.length <= t.length + 3))
  return { host: h, official, lookalike: pretends || rules.cheapTlds.includes(tld) }
}
