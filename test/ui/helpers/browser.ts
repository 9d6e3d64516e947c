/**
 * Debian's Chromium driven by playwright-core for the console's end-to-end
 * tests: launched headless with everything that phones home turned off, every
 * request recorded (and any not to 127.0.0.1 refused), page errors and CSP
 * refusals collected, and axe-core run inside the page.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

/** Why the browser tests cannot run here, or undefined when they can. On CI a missing browser is a failure, not a skip. */
export function skipReason(): string | undefined {
  if (existsSync(CHROMIUM) || process.env.CI) return undefined;
  return `${CHROMIUM} is absent: install it (apt-get install -y chromium) to run the console's browser tests`;
}

export interface ConsoleBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Every URL the page requested. */
  requests: string[];
  /** Requests to anywhere but 127.0.0.1 (refused). */
  offHost: string[];
  /** Uncaught page errors and Content-Security-Policy refusals. */
  problems: string[];
  /** Saves a screenshot when SHOAL_CONSOLE_SHOTS names a folder; a no-op otherwise. */
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function openBrowser(): Promise<ConsoleBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: "en-GB", timezoneId: "UTC" });
  const requests: string[] = [];
  const offHost: string[] = [];
  const problems: string[] = [];
  await context.route("**/*", async (route) => {
    const url = route.request().url();
    requests.push(url);
    const { protocol, hostname } = new URL(url);
    if (protocol === "data:" || hostname === "127.0.0.1") return route.continue();
    offHost.push(url);
    return route.abort("blockedbyclient");
  });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
  });
  const shotsDir = process.env.SHOAL_CONSOLE_SHOTS;
  if (shotsDir) mkdirSync(shotsDir, { recursive: true });
  return {
    browser,
    context,
    page,
    requests,
    offHost,
    problems,
    async shot(name) {
      if (shotsDir) await page.screenshot({ path: join(shotsDir, `${name}.png`), fullPage: true });
    },
    async close() {
      await context.close();
      await browser.close();
    },
  };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, so the page's own CSP (script-src 'self') stays in force.
  await page.evaluate(axeSource);
  return page.evaluate(`(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => String(n.target)) }));
  })()`) as Promise<AxeViolation[]>;
}

/** Polls the element's text until it matches (a condition with a generous deadline, not a sleep). */
export async function untilText(locator: Locator, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = "";
  for (;;) {
    text = (await locator.first().textContent({ timeout: timeoutMs }).catch(() => null)) ?? "";
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`still "${text.slice(0, 200)}" after ${timeoutMs} ms, waiting for ${String(pattern)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
