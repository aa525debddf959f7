import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { packageRoot } from '../../src/core/package-root.js'
import { loadServiceMenu, SERVICES_FILE } from '../../src/requests/service-menu.js'

const contentDir = join(packageRoot(), 'content')

function withFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kepu-services-'))
  writeFileSync(join(dir, SERVICES_FILE), text)
  return dir
}

describe('service menu (content/services.yaml)', () => {
  it('loads the bundled menu: every service names listed teams', () => {
    const menu = loadServiceMenu(contentDir)
    expect(menu.services.length).toBeGreaterThanOrEqual(10)
    for (const s of menu.services) for (const t of s.teams) expect(menu.team(t)?.name).toBe(t)
    expect(menu.volunteerSkills).toContain('医疗卫生')
  })

  it('finds a service by number, name or the words residents use', () => {
    const menu = loadServiceMenu(contentDir)
    expect(menu.find('1')?.id).toBe('farm-tech')
    expect(menu.find('村里想请专家来讲葡萄种植')?.id).toBe('farm-tech')
    expect(menu.find('社区想请医生来量血压')?.id).toBe('health')
    expect(menu.find('防诈骗讲座')?.id).toBe('anti-fraud')
    expect(menu.find('99')).toBeUndefined()
    expect(menu.find('你好')).toBeUndefined()
    expect(menu.team('农技队')?.name).toBe('农技志愿服务队')
    expect(menu.team('farm-team')?.name).toBe('农技志愿服务队')
  })

  it('names the file, the item and the field of an error in one line', () => {
    const good = readFileSync(join(contentDir, SERVICES_FILE), 'utf8')
    const noTeam = withFile(good.replace('teams: [农技志愿服务队]', 'teams: [不存在的服务队]'))
    expect(() => loadServiceMenu(noTeam)).toThrow(/^content: services\.yaml: services item 1 \(farm-tech\): teams\.0: 「不存在的服务队」 is not listed under teams$/u)
    const badId = withFile(good.replace('id: health', 'id: Health Talk'))
    expect(() => loadServiceMenu(badId)).toThrow(/^content: services\.yaml: services item 2 \(健康义诊和健康讲座\): id: expected a kebab-case id$/u)
    const twice = withFile(good.replace('id: first-aid', 'id: health'))
    expect(() => loadServiceMenu(twice)).toThrow('content: services.yaml: services item 3 (health): id: used twice')
    const extra = withFile(good.replace('    audiences: [农民]\n', '    audiences: [农民]\n    price: 免费\n'))
    expect(() => loadServiceMenu(extra)).toThrow(/^content: services\.yaml: services item 1 \(农业技术讲座\): /u)
  })
})
