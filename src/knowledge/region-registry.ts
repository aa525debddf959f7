import { z } from 'zod'
import type { RegionRef, RegionResolver } from '../core/bot.js'
import { toSimplified } from '../core/to-simplified.js'
import { loadYaml } from './load-yaml.js'

/** One region: its plan-title name, the short form, other spellings. */
export interface Region extends RegionRef {
  province?: string
  level?: string
  aliases: string[]
  /** How its units are prefixed (市科协, 区科协): lets 「科协」 find 市科协. */
  unitsPrefix: string
}

const RegionSchema = z.object({
  name: z.string().min(2),
  short: z.string().min(1),
  province: z.string().optional(),
  level: z.string().optional(),
  aliases: z.array(z.string().min(1)).default([]),
  units_prefix: z.string().default('市'),
})

/** content/regions.yaml */
export const RegionsFileSchema = z.object({ regions: z.array(RegionSchema) })

/**
 * Every region the bot knows, with name matching for questions. Regions come from content/regions.yaml
 * and from the plans themselves (a plan for an unlisted region adds it, so a new plan needs no edit).
 */
export class RegionRegistry implements RegionResolver {
  private readonly regions: Region[] = []
  /** Every spelling → region, longest first for matching in text. */
  private spellings: [string, Region][] = []

  /** Loads content/regions.yaml. */
  static load(file: string): RegionRegistry {
    const data = loadYaml(file, RegionsFileSchema)
    const reg = new RegionRegistry()
    for (const r of data.regions) reg.add({ name: r.name, short: r.short, aliases: r.aliases, unitsPrefix: r.units_prefix, ...(r.province ? { province: r.province } : {}), ...(r.level ? { level: r.level } : {}) })
    return reg
  }

  /** Adds a region (or nothing if its name is known). Derives the short form from the name. */
  add(region: Partial<Region> & { name: string }): Region {
    const known = this.byName(region.name)
    if (known) return known as Region
    const short = region.short ?? region.name.replace(/(市|区|县|旗)$/u, '')
    const full: Region = { name: region.name, short, aliases: region.aliases ?? [], unitsPrefix: region.unitsPrefix ?? (region.name.endsWith('区') ? '区' : '市'), ...(region.province ? { province: region.province } : {}), ...(region.level ? { level: region.level } : {}) }
    this.regions.push(full)
    this.spellings = this.regions
      .flatMap((r) => [r.name, r.short, ...r.aliases].map((s) => [s, r] as [string, Region]))
      .filter(([s]) => s.length >= 2)
      .sort((a, b) => b[0].length - a[0].length)
    return full
  }

  all(): readonly Region[] {
    return this.regions
  }

  byName(name: string): Region | undefined {
    const n = toSimplified(name.normalize('NFKC')).trim()
    if (!n) return undefined
    return this.regions.find((r) => r.name === n || r.short === n || r.aliases.includes(n))
  }

  findIn(text: string): Region | undefined {
    let best: { at: number; len: number; region: Region } | undefined
    for (const [s, r] of this.spellings) {
      const at = text.indexOf(s)
      if (at < 0) continue
      // 「城区」 alone is too common to mean 汕尾市城区 inside a longer word such as 「主城区」.
      if (s.length === 2 && s === '城区' && at > 0) continue
      if (!best || at < best.at || (at === best.at && s.length > best.len)) best = { at, len: s.length, region: r }
    }
    return best?.region
  }
}
