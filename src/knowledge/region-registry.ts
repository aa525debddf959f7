import { z } from 'zod'
import type { RegionRef, RegionResolver } from '../core/bot.js'
import { toSimplified } from '../core/to-simplified.js'
import { loadYaml } from './load-yaml.js'
import { NameTrie } from './name-trie.js'

/** One region: its plan-title name, the short form, other spellings, its districts and towns. */
export interface Region extends RegionRef {
  province?: string
  level?: string
  aliases: string[]
  /** How its units are prefixed (市科协, 区科协): lets 「科协」 find 市科协. */
  unitsPrefix: string
  /** Counties, districts, streets and towns the plan covers (垦利区, 米山镇): they mean this region. */
  districts: string[]
  /** The districts' short forms that mean this region on their own (垦利, 米山; not 海南, 河口). */
  districtShorts: string[]
}

/** A place named in text: a region, or a district of one. */
export interface PlaceMention {
  region: Region
  /** The district's full name, when the words named a district. */
  district?: string
  /** Where the spelling starts in the text, and how long it is. */
  at: number
  length: number
}

const RegionSchema = z.object({
  name: z.string().min(2),
  short: z.string().min(1),
  province: z.string().optional(),
  level: z.string().optional(),
  aliases: z.array(z.string().min(1)).default([]),
  units_prefix: z.string().default('市'),
  districts: z.array(z.string().min(2)).default([]),
})

/** content/regions.yaml */
export const RegionsFileSchema = z
  .object({
    regions: z.array(RegionSchema),
    /** Short district names that are also other places or common words (海南, 河口): they count only right after their region's name. */
    ambiguous_short: z.array(z.string().min(1)).default([]),
  })
  .superRefine((data, ctx) => {
    const seen = new Map<string, string>()
    data.regions.forEach((r, i) => {
      r.districts.forEach((d, j) => {
        const other = seen.get(d)
        if (other) ctx.addIssue({ code: 'custom', path: ['regions', i, 'districts', j], message: `"${d}" is already a district of ${other}` })
        seen.set(d, r.name)
      })
    })
  })

/** 垦利区 → 垦利, 米山镇 → 米山, 滨河新区街道 → 滨河新区: how residents shorten a district's name. */
export function districtShort(name: string): string {
  return name.replace(/(街道|街道办事处|县|区|镇|乡|旗)$/u, '')
}

interface Spelling {
  text: string
  region: Region
  district?: string
  /** Counts only right after the region's own name (乌海海南): a short name that is also another place. */
  afterRegionOnly?: boolean
  /** The order it was added in: of two spellings of one length, the earlier wins at a position. */
  order: number
}

/**
 * Every region the bot knows, with name matching for questions. Regions come from content/regions.yaml
 * and from the plans themselves (a plan for an unlisted region adds it, so a new plan needs no edit).
 * Districts and towns listed under a region mean that region: 「我家在利津」 is 东营市.
 *
 * Spellings are kept in a trie (see NameTrie), so finding the places in a question costs the same with
 * five regions or three thousand, and adding a region costs its own spellings only.
 */
export class RegionRegistry implements RegionResolver {
  private readonly regions: Region[] = []
  /** Every spelling of two characters or more, for matching in text. */
  private readonly spellings = new NameTrie<Spelling>()
  /** Each region's spellings, in the order they were added. */
  private readonly spellingsByRegion = new Map<Region, Spelling[]>()
  /** Name, short form and aliases → the first region that has it. */
  private readonly byOwnName = new Map<string, Region>()
  /** District names and their short forms → the first region that has it. */
  private readonly byDistrict = new Map<string, Region>()
  private readonly ambiguous: Set<string>

  constructor(ambiguousShort: readonly string[] = []) {
    this.ambiguous = new Set(ambiguousShort)
  }

  /** Loads content/regions.yaml. */
  static load(file: string): RegionRegistry {
    const data = loadYaml(file, RegionsFileSchema)
    const reg = new RegionRegistry(data.ambiguous_short)
    for (const r of data.regions) reg.add({ name: r.name, short: r.short, aliases: r.aliases, unitsPrefix: r.units_prefix, districts: r.districts, ...(r.province ? { province: r.province } : {}), ...(r.level ? { level: r.level } : {}) })
    return reg
  }

  /** Adds a region (or nothing if its name is known). Derives the short form from the name. */
  add(region: Partial<Region> & { name: string }): Region {
    const known = this.byName(region.name)
    if (known) return known as Region
    const short = region.short ?? region.name.replace(/(市|区|县|旗)$/u, '')
    const districts = region.districts ?? []
    const districtShorts = districts.map(districtShort).filter((s, i) => s !== districts[i] && Array.from(s).length >= 2 && !this.ambiguous.has(s))
    const full: Region = { name: region.name, short, aliases: region.aliases ?? [], unitsPrefix: region.unitsPrefix ?? (region.name.endsWith('区') ? '区' : '市'), districts, districtShorts, ...(region.province ? { province: region.province } : {}), ...(region.level ? { level: region.level } : {}) }
    this.regions.push(full)
    for (const n of [full.name, full.short, ...full.aliases]) if (!this.byOwnName.has(n)) this.byOwnName.set(n, full)
    for (const n of [...full.districts, ...full.districtShorts]) if (!this.byDistrict.has(n)) this.byDistrict.set(n, full)
    const own: Omit<Spelling, 'order'>[] = [
      ...[full.name, full.short, ...full.aliases].map((text) => ({ text, region: full })),
      ...full.districts.flatMap((d) => {
        const s = districtShort(d)
        const out: Omit<Spelling, 'order'>[] = [{ text: d, region: full, district: d }]
        if (s !== d && Array.from(s).length >= 2) out.push({ text: s, region: full, district: d, afterRegionOnly: this.ambiguous.has(s) })
        return out
      }),
    ]
    const kept: Spelling[] = []
    for (const s of own) {
      if (Array.from(s.text).length < 2) continue
      const spelling = { ...s, order: this.spellings.size }
      this.spellings.add(spelling.text, spelling)
      kept.push(spelling)
    }
    this.spellingsByRegion.set(full, kept)
    return full
  }

  all(): readonly Region[] {
    return this.regions
  }

  byName(name: string): Region | undefined {
    const n = toSimplified(name.normalize('NFKC')).trim()
    if (!n) return undefined
    return this.byOwnName.get(n) ?? this.byDistrict.get(n)
  }

  /** Every spelling a question about this region may use: names, aliases, districts and their short forms (longest first). */
  spellingsOf(region: Region): string[] {
    return [...(this.spellingsByRegion.get(region) ?? [])].sort((a, b) => b.text.length - a.text.length).map((s) => s.text)
  }

  /** Every place named in `text`, in order, without overlaps (the longest spelling wins at a position). */
  placesIn(text: string): PlaceMention[] {
    const candidates: { s: Spelling; at: number }[] = []
    for (const m of this.spellings.matches(text)) for (const s of m.values) candidates.push({ s, at: m.at })
    candidates.sort((a, b) => b.s.text.length - a.s.text.length || a.s.order - b.s.order || a.at - b.at)
    const found: PlaceMention[] = []
    for (const { s, at } of candidates) {
      // 「城区」 alone is too common to mean 汕尾市城区 inside a longer word such as 「主城区」.
      if (s.text === '城区' && at > 0) continue
      if (found.some((f) => at < f.at + f.length && f.at < at + s.text.length)) continue
      if (s.afterRegionOnly && !this.regionEndsAt(text, at, s.region)) continue
      found.push({ region: s.region, ...(s.district ? { district: s.district } : {}), at, length: s.text.length })
    }
    return found.sort((a, b) => a.at - b.at)
  }

  findIn(text: string): Region | undefined {
    return this.placesIn(text)[0]?.region
  }

  /** True when one of the region's own spellings ends right before `at` (乌海|海南). */
  private regionEndsAt(text: string, at: number, region: Region): boolean {
    return [region.name, region.short, ...region.aliases].some((n) => n.length >= 2 && text.slice(Math.max(0, at - n.length), at) === n)
  }
}
