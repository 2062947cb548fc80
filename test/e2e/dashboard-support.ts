// Fixtures for the dashboard's real-browser tests: Debian's Chromium driven by puppeteer-core
// (which never downloads a browser of its own), and DOM probes that the tests poll with
// eventually() instead of sleeping.
import { existsSync } from 'node:fs';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

export const CHROMIUM = process.env.KPLANE_TEST_CHROMIUM ?? '/usr/bin/chromium';

export interface DashboardBrowser extends AsyncDisposable {
  browser: Browser;
  page: Page;
  /** Uncaught page errors and console errors, for assertion messages. */
  problems: string[];
}

/** Launches Chromium, or returns the reason it cannot start (the caller skips with it). */
export async function launchBrowser(): Promise<DashboardBrowser | string> {
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install -y chromium)`;
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      // kplane serves HTTPS with its own CA; this throwaway profile trusts it by ignoring
      // certificate errors (the tests' CA is created per run and never installed anywhere).
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--ignore-certificate-errors'],
      acceptInsecureCerts: true,
      protocolTimeout: 120_000,
    });
  } catch (err) {
    return `Chromium at ${CHROMIUM} cannot start: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
  }
  const page = await browser.newPage();
  await page.setViewport({ width: 1500, height: 900 });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e instanceof Error ? e.message : String(e)}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  return {
    browser,
    page,
    problems,
    async [Symbol.asyncDispose]() {
      await browser.close();
    },
  };
}

/** Open the dashboard and sign in with a token and the workspaces to start from. */
export async function signIn(page: Page, baseURL: string, token: string, start = 'root'): Promise<void> {
  await page.goto(`${baseURL}/dashboard/`, { waitUntil: 'load' });
  await page.type('#token', token);
  await page.$eval('#start', (e, v) => { (e as unknown as { value: string }).value = v; }, start);
  // Keyboard only, as a user without a mouse would: Enter submits the form.
  await page.focus('#token');
  await page.keyboard.press('Enter');
}

export interface TargetRow {
  id: string;
  ready: string;
  readyText: string;
  heartbeat: string;
  heartbeatText: string;
  syncerDeployed: string;
  phase: string;
  age: string;
  cells: string;
}

/** The SyncTarget rows as the page shows them now. */
export function targetRows(page: Page): Promise<TargetRow[]> {
  return page.$$eval('#targets tbody tr[data-target]', (trs) =>
    trs.map((tr) => {
      // Runs in the page; the Node-side types have no DOM, so only Element's basics are used.
      const text = (sel: string) => tr.querySelector(sel)?.textContent ?? '';
      const status = (sel: string) => tr.querySelector(sel)?.getAttribute('data-status') ?? '';
      return {
        id: tr.getAttribute('data-target') ?? '',
        ready: status('[data-condition="Ready"]'),
        readyText: text('[data-condition="Ready"]'),
        heartbeat: status('[data-condition="HeartbeatHealthy"]'),
        heartbeatText: text('[data-condition="HeartbeatHealthy"]'),
        syncerDeployed: text('[data-condition="SyncerDeployed"]'),
        phase: text('[data-col="phase"]'),
        age: text('time.hb'),
        cells: text('[data-col="cells"]'),
      };
    }),
  );
}

/** Workspace path → the note the tree shows for it. */
export function workspaceNotes(page: Page): Promise<Record<string, string>> {
  return page.$$eval('#workspaces li[data-workspace]', (lis) =>
    Object.fromEntries(lis.map((li) => [li.getAttribute('data-workspace') ?? '', li.querySelector(':scope > .ws-note')?.textContent ?? ''])),
  );
}
