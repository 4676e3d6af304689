// @ts-check
// Runs in each kind of state Stop must end, a run's time limit, a small screen: shared by
// tests/e2e/runs.test.mjs and webkit.test.mjs (they stop them) and scripts/bench-page.mjs (it
// times how fast); lock-counter's run, for the hosting tests of Chromium and Firefox. Browser-neutral: `open(address)` gives a fresh page object (page.mjs).

import assert from 'node:assert/strict';

/** @typedef {import('./page.mjs').PlaygroundPage} PlaygroundPage */
/** @typedef {(address: string) => Promise<PlaygroundPage>} Open A fresh page at `address`. */

/** @param {string} text */
const b64 = (text) => Buffer.from(text).toString('base64url');
/** A route's query opening the Python tab with `program` (a share link's code=). @param {string} program */
export const python = (program) => `?mode=python&code=${b64(program)}`;

/**
 * Each state a run can be in when Stop is pressed: what it is, its address, and the wait
 * until it shows it is in that state.
 * @type {[string, string, (page: PlaygroundPage, timeout: number) => Promise<void>][]}
 */
export const STOP_CASES = [
  [
    'spinning (Python, endless loop)',
    `#/ex/lock-counter${python('while True:\n    pass\n')}`,
    (page, timeout) => page.waitForState('running', timeout),
  ],
  ['sleeping', '#/ex/thread-exit?mode=rust&sleep=3600', (page, timeout) => page.waitForLine('==end==', timeout)],
  ['deadlocked', '#/ex/pitfall-deadlock?mode=rust', (page, timeout) => page.waitForState('deadlock', timeout)],
  [
    'inside a pool',
    '#/ex/pool-apply-vs-async?mode=rust&max_sleep=3600',
    (page, timeout) => page.waitForLane(3, timeout),
  ],
  ['in a child process', '#/ex/process-class?mode=rust&interval=3600', (page, timeout) => page.waitForAnyLine(timeout)],
  [
    'printing without end',
    `#/ex/lock-counter${python('i = 0\nwhile True:\n    print(i)\n    i += 1\n')}`,
    (page, timeout) => page.waitForPrintedLines(timeout),
  ],
];

/** Stop ends a run in each of STOP_CASES' states, and the next Run starts fresh. @param {Open} open */
export async function stopInEveryState(open) {
  for (const [what, hash, started] of STOP_CASES) {
    const page = await open(hash);
    await page.waitForRunnable(60000);
    await page.run();
    await started(page, 20000);
    await page.sleep(300);
    await page.stop();
    assert.equal(await page.waitForEnd(5000), 'stopped', what);
    // Fresh: the next run's console starts empty and the run is live again.
    await page.run();
    await page.waitForState(['running', 'deadlock']);
    const notes = await page.notes();
    assert.deepEqual(notes, [], `${what}: the new run's console has no note of the old one`);
    await page.stop();
    assert.equal(await page.waitForEnd(5000), 'stopped', what);
    await page.close();
  }
}

/** A run past its time limit is stopped and says so, in both tabs; a bad limit is flagged. @param {Open} open */
export async function checkTimeLimit(open) {
  const page = await open('#/ex/thread-exit?mode=rust&sleep=3600&limit=1');
  await page.waitForRunnable();
  assert.equal(await page.timeLimit(), '1');
  await page.run();
  assert.equal(await page.waitForEnd(10000), 'stopped');
  assert.match(await page.consoleText(), /time limit of 1 s/);
  // The Python tab too.
  await page.goto(`#/ex/lock-counter${python('while True:\n    pass\n')}&limit=1`);
  await page.waitForRunnable(60000);
  await page.run();
  assert.equal(await page.waitForEnd(10000), 'stopped');
  assert.match(await page.consoleText(), /time limit of 1 s/);
  await page.goto('#/ex/thread-exit?mode=rust&limit=0');
  await page.waitForUrlWarning();
  assert.match(await page.urlWarning(), /limit must be/);
  await page.fillTimeLimit('abc');
  assert.equal(await page.runDisabled(), true, 'an invalid limit disables Run');
  assert.match(await page.paramError(), /1 to 3600/);
  await page.close();
}

/**
 * Runs the page's lock-counter to its end and checks its output.
 * @param {PlaygroundPage} page @param {{ runnable?: number, end?: number }} [deadlines] ms
 */
export async function runLockCounter(page, { runnable = 20000, end = 30000 } = {}) {
  await page.waitForRunnable(runnable);
  await page.run();
  assert.equal(await page.waitForEnd(end), 'done');
  assert.deepEqual(await page.texts(), ['10001']);
}

/**
 * On a small screen (the page's window already sized), at each address, after a run where the
 * address is an example: no page scrolls sideways. Returns the window's width.
 * @param {PlaygroundPage} page @param {string[]} hashes
 */
export async function checkNoSidewaysScroll(page, hashes) {
  let width = 0;
  for (const hash of hashes) {
    await page.goto(hash);
    await page.waitForMain();
    if (hash.includes('/ex/')) {
      await page.waitForRunnable(60000);
      await page.run();
      await page.waitForEnd(60000);
    }
    const [scroll, inner] = await page.widths();
    assert.ok(scroll <= inner, `${hash}: the page is ${scroll} px wide on a ${inner} px screen`);
    width = inner;
  }
  return width;
}
