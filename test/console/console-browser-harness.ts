import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { expect } from 'vitest'
import type { Harness } from './console-harness.js'

/** Debian's Chromium (.ci/run installs it); the browser tests skip without it. */
export const CHROMIUM = process.env['KEPU_CHROMIUM'] ?? '/usr/bin/chromium'
export const HAVE_CHROMIUM = existsSync(CHROMIUM)
/** Where screenshots go (docs/images holds the quantised copies the staff guide shows). */
export const ARTIFACTS = join(process.cwd(), 'test-artifacts')
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** Starts headless Chromium (and makes the screenshot folder). */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true })
  const { chromium } = await import('playwright-core')
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] })
}

/** A browser context of its own (cookies) for one admin; CSP bypassed only so that axe can be injected. */
export function contextFor(browser: Browser, phone = false): Promise<BrowserContext> {
  return browser.newContext({ bypassCSP: true, locale: 'zh-CN', ...(phone ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 } : { viewport: { width: 1000, height: 800 } }) })
}

/** Logs in through a fresh one-time link and lands on 概览. */
export async function login(t: Harness, page: Page, user: string): Promise<void> {
  await page.goto(await t.link(user))
  await page.getByRole('button', { name: '登录管理台' }).click()
  await page.waitForURL(/\/admin\/$/)
}

export interface AxeViolation {
  id: string
  impact: string | null
  nodes: { target: string[] }[]
}

/** Runs axe on the page; returns the serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: AXE })
  const result = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as { violations: AxeViolation[] }
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}

/** A full-page screenshot in test-artifacts/<shot>.png, then axe: no serious or critical violation. */
export async function check(page: Page, shot: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${shot}.png`), fullPage: true })
  const violations = await seriousViolations(page)
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), shot).toEqual([])
}
