import { join } from 'node:path'
import { z } from 'zod'
import { ContentError } from '../core/errors.js'
import { loadYaml } from '../knowledge/load-yaml.js'

const id = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a kebab-case id')
const name = (max: number) => z.string().trim().min(2).max(max)

/** One service residents can order (「群众点单」). */
export const serviceSchema = z
  .object({
    id,
    name: name(20),
    summary: name(80),
    /** The team names (from `teams:`) that take this service. */
    teams: z.array(name(30)).min(1),
    audiences: z.array(z.string().trim().min(1)).default([]),
    /** Words residents use for it: 「讲葡萄种植」 finds 农业技术讲座. */
    keywords: z.array(z.string().trim().min(1)).default([]),
  })
  .strict()

/** A volunteer team staff assign requests to. */
export const teamSchema = z
  .object({
    id,
    name: name(30),
    /** The regions it serves (names as in the plans' titles). */
    regions: z.array(z.string().trim().min(2)).min(1),
    /** True when the name is an example, not a real local team. */
    sample: z.boolean().default(false),
  })
  .strict()

/** content/services.yaml. */
export const serviceMenuSchema = z
  .object({
    services: z.array(serviceSchema).min(1),
    teams: z.array(teamSchema).min(1),
    volunteer_skills: z.array(z.string().trim().min(1).max(12)).min(1),
  })
  .strict()

export type Service = z.infer<typeof serviceSchema>
export type Team = z.infer<typeof teamSchema>

/** The service menu, its teams and the skills volunteers may name. */
export interface ServiceMenu {
  services: readonly Service[]
  teams: readonly Team[]
  volunteerSkills: readonly string[]
  byId(id: string): Service | undefined
  /** The service a text names: its number on the menu (1-based), its name, or one of its keywords. */
  find(text: string): Service | undefined
  /** The team a staff member names (name or id, 「农技队」 for 农技志愿服务队 too). */
  team(text: string): Team | undefined
}

export const SERVICES_FILE = 'services.yaml'

/**
 * Loads content/services.yaml; an error is one line naming the file, the item and the field
 * (`content: services.yaml: services item 3 (first-aid): teams.0: …`). Ids must be unique and every team a
 * service names must be listed under `teams:`.
 */
export function loadServiceMenu(contentDir: string): ServiceMenu {
  const data = loadYaml(join(contentDir, SERVICES_FILE), serviceMenuSchema, SERVICES_FILE)
  const seen = new Set<string>()
  data.services.forEach((s, i) => {
    if (seen.has(s.id)) throw new ContentError(`content: ${SERVICES_FILE}: services item ${i + 1} (${s.id}): id: used twice`)
    seen.add(s.id)
    s.teams.forEach((t, j) => {
      if (!data.teams.some((x) => x.name === t)) throw new ContentError(`content: ${SERVICES_FILE}: services item ${i + 1} (${s.id}): teams.${j}: 「${t}」 is not listed under teams`)
    })
  })
  const teamIds = new Set<string>()
  data.teams.forEach((t, i) => {
    if (teamIds.has(t.id)) throw new ContentError(`content: ${SERVICES_FILE}: teams item ${i + 1} (${t.id}): id: used twice`)
    teamIds.add(t.id)
  })
  return createServiceMenu(data.services, data.teams, data.volunteer_skills)
}

/** Builds the menu's look-ups over validated lists (tests build small menus this way). */
export function createServiceMenu(services: readonly Service[], teams: readonly Team[], volunteerSkills: readonly string[]): ServiceMenu {
  const fold = (s: string) => s.replace(/[\s，,。！!？?、]/gu, '')
  return {
    services,
    teams,
    volunteerSkills,
    byId: (sid) => services.find((s) => s.id === sid),
    find(text) {
      const t = fold(text)
      if (!t) return undefined
      const n = /^\d{1,2}$/u.test(t) ? Number(t) : undefined
      if (n !== undefined) return services[n - 1]
      return (
        services.find((s) => t.includes(fold(s.name)) || fold(s.name).includes(t)) ??
        // The service with the most (and longest) keywords in the text.
        best(services, (s) => s.keywords.filter((k) => t.includes(fold(k))).reduce((sum, k) => sum + Array.from(k).length, 0))
      )
    },
    team(text) {
      const t = fold(text)
      if (!t) return undefined
      const short = (n: string) => n.replace(/志愿服务队$|服务队$|队$/u, '')
      return teams.find((x) => x.name === t || x.id === t) ?? teams.find((x) => short(x.name) === short(t)) ?? teams.find((x) => x.name.includes(short(t)) && Array.from(short(t)).length >= 2)
    },
  }
}

function best<T>(items: readonly T[], score: (x: T) => number): T | undefined {
  let top: T | undefined
  let topScore = 0
  for (const x of items) {
    const s = score(x)
    if (s > topScore) {
      top = x
      topScore = s
    }
  }
  return top
}
