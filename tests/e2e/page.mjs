// @ts-check
// The page object of the end-to-end tests: the playground as a test sees it, in the page's
// own words (open an example, run, stop, read the console...). It is the only file that names
// the page contract's hooks (`data-testid`: the catalogue's "The page contract",
// shared/catalogue.md; eslint.config.mjs holds every other file to that), and it speaks to the
// browser only through a driver (drivers/driver.mjs), so the same tests run in any browser a
// driver drives.
//
// Waits take a deadline in ms; left out, it is the driver's (30 s), except waitForEnd's (20 s).

/** @typedef {import('./drivers/driver.mjs').Driver} Driver */
/** @typedef {import('./drivers/driver.mjs').Session} Session */
/** @typedef {'idle' | 'running' | 'done' | 'failed' | 'stopped' | 'deadlock'} RunState */

/** @param {string} name */
const hook = (name) => `[data-testid=${name}]`;

/**
 * Runs in a page before its own scripts: notes when the Run button is first enabled, in ms
 * since the navigation started (window.runnableAt). With `line`, it also presses Run at that
 * moment, as an eager visitor would, and notes when the first such line appears
 * (window.firstLineAt).
 * @param {{ run: string, line?: string }} selectors
 */
function recordRunnableAt({ run, line }) {
  const w = /** @type {any} */ (window);
  const observer = new MutationObserver(() => {
    const button = /** @type {HTMLButtonElement | null} */ (document.querySelector(run));
    if (button && !button.disabled && w.runnableAt === undefined) {
      w.runnableAt = performance.now();
      if (line) button.click();
    }
    if (line && w.firstLineAt === undefined && document.querySelector(line)) w.firstLineAt = performance.now();
    if (w.runnableAt !== undefined && (!line || w.firstLineAt !== undefined)) observer.disconnect();
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['disabled'] });
}

const RUN = hook('run');
const STOP = hook('stop');
const STATUS = hook('status');
const CONSOLE = hook('console');
const LINE = hook('line');
const LINE_COUNT = hook('line-count');
const EXAMPLE_LINK = hook('example-link');
const ISOLATION = hook('isolation');
const EDITOR = hook('editor');
const PARAM_ERROR = hook('param-error');
const LANE = hook('lane');
const WAIT = hook('wait');
const LANG_SWITCH = hook('lang-switch');
/** @param {string} name */
const param = (name) => hook(`param-${name}`);
/** @param {string} which */
const tab = (which) => hook(`tab-${which}`);

/**
 * Every visible text of the page that is the interface's own: not code, not what a program
 * printed, not the tutorial's text, not thread or object names drawn in the figures, not the
 * switch that names the other language. Runs in the page.
 * @param {{ skip: string, langSwitch: string }} selectors
 */
function interfaceTexts({ skip, langSwitch }) {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = (node.textContent ?? '').replace(/\s+/g, ' ').trim();
    const el = node.parentElement;
    if (!text || !el || el.closest(skip)) continue;
    if (!el.getClientRects().length) continue;
    out.push(text);
  }
  for (const el of document.querySelectorAll('[aria-label], [title]')) {
    if (el.closest(langSwitch)) continue;
    for (const attr of ['aria-label', 'title']) {
      const value = el.getAttribute(attr);
      if (value && el.getClientRects().length) out.push(value.trim());
    }
  }
  return out;
}

/** One playground tab in a browser, through its driver. */
export class PlaygroundPage {
  /**
   * @param {Driver} driver
   * @param {string} base The site's address (goto's addresses are relative to it).
   */
  constructor(driver, base) {
    this.driver = driver;
    this.base = base;
  }

  /** The browser's own page: the escape hatch for what only that browser can do. */
  get native() {
    return this.driver.native;
  }

  // ---- Addresses -------------------------------------------------------------------------

  /**
   * Opens an address of the site: a route ('#/ex/lock-counter?mode=rust'), a query and a
   * route ('?lang=zh#/'), or a whole URL (a share link).
   * @param {string} address
   */
  async goto(address) {
    await this.driver.goto(/^[a-z][a-z0-9+.-]*:/i.test(address) ? address : this.base + address);
  }

  async reload() {
    await this.driver.reload();
  }

  /** Follows a route inside the page, as a link or an edited address does (no reload). @param {string} hash */
  async setHash(hash) {
    await this.driver.evaluate((h) => {
      location.hash = h;
    }, hash);
  }

  /**
   * Follows an example's route inside the page ('#/ex/lock-counter?mode=python'), as a learner
   * going down the list does, and waits until its view is drawn and idle. Nothing is reloaded:
   * the modules the page has loaded (the Python module among them) stay. The route must differ
   * from the current one, whose run, if any, has ended.
   * @param {string} hash
   * @param {number} [timeout]
   */
  async followExample(hash, timeout) {
    const id = /^#\/ex\/([^?]+)/.exec(hash)?.[1];
    if (!id) throw new Error(`${hash} is not an example's route`);
    await this.setHash(hash);
    await this.driver.waitFor(`${hook('example')}[data-id="${id}"] ${STATUS}[data-state=idle]`, { timeout });
  }

  url() {
    return this.driver.url();
  }

  title() {
    return this.driver.title();
  }

  /** Until the address's route starts with `prefix` ('#/ex/thread-exit'). @param {string} prefix */
  async waitForRoute(prefix) {
    await this.driver.waitForFunction((p) => location.hash.startsWith(p), prefix);
  }

  /** Until the route's view is drawn. @param {number} [timeout] */
  async waitForMain(timeout) {
    await this.driver.waitFor('main > *', { timeout });
  }

  /** The text of the route's view. */
  mainText() {
    return this.driver.text('main');
  }

  /** @param {number} ms */
  async sleep(ms) {
    await this.driver.sleep(ms);
  }

  async close() {
    await this.driver.close();
  }

  // ---- The catalogue ---------------------------------------------------------------------

  /** @param {number} [timeout] */
  async waitForExampleLinks(timeout) {
    await this.driver.waitFor(EXAMPLE_LINK, { timeout });
  }

  /** The examples listed, in order. @returns {Promise<string[]>} */
  exampleIds() {
    return this.driver.evalAll(EXAMPLE_LINK, (ls) => ls.map((l) => l.dataset.id ?? ''));
  }

  exampleLinkCount() {
    return this.driver.evalAll(EXAMPLE_LINK, (ls) => ls.length);
  }

  /** Follows an example's link in the catalogue. @param {string} id */
  async clickExample(id) {
    await this.driver.click(`${EXAMPLE_LINK}[data-id="${id}"]`);
  }

  /** Follows an example's link, then waits until it can run. @param {string} id */
  async openExample(id) {
    await this.clickExample(id);
    await this.waitForRunnable();
  }

  // ---- Running ---------------------------------------------------------------------------

  /** Until Run can be pressed (the module loaded, the parameters valid). @param {number} [timeout] */
  async waitForRunnable(timeout) {
    await this.driver.waitFor(`${RUN}:not([disabled])`, { timeout });
  }

  /** Until the Run button is there, enabled or not. @param {number} [timeout] */
  async waitForRunButton(timeout) {
    await this.driver.waitFor(RUN, { timeout });
  }

  /** Presses Run. @param {number} [timeout] */
  async run(timeout) {
    await this.driver.click(RUN, { timeout });
  }

  /** Presses Stop. @param {number} [timeout] */
  async stop(timeout) {
    await this.driver.click(STOP, { timeout });
  }

  /**
   * Presses Stop from inside the page and times it there: ms from the click to the status
   * saying "stopped".
   * @returns {Promise<number>}
   */
  stopTimed() {
    return this.driver.evaluate(
      ({ status, stop }) =>
        new Promise((done) => {
          const shown = /** @type {HTMLElement} */ (document.querySelector(status));
          const t0 = performance.now();
          new MutationObserver((_, observer) => {
            if (shown.dataset.state === 'stopped') {
              observer.disconnect();
              done(performance.now() - t0);
            }
          }).observe(shown, { attributes: true });
          /** @type {HTMLElement} */ (document.querySelector(stop)).click();
        }),
      { status: STATUS, stop: STOP },
    );
  }

  /** The Run button's label. */
  runLabel() {
    return this.driver.text(RUN);
  }

  runDisabled() {
    return this.driver.isDisabled(RUN);
  }

  /** Whether the keyboard focus is on Run. */
  runHasFocus() {
    return this.driver.evaluate((run) => document.activeElement?.matches(run) ?? false, RUN);
  }

  /** The run's state (`data-state` of the status). @returns {Promise<RunState>} */
  async status() {
    return /** @type {RunState} */ (await this.driver.attr(STATUS, 'data-state'));
  }

  /**
   * Until the run is in (one of) these states.
   * @param {RunState | RunState[]} states
   * @param {number} [timeout]
   */
  async waitForState(states, timeout) {
    const selector = [states]
      .flat()
      .map((s) => `${STATUS}[data-state=${s}]`)
      .join(', ');
    await this.driver.waitFor(selector, { timeout });
  }

  /**
   * Until the run has ended (the status is neither running nor idle); returns how.
   * @param {number} [timeout]
   */
  async waitForEnd(timeout = 20000) {
    await this.driver
      .waitFor(`${STATUS}:not([data-state=running]):not([data-state=idle])`, { timeout })
      .catch(async (e) => {
        // Which run did not end, and how far it got.
        const where = await this.driver.evaluate(() => location.hash);
        throw new Error(`${where} did not end: ${e.message}; printed ${JSON.stringify(await this.lines())}`);
      });
    return this.status();
  }

  /** The run's wall time as the page shows it, in ms. */
  async elapsedMs() {
    return Number(await this.driver.attr(hook('elapsed'), 'data-ms'));
  }

  /** Starts timing, inside the page, from the next press of Run to the first printed line. */
  async recordRunToFirstLine() {
    await this.driver.evaluate(
      ({ run, line }) => {
        const w = /** @type {any} */ (window);
        w.firstLineAt = undefined;
        w.clickedAt = undefined;
        /**
         * The last run's lines, still there when Run is pressed, with the time each was printed:
         * the page may draw the new run's first line into the element of the last run's first.
         * @type {WeakMap<Element, string | null>}
         */
        const before = new WeakMap();
        const isNew = (/** @type {Element} */ l) => !before.has(l) || before.get(l) !== l.getAttribute('data-at-us');
        // On the way down, before the page's own handler: a listener on the button itself ran
        // after it, and a run quick enough to print while the handler drew its start was
        // timed from after its first line (-1.4 ms).
        const pressed = (/** @type {Event} */ event) => {
          if (!(event.target instanceof Element) || !event.target.closest(run)) return;
          w.clickedAt = performance.now();
          document.querySelectorAll(line).forEach((l) => before.set(l, l.getAttribute('data-at-us')));
          document.removeEventListener('click', pressed, { capture: true });
        };
        document.addEventListener('click', pressed, { capture: true });
        // The whole page, not the console's element, and the lines' times: a warm run whose
        // first line was drawn into the last run's element, the same text, changed no child,
        // and was timed as NaN.
        const obs = new MutationObserver(() => {
          if (w.clickedAt !== undefined && [...document.querySelectorAll(line)].some(isNew)) {
            w.firstLineAt = performance.now();
            obs.disconnect();
          }
        });
        obs.observe(document.body, {
          childList: true,
          subtree: true,
          attributes: true,
          attributeFilter: ['data-at-us'],
        });
      },
      { run: RUN, line: LINE },
    );
  }

  /**
   * From the next navigation on, notes the name of each worker the page starts, in order
   * (Chromium: Playwright's init script runs before the page's own).
   */
  async recordWorkerNames() {
    await /** @type {import('playwright-core').Page} */ (this.native).addInitScript(() => {
      const w = /** @type {any} */ (window);
      const Native = window.Worker;
      w.workerNames = [];
      window.Worker = class extends Native {
        /** @param {string | URL} url @param {WorkerOptions} [options] */
        constructor(url, options) {
          super(url, options);
          w.workerNames.push(options?.name ?? '');
        }
      };
    });
  }

  /** The names recordWorkerNames noted. @returns {Promise<string[]>} */
  workerNames() {
    return this.driver.evaluate(() => /** @type {any} */ (window).workerNames ?? []);
  }

  /** What recordRunToFirstLine measured, in ms. @returns {Promise<number>} */
  runToFirstLineMs() {
    return this.driver.evaluate(() => /** @type {any} */ (window).firstLineAt - /** @type {any} */ (window).clickedAt);
  }

  /**
   * Starts timing, inside the page, from the moment `count` printed lines contain `text` to
   * the run's status becoming `state`.
   * @param {string} text
   * @param {number} count
   * @param {RunState} state
   */
  async recordLinesToState(text, count, state) {
    await this.driver.evaluate(
      ({ line, status, text, count, state }) => {
        const w = /** @type {any} */ (window);
        new MutationObserver((_, obs) => {
          const seen = [...document.querySelectorAll(line)].filter((l) => (l.textContent ?? '').includes(text));
          if (seen.length >= count && w.linesSeenAt === undefined) w.linesSeenAt = performance.now();
          const shown = /** @type {HTMLElement | null} */ (document.querySelector(status));
          if (shown?.dataset.state === state) {
            w.stateAt = performance.now();
            obs.disconnect();
          }
        }).observe(/** @type {HTMLElement} */ (document.querySelector('article')), {
          childList: true,
          subtree: true,
          attributes: true,
        });
      },
      { line: LINE, status: STATUS, text, count, state },
    );
  }

  /** What recordLinesToState measured, in ms. @returns {Promise<number>} */
  linesToStateMs() {
    return this.driver.evaluate(() => /** @type {any} */ (window).stateAt - /** @type {any} */ (window).linesSeenAt);
  }

  /** The pool's progress as shown: its tasks done, its total, and its text. */
  async poolProgress() {
    const [shown] = await this.driver.evalAll(hook('pool-progress'), (es) =>
      es.map((e) => [e.dataset.done, e.dataset.total, e.textContent]),
    );
    if (!shown) throw new Error('no pool progress on the page');
    return shown;
  }

  // ---- The console -----------------------------------------------------------------------

  /** The printed lines, in order, as [who printed it, its text]. @returns {Promise<[string, string][]>} */
  lines() {
    return this.driver.evalAll(LINE, (ls) =>
      ls.map((l) => /** @type {[string, string]} */ ([l.dataset.who ?? '', l.textContent ?? ''])),
    );
  }

  /** When each printed line was printed (µs since the run's start), in order. */
  lineTimesUs() {
    return this.driver.evalAll(LINE, (ls) => ls.map((l) => Number(l.dataset.atUs)));
  }

  /** The printed lines' texts, in order. */
  async texts() {
    return (await this.lines()).map(([, t]) => t);
  }

  /**
   * Until a printed line contains `text` (case-insensitively, as Playwright's :text()).
   * @param {string} text
   * @param {number} [timeout]
   */
  async waitForLine(text, timeout) {
    await this.driver.waitFor(LINE, { text, timeout });
  }

  /** Until anything is printed. @param {number} [timeout] */
  async waitForAnyLine(timeout) {
    await this.driver.waitFor(LINE, { timeout });
  }

  /** The number of lines printed, as the page counts them. */
  async lineCount() {
    return Number(await this.driver.attr(LINE_COUNT, 'data-lines'));
  }

  /** Until the page's line count is above zero. @param {number} [timeout] */
  async waitForPrintedLines(timeout) {
    await this.driver.waitFor(`${LINE_COUNT}:not([data-lines="0"])`, { timeout });
  }

  /** The whole console's text (lines and notes). */
  consoleText() {
    return this.driver.text(CONSOLE);
  }

  /** The page's own notes in the console (a stopped daemon, a time limit...). */
  notes() {
    return this.driver.evalAll(hook('note'), (n) => n.map((x) => x.textContent ?? ''));
  }

  /** Copies the console; until the button says it did. */
  async copyConsole() {
    await this.driver.click(hook('copy-console'));
    await this.driver.waitFor(`${hook('copy-console')}[data-copied=true]`);
  }

  /** Until the page says there is no such example. */
  async waitForNotFound() {
    await this.driver.waitFor(hook('not-found'));
  }

  // ---- Parameters and options ------------------------------------------------------------

  /** Whether the example has parameter `name`. @param {string} name */
  hasParam(name) {
    return this.driver.has(param(name));
  }

  /** @param {string} name @param {number} [timeout] */
  async waitForParam(name, timeout) {
    await this.driver.waitFor(param(name), { timeout });
  }

  /** Types a parameter's value (its whole text). @param {string} name @param {string} value @param {number} [timeout] */
  async fillParam(name, value, timeout) {
    await this.driver.fill(param(name), value, { timeout });
  }

  /** @param {string} name */
  paramValue(name) {
    return this.driver.value(param(name));
  }

  /** Until parameter `name`'s field holds `value`. @param {string} name @param {string} value */
  async waitForParamValue(name, value) {
    await this.driver.waitForFunction(
      ({ field, value }) => /** @type {HTMLInputElement | null} */ (document.querySelector(field))?.value === value,
      { field: param(name), value },
    );
  }

  /** The message of an invalid value (it waits for one). */
  paramError() {
    return this.driver.text(PARAM_ERROR);
  }

  /** Whether an invalid value is flagged now. */
  hasParamError() {
    return this.driver.has(PARAM_ERROR);
  }

  /** @param {number} [timeout] */
  async waitForParamError(timeout) {
    await this.driver.waitFor(PARAM_ERROR, { timeout });
  }

  /** The warning about the address's unknown or bad parameters (it waits for one). */
  urlWarning() {
    return this.driver.text(hook('url-warning'));
  }

  async waitForUrlWarning() {
    await this.driver.waitFor(hook('url-warning'));
  }

  /** The time limit's field, in seconds. */
  timeLimit() {
    return this.driver.value(hook('time-limit'));
  }

  /** @param {string} value */
  async fillTimeLimit(value) {
    await this.driver.fill(hook('time-limit'), value);
  }

  /** Whether the GIL switch is on. */
  gilOn() {
    return this.driver.isChecked(hook('gil'));
  }

  /** @param {boolean} on */
  async setGil(on) {
    await this.driver.setChecked(hook('gil'), on);
  }

  /** Share (the parameters' link on the clipboard); until the button says it copied. */
  async shareParams() {
    await this.driver.click(hook('share-params'));
    await this.driver.waitFor(`${hook('share-params')}[data-copied=true]`);
  }

  // ---- Isolation and hosting -------------------------------------------------------------

  /** Whether the page says it is cross-origin isolated. */
  async isolated() {
    return (await this.driver.attr(ISOLATION, 'data-isolated')) === 'true';
  }

  /** Until the page says it is (or is not) isolated. @param {boolean} isolated @param {number} [timeout] */
  async waitForIsolation(isolated, timeout) {
    await this.driver.waitFor(`${ISOLATION}[data-isolated=${isolated}]${isolated ? ':not([data-reason])' : ''}`, {
      timeout,
    });
  }

  /** Until the page says this browser has no shared memory though it is isolated. @param {number} [timeout] */
  async waitForNoSharedMemory(timeout) {
    await this.driver.waitFor(`${ISOLATION}[data-reason=no-shared-memory]`, { timeout });
  }

  /** Why runs cannot start: 'not-isolated' or 'no-shared-memory' (the notice's data-reason). */
  isolationReason() {
    return this.driver.attr(`${ISOLATION}[data-reason]`, 'data-reason');
  }

  /** The isolation notice's text. */
  isolationText() {
    return this.driver.text(ISOLATION);
  }

  /** `self.crossOriginIsolated` in the page. */
  crossOriginIsolated() {
    return this.driver.evaluate(() => self.crossOriginIsolated);
  }

  /** Until the page says the module could not load. */
  async waitForLoadError() {
    await this.driver.waitFor(hook('load-error'));
  }

  /** Until the read-only catalogue shows example `id`. @param {string} id @param {number} [timeout] */
  async waitForFallbackExample(id, timeout) {
    await this.driver.waitFor(`${hook('fallback-example')}[data-id=${id}]`, { timeout });
  }

  /** The read-only example's title. */
  fallbackTitle() {
    return this.driver.text(`${hook('fallback-example')} h2`);
  }

  /** Asks the service worker to look for a new build. */
  async checkForUpdate() {
    await this.driver.evaluate(() =>
      navigator.serviceWorker.getRegistration().then((r) => /** @type {ServiceWorkerRegistration} */ (r).update()),
    );
  }

  /** Until the page says a new version is ready. @param {number} [timeout] */
  async waitForUpdateNotice(timeout) {
    await this.driver.waitFor(`${hook('update-ready')} button`, { timeout });
  }

  /** Presses the new version's button (the page then reloads). */
  async acceptUpdate() {
    await this.driver.click(`${hook('update-ready')} button`);
  }

  /**
   * Until a service worker controls the page and is activated: the page's fetches, and its
   * workers', are answered. @param {number} [timeout]
   */
  async waitForServiceWorker(timeout) {
    await this.driver.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated', undefined, {
      timeout,
    });
  }

  /** The names of the site's caches. @returns {Promise<string[]>} */
  cacheNames() {
    return this.driver.evaluate(() => caches.keys());
  }

  // ---- Sources, tabs and the Python editor -------------------------------------------------

  /** The example's Python source as shown. */
  pythonSource() {
    return this.driver.text(hook('python-source'));
  }

  /** Until the Python source shown matches `pattern`. @param {RegExp} pattern @param {number} [timeout] */
  async waitForPythonSource(pattern, timeout) {
    await this.driver.waitForFunction(
      ({ source, pattern, flags }) =>
        new RegExp(pattern, flags).test(document.querySelector(source)?.textContent ?? ''),
      { source: hook('python-source'), pattern: pattern.source, flags: pattern.flags },
      { timeout },
    );
  }

  /** The Rust port's source as shown. */
  rustSource() {
    return this.driver.text(hook('rust-source'));
  }

  /** Until the Rust source shows the example's part (whole: false) or the whole file. @param {boolean} whole */
  async waitForRustSource(whole) {
    await this.driver.waitFor(`${hook('rust-source')}[data-whole=${whole}]`);
  }

  async showWholeRustFile() {
    await this.driver.click(hook('rust-whole-file'));
  }

  /** Copies the source; until the button says it did. */
  async copySource() {
    await this.driver.click(hook('copy-source'));
    await this.driver.waitFor(`${hook('copy-source')}[data-copied=true]`);
  }

  /** Opens the Python or the Rust tab. @param {'python' | 'rust'} which */
  async openTab(which) {
    await this.driver.click(tab(which));
  }

  /** @param {'python' | 'rust'} which */
  async isTabSelected(which) {
    return (await this.driver.attr(tab(which), 'aria-selected')) === 'true';
  }

  /** Until the tab is the selected one. @param {'python' | 'rust'} which */
  async waitForTab(which) {
    await this.driver.waitFor(`${tab(which)}[aria-selected=true]`);
  }

  /** Until the page says the Python module is loading. */
  async waitForPythonLoading() {
    await this.driver.waitFor(hook('python-loading'));
  }

  /** Until the editor is CodeMirror (the stand-in text area takes the same text before). @param {number} [timeout] */
  async waitForCodeEditor(timeout) {
    await this.driver.waitFor(`.cm-content${EDITOR}`, { timeout });
  }

  /** The editor's whole program (CodeMirror draws only the lines in view). */
  async editorText() {
    const [text] = await this.driver.evalAll(EDITOR, (els) =>
      els.map((el) => {
        const editor = /** @type {any} */ (el);
        return /** @type {string} */ (editor.ppText ? editor.ppText() : editor.value);
      }),
    );
    if (text === undefined) throw new Error('no editor on the page');
    return text;
  }

  /** Replaces the whole program. @param {string} program */
  async fillEditor(program) {
    await this.driver.fill(EDITOR, program);
  }

  /** A key or chord typed in the editor ('Control+Enter' runs). @param {string} key */
  async pressInEditor(key) {
    await this.driver.press(key, EDITOR);
  }

  /** Reset: the tutorial's program back. */
  async resetProgram() {
    await this.driver.click(hook('reset'));
  }

  /** Share (the program's link). */
  async share() {
    await this.driver.click(hook('share'));
  }

  /** The share link shown. */
  shareLink() {
    return this.driver.value(hook('share-link'));
  }

  /** The line a syntax error points at (`data-line`). */
  sourceErrorLine() {
    return this.driver.attr(hook('source-error'), 'data-line');
  }

  /** Until the editor marks the error's line. */
  async waitForErrorLineMark() {
    await this.driver.waitFor('.cm-error-line');
  }

  /** How many lines the page changed in the tutorial's program (and says so). */
  programChangeCount() {
    return this.driver.evalAll(hook('program-change'), (l) => l.length);
  }

  // ---- The timeline and the wait-for graph -------------------------------------------------

  /** The lanes' thread names, top to bottom. @returns {Promise<string[]>} */
  lanes() {
    return this.driver.evalAll(LANE, (ls) => ls.map((g) => g.dataset.thread ?? ''));
  }

  laneCount() {
    return this.driver.evalAll(LANE, (l) => l.length);
  }

  /** Until the timeline has an n-th lane (`:nth-of-type(n)`). @param {number} n @param {number} [timeout] */
  async waitForLane(n, timeout) {
    await this.driver.waitFor(`${LANE}:nth-of-type(${n})`, { timeout });
  }

  /**
   * Each lane: its thread, its span and its waits, in µs since the run's start.
   * @returns {Promise<{ thread: string, fromUs: number, toUs: number, waits: { what: string, fromUs: number, toUs: number }[] }[]>}
   */
  timeline() {
    return this.driver.evalAll(
      LANE,
      (lanes, wait) =>
        lanes.map((l) => ({
          thread: l.dataset.thread ?? '',
          fromUs: Number(l.dataset.fromUs),
          toUs: Number(l.dataset.toUs),
          waits: [.../** @type {NodeListOf<HTMLElement>} */ (l.querySelectorAll(wait))].map((w) => ({
            what: w.dataset.what ?? '',
            fromUs: Number(w.dataset.fromUs),
            toUs: Number(w.dataset.toUs),
          })),
        })),
      WAIT,
    );
  }

  /**
   * Presses one of the timeline's export buttons ('trace' or 'svg') and returns the file the
   * browser was given: its name and text, read in the page from the download's Blob (caught
   * as the page makes its URL: fetching a blob: URL is not allowed by the site's CSP).
   * @param {'trace' | 'svg'} what
   * @returns {Promise<{ name: string, text: string }>}
   */
  exportFile(what) {
    return this.driver.evaluate(
      (button) =>
        new Promise((resolve, reject) => {
          /** @type {Blob | undefined} */
          let blob;
          const createObjectURL = URL.createObjectURL;
          URL.createObjectURL = (object) => {
            URL.createObjectURL = createObjectURL;
            blob = /** @type {Blob} */ (object);
            return createObjectURL(object);
          };
          const click = HTMLAnchorElement.prototype.click;
          HTMLAnchorElement.prototype.click = function () {
            HTMLAnchorElement.prototype.click = click;
            if (!blob) reject(new Error('no Blob was made for the download'));
            else blob.text().then((text) => resolve({ name: this.download, text }), reject);
          };
          /** @type {HTMLElement} */ (document.querySelector(button)).click();
        }),
      hook(`export-${what}`),
    );
  }

  /**
   * Where the time went: each thread's split (µs running, waiting for the GIL, blocked,
   * sleeping) and each object's contention.
   * @returns {Promise<{ threads: { thread: string, runningUs: number, gilUs: number, blockedUs: number, sleepingUs: number }[], objects: { object: string, waits: number, totalUs: number, longestUs: number, handOvers: number }[] }>}
   */
  breakdown() {
    return this.driver.evaluate(
      ({ thread, object }) => {
        const all = (/** @type {string} */ s) => [
          .../** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll(s)),
        ];
        return {
          threads: all(thread).map((t) => ({
            thread: t.dataset.thread ?? '',
            runningUs: Number(t.dataset.runningUs),
            gilUs: Number(t.dataset.gilUs),
            blockedUs: Number(t.dataset.blockedUs),
            sleepingUs: Number(t.dataset.sleepingUs),
          })),
          objects: all(object).map((o) => ({
            object: o.dataset.object ?? '',
            waits: Number(o.dataset.waits),
            totalUs: Number(o.dataset.totalUs),
            longestUs: Number(o.dataset.longestUs),
            handOvers: Number(o.dataset.handOvers),
          })),
        };
      },
      { thread: hook('thread-split'), object: hook('contention') },
    );
  }

  /**
   * The replay at its moment: the time, the step, the console lines printed by then (their
   * count and the last few shown), and each started thread's state.
   * @returns {Promise<{ atUs: number, step: number, lines: number, shown: string[], threads: { thread: string, state: string, what: string }[] }>}
   */
  /**
   * The comparison of this run with the one before (none until two runs have ended): the
   * step where they first part (null: they went the same way), the runs' numbers, and the
   * steps each column shows, with their indices.
   */
  async compared() {
    if (!(await this.driver.has(hook('compare')))) return null;
    return this.driver.evaluate(
      ({ summary, step }) => {
        const one = /** @type {HTMLElement} */ (document.querySelector(summary));
        const column = (/** @type {string} */ which) =>
          [.../** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll(`${which} ${step}`))].map((li) => ({
            index: Number(li.dataset.index),
            text: li.textContent ?? '',
            differs: li.dataset.differs === 'true',
          }));
        const first = one.dataset.firstDifference ?? '';
        return {
          firstDifference: first === '' ? null : Number(first),
          beforeRun: Number(one.dataset.beforeRun),
          nowRun: Number(one.dataset.nowRun),
          before: column('[data-testid=compare-before]'),
          now: column('[data-testid=compare-now]'),
        };
      },
      { summary: hook('compare-summary'), step: hook('compare-step') },
    );
  }

  replay() {
    return this.driver.evaluate(
      ({ time, console, line, thread }) => {
        const one = (/** @type {string} */ s) => /** @type {HTMLElement} */ (document.querySelector(s));
        const all = (/** @type {string} */ s) => [
          .../** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll(s)),
        ];
        return {
          atUs: Number(one(time).dataset.atUs),
          step: Number(one(time).dataset.step),
          lines: Number(one(console).dataset.lines),
          shown: all(line).map((l) => l.textContent ?? ''),
          threads: all(thread).map((t) => ({
            thread: t.dataset.thread ?? '',
            state: t.dataset.state ?? '',
            what: t.dataset.what ?? '',
          })),
        };
      },
      {
        time: hook('replay-time'),
        console: hook('replay-console'),
        line: hook('replay-line'),
        thread: hook('replay-thread'),
      },
    );
  }

  /** A key pressed on the replay's scrubber ('ArrowLeft', 'ArrowRight', 'Home', 'End'). @param {string} key */
  async replayKey(key) {
    await this.driver.press(key, hook('replay-scrubber'));
  }

  /** Where the timeline's replay cursor is (µs), or NaN. */
  replayCursorUs() {
    return this.driver.evalAll(hook('replay-cursor'), (cs) => Number(cs[0]?.dataset.atUs));
  }

  // ---- Be the scheduler (step mode) ----------------------------------------------------------

  /** Starts a stepped run: the learner lets the threads go, one point at a time. */
  async startStepping() {
    await this.driver.click(hook('step'));
  }

  /**
   * Waits until the stepped run has settled and returns the threads that may go on (each
   * parked at a point: its kind and the program's line), [] if none can, or null once the run
   * has ended.
   * @param {number} [timeout]
   * @returns {Promise<{ thread: string, point: string, line: number }[] | null>}
   */
  async stepChoices(timeout = 20000) {
    const settled = `${hook('step-state')}:not([data-state=running])`;
    await this.driver.waitFor(`${settled}, ${STATUS}:not([data-state=running]):not([data-state=idle])`, {
      timeout,
    });
    if ((await this.status()) !== 'running') return null;
    return this.driver.evalAll(hook('step-choice'), (cs) =>
      cs.map((c) => ({ thread: c.dataset.thread ?? '', point: c.dataset.point ?? '', line: Number(c.dataset.line) })),
    );
  }

  /**
   * Lets `thread` go on from its point, and waits until the page has taken the choice.
   * @param {string} thread
   */
  async stepChoose(thread) {
    const before = await this.stepCount();
    await this.driver.click(`${hook('step-choice')}[data-thread="${thread}"]`);
    await this.driver.waitFor(`${hook('step-order')}[data-steps="${before + 1}"]`);
  }

  /**
   * Lets a thread go with a key (1-9: the n-th choice), and waits until the page took it.
   * @param {string} key
   */
  async stepByKey(key) {
    const before = await this.stepCount();
    await this.driver.press(key);
    await this.driver.waitFor(`${hook('step-order')}[data-steps="${before + 1}"]`);
  }

  /** How many steps the learner has made in this run (or the last). */
  async stepCount() {
    const shown = await this.driver.evalAll(hook('step-order'), (os) => os.map((o) => Number(o.dataset.steps)));
    return shown[0] ?? 0;
  }

  /** Lets the stepped run go on by itself. */
  async stepFree() {
    await this.driver.click(hook('step-free'));
  }

  /** Plays the last stepped run's schedule back, in a new run. */
  async stepReplay() {
    await this.driver.click(hook('step-replay'));
  }

  /** The last stepped run's schedule, as a link keeps it (`schedule=`). */
  stepSchedule() {
    return this.driver.attr(hook('step-order'), 'data-schedule');
  }

  /**
   * Who waits for whom in the stepped run now, as the step panel says it.
   * @returns {Promise<{ from: string, object: string, to: string }[]>}
   */
  stepEdges() {
    return this.driver.evalAll(hook('step-edge'), (es) =>
      es.map((e) => ({ from: e.dataset.from ?? '', object: e.dataset.object ?? '', to: e.dataset.to ?? '' })),
    );
  }

  /** Plays the schedule the address gave (`schedule=`), in a new run. */
  async stepPlayShared() {
    await this.driver.click(hook('step-shared'));
  }

  // ---- Shake and Prove it ------------------------------------------------------------------

  /**
   * Presses Shake ('shake') or Prove it ('prove') and waits for the result: how many runs,
   * how many not as expected, the verdict (Prove it), and the histogram's bars.
   * @param {'shake' | 'prove'} which
   * @param {number} [timeout]
   * @returns {Promise<{ runs: number, failures: number, verdict: string, bars: { count: number, failed: boolean, label: string }[] }>}
   */
  async shake(which, timeout = 120000) {
    const result = hook(which === 'shake' ? 'shake-result' : 'prove-result');
    await this.driver.click(hook(which));
    await this.driver.waitFor(result, { timeout });
    return this.driver.evaluate(
      ({ selector, bar }) => {
        const e = /** @type {HTMLElement} */ (document.querySelector(selector));
        return {
          runs: Number(e.dataset.runs),
          failures: Number(e.dataset.failures),
          verdict: e.dataset.verdict ?? '',
          bars: [.../** @type {NodeListOf<HTMLElement>} */ (e.querySelectorAll(bar))].map((b) => ({
            count: Number(b.dataset.count),
            failed: b.dataset.failed === 'true',
            label: b.querySelector('.label')?.textContent ?? '',
          })),
        };
      },
      { selector: result, bar: hook('shake-bar') },
    );
  }

  /**
   * Waits for the replay of a failed shaken run to end (started by `replayFailure`, or by a
   * Prove it that failed) and says how it compared with the run it replayed.
   * @returns {Promise<{ seed: number, same: boolean, departedAt: string }>}
   */
  async replayVerdict(timeout = 60000) {
    const selector = hook('shake-replay-verdict');
    await this.driver.waitFor(selector, { timeout });
    return this.driver.evaluate((sel) => {
      const e = /** @type {HTMLElement} */ (document.querySelector(sel));
      return { seed: Number(e.dataset.seed), same: e.dataset.same === 'true', departedAt: e.dataset.departedAt ?? '' };
    }, selector);
  }

  /** Replays the first failed run of the last Shake (its recorded order). */
  async replayFailure() {
    await this.driver.click(hook('shake-replay'));
  }

  /** The pitfall lab's task, as the page gives it. */
  labTask() {
    return this.driver.text(hook('lab-task'));
  }

  /**
   * Every who-woke-whom arrow drawn: the thread that let a wait end, the thread it woke,
   * the wait (in English), and both ends in µs since the run's start.
   * @returns {Promise<{ from: string, to: string, what: string, fromUs: number, toUs: number }[]>}
   */
  wakeArrows() {
    return this.driver.evalAll(hook('wake-arrow'), (as) =>
      as.map((a) => ({
        from: a.dataset.from ?? '',
        to: a.dataset.to ?? '',
        what: a.dataset.what ?? '',
        fromUs: Number(a.dataset.fromUs),
        toUs: Number(a.dataset.toUs),
      })),
    );
  }

  /** Every wait drawn: what it waits for. @returns {Promise<string[]>} */
  waits() {
    return this.driver.evalAll(WAIT, (ws) => ws.map((w) => w.dataset.what ?? ''));
  }

  /** The wait-for graph's edges, as [from, label, to]. @returns {Promise<[string, string, string][]>} */
  waitforEdges() {
    return this.driver.evalAll(hook('waitfor-edge'), (es) =>
      es.map((e) => /** @type {[string, string, string]} */ ([e.dataset.from, e.dataset.label, e.dataset.to])),
    );
  }

  /** The wait-for graph's text. */
  waitforGraphText() {
    return this.driver.text(hook('waitfor-graph'));
  }

  // ---- Language, keys, looks ---------------------------------------------------------------

  /** The interface language, `<html lang>`. */
  lang() {
    return this.driver.attr('html', 'lang');
  }

  /** @param {string} lang */
  async waitForLang(lang) {
    await this.driver.waitForFunction((l) => document.documentElement.lang === l, lang);
  }

  async waitForLanguageSwitch() {
    await this.driver.waitFor(LANG_SWITCH);
  }

  /** Switches to the other language. */
  async switchLanguage() {
    await this.driver.click(LANG_SWITCH);
  }

  /** Every visible text that is the interface's own (see interfaceTexts above). */
  interfaceTexts() {
    const skip = [
      'pre',
      'code',
      LINE,
      EDITOR,
      '[translate=no]',
      'svg .lane text',
      '.waitfor .node text',
      LANG_SWITCH,
      'script',
      'style',
      'title',
      'option:not(:checked)',
    ].join(', ');
    return this.driver.evaluate(interfaceTexts, { skip, langSwitch: LANG_SWITCH });
  }

  /** A key or chord to whatever has the focus. @param {string} key */
  async press(key) {
    await this.driver.press(key);
  }

  /** Takes the focus off everything (the next Tab starts from the top). */
  async blurFocus() {
    await this.driver.evaluate(() => /** @type {HTMLElement | null} */ (document.activeElement)?.blur());
  }

  /** The focused element's outline style ('none' when the focus is not shown). */
  focusOutlineStyle() {
    return this.driver.evaluate(() => getComputedStyle(/** @type {Element} */ (document.activeElement)).outlineStyle);
  }

  /** [the page's scroll width, the window's width], in px. @returns {Promise<[number, number]>} */
  widths() {
    return this.driver.evaluate(() => [document.documentElement.scrollWidth, innerWidth]);
  }

  /** The window's inner height, in px. @returns {Promise<number>} */
  innerHeight() {
    return this.driver.evaluate(() => innerHeight);
  }

  /**
   * The visible controls (buttons, selects, text inputs; a checkbox by its label) less than
   * `px` high, by their text or label: what a finger would miss.
   * @param {number} px @returns {Promise<string[]>}
   */
  smallControls(px) {
    return this.driver.evaluate(
      (min) =>
        [
          ...document.querySelectorAll(
            'button, select, input:not([type=checkbox]):not([type=radio]), label:has(> input[type=checkbox])',
          ),
        ]
          .filter((el) => {
            const box = el.getBoundingClientRect();
            return box.width > 0 && box.height > 0 && box.height < min;
          })
          .map((el) => `${el.tagName.toLowerCase()} "${el.getAttribute('aria-label') ?? el.textContent?.trim()}"`),
      px,
    );
  }

  /** The theme chosen, `<html data-theme>`. */
  theme() {
    return this.driver.attr('html', 'data-theme');
  }

  async waitForThemeSwitch() {
    await this.driver.waitFor(hook('theme'));
  }

  /** @param {'light' | 'dark' | 'system'} theme */
  async chooseTheme(theme) {
    await this.driver.select(hook('theme'), theme);
  }

  /** The page's background colour. */
  backgroundColor() {
    return this.driver.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  }

  /** The clipboard's text (the browser must allow reading it). @returns {Promise<string>} */
  clipboardText() {
    return this.driver.evaluate(() => navigator.clipboard.readText());
  }

  /** From now on, alert() only notes that it was called (alerted()). */
  async trapAlerts() {
    await this.driver.evaluate(() => {
      const w = /** @type {any} */ (window);
      w.alerted = false;
      w.alert = () => {
        w.alerted = true;
      };
    });
  }

  /** Whether alert() was called since trapAlerts(). @returns {Promise<boolean>} */
  alerted() {
    return this.driver.evaluate(() => /** @type {any} */ (window).alerted);
  }

  /** How many images load from `src` (markup injected through an address would add one). @param {string} src */
  imageCount(src) {
    return this.driver.evalAll(`img[src=${src}]`, (x) => x.length);
  }

  // ---- The benchmark page (#/bench) --------------------------------------------------------

  async waitForBenchReady() {
    await this.driver.waitFor(`${hook('bench-run')}:not([disabled])`);
  }

  async startBench() {
    await this.driver.click(hook('bench-run'));
  }

  /**
   * Until the benchmark has ended; returns 'done' or 'failed'. One that does not end says how
   * far it got: the rows measured so far and the last lines its runs printed.
   * @param {number} [timeout]
   */
  async waitForBenchEnd(timeout) {
    await this.driver
      .waitFor(`${hook('bench-status')}:is([data-state=done],[data-state=failed])`, { timeout })
      .catch(async (e) => {
        const rows = (await this.benchRows()).map(([name]) => name);
        const lines = (await this.texts()).slice(-10);
        throw new Error(
          `the benchmark did not end: ${e.message}; rows so far ${JSON.stringify(rows)}; last lines ${JSON.stringify(lines)}`,
        );
      });
    return this.driver.attr(hook('bench-status'), 'data-state');
  }

  /** Each measured row: [name, median ns]. @returns {Promise<[string, number][]>} */
  benchRows() {
    return this.driver.evalAll(hook('bench-row'), (rows) =>
      rows.map((r) => /** @type {[string, number]} */ ([r.dataset.name ?? '', +(r.dataset.ns ?? NaN)])),
    );
  }

  /**
   * The crossover chart's n, from which on two processes beat the job twice in turn: a
   * number, null if they never did, undefined if there is no chart.
   * @returns {Promise<number | null | undefined>}
   */
  async benchCrossoverN() {
    const [n] = await this.driver.evalAll(hook('bench-crossover'), (cs) => cs.map((c) => c.dataset.n ?? ''));
    return n === undefined ? undefined : n === 'none' ? null : Number(n);
  }

  /**
   * The scaling chart's curves: each kind of worker with the parallel fraction Amdahl's law
   * fitted to it (empty if there is no chart).
   * @returns {Promise<Record<string, number>>}
   */
  async benchScaling() {
    const kinds = await this.driver.evalAll(`${hook('bench-scaling')} g[data-kind]`, (gs) =>
      gs.map((g) => /** @type {[string, number]} */ ([g.dataset.kind ?? '', +(g.dataset.parallel ?? NaN)])),
    );
    return Object.fromEntries(kinds);
  }
}

/** The site in one browser (a driver's Session), its tabs as page objects. */
export class PlaygroundSite {
  /** @param {Session} session */
  constructor(session) {
    this.session = session;
  }

  get base() {
    return this.session.base;
  }

  /** Every page error so far. */
  get errors() {
    return this.session.errors;
  }

  /** Every Content-Security-Policy violation so far. */
  get cspViolations() {
    return this.session.cspViolations;
  }

  /** A fresh visitor's tab at `base + address`. @param {string} [address] */
  async newPage(address = '') {
    return new PlaygroundPage(await this.session.open(address), this.base);
  }

  /**
   * A fresh visitor's tab (a context of its own: a cold cache) opened at `address`, and how
   * long the page took from the start of its navigation to Run first enabled, timed inside it
   * (Chromium only: Playwright's init script runs before the page's own).
   * @param {string} address
   * @returns {Promise<{page: PlaygroundPage, runnableMs: number}>}
   */
  async newPageTimedToRunnable(address) {
    const page = await this.browserPage();
    const native = /** @type {import('playwright-core').Page} */ (page.native);
    await native.context().addInitScript(recordRunnableAt, { run: RUN });
    await page.goto(address);
    await page.waitForRunnable(60000);
    const runnableMs = await page.driver.evaluate(() => /** @type {any} */ (window).runnableAt);
    return { page, runnableMs };
  }

  /**
   * A fresh visitor's tab at `address` that presses Run the moment it is enabled: ms from the
   * navigation's start to Run enabled and to the first printed line (Chromium).
   * @param {string} address
   * @param {number} [timeout]
   */
  async newPageTimedToFirstLine(address, timeout = 120000) {
    const page = await this.browserPage();
    const native = /** @type {import('playwright-core').Page} */ (page.native);
    await native.context().addInitScript(recordRunnableAt, { run: RUN, line: LINE });
    await page.goto(address);
    await page.driver.waitFor(LINE, { timeout });
    const [runnableMs, firstLineMs] = await page.driver.evaluate(() => {
      const w = /** @type {any} */ (window);
      return [w.runnableAt, w.firstLineAt];
    });
    return { page, runnableMs, firstLineMs };
  }

  /** A fresh visitor's tab before any navigation (goto next). */
  async browserPage() {
    return new PlaygroundPage(await this.session.blank(), this.base);
  }

  stopServer() {
    this.session.stopServer();
  }

  async restartServer() {
    await this.session.restartServer();
  }

  async close() {
    await this.session.close();
  }
}
