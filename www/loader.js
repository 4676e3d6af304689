// Trunk's initializer hooks (index.html, data-initializer): say what happens while the
// module loads, and explain a failure instead of leaving a blank page. The usual failure is
// a page served without the cross-origin isolation headers: then there is no shared memory,
// and in some browsers (Firefox) a threaded module cannot even be instantiated. There the
// page still shows every example, its explanation and its sources, read-only, from
// catalogue.json (scripts/build-extras.sh): nothing runs, everything can be read. What it
// says comes from the interface's own strings (src/i18n), written at build time into
// catalogue/text.js and catalogue.json by tools/catalogue_json.rs, never copied here.

import TEXT from './catalogue/text.js';

function boot() {
  return document.getElementById('boot');
}

// The interface language, by the app's rule (src/ui/app.rs, which runs only once the module
// loaded): ?lang=, the route's lang=, the learner's last choice, the browser's languages.
function language() {
  let kept = null;
  try {
    kept = localStorage.getItem('pp:lang');
  } catch {
    /* storage refused: not kept */
  }
  const asked =
    new URLSearchParams(location.search).get('lang') ??
    new URLSearchParams(location.hash.split('?')[1] ?? '').get('lang') ??
    kept;
  const tags = asked ? [asked] : (navigator.languages ?? [navigator.language]);
  return tags.some((t) => String(t).toLowerCase().startsWith('zh')) ? 'zh' : 'en';
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

function explainIsolation(el, t) {
  el.replaceChildren(
    element('p', { testid: 'isolation', 'data-isolated': 'false', class: 'isolation bad' }, t.isolation),
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

export default function initializer() {
  const lang = language();
  const t = TEXT[lang];
  document.documentElement.lang = lang;
  return {
    onStart: () => {
      if (self.crossOriginIsolated) return;
      // sw-register.js is about to reload into isolation: say so rather than alarm.
      if (document.documentElement.dataset.isolationReload === 'pending')
        boot().replaceChildren(element('p', {}, t.reloading));
      else explainIsolation(boot(), t);
    },
    onProgress: () => {},
    onComplete: () => {},
    onSuccess: () => {
      const el = boot();
      if (el) el.remove();
    },
    onFailure: (error) => {
      const el = boot();
      if (!el) return;
      if (self.crossOriginIsolated) {
        el.replaceChildren(element('p', { testid: 'load-error', class: 'load-error' }, t.failed, String(error)));
        return;
      }
      explainIsolation(el, t);
      el.append(element('p', { testid: 'load-error', class: 'load-error' }, t.failed, String(error)));
      showCatalogue(el, lang, t);
    },
  };
}
