// @ts-check
// The driver interface (driver.mjs) on Puppeteer's core, driving Debian's Firefox ESR over
// WebDriver BiDi (Playwright's Firefox is a patched build of its own; nothing here downloads a
// browser). `native` is Puppeteer's Page.

import puppeteer from 'puppeteer-core';
import { DEFAULT_TIMEOUT, keysOf, reportCspViolations, root, serve, session } from './driver.mjs';

/** @typedef {import('./driver.mjs').Driver} Driver */
/** @typedef {import('./driver.mjs').WaitOptions} WaitOptions */
/** @typedef {import('./driver.mjs').Timeout} Timeout */
/** @typedef {import('./driver.mjs').Session} Session */
/** @typedef {import('puppeteer-core').Page} Page */
/** @typedef {import('puppeteer-core').KeyInput} KeyInput */

/** @implements {Driver} */
export class PuppeteerDriver {
  /**
   * @param {Page} page
   * @param {() => Promise<void>} close Closes the page's browser context.
   */
  constructor(page, close) {
    /** @type {Page} */
    this.native = page;
    this.closeContext = close;
  }

  /** @param {string} url */
  async goto(url) {
    await this.native.goto(url, { timeout: DEFAULT_TIMEOUT });
  }

  async reload() {
    await this.native.reload({ timeout: DEFAULT_TIMEOUT });
  }

  async url() {
    return this.native.url();
  }

  async title() {
    return this.native.title();
  }

  /** @param {string} selector @param {WaitOptions} [options] */
  async waitFor(selector, { timeout = DEFAULT_TIMEOUT, text, state = 'visible' } = {}) {
    if (text === undefined) {
      await this.native.waitForSelector(selector, { timeout, visible: state === 'visible' });
      return;
    }
    // As Playwright's :text(): a case-insensitive substring of the text, white space collapsed.
    await this.native.waitForFunction(
      (sel, needle, visible) =>
        [...document.querySelectorAll(sel)].some(
          (e) =>
            (e.textContent ?? '').replace(/\s+/g, ' ').toLowerCase().includes(needle) &&
            (!visible || e.getClientRects().length > 0),
        ),
      { timeout },
      selector,
      text.replace(/\s+/g, ' ').trim().toLowerCase(),
      state === 'visible',
    );
  }

  /** @param {(arg: any) => unknown} fn @param {unknown} [arg] @param {Timeout} [options] */
  async waitForFunction(fn, arg, { timeout = DEFAULT_TIMEOUT } = {}) {
    await this.native.waitForFunction(fn, { timeout }, arg);
  }

  /** @param {string} selector */
  async has(selector) {
    return (await this.native.$(selector)) !== null;
  }

  /** @param {string} selector @param {Timeout} [options] */
  async click(selector, { timeout = DEFAULT_TIMEOUT } = {}) {
    await this.native.locator(selector).setTimeout(timeout).click();
  }

  /** @param {string} selector @param {string} value @param {Timeout} [options] */
  async fill(selector, value, { timeout = DEFAULT_TIMEOUT } = {}) {
    await this.native.locator(selector).setTimeout(timeout).fill(value);
  }

  /** @param {string} selector @param {boolean} checked @param {Timeout} [options] */
  async setChecked(selector, checked, options) {
    if ((await this.isChecked(selector, options)) !== checked) await this.click(selector, options);
  }

  /** @param {string} selector @param {string} value @param {Timeout} [options] */
  async select(selector, value, options) {
    await this.attached(selector, options);
    await this.native.select(selector, value);
  }

  /** @param {string} key @param {string} [selector] @param {Timeout} [options] */
  async press(key, selector, options) {
    if (selector !== undefined) {
      await this.attached(selector, options);
      await this.native.focus(selector);
    }
    const keys = /** @type {KeyInput[]} */ (keysOf(key));
    const pressed = keys.pop();
    if (pressed === undefined) throw new Error(`no key in "${key}"`);
    for (const modifier of keys) await this.native.keyboard.down(modifier);
    await this.native.keyboard.press(pressed);
    for (const modifier of keys.reverse()) await this.native.keyboard.up(modifier);
  }

  /** @param {string} selector @param {string} name @param {Timeout} [options] */
  async attr(selector, name, options) {
    await this.attached(selector, options);
    return this.native.$eval(selector, (e, n) => e.getAttribute(n), name);
  }

  /** @param {string} selector @param {Timeout} [options] */
  async text(selector, options) {
    await this.attached(selector, options);
    return this.native.$eval(selector, (e) => e.textContent ?? '');
  }

  /** @param {string} selector @param {Timeout} [options] */
  async value(selector, options) {
    await this.attached(selector, options);
    return this.native.$eval(selector, (e) => /** @type {HTMLInputElement} */ (e).value);
  }

  /** @param {string} selector @param {Timeout} [options] */
  async isChecked(selector, options) {
    await this.attached(selector, options);
    return this.native.$eval(selector, (e) => /** @type {HTMLInputElement} */ (e).checked);
  }

  /** @param {string} selector @param {Timeout} [options] */
  async isDisabled(selector, options) {
    await this.attached(selector, options);
    return this.native.$eval(selector, (e) => e.matches(':disabled'));
  }

  /**
   * @template R
   * @param {string} selector
   * @param {(elements: import('./driver.mjs').PageElement[], arg: any) => R} fn
   * @param {unknown} [arg]
   * @returns {Promise<Awaited<R>>}
   */
  async evalAll(selector, fn, arg) {
    // Puppeteer types the elements by the selector's tag; they are page elements all the same.
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
    await new Promise((resolve) => setTimeout(resolve, ms));
  }

  async close() {
    await this.closeContext();
  }

  /** @param {string} selector @param {Timeout} [options] */
  async attached(selector, { timeout = DEFAULT_TIMEOUT } = {}) {
    await this.native.waitForSelector(selector, { timeout });
  }
}

/**
 * Debian's Firefox ESR (or $FIREFOX) on the built site. Puppeteer gives the launch a fresh
 * temporary profile and removes it on close.
 *
 * @param {import('./driver.mjs').LaunchOptions & { prefs?: Record<string, unknown> }} [options]
 *   `prefs`: Firefox preferences (e.g. 'dom.serviceWorkers.enabled': false).
 * @returns {Promise<Session>}
 */
export async function launch({ isolation = true, dir = root, gzip = false, link, prefs } = {}) {
  const site = await serve({ dir, isolation, gzip, link });
  /** @type {import('puppeteer-core').Browser} */
  let browser;
  try {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: process.env.FIREFOX ?? '/usr/bin/firefox-esr',
      headless: true,
      timeout: 60000,
      ...(prefs ? { extraPrefsFirefox: prefs } : {}),
    });
  } catch (error) {
    site.stop();
    throw error;
  }
  /** @type {string[]} */
  const errors = [];
  /** @type {string[]} */
  const cspViolations = [];
  /** @param {string} text */
  const csp = (text) => {
    if (/CSP violation|Content-Security-Policy/.test(text)) cspViolations.push(text);
  };
  // A page in a browser context of its own (its own storage, as a fresh visitor).
  const blank = async () => {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    page.setDefaultTimeout(DEFAULT_TIMEOUT);
    // As the page reports them (reportCspViolations) and as Firefox's console does.
    await page.evaluateOnNewDocument(reportCspViolations);
    page.on('console', (m) => csp(m.text()));
    page.on('pageerror', (e) => {
      const message = e instanceof Error ? e.message : String(e);
      errors.push(message);
      csp(message);
    });
    return new PuppeteerDriver(page, () => context.close());
  };
  return session({ site, blank, errors, cspViolations, close: () => browser.close() });
}
