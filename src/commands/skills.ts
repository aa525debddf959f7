import type { Command } from 'commander'
import { createApp } from '../app.js'
import { STAGES } from '../core/skill.js'
import { openStore } from '../store/sql/open-store.js'

/** The skills and the handler chain they make, generated from the one array (src/skills.ts). */
export async function describeSkills(): Promise<string> {
  // An in-memory store turns on the skills that keep data, so the chain printed is the one `serve` runs.
  const store = await openStore({ file: ':memory:' })
  try {
    const app = createApp({ store })
    const lines: string[] = ['skills (src/skills.ts, in order):']
    for (const [i, s] of app.skills.entries()) lines.push(`  ${i + 1}. ${s.skill.padEnd(14)} ${s.summary}`)
    lines.push('', `handler chain (by stage: ${STAGES.join(' → ')}):`)
    for (const [i, h] of app.chain.entries()) {
      const owner = app.skills.find((s) => s.handlers?.includes(h))?.skill ?? '?'
      lines.push(`  ${String(i + 1).padStart(2)}. ${h.stage.padEnd(8)} ${h.name.padEnd(20)} (${owner})`)
    }
    const topics = app.skills.flatMap((s) => (s.topics ?? []).map((t) => `${t.id} (${t.label})`))
    if (topics.length) lines.push('', `subscription topics: ${topics.join(', ')}`)
    const staff = app.skills.flatMap((s) => (s.staffCommands ?? []).map((c) => `  ${c.usage}  ${c.summary}`))
    if (staff.length) lines.push('', 'staff commands (KEPU_ADMINS):', ...staff)
    const routes = app.skills.flatMap((s) => (s.routes ?? []).map((r) => `  ${r.method} ${r.path} (${s.skill})`))
    if (routes.length) lines.push('', 'HTTP routes:', ...routes)
    const background = app.skills.filter((s) => s.start).map((s) => s.skill)
    if (background.length) lines.push('', `background work under serve: ${background.join(', ')}`)
    return lines.join('\n')
  } finally {
    await store.close()
  }
}

/** `kepu skills`: prints the skills and the handler chain. */
export function register(program: Command): void {
  program
    .command('skills')
    .description('list the skills and the handler chain they make, in the order it runs')
    .action(async () => {
      process.stdout.write(`${await describeSkills()}\n`)
    })
}
