// Shared set-up of the end-to-end tests: the built site (dist/) on a local static server,
// and Debian's Chromium driven by playwright-core (nothing downloads a browser).

import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/static-server.mjs';

export const root = new URL('../../dist/', import.meta.url).pathname;

// Playwright gives every launch a fresh temporary profile (it refuses --user-data-dir).
// `isolation: false` serves dist/ without its _headers (GitHub Pages' case: the service
// worker's path); `context` is Playwright's context options (e.g. serviceWorkers: 'block');
// `dir` another copy of the site.
export async function launch({ isolation = true, context = {}, dir = root } = {}) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  // Every Content-Security-Policy violation of any page, as the console reports it (a
  // worker's too) and as the page's event does.
  const cspViolations = [];
  let server = await startServer({ dir, port: 0, isolation });
  const port = server.address().port;
  const base = `http://127.0.0.1:${port}/`;
  const errors = [];
  // A page that has not navigated yet (to listen to its requests from the start), in a
  // context of its own (its own storage, as a fresh visitor).
  const browserPage = async () => {
    const browserContext = await browser.newContext(context);
    await browserContext.addInitScript(() => {
      addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
    const page = await browserContext.newPage();
    page.on('close', () => browserContext.close().catch(() => {}));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (/CSP violation|Content Security Policy/.test(m.text())) cspViolations.push(m.text());
    });
    return page;
  };
  const newPage = async (hash = '') => {
    const page = await browserPage();
    await page.goto(base + hash);
    return page;
  };
  const stopServer = () => {
    server.closeAllConnections();
    server.close();
  };
  // The same site on the same address again (after stopServer: the offline test).
  const restartServer = async () => {
    server = await startServer({ dir, port, isolation });
  };
  const close = async () => {
    await browser.close();
    stopServer();
  };
  return { base, newPage, browserPage, close, errors, cspViolations, stopServer, restartServer };
}

/// Waits for the status to leave "running"/"idle"; returns it.
export async function waitForEnd(page, timeout = 20000) {
  await page.waitForSelector('[data-testid=status]:not([data-state=running]):not([data-state=idle])', { timeout });
  return page.getAttribute('[data-testid=status]', 'data-state');
}

export async function lines(page) {
  return page.$$eval('[data-testid=line]', (ls) => ls.map((l) => [l.dataset.who, l.textContent]));
}

export async function openExample(page, id) {
  await page.click(`[data-testid=example-link][data-id="${id}"]`);
  await page.waitForSelector('[data-testid=run]:not([disabled])');
}
