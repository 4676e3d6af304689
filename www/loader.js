// Trunk's initializer hooks (index.html, data-initializer): say what happens while the
// module loads, and explain a failure instead of leaving a blank page. Before the module
// loads, sharedMemory() asks the browser what it can do and writes the answer on <html
// data-shared-memory> for the app (pp_web::js::shared_memory). Isolation alone does not
// say: WebKitGTK is cross-origin isolated yet has no SharedArrayBuffer. Without shared
// memory a threaded module may not even instantiate (Firefox); then the page still shows
// every example, its explanation and its sources, read-only, from catalogue.json
// (scripts/build-extras.sh): nothing runs, everything can be read. What it
// says comes from the interface's own strings (src/i18n), written at build time into
// catalogue/text.js and catalogue.json by tools/catalogue_json.rs, never copied here.

import TEXT from './catalogue/text.js';
import PYTHON_TABS from './catalogue/python-tabs.js';

// Every uncaught error and Content-Security-Policy violation the page sees, kept on the page
// from before the module loads: what a test driver that cannot read the console (plain
// WebDriver, tests/e2e/drivers/webdriver.mjs) reads to fail a test on a page error.
// Each says on which page (the hash) it happened, and the page's own console.error lines count
// too: a panic's message (src/ui/mod.rs) says where the bug is, the trap that follows does not.
const problems = [];
/** @type {any} */ (self).ppProblems = problems;
/** @param {string} what */
const problem = (what) => problems.push(`${what} [at ${location.hash || '#/'}]`);
addEventListener('error', (e) => problem(`${e.message} (${e.filename}:${e.lineno})`));
addEventListener('unhandledrejection', (e) => problem(`unhandled rejection: ${e.reason}`));
const consoleError = console.error.bind(console);
console.error = (...parts) => {
  problem(`console.error: ${parts.join(' ')}`);
  consoleError(...parts);
};
addEventListener('securitypolicyviolation', (e) =>
  problems.push(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
);

function boot() {
  return document.getElementById('boot');
}

// The interface language, decided here once for the read-only catalogue and for the app
// (src/ui/app.rs reads <html data-lang>): the page's ?lang= (its last), else the route's
// (#/…?lang=), kept as the learner's choice; else the choice kept before; else the first of
// the browser's languages we have; else English. A tag counts by its primary subtag (zh-CN is
// zh), as Lang::parse (src/i18n) reads the value the app is given.
/** @param {unknown} tag */
function ours(tag) {
  const primary = String(tag ?? '')
    .trim()
    .split(/[-_]/)[0]
    .toLowerCase();
  return primary === 'zh' || primary === 'en' ? primary : null;
}

function language() {
  /** @param {string} query */
  const asked = (query) => new URLSearchParams(query).getAll('lang').at(-1) ?? null;
  const given = asked(location.search) ?? asked(location.hash.split('?')[1] ?? '');
  let storage = null;
  try {
    storage = localStorage;
  } catch {
    /* storage refused: nothing kept */
  }
  if (given !== null) {
    const lang = ours(given);
    if (lang) {
      try {
        storage?.setItem('pp:lang', lang);
      } catch {
        /* a full storage loses only the keeping */
      }
      return lang;
    }
  }
  let kept = null;
  try {
    kept = ours(storage?.getItem('pp:lang'));
  } catch {
    /* storage refused */
  }
  return kept ?? [...(navigator.languages ?? [navigator.language])].map(ours).find(Boolean) ?? 'en';
}

function element(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'testid') el.dataset.testid = v;
    else el.setAttribute(k, v);
  }
  el.append(...children);
  return el;
}

// Whether threads can run here: a shared WebAssembly.Memory can be made and sent to another
// context (what starting a worker on the module does). 'works', 'not-isolated' or
// 'unavailable' (isolated, but the browser has no shared memory).
export function sharedMemory() {
  if (!self.crossOriginIsolated) return 'not-isolated';
  if (typeof SharedArrayBuffer === 'undefined') return 'unavailable';
  try {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    if (!(memory.buffer instanceof SharedArrayBuffer)) return 'unavailable';
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(memory);
    port1.close();
    port2.close();
    return 'works';
  } catch {
    return 'unavailable';
  }
}

function explainIsolation(el, t, memory) {
  const unavailable = memory === 'unavailable';
  el.replaceChildren(
    element(
      'p',
      {
        testid: 'isolation',
        'data-isolated': String(self.crossOriginIsolated),
        'data-reason': unavailable ? 'no-shared-memory' : 'not-isolated',
        class: 'isolation bad',
      },
      unavailable ? t.noSharedMemory : t.isolation,
    ),
  );
}

// The catalogue, read-only: the chapters' examples as links, and the one the address names.
async function showCatalogue(el, lang, t) {
  let catalogue;
  try {
    const response = await fetch(new URL('catalogue/catalogue.json', document.baseURI));
    if (!response.ok) return;
    catalogue = await response.json();
  } catch {
    return;
  }
  const nav = element('nav', { class: 'catalogue', testid: 'fallback-catalogue' });
  for (const chapter of catalogue.chapters) {
    const list = element('ul');
    for (const ex of catalogue.examples.filter((e) => e.chapter === chapter.number)) {
      list.append(
        element(
          'li',
          {},
          element('a', { href: `#/ex/${ex.id}`, testid: 'example-link', 'data-id': ex.id }, ex.title[lang]),
        ),
      );
    }
    nav.append(element('h3', {}, `${chapter.number}. ${chapter.title[lang]}`), list);
  }
  const main = element('main');
  const show = () => {
    const id = location.hash.match(/^#\/ex\/([^?]*)/)?.[1];
    const ex = catalogue.examples.find((e) => e.id === id);
    if (!ex) {
      main.replaceChildren();
      return;
    }
    main.replaceChildren(
      element(
        'article',
        { class: 'example', testid: 'fallback-example', 'data-id': ex.id },
        element('h2', {}, ex.title[lang]),
        element('p', { class: 'look-for' }, t.lookFor, ex.lookFor[lang]),
        element(
          'div',
          { class: 'sources' },
          element(
            'section',
            {},
            element('h3', {}, ex.tutorialHeading[lang]),
            element('pre', { class: 'code python', testid: 'python-source', translate: 'no' }, ex.python),
          ),
          element(
            'section',
            {},
            element('h3', {}, ex.rustHeading[lang]),
            element('pre', { class: 'code rust', testid: 'rust-source', translate: 'no' }, ex.rust),
          ),
        ),
      ),
    );
  };
  addEventListener('hashchange', show);
  show();
  el.append(element('div', { class: 'body' }, nav, main));
}

// Whether the address opens an example on its Python tab, as the app will decide
// (src/ui/route.rs, and initial_mode in src/ui/example_state.rs: the last `mode` counts).
/** @param {string} hash */
function opensPythonTab(hash) {
  const [path, query = ''] = hash.replace(/^#/, '').split(/\?(.*)/s);
  const id = path.match(/^\/ex\/(.+)$/)?.[1];
  const mode = new URLSearchParams(query).getAll('mode').at(-1)?.trim();
  return id !== undefined && PYTHON_TABS.includes(id) && mode !== 'rust';
}

// The Python module is most of a Python page's first load, and the app asks for it only once
// it has compiled and drawn (a tenth of a second or more, the network idle the while). For an
// address that opens a Python tab, www/python.js is told at once (this event, the same name
// there): it fetches the small manifest now and the module the moment the page's own module
// has arrived (`detail`: a promise of that; not before, or the two would share the link and
// the page would show later). The app's own request then finds the download under way.
const PYTHON_WANTED = 'pp:python-wanted';

// The page's first process and the warm children kept beside it start this many workers
// (a process worker and PRESTARTED_WORKERS thread workers, then WARM_CHILDREN: crates/web/src/
// host). Asked of crates/web/js/worker.js (this event, the same name there) before the page's
// module downloads: each worker's script and thread are then ready when the module is. Over a
// learner's link that was one round trip more after the module came (BENCHMARKS.md, the
// thirteenth session).
const WORKERS_AHEAD = 'pp:workers-ahead';
const FIRST_WORKERS = 9;

export default function initializer() {
  const lang = language();
  const t = TEXT[lang];
  document.documentElement.lang = lang;
  document.documentElement.dataset.lang = lang;
  const memory = sharedMemory();
  document.documentElement.dataset.sharedMemory = memory;
  /** @type {() => void} */
  let pageModuleArrived = () => {};
  if (memory === 'works') dispatchEvent(new CustomEvent(WORKERS_AHEAD, { detail: FIRST_WORKERS }));
  if (memory === 'works' && opensPythonTab(location.hash)) {
    const arrived = new Promise((resolve) => (pageModuleArrived = () => resolve(undefined)));
    dispatchEvent(new CustomEvent(PYTHON_WANTED, { detail: arrived }));
  }
  return {
    onStart: () => {
      if (memory === 'works') return;
      // sw-register.js is about to reload into isolation: say so rather than alarm.
      if (memory === 'not-isolated' && document.documentElement.dataset.isolationReload === 'pending')
        boot().replaceChildren(element('p', {}, t.reloading));
      else explainIsolation(boot(), t, memory);
    },
    onProgress: ({ current, total }) => {
      if (current >= total) pageModuleArrived();
    },
    onComplete: () => {},
    onSuccess: () => {
      const el = boot();
      if (el) el.remove();
    },
    onFailure: (error) => {
      const el = boot();
      if (!el) return;
      // Whatever failed, the catalogue can still be read.
      if (memory === 'works') el.replaceChildren();
      else explainIsolation(el, t, memory);
      el.append(element('p', { testid: 'load-error', class: 'load-error' }, t.failed, String(error)));
      showCatalogue(el, lang, t);
    },
  };
}
