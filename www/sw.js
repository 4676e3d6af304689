// The playground's service worker: a file of the site, registered by sw-register.js.
//
// 1. Cross-origin isolation on any static host. Threads need SharedArrayBuffer, which the
//    browser gives only to a page served with COOP/COEP. Hosts that cannot send headers
//    (GitHub Pages, `python3 -m http.server`) get them here: every same-origin response
//    passes through this worker, which adds them (and the site's Content-Security-Policy,
//    which a worker script's response must carry itself: a page's <meta> does not reach it).
// 2. Offline. The build (everything but the lazily loaded Python module and editor) is
//    cached at install; those two are cached when first fetched. Responses come from the
//    cache first, so a page and the workers it starts always see one build, whole.
// 3. Updates. A new build is a new sw.js (scripts/post-build.mjs writes the build's hash
//    below), which installs beside the old one into a cache of its own and waits; the page
//    says a new version is ready, and on the learner's word this worker takes over, drops
//    the old cache, and the page reloads once.

const BUILD = '__PP_BUILD__';
const PRECACHE = __PP_PRECACHE__;
const CSP = '__PP_CSP__';
const CACHE = `pp-${BUILD}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(PRECACHE);
      // The first install takes over at once (the page reloads into isolation); an update
      // waits for the learner (sw-register.js).
      if (!self.registration.active) await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('pp-') && name !== CACHE) await caches.delete(name);
      }
    })(),
  );
  // Claimed, not waited for. Firefox claims each client on its own thread, a dedicated worker
  // too, and a process's worker waiting in Atomics.wait (a spare waiting for its program) never
  // answers: the activation waited with it, the worker stayed "activating", and every fetch
  // the page and its workers made waited for it. Once per page, when the install ended after
  // the page's first worker was up: a Run printed nothing, or Python never loaded (under load,
  // most fresh pages; BENCHMARKS.md, the fourteenth session). The page is claimed at once; a
  // waiting worker when it next runs.
  self.clients.claim();
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(respond(event, request));
});

async function respond(event, request) {
  const cache = await caches.open(CACHE);
  // Every page address (`./?lang=zh`, `./#/ex/…`) is the one page, and every worker's script
  // address (`worker.js?worker=N`, crates/web/js/worker.js) the one file.
  const key =
    request.mode === 'navigate'
      ? new URL('./', self.registration.scope).href
      : request.destination === 'worker'
        ? withoutSearch(request.url)
        : request;
  let response = await cache.match(key);
  if (!response) {
    try {
      response = await fetch(request);
    } catch {
      return new Response('Offline, and this file was never loaded while online.', {
        status: 503,
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      });
    }
    // Not awaited: the page reads the body as it arrives (the Python module's progress bar).
    if (response.ok && response.type === 'basic') event.waitUntil(cache.put(key, response.clone()));
  }
  return isolated(response);
}

/** @param {string} url */
function withoutSearch(url) {
  const u = new URL(url);
  u.search = '';
  return u.href;
}

function isolated(response) {
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  headers.set('Cross-Origin-Resource-Policy', 'same-origin');
  if (!headers.has('Content-Security-Policy')) headers.set('Content-Security-Policy', CSP);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
