// The catalogue in Firefox: Debian's firefox-esr driven by puppeteer-core over WebDriver BiDi
// (Playwright's Firefox is a patched build of its own; nothing here downloads a browser).
// The same walk as examples.test.mjs (catalogue.mjs), on the built site with its _headers.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import puppeteer from 'puppeteer-core';
import { startServer } from '../../scripts/static-server.mjs';
import { root } from './browser.mjs';
import { walkCatalogue } from './catalogue.mjs';

let browser;
let server;
let base;
const cspViolations = [];

before(async () => {
  server = await startServer({ dir: root, port: 0, isolation: true });
  base = `http://127.0.0.1:${server.address().port}/`;
  // Puppeteer gives the launch a fresh temporary profile and removes it on close.
  browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX ?? '/usr/bin/firefox-esr',
    headless: true,
    timeout: 60000,
  });
});

after(async () => {
  try {
    await browser?.close();
  } finally {
    server?.closeAllConnections();
    server?.close();
  }
});

// A page in a browser context of its own (its own storage, as a fresh visitor), at base + hash.
async function newPage(hash) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  // Every Content-Security-Policy violation, as the page's event and Firefox's console report it.
  await page.evaluateOnNewDocument(() => {
    addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  const csp = (text) => { if (/CSP violation|Content-Security-Policy/.test(text)) cspViolations.push(text); };
  page.on('console', (m) => csp(m.text()));
  page.on('pageerror', (e) => csp(e.message));
  await page.goto(base + hash, { timeout: 30000 });
  return { page, close: () => context.close() };
}

test('Firefox: the site is cross-origin isolated (shared memory for the workers)', async () => {
  const { page, close } = await newPage('#/');
  try {
    assert.equal(await page.evaluate(() => self.crossOriginIsolated), true);
    await page.waitForSelector('[data-testid=isolation][data-isolated=true]', { timeout: 30000 });
  } finally {
    await close();
  }
});

test('Firefox: every example in the list ends, with the sleeps made short, the deterministic ones with the tutorial output', async () => {
  await walkCatalogue(async (hash) => {
    const { page, close } = await newPage(hash);
    return {
      waitFor: (selector, timeout) => page.waitForSelector(selector, { timeout }),
      has: async (selector) => (await page.$(selector)) !== null,
      fill: (selector, value, timeout) => page.locator(selector).setTimeout(timeout).fill(value),
      click: (selector, timeout) => page.locator(selector).setTimeout(timeout).click(),
      attr: (selector, name) => page.$eval(selector, (e, n) => e.getAttribute(n), name),
      evalAll: (selector, fn) => page.$$eval(selector, fn),
      close,
    };
  });
});

test('Firefox: no Content-Security-Policy violation while the examples above ran', () => {
  assert.deepEqual(cspViolations, []);
});

test('Firefox without isolation and without service workers: the page explains, and every example can still be read', async () => {
  const plain = await startServer({ dir: root, port: 0, isolation: false });
  const firefox = await puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX ?? '/usr/bin/firefox-esr',
    headless: true,
    timeout: 60000,
    extraPrefsFirefox: { 'dom.serviceWorkers.enabled': false },
  });
  try {
    const page = await firefox.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${plain.address().port}/#/ex/queue-full`, { timeout: 30000 });
    await page.waitForSelector('[data-testid=isolation][data-isolated=false]', { timeout: 30000 });
    assert.equal(await page.evaluate(() => self.crossOriginIsolated), false);
    // Firefox 153 instantiates the module without isolation (the playground, Run disabled);
    // a browser that does not gets the read-only catalogue (isolation.test.mjs): either way
    // the example's source is there to read.
    await page.waitForFunction(() => /queue\.Full/.test(document.querySelector('[data-testid=python-source]')?.textContent ?? ''), { timeout: 30000 });
    const links = await page.$$eval('[data-testid=example-link]', (ls) => ls.length);
    assert.ok(links >= 68, `${links} examples listed`);
    assert.equal(await page.$eval('[data-testid=run]', (b) => b.disabled), true);
    assert.deepEqual(errors, []);
  } finally {
    await firefox.close();
    plain.closeAllConnections();
    plain.close();
  }
});
