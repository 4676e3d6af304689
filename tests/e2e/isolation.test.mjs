// Hosting: the site from a server that sends no headers (GitHub Pages, `python3 -m
// http.server`), offline after a first visit, without isolation at all, and under its
// Content-Security-Policy. www/sw.js and www/sw-register.js are what is tested.
// Playwright's own page (`page.native`) counts loads and stands in for a browser without
// shared memory.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, root } from './browser.mjs';
import { runLockCounter } from './cases.mjs';

test('a server without isolation headers: the service worker reloads the page once into isolation, and threads run', async () => {
  const env = await launch({ isolation: false });
  try {
    const page = await env.browserPage();
    const loads = [];
    page.native.on('load', () => loads.push(page.native.url()));
    await page.goto('#/ex/lock-counter?mode=rust');
    await page.waitForIsolation(true, 30000);
    assert.equal(await page.crossOriginIsolated(), true);
    assert.equal(loads.length, 2, `one reload: ${JSON.stringify(loads)}`);
    assert.match(await page.url(), /#\/ex\/lock-counter\?mode=rust$/, 'the reload keeps the address');
    await runLockCounter(page);
    assert.deepEqual(env.errors, []);
  } finally {
    await env.close();
  }
});

test('after one visit the playground works offline, the Python tab too once it was opened', async () => {
  const env = await launch({ isolation: false });
  try {
    const page = await env.browserPage();
    await page.goto('#/ex/lock-counter?mode=python');
    await page.waitForIsolation(true, 30000);
    await page.waitForRunnable(60000);
    env.stopServer();
    await page.reload();
    await page.waitForIsolation(true, 30000);
    await runLockCounter(page);
    await page.goto('#/ex/lock-counter?mode=rust');
    await runLockCounter(page);
    assert.deepEqual(env.errors, []);
  } finally {
    await env.close();
  }
});

test('a new build: the page says a new version is ready, and its button loads it', async () => {
  // A copy of the site, to deploy "a new build" into: the same files, sw.js with another hash.
  const dir = mkdtempSync(join(tmpdir(), 'pp-site-'));
  cpSync(root, dir, { recursive: true });
  const env = await launch({ isolation: false, dir });
  try {
    const page = await env.browserPage();
    await page.goto('#/');
    await page.waitForIsolation(true, 30000);
    const sw = join(dir, 'sw.js');
    writeFileSync(sw, readFileSync(sw, 'utf8').replace(/const BUILD = "([0-9a-f]+)"/, 'const BUILD = "$1-next"'));
    await page.checkForUpdate();
    await page.waitForUpdateNotice(20000);
    await Promise.all([page.native.waitForEvent('load'), page.acceptUpdate()]);
    await page.waitForIsolation(true, 30000);
    const caches = await page.cacheNames();
    assert.equal(caches.length, 1, `the old build's cache is gone: ${caches}`);
    assert.match(caches[0], /-next$/);
  } finally {
    await env.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no isolation at all (no service worker either): the page explains, shows the examples, and throws nothing', async () => {
  const env = await launch({ isolation: false, context: { serviceWorkers: 'block' } });
  try {
    const page = await env.newPage('#/ex/lock-counter?mode=rust');
    await page.waitForIsolation(false, 15000);
    assert.equal(await page.crossOriginIsolated(), false);
    assert.match(await page.isolationText(), /Cross-Origin-Embedder-Policy/);
    // The sources and the explanation are there; Run says why it cannot start.
    await page.waitForExampleLinks();
    assert.match(await page.mainText(), /lock/i);
    await page.sleep(1000);
    assert.deepEqual(env.errors, []);
  } finally {
    await env.close();
  }
});

test("a browser that cannot make shared memory at all: the read-only catalogue, every example readable, in the learner's language", async () => {
  const env = await launch({ isolation: false, context: { serviceWorkers: 'block' } });
  try {
    const page = await env.browserPage();
    // As a browser without shared WebAssembly memory outside isolation behaves.
    await page.native.addInitScript(() => {
      const Memory = WebAssembly.Memory;
      WebAssembly.Memory = function (descriptor) {
        if (descriptor?.shared) throw new RangeError('shared memory is not available');
        return new Memory(descriptor);
      };
    });
    await page.goto('?lang=zh#/ex/queue-full');
    await page.waitForIsolation(false, 15000);
    await page.waitForLoadError();
    await page.waitForFallbackExample('queue-full', 15000);
    assert.match(await page.pythonSource(), /queue\.Full/);
    assert.match(await page.fallbackTitle(), /queue\.Full/);
    assert.match(await page.isolationText(), /跨源隔离/);
    assert.equal(await page.exampleLinkCount(), 68);
    await page.clickExample('lock-counter');
    await page.waitForFallbackExample('lock-counter');
    assert.match(await page.rustSource(), /fn /);
    assert.deepEqual(env.errors, []);
  } finally {
    await env.close();
  }
});

test('an isolated browser without SharedArrayBuffer (WebKitGTK as shipped): the reason, the examples to read, no error', async () => {
  const env = await launch({ isolation: true });
  try {
    const page = await env.browserPage();
    await page.native.addInitScript(() => {
      delete (/** @type {any} */ (globalThis).SharedArrayBuffer);
    });
    await page.goto('#/ex/queue-full');
    await page.waitForNoSharedMemory(15000);
    assert.equal(await page.crossOriginIsolated(), true);
    assert.equal(await page.isolationReason(), 'no-shared-memory');
    assert.match(await page.isolationText(), /no shared memory between workers/);
    await page.waitForPythonSource(/queue\.Full/, 15000);
    assert.equal(await page.exampleLinkCount(), 68);
    await page.sleep(1000);
    assert.deepEqual(env.errors, []);
  } finally {
    await env.close();
  }
});

test('what a host sends: files named by their content kept, the rest asked again and answered 304 without a body', async () => {
  const env = await launch();
  try {
    const html = await (await fetch(env.base)).text();
    const at = (/** @type {RegExp} */ name) => new URL(/** @type {string[]} */ (html.match(name))[0], env.base);
    const glue = await fetch(at(/parallel-playground-[0-9a-f]+\.js/));
    assert.match(String(glue.headers.get('cache-control')), /max-age=31536000, immutable/);
    const bootstrap = at(/snippets\/pp-web-[0-9a-f]+\/js\/worker\.js/);
    const first = await fetch(bootstrap);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('cache-control'), 'no-cache');
    const etag = String(first.headers.get('etag'));
    const again = await fetch(bootstrap, { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
    assert.equal((await again.arrayBuffer()).byteLength, 0);
    assert.equal(again.headers.get('cross-origin-embedder-policy'), 'require-corp');
    const stale = await fetch(bootstrap, { headers: { 'If-None-Match': '"another"' } });
    assert.equal(stale.status, 200);
    assert.equal((await stale.text()).length, (await first.text()).length);
  } finally {
    await env.close();
  }
});
