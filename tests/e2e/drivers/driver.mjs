// @ts-check
// The driver interface: what the page object (../page.mjs) needs from a browser, and nothing
// more, so that any automation protocol can drive the same tests. Three implement it:
// Playwright driving Chromium (playwright.mjs), Puppeteer driving Firefox over WebDriver BiDi
// (puppeteer.mjs) and a client of plain W3C WebDriver driving WebKitGTK (webdriver.mjs: no
// BiDi, so no events):
//
// - Everything is addressed by a CSS selector, read or acted on at the time of the call; no
//   element handles cross the interface (WebDriver's element references go stale).
// - Every wait polls for a condition with a deadline in ms (`timeout`, DEFAULT_TIMEOUT when
//   not given); a driver without native waits polls (WebDriver's Find Elements / Execute Script).
// - Functions handed to the page (evaluate, evalAll, waitForFunction) are serialized and run
//   there: they may use only their arguments and the page's globals, and return JSON-like
//   values (WebDriver's Execute Script sends `String(fn)`).
// - Keys are named as in KeyboardEvent.key, joined with `+` for chords ('Control+Enter').
// - A session's page errors and Content-Security-Policy violations are lists the session
//   fills as it can: Playwright and Puppeteer from the browser's events; a WebDriver driver
//   from the page's own recorder (`ppProblems`, www/loader.js), read after each navigation,
//   before the next one and on close.
// - Whatever else a test needs of one browser (request interception, service workers, a
//   viewport, permissions, worker counts) is on `native`, the escape hatch: a test that uses
//   it is tied to that browser.

import { startServer } from '../../../scripts/static-server.mjs';

/** The built site. */
export const root = new URL('../../../dist/', import.meta.url).pathname;

/** Every wait's deadline when the caller gives none (Playwright's and Puppeteer's default). */
export const DEFAULT_TIMEOUT = 30000;

/**
 * @typedef {object} WaitOptions
 * @property {number} [timeout] ms; DEFAULT_TIMEOUT when not given.
 * @property {string} [text] Only an element whose text contains this, case-insensitively,
 *   its white space collapsed (Playwright's `:text()`).
 * @property {'visible' | 'attached'} [state] Shown (the default), or only in the document.
 */

/** @typedef {{ timeout?: number }} Timeout */

/**
 * A page element as a function handed to `evalAll` gets it: an HTML or an SVG element (both
 * have `dataset`, `textContent`, `getAttribute`, `querySelectorAll`).
 * @typedef {HTMLElement} PageElement
 */

/**
 * One browser tab. Reads (attr, text, value, isChecked, isDisabled) wait for the element to be
 * in the document, up to their timeout; `has` and `evalAll` take the page as it is.
 *
 * @typedef {object} Driver
 * @property {unknown} native The browser's own page object (the escape hatch).
 * @property {(url: string) => Promise<void>} goto Navigates and waits for the load.
 * @property {() => Promise<void>} reload
 * @property {() => Promise<string>} url
 * @property {() => Promise<string>} title
 * @property {(selector: string, options?: WaitOptions) => Promise<void>} waitFor
 * @property {(fn: (arg: any) => unknown, arg?: unknown, options?: Timeout) => Promise<void>} waitForFunction
 *   Until `fn(arg)`, run in the page, returns a truthy value.
 * @property {(selector: string) => Promise<boolean>} has Whether an element matches now.
 * @property {(selector: string, options?: Timeout) => Promise<void>} click
 *   Waits until the element can be clicked (shown, enabled), then clicks it.
 * @property {(selector: string, value: string, options?: Timeout) => Promise<void>} fill
 *   Replaces the whole value of an input, a text area or an editable element.
 * @property {(selector: string, checked: boolean, options?: Timeout) => Promise<void>} setChecked
 * @property {(selector: string, value: string, options?: Timeout) => Promise<void>} select
 *   Chooses the option of that value in a `<select>`.
 * @property {(key: string, selector?: string, options?: Timeout) => Promise<void>} press
 *   A key or chord, to the element (focused first) or to whatever has the focus.
 * @property {(selector: string, name: string, options?: Timeout) => Promise<string | null>} attr
 * @property {(selector: string, options?: Timeout) => Promise<string>} text The textContent.
 * @property {(selector: string, options?: Timeout) => Promise<string>} value An input's value.
 * @property {(selector: string, options?: Timeout) => Promise<boolean>} isChecked
 * @property {(selector: string, options?: Timeout) => Promise<boolean>} isDisabled
 * @property {<R>(selector: string, fn: (elements: PageElement[], arg: any) => R, arg?: unknown) => Promise<Awaited<R>>} evalAll
 *   `fn(every matching element, arg)`, run in the page.
 * @property {<R>(fn: (arg: any) => R, arg?: unknown) => Promise<Awaited<R>>} evaluate `fn(arg)`, run in the page.
 * @property {(ms: number) => Promise<void>} sleep
 * @property {() => Promise<void>} close Closes the tab (and its own browser context).
 */

/**
 * A browser launched on the built site, served by a local static server of its own.
 *
 * @typedef {object} Session
 * @property {string} base The site's address, ending in `/`.
 * @property {(address?: string) => Promise<Driver>} open A fresh visitor (a browser context of
 *   its own: its own storage) at `base + address`.
 * @property {() => Promise<Driver>} blank The same, before any navigation (for a test that
 *   listens from the first request on).
 * @property {string[]} errors Every page error of every page so far.
 * @property {string[]} cspViolations Every Content-Security-Policy violation so far, the page's
 *   and its workers'.
 * @property {() => void} stopServer The site goes offline.
 * @property {() => Promise<void>} restartServer The same site on the same address again.
 * @property {() => Promise<void>} close The browser and the server.
 */

/**
 * @typedef {object} LaunchOptions
 * @property {boolean} [isolation] Serve dist/_headers (true, the default), or no headers at all
 *   (GitHub Pages' case: the service worker's path).
 * @property {string} [dir] Another copy of the site.
 * @property {boolean} [gzip] Bodies gzipped, as static hosts send them (the benchmark's first loads).
 * @property {import('../../../scripts/static-server.mjs').Link} [link] Every response over one
 *   link of this speed and latency (the benchmark's first loads).
 */

/**
 * The site on a local static server on a free port, which can go offline and come back on the
 * same address.
 * @param {{ dir: string, isolation: boolean, gzip?: boolean, link?: import('../../../scripts/static-server.mjs').Link }} options
 */
export async function serve({ dir, isolation, gzip = false, link }) {
  let server = await startServer({ dir, port: 0, isolation, gzip, link });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the static server has no TCP address');
  const port = address.port;
  return {
    base: `http://127.0.0.1:${port}/`,
    stop() {
      server.closeAllConnections();
      server.close();
    },
    async restart() {
      server = await startServer({ dir, port, isolation, gzip, link });
    },
  };
}

/**
 * The Session a driver's launch returns, from its parts: `blank` makes a fresh visitor's page,
 * `close` ends the browser; the site is stopped after it, whatever happens.
 * @param {{ site: Awaited<ReturnType<typeof serve>>, blank: () => Promise<Driver>, errors: string[],
 *   cspViolations: string[], close: () => Promise<void> }} parts
 * @returns {Session}
 */
export function session({ site, blank, errors, cspViolations, close }) {
  return {
    base: site.base,
    blank,
    async open(address = '') {
      const driver = await blank();
      await driver.goto(site.base + address);
      return driver;
    },
    errors,
    cspViolations,
    stopServer: site.stop,
    restartServer: site.restart,
    async close() {
      try {
        await close();
      } finally {
        site.stop();
      }
    },
  };
}

/**
 * An init script for every page: each Content-Security-Policy violation the page sees is also
 * written to the console as an error, where the drivers collect it with the browser's own
 * reports (a worker's violation reaches the console only).
 */
export function reportCspViolations() {
  addEventListener('securitypolicyviolation', (e) =>
    console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
  );
}

/**
 * A chord as its keys, modifiers first: 'Control+Enter' → ['Control', 'Enter'].
 * @param {string} chord
 */
export function keysOf(chord) {
  return chord.split('+');
}
