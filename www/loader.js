// Trunk's initializer hooks (index.html, data-initializer): say what happens while the
// module loads, and explain a failure instead of leaving a blank page. The usual failure is
// a page served without the cross-origin isolation headers: then there is no shared memory,
// and in some browsers (Firefox) a threaded module cannot even be instantiated. There the
// page still shows every example, its explanation and its sources, read-only, from
// catalogue.json (scripts/build-extras.sh): nothing runs, everything can be read.

function boot() {
  return document.getElementById('boot');
}

// The interface language, as the app chooses it (src/ui/app.rs): ?lang=, the route's lang=,
// the learner's last choice, the browser's languages.
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

const TEXT = {
  en: {
    isolation:
      'This page is not cross-origin isolated, so the browser gives it no shared memory, and ' +
      'threads cannot run. Reload once; if this stays, serve the site with the headers ' +
      '"Cross-Origin-Opener-Policy: same-origin" and "Cross-Origin-Embedder-Policy: require-corp" ' +
      '(scripts/serve.sh does; on Netlify or Cloudflare Pages the _headers file in the build does), ' +
      "or use a window that allows service workers (a private window may not): the site's own adds them. " +
      'The examples are below, to read.',
    reloading: 'Turning shared memory on: the page reloads once…',
    failed: 'The playground could not start: ',
    lookFor: 'Look for: ',
    tutorial: (a, b) => `The tutorial (lines ${a}–${b})`,
    rust: (file) => `Rust port (src/examples/${file})`,
  },
  zh: {
    isolation:
      '此页面未跨源隔离，浏览器不给它共享内存，因此线程无法运行。请重新加载一次；若仍如此，请用带有 ' +
      '"Cross-Origin-Opener-Policy: same-origin" 和 "Cross-Origin-Embedder-Policy: require-corp" ' +
      '响应头的服务器提供本站（scripts/serve.sh 会加上；在 Netlify 或 Cloudflare Pages 上由构建中的 _headers 文件设置），' +
      '或使用允许 Service Worker 的窗口（隐私窗口可能不允许）：本站自带的 Service Worker 会加上它们。示例列在下面，可以阅读。',
    reloading: '正在开启共享内存：页面将重新加载一次…',
    failed: '游乐场无法启动：',
    lookFor: '看点：',
    tutorial: (a, b) => `教程原文（第 ${a}–${b} 行）`,
    rust: (file) => `Rust 移植版（src/examples/${file}）`,
  },
};

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
            element('h3', {}, t.tutorial(ex.lines[0], ex.lines[1])),
            element('pre', { class: 'code python', testid: 'python-source', translate: 'no' }, ex.python),
          ),
          element(
            'section',
            {},
            element('h3', {}, t.rust(ex.rustFile)),
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
