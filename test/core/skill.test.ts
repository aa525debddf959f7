import { describe, expect, it } from 'vitest'
import { chainOf, setUpSkills, STAGES, type Skill } from '../../src/core/skill.js'

const handle = async () => ({ text: '', answered: true, intent: 'plan' as const })

describe('chainOf', () => {
  it('orders handlers by declared stage, then by the skills array, then within a skill', () => {
    const skills: Skill<void>[] = [
      { name: 'late', summary: '', setup: () => ({ handlers: [{ name: 'late-answer', stage: 'answer', handle }, { name: 'late-answer-2', stage: 'answer', handle }] }) },
      { name: 'recorder', summary: '', setup: () => ({ handlers: [{ name: 'rec', stage: 'observe', handle }] }) },
      { name: 'early', summary: '', setup: () => ({ handlers: [{ name: 'early-check', stage: 'check', handle }, { name: 'early-answer', stage: 'answer', handle }] }) },
    ]
    const chain = chainOf(setUpSkills(skills, undefined))
    expect(chain.map((h) => h.name)).toEqual(['rec', 'early-check', 'late-answer', 'late-answer-2', 'early-answer'])
    for (let i = 1; i < chain.length; i++) expect(STAGES.indexOf(chain[i]!.stage)).toBeGreaterThanOrEqual(STAGES.indexOf(chain[i - 1]!.stage))
  })

  it('refuses a skill listed twice', () => {
    const s: Skill<void> = { name: 'dup', summary: '', setup: () => ({}) }
    expect(() => setUpSkills([s, s], undefined)).toThrow(/dup.*twice/)
  })
})
