// @ts-check
// WebKit, Safari's engine: WebKitGTK's MiniBrowser through its own WebDriver
// (drivers/webdriver.mjs), headless on Xvfb. The suite the other engines run, through the same
// page object and the same shared walks (catalogue.mjs, processes.mjs, python-chapters.mjs,
// cases.mjs); what only WebKit needs is its two faces: as Debian ships it (no
// SharedArrayBuffer even when isolated: the read-only catalogue must say why) and with shared
// memory on (JSC_useSharedArrayBuffer=1, as Safari on macOS and iPadOS behaves).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchWebKit } from './browser.mjs';
import { walkCatalogue } from './catalogue.mjs';
import { walkPythonLabs } from './labs.mjs';
import { walkPythonProcesses } from './processes.mjs';
import { checkPythonChapters } from './python-chapters.mjs';
import { checkNoSidewaysScroll, checkTimeLimit, python, stopInEveryState } from './cases.mjs';
import { checkExports } from './exports.mjs';
import { checkStepRace } from './step.mjs';
import { checkLazyStdlib } from './stdlib.mjs';
import { checkCompare, checkJoinArrow, checkLockHandOvers } from './why.mjs';

/** @type {import('./page.mjs').PlaygroundSite} */
let env;
before(async () => {
  env = await launchWebKit({ isolation: true });
});
after(async () => {
  await env?.close();
});

/** @param {string} hash */
const open = (hash) => env.newPage(hash);

test('WebKit without shared memory (as Debian ships it): the examples to read, the reason in either language, no error', async () => {
  const plain = await launchWebKit({ isolation: true, sharedMemory: false });
  try {
    /** @type {[string, RegExp][]} */
    const languages = [
      ['en', /no shared memory between workers/],
      ['zh', /不给页面在 Worker 之间共享的内存/],
    ];
    for (const [lang, reason] of languages) {
      const page = await plain.newPage(`?lang=${lang}#/ex/queue-full`);
      await page.waitForNoSharedMemory(30000);
      assert.equal(await page.crossOriginIsolated(), true, 'isolated, yet without shared memory');
      assert.equal(await page.isolationReason(), 'no-shared-memory');
      assert.match(await page.isolationText(), reason);
      await page.waitForPythonSource(/queue\.Full/, 30000);
      assert.equal(await page.exampleLinkCount(), 68);
      assert.equal(await page.runDisabled(), true);
      await page.sleep(1000);
      await page.close();
    }
    assert.deepEqual(plain.errors, []);
  } finally {
    await plain.close();
  }
});

test('WebKit: the site is cross-origin isolated with shared memory', async () => {
  const page = await open('#/');
  assert.equal(await page.crossOriginIsolated(), true);
  await page.waitForIsolation(true, 30000);
  await page.close();
});

test('WebKit: every example in the list ends, with the sleeps made short, the deterministic ones with the tutorial output', async () => {
  await walkCatalogue(open);
});

test("WebKit: chapters 1 and 6-9 run as Python, each process a fresh interpreter, with the tutorial's output", async () => {
  await walkPythonProcesses(open);
});

test('WebKit: a module beyond the frozen standard library is fetched at its first import, in a child process too', async () => {
  await checkLazyStdlib(open);
});

test("WebKit: chapters 2-5 and 10 run the tutorial's Python unchanged, with its output", async () => {
  await checkPythonChapters(open);
});

test("WebKit: chapter 11's labs run in Python with their switches", async () => {
  await walkPythonLabs(open);
});

test('WebKit: Stop ends a run whatever it is doing; a run past its time limit is stopped', async () => {
  await stopInEveryState(open);
  await checkTimeLimit(open);
});

test('WebKit: the editor: an edited program runs, by its key too', async () => {
  const page = await open('#/ex/lock-counter?mode=python');
  await page.waitForRunnable(60000);
  await page.waitForCodeEditor(30000);
  await page.fillEditor('import threading\nprint(threading.current_thread().name, 6 * 7)\n');
  assert.match(await page.editorText(), /6 \* 7/);
  await page.pressInEditor('Control+Enter');
  assert.equal(await page.waitForEnd(30000), 'done');
  assert.deepEqual(await page.texts(), ['MainThread 42']);
  await page.close();
});

test('WebKit: the Chinese interface', async () => {
  const page = await open('#/ex/lock-counter?mode=rust&lang=zh');
  await page.waitForRunnable(30000);
  assert.equal(await page.lang(), 'zh');
  assert.equal(await page.runLabel(), '运行');
  await page.run();
  assert.equal(await page.waitForEnd(30000), 'done');
  assert.deepEqual(await page.texts(), ['10001']);
  await page.close();
});

test('WebKit on an iPad (820x1180, portrait): no page scrolls sideways, every control is big enough to tap', async () => {
  const page = await env.browserPage();
  await /** @type {import('./drivers/webdriver.mjs').WebDriverSession} */ (page.native).setWindowSize(820, 1180);
  const width = await checkNoSidewaysScroll(page, [
    '#/',
    '#/ex/lock-counter?mode=rust',
    '#/ex/pitfall-deadlock?mode=rust',
    '#/ex/lock-counter?mode=python',
  ]);
  assert.ok(width <= 820, `the window is ${width} px wide`);
  // The window's height less MiniBrowser's own bars: the portrait shape, not the X screen's.
  const height = await page.innerHeight();
  assert.ok(height > 1000 && height <= 1180, `the window is ${height} px high`);
  assert.deepEqual(await page.smallControls(44), []);
  await page.close();
});

test('WebKit from a host without headers: the service worker isolates the page, and after one visit it works offline', async () => {
  const plain = await launchWebKit({ isolation: false });
  try {
    const page = await plain.newPage('#/ex/lock-counter?mode=python');
    await page.waitForIsolation(true, 30000);
    await page.waitForRunnable(60000);
    plain.stopServer();
    await page.reload();
    await page.waitForIsolation(true, 30000);
    for (const hash of ['#/ex/lock-counter?mode=python', '#/ex/lock-counter?mode=rust']) {
      await page.goto(hash);
      await page.waitForRunnable(60000);
      await page.run();
      const state = await page.waitForEnd(30000);
      assert.deepEqual([state, await page.texts()], ['done', ['10001']], hash);
    }
    // A module of the standard library never fetched while online: the reason, not a hang.
    await page.goto(`#/ex/lock-counter${python('import json\n')}`);
    await page.waitForRunnable(60000);
    await page.run();
    assert.equal(await page.waitForEnd(30000), 'failed');
    assert.match(
      (await page.texts()).at(-1) ?? '',
      /^ImportError: could not load the standard library's 'json' \(fetched at its first import\): HTTP 503.*never loaded while online/,
    );
    await page.close();
    assert.deepEqual(plain.errors, []);
  } finally {
    await plain.close();
  }
});

test('WebKit: a run exports as a trace-event file and its timeline as SVG', async () => {
  await checkExports(open);
});

test('WebKit: who woke whom, in both tabs', async () => {
  await checkLockHandOvers(open, 'rust');
  await checkLockHandOvers(open, 'python');
  await checkJoinArrow(open);
});

test('WebKit: two runs side by side', async () => {
  await checkCompare(open, `#/ex/lock-counter${python("print('a')\nprint('b')\n")}`);
});

// A program that prints its answer, as a share link carries it: the address decides the tab.
test('WebKit: be the scheduler: the race stepped into a lost update by hand, and played back', async () => {
  await checkStepRace(open);
});

test('WebKit: a share link opens its program in the Python tab', async () => {
  const page = await open(`#/ex/lock-counter${python('print(sum(range(10)))\n')}`);
  await page.waitForRunnable(60000);
  await page.run();
  assert.equal(await page.waitForEnd(30000), 'done');
  assert.deepEqual(await page.texts(), ['45']);
  await page.close();
});

test('WebKit: no page error and no Content-Security-Policy violation while the examples above ran', () => {
  assert.deepEqual(env.errors, []);
  assert.deepEqual(env.cspViolations, []);
});
