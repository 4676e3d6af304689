// The catalogue in Firefox: Debian's firefox-esr driven by puppeteer-core over WebDriver BiDi
// (drivers/puppeteer.mjs). The same walk as examples.test.mjs (catalogue.mjs), on the built
// site with its _headers, through the same page object.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchFirefox, root } from './browser.mjs';
import { runLockCounter } from './cases.mjs';
import { walkCatalogue } from './catalogue.mjs';
import { walkPythonProcesses } from './processes.mjs';
import { checkLazyStdlib } from './stdlib.mjs';

let env;

before(async () => {
  env = await launchFirefox({ isolation: true });
});

after(async () => {
  await env?.close();
});

test('Firefox: the site is cross-origin isolated (shared memory for the workers)', async () => {
  const page = await env.newPage('#/');
  try {
    assert.equal(await page.crossOriginIsolated(), true);
    await page.waitForIsolation(true, 30000);
  } finally {
    await page.close();
  }
});

test('Firefox: every example in the list ends, with the sleeps made short, the deterministic ones with the tutorial output', async () => {
  await walkCatalogue((hash) => env.newPage(hash));
});

test('Firefox: a module beyond the frozen standard library is fetched at its first import, in a child process too', async () => {
  await checkLazyStdlib((hash) => env.newPage(hash));
});

test("Firefox: chapters 1 and 6-9 run as Python, each process a fresh interpreter, with the tutorial's output", async () => {
  await walkPythonProcesses((hash) => env.newPage(hash));
});

test('Firefox: no Content-Security-Policy violation while the examples above ran', () => {
  assert.deepEqual(env.cspViolations, []);
});

test('Firefox: the service worker takes over while a process waits for its program, and a new build loads', async () => {
  // Over a slow link the worker's install ends after the page's first process is up, waiting in
  // Atomics.wait for a program: Firefox's activation waited for that worker's claim and never
  // ended, and every fetch with it (www/sw.js). The update's activation is the same case.
  const dir = mkdtempSync(join(tmpdir(), 'pp-site-'));
  cpSync(root, dir, { recursive: true });
  const slow = await launchFirefox({ dir, link: { bitsPerSecond: 10e6, latencyMs: 20 } });
  const deadlines = { runnable: 60000, end: 60000 };
  try {
    const page = await slow.newPage('#/ex/lock-counter?mode=rust');
    await page.waitForRunnable(60000);
    await page.waitForServiceWorker(60000);
    await runLockCounter(page, deadlines);
    const sw = join(dir, 'sw.js');
    writeFileSync(sw, readFileSync(sw, 'utf8').replace(/const BUILD = "([0-9a-f]+)"/, 'const BUILD = "$1-next"'));
    await page.checkForUpdate();
    await page.waitForUpdateNotice(60000);
    await Promise.all([page.native.waitForNavigation({ timeout: 60000 }), page.acceptUpdate()]);
    await page.waitForServiceWorker(60000);
    await runLockCounter(page, deadlines);
    const caches = await page.cacheNames();
    assert.equal(caches.length, 1, `the old build's cache is gone: ${caches}`);
    assert.match(caches[0], /-next$/);
    assert.deepEqual(slow.errors, []);
  } finally {
    await slow.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Firefox without isolation and without service workers: the page explains, and every example can still be read', async () => {
  const plain = await launchFirefox({ isolation: false, prefs: { 'dom.serviceWorkers.enabled': false } });
  try {
    const page = await plain.newPage('#/ex/queue-full');
    await page.waitForIsolation(false, 30000);
    assert.equal(await page.crossOriginIsolated(), false);
    // Firefox 153 instantiates the module without isolation (the playground, Run disabled);
    // a browser that does not gets the read-only catalogue (isolation.test.mjs): either way
    // the example's source is there to read.
    await page.waitForPythonSource(/queue\.Full/, 30000);
    const links = await page.exampleLinkCount();
    assert.ok(links >= 68, `${links} examples listed`);
    assert.equal(await page.runDisabled(), true);
    assert.deepEqual(plain.errors, []);
  } finally {
    await plain.close();
  }
});

test('Firefox with shared memory switched off: the reason, the examples to read, no error', async () => {
  const off = await launchFirefox({ isolation: true, prefs: { 'javascript.options.shared_memory': false } });
  try {
    const page = await off.newPage('?lang=zh#/ex/queue-full');
    await page.waitForNoSharedMemory(30000);
    assert.equal(await page.isolationReason(), 'no-shared-memory');
    assert.match(await page.isolationText(), /共享的内存/);
    await page.waitForPythonSource(/queue\.Full/, 30000);
    assert.ok((await page.exampleLinkCount()) >= 68);
    await page.sleep(1000);
    assert.deepEqual(off.errors, []);
  } finally {
    await off.close();
  }
});
