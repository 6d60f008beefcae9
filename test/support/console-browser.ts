import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';

// Inside page.evaluate callbacks, which run in the browser.
declare const window: any;
declare const document: any;
declare const PopStateEvent: any;

const ROOT = resolve(__dirname, '..', '..');
/** The OS Chromium (Debian's `chromium` package; .ci/run installs it); Playwright's own download is not used. */
export const CHROMIUM =
  process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p)) ?? '/usr/bin/chromium';
/** Traces and screenshots of failed browser tests. */
export const ARTEFACTS = join(ROOT, 'test-results', 'console');
/** `CONSOLE_SCREENSHOTS=docs` (npm run console:screenshots) writes the screen shots of docs/console.md. */
const DOC_SHOTS = process.env.CONSOLE_SCREENSHOTS === 'docs' ? join(ROOT, 'docs', 'console') : join(ARTEFACTS, 'screens');

function newestSource(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    const stat = statSync(path);
    newest = Math.max(newest, stat.isDirectory() ? newestSource(path) : stat.mtimeMs);
  }
  return newest;
}

/**
 * Builds apps/console into dist/console, as npm start does (a few seconds with Vite), unless the build
 * is newer than every source of the console and the libs it imports. Spec files running in parallel
 * take turns through a lock directory, so the second finds the first one's build and keeps it.
 */
export async function buildConsole(): Promise<void> {
  const lock = join(ROOT, 'dist', '.console-build.lock');
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock left by a killed run is taken over after a minute.
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > 60_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('the console build lock was not released in 2 minutes');
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    const built = statSync(join(ROOT, 'dist', 'console', 'index.html'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
    if (built > Math.max(newestSource(join(ROOT, 'apps', 'console')), newestSource(join(ROOT, 'libs')))) return;
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(ROOT, 'apps', 'console', 'vite.config.mjs'), '--logLevel', 'error'],
      { cwd: ROOT, stdio: 'pipe', env: { ...process.env, NODE_ENV: 'production' } },
    ); // jest's NODE_ENV=test would bundle React's development build
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** One browser for the spec file; one context (a staff member's tab) per role, reused across tests. */
export class ConsoleBrowser {
  private constructor(
    private readonly browser: Browser,
    readonly baseUrl: string,
  ) {}

  static async launch(baseUrl: string): Promise<ConsoleBrowser> {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
    return new ConsoleBrowser(browser, baseUrl);
  }

  async tab(name: string): Promise<ConsoleTab> {
    const context = await this.browser.newContext({
      viewport: { width: 1280, height: 800 },
      acceptDownloads: true,
      baseURL: this.baseUrl,
      locale: 'en-GB',
      timezoneId: 'UTC',
    });
    context.setDefaultTimeout(20_000);
    await context.tracing.start({ screenshots: true, snapshots: true });
    const page = await context.newPage();
    await page.goto('/console/');
    return new ConsoleTab(name, context, page);
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}

export class ConsoleTab {
  constructor(
    readonly name: string,
    readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  async signIn(email: string, password: string): Promise<void> {
    await this.page.getByLabel('Email', { exact: true }).fill(email);
    await this.page.getByLabel('Password', { exact: true }).fill(password);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
    await this.page.getByRole('button', { name: 'Sign out' }).waitFor();
  }

  /**
   * Client-side navigation: the token lives in the page's memory, so a reload would sign out (by
   * design). The router follows history like a click on a link would.
   */
  async go(path: string): Promise<void> {
    const before = await this.page.evaluate((p) => {
      const shown = document.getElementById('main')?.dataset.location;
      window.history.pushState({}, '', `/console${p}`);
      window.dispatchEvent(new PopStateEvent('popstate'));
      return shown ?? null;
    }, path);
    // React Router renders a popstate in a transition: until it commits, the previous screen is still there (a
    // locator could find its controls). Wait until the shell shows another location (its main region carries
    // the one it rendered); signed out there is no shell, and going where it already is changes nothing.
    await this.page.waitForFunction(
      ({ target, previous }) => {
        const shown = document.getElementById('main')?.dataset.location;
        return shown === undefined || previous === null || shown === target || shown !== previous;
      },
      { target: path, previous: before },
    );
  }

  async screenshot(screen: string): Promise<void> {
    mkdirSync(DOC_SHOTS, { recursive: true });
    await this.page.screenshot({ path: join(DOC_SHOTS, `${screen}.png`), fullPage: false });
  }
}

/**
 * Runs a browser test; each tab records a trace chunk, kept (with a screenshot) only when the test
 * fails. No retries.
 */
export async function traced(test: string, tabs: ConsoleTab[], body: () => Promise<void>): Promise<void> {
  for (const tab of tabs) await tab.context.tracing.startChunk({ title: test });
  try {
    await body();
  } catch (error) {
    mkdirSync(ARTEFACTS, { recursive: true });
    const slug = test.replace(/[^a-z0-9]+/gi, '-').slice(0, 80);
    for (const tab of tabs) {
      await tab.page.screenshot({ path: join(ARTEFACTS, `${slug}-${tab.name}.png`) }).catch(() => undefined);
      await tab.context.tracing.stopChunk({ path: join(ARTEFACTS, `${slug}-${tab.name}.trace.zip`) }).catch(() => undefined);
    }
    throw error;
  }
  for (const tab of tabs) await tab.context.tracing.stopChunk();
}
