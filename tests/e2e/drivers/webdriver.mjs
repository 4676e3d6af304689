// @ts-check
// The driver interface (driver.mjs) over plain W3C WebDriver: Debian's WebKitWebDriver driving
// WebKitGTK's MiniBrowser (Safari's engine), on an Xvfb display of its own. A small client of
// the project's own, on fetch: the npm WebDriver clients bring a browser downloader or a test
// runner with them, and the protocol needed here is a dozen endpoints.
//
// Plain WebDriver has no events, so:
// - every wait polls (Execute Script), with its deadline;
// - page errors and CSP violations come from the page's own recorder (`ppProblems`, set up by
//   www/loader.js before the module loads; on another page the driver adds one after the
//   load), read before each navigation and on close;
// - WebKitWebDriver holds one session at a time, so each visitor (`open`, `blank`) is a
//   WebKitWebDriver and a MiniBrowser of its own: its own storage, as a fresh visitor.
//
// `native` is the session itself (the escape hatch: setWindowSize, the raw command).

import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { DEFAULT_TIMEOUT, keysOf, root, serve, session } from './driver.mjs';

/** @typedef {import('./driver.mjs').Driver} Driver */
/** @typedef {import('./driver.mjs').WaitOptions} WaitOptions */
/** @typedef {import('./driver.mjs').Timeout} Timeout */
/** @typedef {import('./driver.mjs').Session} Session */

const MINIBROWSER = process.env.MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const POLL_MS = 50;
// The WebDriver element reference's key (W3C WebDriver, "web element identifier").
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

// KeyboardEvent.key names as WebDriver's code points (W3C WebDriver, "Keyboard actions").
/** @type {Record<string, string>} */
const KEYS = {
  Backspace: '\uE003',
  Tab: '\uE004',
  Enter: '\uE007',
  Shift: '\uE008',
  Control: '\uE009',
  Alt: '\uE00A',
  Escape: '\uE00C',
  End: '\uE010',
  Home: '\uE011',
  ArrowLeft: '\uE012',
  ArrowUp: '\uE013',
  ArrowRight: '\uE014',
  ArrowDown: '\uE015',
  Delete: '\uE017',
  Meta: '\uE03D',
};

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A free TCP port on 127.0.0.1. @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = address && typeof address === 'object' ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A headless X display: Xvfb picks a free display number and writes it on fd 3. Its screen is
 * taller than an iPad in portrait (1180), so a window of that size is not cut to the screen.
 * @returns {Promise<{ display: string, stop: () => void }>}
 */
async function startXvfb() {
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1920x1400x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  xvfb.stderr?.on('data', (d) => (stderr += d));
  const display = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`Xvfb gave no display in 10 s: ${stderr}`)), 10000);
    xvfb.on('exit', (code) => reject(new Error(`Xvfb exited (${code}): ${stderr}`)));
    /** @type {import('node:stream').Readable} */ (xvfb.stdio[3]).on('data', (d) => {
      out += d;
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve(`:${out.trim()}`);
      }
    });
  });
  return { display, stop: () => xvfb.kill() };
}

/** A WebDriver error, with the command that met it. */
class WebDriverError extends Error {
  /** @param {string} command @param {{ error?: string, message?: string }} value */
  constructor(command, value) {
    super(`${command}: ${value.error}: ${value.message}`);
    this.code = value.error;
  }
}

/** One WebKitWebDriver process and its one session. */
export class WebDriverSession {
  /** @param {string} url The session's endpoint. @param {() => void} stop Ends the driver process. */
  constructor(url, stop) {
    this.url = url;
    this.stopProcess = stop;
  }

  /**
   * A command: its value, or a WebDriverError.
   * @param {'GET' | 'POST' | 'DELETE'} method @param {string} path @param {unknown} [body]
   * @returns {Promise<any>}
   */
  async command(method, path, body) {
    const response = await fetch(this.url + path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined,
      signal: AbortSignal.timeout(DEFAULT_TIMEOUT * 4),
    });
    const { value } = await response.json();
    if (!response.ok) throw new WebDriverError(`${method} ${path}`, value);
    return value;
  }

  /**
   * `fn(...args)` in the page, its promise awaited (Execute Script's own rule).
   * @param {Function | string} fn @param {unknown[]} args
   */
  execute(fn, args) {
    return this.command('POST', '/execute/sync', { script: `return (${fn}).apply(null, arguments)`, args });
  }

  /** The browser window's inner size, as a phone or a tablet has it. @param {number} width @param {number} height */
  async setWindowSize(width, height) {
    await this.command('POST', '/window/rect', { width, height });
  }

  async end() {
    try {
      await this.command('DELETE', '');
    } catch {
      /* the browser is gone already */
    } finally {
      this.stopProcess();
    }
  }
}

/**
 * A WebKitWebDriver on `display`, and a session in a fresh MiniBrowser.
 * @param {{ display: string, sharedMemory: boolean }} options
 */
async function startSession({ display, sharedMemory }) {
  const port = await freePort();
  // JSC_useSharedArrayBuffer gives WebKitGTK Safari's behaviour: SharedArrayBuffer on a
  // cross-origin isolated page (WebKitGTK 2.50 has none without it). The browser's processes
  // inherit the driver's environment.
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env, DISPLAY: display };
  if (sharedMemory) env.JSC_useSharedArrayBuffer = '1';
  else delete env.JSC_useSharedArrayBuffer;
  const driver = spawn('WebKitWebDriver', [`--port=${port}`], { env, stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  const stop = () => driver.kill();
  try {
    const deadline = Date.now() + 15000;
    for (;;) {
      try {
        if ((await fetch(`${base}/status`)).ok) break;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline || driver.exitCode !== null) throw new Error('WebKitWebDriver did not start');
      await sleep(100);
    }
    const response = await fetch(`${base}/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        capabilities: {
          alwaysMatch: {
            browserName: 'MiniBrowser',
            'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
            timeouts: { script: DEFAULT_TIMEOUT * 2, pageLoad: DEFAULT_TIMEOUT * 2, implicit: 0 },
          },
        },
      }),
      signal: AbortSignal.timeout(60000),
    });
    const { value } = await response.json();
    if (!response.ok) throw new WebDriverError('POST /session', value);
    return new WebDriverSession(`${base}/session/${value.sessionId}`, stop);
  } catch (error) {
    stop();
    throw error;
  }
}

/** @implements {Driver} */
export class WebDriverDriver {
  /**
   * @param {WebDriverSession} session
   * @param {(problems: string[]) => void} report Where the page's recorded problems go.
   */
  constructor(session, report) {
    this.native = session;
    this.report = report;
  }

  /** The page's recorded errors and CSP violations since the last look (www/loader.js). */
  async collect() {
    try {
      this.report(await this.native.execute(() => /** @type {any} */ (window).ppProblems?.splice(0) ?? [], []));
    } catch {
      /* no page to ask */
    }
  }

  /** @param {string} url */
  async goto(url) {
    await this.collect();
    await this.native.command('POST', '/url', { url });
    await this.record();
  }

  async reload() {
    await this.collect();
    await this.native.command('POST', '/refresh');
    await this.record();
  }

  /** A page without the playground's recorder (another page, a test's fixture) gets one now. */
  async record() {
    await this.native.execute(() => {
      const w = /** @type {any} */ (window);
      if (w.ppProblems) return;
      const problems = (w.ppProblems = /** @type {string[]} */ ([]));
      addEventListener('error', (e) => problems.push(e.message));
      addEventListener('unhandledrejection', (e) => problems.push(`unhandled rejection: ${e.reason}`));
      addEventListener('securitypolicyviolation', (e) =>
        problems.push(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
      );
    }, []);
  }

  async url() {
    return this.native.command('GET', '/url');
  }

  async title() {
    return this.native.command('GET', '/title');
  }

  /**
   * Polls `fn(arg)` in the page until it is truthy. A navigation under way (the service worker's
   * reload) makes a script fail now and then: that is a miss, not an error.
   * @param {(arg: any) => unknown} fn @param {unknown} arg @param {number} timeout @param {string} what
   */
  async poll(fn, arg, timeout, what) {
    const deadline = Date.now() + timeout;
    /** @type {unknown} */
    let last;
    for (;;) {
      try {
        if (await this.evaluate(fn, arg)) return;
      } catch (error) {
        last = error;
      }
      if (Date.now() > deadline)
        throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? ` (${last})` : ''}`);
      await sleep(POLL_MS);
    }
  }

  /** @param {string} selector @param {WaitOptions} [options] */
  async waitFor(selector, { timeout = DEFAULT_TIMEOUT, text, state = 'visible' } = {}) {
    const needle = text?.replace(/\s+/g, ' ').trim().toLowerCase();
    await this.poll(
      ({ selector, needle, visible }) =>
        [...document.querySelectorAll(selector)].some(
          (e) =>
            (needle === undefined || (e.textContent ?? '').replace(/\s+/g, ' ').toLowerCase().includes(needle)) &&
            (!visible || e.getClientRects().length > 0),
        ),
      { selector, needle, visible: state === 'visible' },
      timeout,
      text === undefined ? selector : `${selector} with "${text}"`,
    );
  }

  /** @param {(arg: any) => unknown} fn @param {unknown} [arg] @param {Timeout} [options] */
  async waitForFunction(fn, arg, { timeout = DEFAULT_TIMEOUT } = {}) {
    await this.poll(fn, arg, timeout, String(fn));
  }

  /** @param {string} selector */
  async has(selector) {
    return this.evaluate((s) => document.querySelector(s) !== null, selector);
  }

  /** @param {string} selector @param {Timeout} [options] */
  async click(selector, { timeout = DEFAULT_TIMEOUT } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      await this.poll(
        // Enabled, in the window, and where it was at the last look: WebDriver clicks at the
        // point it computed, so an element outside the window or still moving as the page
        // draws would take the click elsewhere (seen: Stop 408 px above the window when the
        // page still scrolled the window to follow its console). Playwright waits for the same.
        (s) => {
          const e = document.querySelector(s);
          if (e === null || e.getClientRects().length === 0 || e.matches(':disabled')) return false;
          const r = e.getBoundingClientRect();
          if (r.top < 0 || r.bottom > innerHeight) {
            e.scrollIntoView({ block: 'center' });
            return false;
          }
          const at = `${r.x},${r.y},${r.width},${r.height}`;
          const seen = /** @type {any} */ (window).ppClickAt ?? {};
          /** @type {any} */ (window).ppClickAt = { ...seen, [s]: at };
          return seen[s] === at;
        },
        selector,
        Math.max(0, deadline - Date.now()),
        `${selector} to be clickable`,
      );
      try {
        const element = await this.native.command('POST', '/element', { using: 'css selector', value: selector });
        await this.native.command('POST', `/element/${element[ELEMENT]}/click`);
        return;
      } catch (error) {
        // Re-rendered or covered for a moment: look again, within the deadline.
        if (Date.now() > deadline) throw error;
        await sleep(POLL_MS);
      }
    }
  }

  /**
   * As a person replacing the whole value: an input's value through its own setter (so the
   * framework sees it) and an `input` event; an editable element (the editor) by Control+A on
   * the keyboard and a paste of the text.
   * @param {string} selector @param {string} value @param {Timeout} [options]
   */
  async fill(selector, value, options) {
    await this.attached(selector, options);
    const editable = await this.evaluate((s) => {
      const el = /** @type {HTMLElement} */ (document.querySelector(s));
      return el.isContentEditable || el.querySelector('[contenteditable=true]') !== null;
    }, selector);
    if (editable) {
      // Not the document's selectAll and insertText: CodeMirror draws only the lines in view,
      // so the DOM's "all" can be part of the program, and WebKit's insertText over it began
      // with a blank line. Its own Control+A selects the whole program; a paste is one edit.
      await this.press('Control+a', selector);
      await this.evaluate(
        ({ selector, value }) => {
          const el = /** @type {HTMLElement} */ (document.querySelector(selector));
          const target = el.isContentEditable ? el : el.querySelector('[contenteditable=true]');
          const clipboardData = new DataTransfer();
          clipboardData.setData('text/plain', value);
          target?.dispatchEvent(new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }));
        },
        { selector, value },
      );
      return;
    }
    await this.evaluate(
      ({ selector, value }) => {
        const input = /** @type {HTMLInputElement} */ (document.querySelector(selector));
        input.focus();
        const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(input), 'value')?.set;
        setter?.call(input, value);
        input.dispatchEvent(new InputEvent('input', { bubbles: true, data: value, inputType: 'insertText' }));
        input.dispatchEvent(new Event('change', { bubbles: true }));
      },
      { selector, value },
    );
  }

  /** @param {string} selector @param {boolean} checked @param {Timeout} [options] */
  async setChecked(selector, checked, options) {
    if ((await this.isChecked(selector, options)) !== checked) await this.click(selector, options);
  }

  /** @param {string} selector @param {string} value @param {Timeout} [options] */
  async select(selector, value, options) {
    await this.attached(selector, options);
    await this.evaluate(
      ({ selector, value }) => {
        const el = /** @type {HTMLSelectElement} */ (document.querySelector(selector));
        el.value = value;
        el.dispatchEvent(new Event('input', { bubbles: true }));
        el.dispatchEvent(new Event('change', { bubbles: true }));
      },
      { selector, value },
    );
  }

  /** @param {string} key @param {string} [selector] @param {Timeout} [options] */
  async press(key, selector, options) {
    if (selector !== undefined) {
      await this.attached(selector, options);
      await this.evaluate((s) => {
        const el = /** @type {HTMLElement} */ (document.querySelector(s));
        const editable = el.isContentEditable ? el : el.querySelector('[contenteditable=true]');
        /** @type {HTMLElement} */ (editable ?? el).focus();
      }, selector);
    }
    const keys = keysOf(key).map((k) => KEYS[k] ?? k);
    const actions = [
      ...keys.map((value) => ({ type: 'keyDown', value })),
      ...[...keys].reverse().map((value) => ({ type: 'keyUp', value })),
    ];
    await this.native.command('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
    await this.native.command('DELETE', '/actions');
  }

  /** @param {string} selector @param {string} name @param {Timeout} [options] */
  async attr(selector, name, options) {
    await this.attached(selector, options);
    return this.evaluate(({ selector, name }) => document.querySelector(selector)?.getAttribute(name) ?? null, {
      selector,
      name,
    });
  }

  /** @param {string} selector @param {Timeout} [options] */
  async text(selector, options) {
    await this.attached(selector, options);
    return this.evaluate((s) => document.querySelector(s)?.textContent ?? '', selector);
  }

  /** @param {string} selector @param {Timeout} [options] */
  async value(selector, options) {
    await this.attached(selector, options);
    return this.evaluate((s) => /** @type {HTMLInputElement} */ (document.querySelector(s)).value, selector);
  }

  /** @param {string} selector @param {Timeout} [options] */
  async isChecked(selector, options) {
    await this.attached(selector, options);
    return this.evaluate((s) => /** @type {HTMLInputElement} */ (document.querySelector(s)).checked, selector);
  }

  /** @param {string} selector @param {Timeout} [options] */
  async isDisabled(selector, options) {
    await this.attached(selector, options);
    return this.evaluate((s) => document.querySelector(s)?.matches(':disabled') ?? false, selector);
  }

  /**
   * @template R
   * @param {string} selector
   * @param {(elements: import('./driver.mjs').PageElement[], arg: any) => R} fn
   * @param {unknown} [arg]
   * @returns {Promise<Awaited<R>>}
   */
  async evalAll(selector, fn, arg) {
    return this.native.execute(`(s, a) => (${fn})([...document.querySelectorAll(s)], a)`, [selector, arg ?? null]);
  }

  /**
   * @template R
   * @param {(arg: any) => R} fn
   * @param {unknown} [arg]
   * @returns {Promise<Awaited<R>>}
   */
  async evaluate(fn, arg) {
    return this.native.execute(fn, arg === undefined ? [] : [arg]);
  }

  /** @param {number} ms */
  async sleep(ms) {
    await sleep(ms);
  }

  async close() {
    await this.collect();
    await this.native.end();
  }

  /** @param {string} selector @param {Timeout} [options] */
  async attached(selector, { timeout = DEFAULT_TIMEOUT } = {}) {
    await this.waitFor(selector, { timeout, state: 'attached' });
  }
}

/**
 * WebKitGTK on the built site. `sharedMemory: false` leaves WebKitGTK as Debian ships it (no
 * SharedArrayBuffer even when isolated: the fallback's case).
 *
 * @param {import('./driver.mjs').LaunchOptions & { sharedMemory?: boolean }} [options]
 * @returns {Promise<Session>}
 */
export async function launch({ isolation = true, dir = root, sharedMemory = true } = {}) {
  const site = await serve({ dir, isolation });
  /** @type {{ display: string, stop: () => void }} */
  let xvfb;
  try {
    xvfb = await startXvfb();
  } catch (error) {
    site.stop();
    throw error;
  }
  /** @type {string[]} */
  const errors = [];
  /** @type {string[]} */
  const cspViolations = [];
  /** @type {Set<WebDriverDriver>} */
  const open = new Set();
  /** @param {string[]} problems */
  const report = (problems) => {
    for (const p of problems) (/^CSP violation/.test(p) ? cspViolations : errors).push(p);
  };
  const blank = async () => {
    const session = await startSession({ display: xvfb.display, sharedMemory });
    const driver = new WebDriverDriver(session, report);
    open.add(driver);
    const close = driver.close.bind(driver);
    driver.close = async () => {
      open.delete(driver);
      await close();
    };
    return driver;
  };
  return session({
    site,
    blank,
    errors,
    cspViolations,
    async close() {
      try {
        await Promise.all([...open].map((d) => d.close()));
      } finally {
        xvfb.stop();
      }
    },
  });
}
