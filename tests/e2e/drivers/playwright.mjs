// @ts-check
// The driver interface (driver.mjs) on Playwright's core, driving Debian's Chromium (nothing
// downloads a browser). `native` is Playwright's Page.

import { chromium } from 'playwright-core';
import { reportCspViolations, root, serve, session } from './driver.mjs';

/** @typedef {import('./driver.mjs').Driver} Driver */
/** @typedef {import('./driver.mjs').WaitOptions} WaitOptions */
/** @typedef {import('./driver.mjs').Timeout} Timeout */
/** @typedef {import('./driver.mjs').Session} Session */
/** @typedef {import('playwright-core').Page} Page */

/** @implements {Driver} */
export class PlaywrightDriver {
  /** @param {Page} page */
  constructor(page) {
    /** @type {Page} */
    this.native = page;
  }

  /** @param {string} url */
  async goto(url) {
    await this.native.goto(url);
  }

  async reload() {
    await this.native.reload();
  }

  async url() {
    return this.native.url();
  }

  async title() {
    return this.native.title();
  }

  /** @param {string} selector @param {WaitOptions} [options] */
  async waitFor(selector, { timeout, text, state = 'visible' } = {}) {
    const target = text === undefined ? selector : `${selector}:text(${JSON.stringify(text)})`;
    await this.native.waitForSelector(target, { timeout, state });
  }

  /** @param {(arg: any) => unknown} fn @param {unknown} [arg] @param {Timeout} [options] */
  async waitForFunction(fn, arg, { timeout } = {}) {
    await this.native.waitForFunction(fn, arg, { timeout });
  }

  /** @param {string} selector */
  async has(selector) {
    return (await this.native.$(selector)) !== null;
  }

  /** @param {string} selector @param {Timeout} [options] */
  async click(selector, { timeout } = {}) {
    await this.native.click(selector, { timeout });
  }

  /** @param {string} selector @param {string} value @param {Timeout} [options] */
  async fill(selector, value, { timeout } = {}) {
    await this.native.fill(selector, value, { timeout });
  }

  /** @param {string} selector @param {boolean} checked @param {Timeout} [options] */
  async setChecked(selector, checked, { timeout } = {}) {
    if (checked) await this.native.check(selector, { timeout });
    else await this.native.uncheck(selector, { timeout });
  }

  /** @param {string} selector @param {string} value @param {Timeout} [options] */
  async select(selector, value, { timeout } = {}) {
    await this.native.selectOption(selector, value, { timeout });
  }

  /** @param {string} key @param {string} [selector] @param {Timeout} [options] */
  async press(key, selector, { timeout } = {}) {
    if (selector === undefined) await this.native.keyboard.press(key);
    else await this.native.press(selector, key, { timeout });
  }

  /** @param {string} selector @param {string} name @param {Timeout} [options] */
  async attr(selector, name, { timeout } = {}) {
    return this.native.getAttribute(selector, name, { timeout });
  }

  /** @param {string} selector @param {Timeout} [options] */
  async text(selector, { timeout } = {}) {
    return (await this.native.textContent(selector, { timeout })) ?? '';
  }

  /** @param {string} selector @param {Timeout} [options] */
  async value(selector, { timeout } = {}) {
    return this.native.inputValue(selector, { timeout });
  }

  /** @param {string} selector @param {Timeout} [options] */
  async isChecked(selector, { timeout } = {}) {
    return this.native.isChecked(selector, { timeout });
  }

  /** @param {string} selector @param {Timeout} [options] */
  async isDisabled(selector, { timeout } = {}) {
    return this.native.isDisabled(selector, { timeout });
  }

  /**
   * @template R
   * @param {string} selector
   * @param {(elements: import('./driver.mjs').PageElement[], arg: any) => R} fn
   * @param {unknown} [arg]
   * @returns {Promise<Awaited<R>>}
   */
  async evalAll(selector, fn, arg) {
    // Playwright types the elements as its own union of element types; they are the same.
    return /** @type {Promise<Awaited<R>>} */ (this.native.$$eval(selector, /** @type {any} */ (fn), arg));
  }

  /**
   * @template R
   * @param {(arg: any) => R} fn
   * @param {unknown} [arg]
   * @returns {Promise<Awaited<R>>}
   */
  async evaluate(fn, arg) {
    return /** @type {Promise<Awaited<R>>} */ (this.native.evaluate(/** @type {any} */ (fn), arg));
  }

  /** @param {number} ms */
  async sleep(ms) {
    await this.native.waitForTimeout(ms);
  }

  async close() {
    await this.native.close();
  }
}

/**
 * Debian's Chromium (or $CHROMIUM) on the built site. Playwright gives every launch a fresh
 * temporary profile (it refuses --user-data-dir).
 *
 * @param {import('./driver.mjs').LaunchOptions & { context?: import('playwright-core').BrowserContextOptions }} [options]
 *   `context`: Playwright's context options for every page (e.g. serviceWorkers: 'block').
 * @returns {Promise<Session>}
 */
export async function launch({ isolation = true, context = {}, dir = root, gzip = false, link } = {}) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const site = await serve({ dir, isolation, gzip, link });
  /** @type {string[]} */
  const errors = [];
  /** @type {string[]} */
  const cspViolations = [];
  // A page in a context of its own (its own storage, as a fresh visitor).
  const blank = async () => {
    const browserContext = await browser.newContext(context);
    await browserContext.addInitScript(reportCspViolations);
    const page = await browserContext.newPage();
    page.on('close', () => browserContext.close().catch(() => {}));
    page.on('pageerror', (e) => errors.push(e.message));
    // As the page reports them (reportCspViolations) and as Chromium does, a worker's too.
    page.on('console', (m) => {
      if (/CSP violation|Content Security Policy/.test(m.text())) cspViolations.push(m.text());
    });
    return new PlaywrightDriver(page);
  };
  return session({ site, blank, errors, cspViolations, close: () => browser.close() });
}
