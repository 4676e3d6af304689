// Shared set-up of the end-to-end tests: the built site (dist/) on a local static server,
// and Debian's Chromium driven by playwright-core (nothing downloads a browser).

import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/static-server.mjs';

const root = new URL('../../dist/', import.meta.url).pathname;

// Playwright gives every launch a fresh temporary profile (it refuses --user-data-dir).
export async function launch({ isolation = true } = {}) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  const server = await startServer({ dir: root, port: 0, isolation });
  const base = `http://127.0.0.1:${server.address().port}/`;
  const errors = [];
  // A page that has not navigated yet (to listen to its requests from the start).
  const browserPage = async () => {
    const page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    return page;
  };
  const newPage = async (hash = '') => {
    const page = await browserPage();
    await page.goto(base + hash);
    return page;
  };
  const close = async () => {
    await browser.close();
    server.closeAllConnections();
    server.close();
  };
  return { base, newPage, browserPage, close, errors };
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
