// Registers the site's service worker (sw.js) before the playground loads, for two things:
//
// - Isolation where the host sends no headers: the first visit is not cross-origin isolated;
//   once the worker controls the page, one reload makes it so. Never more than one: the
//   reload is noted in sessionStorage, and a page still not isolated after it stays as it is
//   and explains (www/loader.js, the app's banner). Isolated again, the note is cleared.
// - Updates: a new build's worker waits; the page shows "a new version is ready" with a
//   button that lets it take over and reloads.
//
// scripts/post-build.mjs adds <meta name="pp-service-worker" content="off"> under
// `trunk serve`, whose own reload-on-change a cache-first worker would defeat.
(() => {
  const RELOADED = 'pp-isolation-reloaded';
  const off = document.querySelector('meta[name="pp-service-worker"]')?.content === 'off';
  if (!('serviceWorker' in navigator)) return;
  // Under `trunk serve`, a worker left from a built site on the same address would serve
  // that build instead of the one being edited: it goes.
  if (off) {
    navigator.serviceWorker.getRegistrations().then(
      (all) => all.forEach((r) => r.unregister()),
      () => {},
    );
    return;
  }
  const sw = navigator.serviceWorker;
  const isolated = self.crossOriginIsolated;
  // Without sessionStorage (refused by the browser) there is no way to reload only once:
  // then there is no reload at all.
  const session = (() => {
    try {
      return window.sessionStorage;
    } catch {
      return null;
    }
  })();
  if (isolated) session?.removeItem(RELOADED);
  const willReload = !isolated && session !== null && !session.getItem(RELOADED);
  // www/loader.js says "one moment" instead of "not isolated" while this is pending.
  if (willReload) document.documentElement.dataset.isolationReload = 'pending';

  const reloadOnce = () => {
    if (self.crossOriginIsolated || session === null || session.getItem(RELOADED)) return;
    session.setItem(RELOADED, '1');
    location.reload();
  };

  const announce = (waiting) => {
    if (document.querySelector('[data-testid=update-ready]')) return;
    const zh = document.documentElement.lang === 'zh';
    const bar = document.createElement('div');
    bar.className = 'update-ready';
    bar.dataset.testid = 'update-ready';
    bar.setAttribute('role', 'status');
    bar.textContent = zh ? '新版本已就绪。' : 'A new version is ready.';
    const button = document.createElement('button');
    button.textContent = zh ? '重新加载' : 'Reload';
    button.addEventListener('click', () => {
      sw.addEventListener('controllerchange', () => location.reload());
      waiting.postMessage('skip-waiting');
    });
    bar.append(' ', button);
    document.body.append(bar);
  };

  const notRegistered = (error) => {
    delete document.documentElement.dataset.isolationReload;
    console.warn('The service worker was not registered:', error);
  };
  // Already isolated, the worker is wanted for offline and updates only, and its install
  // fetches the whole build: after the page's own load, not over the same link beside it (it
  // fetched the page's module again while the page was fetching it). Not isolated, nothing
  // runs until the worker controls the page: at once.
  const register = () => sw.register('sw.js');
  const registered =
    willReload || document.readyState === 'complete'
      ? register()
      : new Promise((resolve) => addEventListener('load', () => resolve(register()), { once: true }));
  registered.then((registration) => {
    // Some browsers' private modes (and Playwright's serviceWorkers: 'block') resolve with nothing.
    if (!registration) return notRegistered('no registration');
    if (willReload) {
      // Controlled already (a hard reload bypasses the worker once) or about to be.
      if (sw.controller || registration.active) reloadOnce();
      else sw.addEventListener('controllerchange', reloadOnce);
    }
    if (registration.waiting && sw.controller) announce(registration.waiting);
    registration.addEventListener('updatefound', () => {
      const incoming = registration.installing;
      incoming?.addEventListener('statechange', () => {
        if (incoming.state === 'installed' && sw.controller) announce(incoming);
      });
    });
  }, notRegistered);
})();
