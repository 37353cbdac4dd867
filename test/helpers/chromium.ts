import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import axe from 'axe-core'
import { chromium, type Browser, type Page } from 'playwright-core'
import type { Teardown } from './database.js'

/** Debian's chromium package (.ci/run installs it when absent); no browser download. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
/** What Chromium needs on these machines: root (no sandbox), no GPU, and no calls home (the network is closed). */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic']
/** Screenshots of each main page land here for a person to look at (gitignored; CI keeps its clone). */
export const SCREENSHOT_DIR = join(process.cwd(), 'test-artifacts', 'screenshots')

export async function launchChromium (t: Teardown): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS })
  t.teardown(async () => { await browser.close() })
  return browser
}

export async function screenshot (page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const path = join(SCREENSHOT_DIR, `${name}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}

export interface AxeViolation { id: string, impact: string | null, help: string, targets: string[] }

/**
 * axe-core's serious and critical findings on the page as it is now (WCAG 2.x A and AA rules). Injected
 * through the DevTools protocol, which the page's Content-Security-Policy does not apply to.
 */
export async function seriousAccessibilityViolations (page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axe.source)
  const violations = await page.evaluate(async () => {
    const result = await (globalThis as unknown as { axe: typeof axe }).axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    return result.violations.map(v => ({ id: v.id, impact: v.impact ?? null, help: v.help, targets: v.nodes.map(n => n.target.join(' ')) }))
  })
  return violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
}
