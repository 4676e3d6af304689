// End to end: the built playground in headless Chromium, through the page contract of
// ../shared/catalogue.md (data-testid hooks and #/ex/<id> routes), reached through the page
// object (page.mjs).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { checkExports } from './exports.mjs';
import {
  checkBreakdown,
  checkCompare,
  checkJoinArrow,
  checkLockHandOvers,
  checkProcessArrows,
  checkReplay,
} from './why.mjs';
import { checkProveRace, checkShakeDeadlock } from './shake.mjs';
import { checkStepDeadlock, checkStepRace } from './step.mjs';
import { launch } from './browser.mjs';
import { python } from './cases.mjs';

let env;
before(async () => {
  env = await launch();
});
after(async () => {
  await env.close();
});

test('the page is cross-origin isolated and lists the examples', async () => {
  const page = await env.newPage();
  assert.equal(await page.crossOriginIsolated(), true);
  await page.waitForIsolation(true);
  const ids = await page.exampleIds();
  for (const id of ['thread-start', 'lock-counter', 'queue-lifo']) assert.ok(ids.includes(id), `${id} listed`);
  await page.close();
});

test('thread-start prints from the thread named worker', async () => {
  const page = await env.newPage('#/');
  await page.openExample('thread-start');
  // Timed inside the page: from the click to the first line in the DOM.
  await page.recordRunToFirstLine();
  await page.run();
  assert.equal(await page.waitForEnd(), 'done');
  assert.deepEqual(await page.lines(), [
    ['worker', 'i am working'],
    ['worker', 'finished'],
  ]);
  const ms = await page.runToFirstLineMs();
  console.log(`# run to first console line: ${ms.toFixed(1)} ms`);
  await page.close();
});

test("a fresh page's first workers start while its module downloads, and its first run is made of them", async () => {
  const page = await env.browserPage();
  await page.recordWorkerNames();
  await page.goto('#/ex/thread-start?mode=rust');
  await page.waitForRunnable();
  await page.sleep(500);
  // The first process (a process worker and its thread workers) and the warm children.
  const ahead = Array(9).fill('worker started ahead');
  assert.deepEqual(await page.workerNames(), ahead, 'no worker started after the download');
  await page.run();
  assert.equal(await page.waitForEnd(), 'done');
  assert.deepEqual((await page.workerNames()).slice(0, 9), ahead);
  await page.close();
});

test('lock-counter gives 10001, with its wall time', async () => {
  const page = await env.newPage('#/ex/lock-counter?mode=rust');
  await page.waitForRunnable();
  await page.run();
  assert.equal(await page.waitForEnd(), 'done');
  assert.deepEqual(await page.lines(), [['MainThread', '10001']]);
  const ms = await page.elapsedMs();
  assert.ok(ms > 0 && ms < 10000, `elapsed ${ms} ms`);
  assert.equal(await page.laneCount(), 11, 'a lane per thread');
  await page.close();
});

// The run's time starts at its first instruction, not when its process booted: a page that
// sat idle before Run shows the run's own time (it once showed 3,111 ms for a 231 ms run after
// a 3 s wait, and 4,205 ms for get(timeout=1)).
test('a run after the page sat idle shows its own time, not the idle time', async () => {
  const page = await env.newPage('#/ex/queue-get-timeout?mode=rust');
  await page.waitForRunnable();
  await page.sleep(3000);
  const clicked = Date.now();
  await page.run();
  assert.equal(await page.waitForEnd(), 'failed'); // queue.Empty ends the program
  const wall = Date.now() - clicked;
  const ms = await page.elapsedMs();
  assert.ok(ms >= 900 && ms <= wall, `get(timeout=1) took ${ms} ms on the page, ${wall} ms from the click to the end`);
  assert.ok(ms < 2500, `elapsed ${ms} ms counts the time the page sat idle`);
  await page.close();
});

test('queue-lifo gives 2 1 0', async () => {
  const page = await env.newPage('#/ex/queue-lifo?mode=rust');
  await page.waitForRunnable();
  await page.run();
  assert.equal(await page.waitForEnd(), 'done');
  assert.deepEqual(await page.texts(), ['2', '1', '0']);
  await page.close();
});

test('lines stream in as they are printed', async () => {
  const page = await env.newPage('#/ex/thread-exit?mode=rust&sleep=0.4');
  await page.waitForRunnable();
  await page.run();
  await page.waitForLine('==end==');
  await page.waitForLine('i am a thread');
  // The first thread line is on the page while the run still goes on.
  assert.equal(await page.status(), 'running');
  const early = (await page.lines()).length;
  assert.ok(early < 6, `only part of the output so far (${early} lines)`);
  assert.equal(await page.waitForEnd(), 'done');
  assert.deepEqual(await page.lines(), [['MainThread', '==end=='], ...Array(5).fill(['thread', 'i am a thread'])]);
  await page.close();
});

test('Stop ends a run that sleeps for an hour', async () => {
  const page = await env.newPage('#/ex/thread-exit?mode=rust&sleep=3600');
  await page.waitForRunnable();
  await page.run();
  await page.waitForLine('==end==');
  assert.equal(await page.status(), 'running');
  await page.stop();
  assert.equal(await page.waitForEnd(), 'stopped');
  // The page still works: the next run starts at once and finishes.
  await page.fillParam('sleep', '0');
  await page.run();
  assert.equal(await page.waitForEnd(), 'done');
  assert.equal((await page.lines()).length, 6);
  await page.close();
});

test('a bad parameter gets a message and disables Run; a fixed one enables it', async () => {
  const page = await env.newPage('#/ex/lock-counter?mode=rust');
  await page.waitForRunnable();
  await page.fillParam('threads', '0');
  assert.match(await page.paramError(), /between 1 and 64/);
  assert.equal(await page.runDisabled(), true);
  await page.fillParam('threads', '3');
  assert.equal(await page.hasParamError(), false);
  await page.run();
  assert.equal(await page.waitForEnd(), 'done');
  assert.deepEqual(await page.texts(), ['3001']);
  await page.close();
});

test('parameters in the URL fill the form, and bad ones are flagged', async () => {
  const page = await env.newPage('#/ex/lock-counter?mode=rust&threads=abc&increments=5&colour=red');
  await page.waitForParamError();
  assert.equal(await page.paramValue('increments'), '5');
  assert.equal(await page.runDisabled(), true);
  assert.match(await page.urlWarning(), /colour/);
  await page.close();
});

test('an unknown example says so', async () => {
  const page = await env.newPage('#/ex/no-such-thing?mode=rust');
  await page.waitForNotFound();
  await page.close();
});

test("the Rust port shows the example's part of its file, and the whole file on request", async () => {
  const page = await env.newPage('#/ex/process-is-alive?mode=rust');
  await page.waitForRustSource(false);
  let text = await page.rustSource();
  assert.ok(text.includes('fn fun2(') && text.includes('pub fn is_alive('), text);
  assert.ok(!text.includes('pub fn pids('), 'another example of the file is left out');
  await page.showWholeRustFile();
  await page.waitForRustSource(true);
  text = await page.rustSource();
  assert.ok(text.includes('pub fn pids(') && text.includes('pub fn is_alive('), 'the whole file');
  await page.close();
});

test('a run exports as a trace-event file, a track per thread, and its timeline as a standalone SVG', async () => {
  await checkExports((hash) => env.newPage(hash));
});

test('who woke whom: the lock of lock-counter passes from thread to thread, in both tabs, a join is woken by the end, a get by another process', async () => {
  const open = (/** @type {string} */ hash) => env.newPage(hash);
  await checkLockHandOvers(open, 'rust');
  await checkLockHandOvers(open, 'python');
  await checkJoinArrow(open);
  await checkProcessArrows(open);
});

test('replaying a run: its start, its middle and its end, step by step from the keyboard', async () => {
  await checkReplay((hash) => env.newPage(hash));
});

test('two runs side by side: where their orders first part is marked, and a program that goes the same way twice is said to', async () => {
  await checkCompare((hash) => env.newPage(hash), `#/ex/lock-counter${python("print('a')\nprint('b')\n")}`);
});

test('where the time went: each thread split four ways, each object its contention', async () => {
  await checkBreakdown((hash) => env.newPage(hash));
});

test('Shake finds the deadlock with its fix off and none with it on', async () => {
  await checkShakeDeadlock((hash) => env.newPage(hash));
});

test("Prove it: a learner's busy-flag fix, which a plain run usually passes, is proved wrong by shaking; a Lock proved right", async () => {
  await checkProveRace((hash) => env.newPage(hash));
});

test('be the scheduler: a learner steps the race into a lost update, plays the schedule back, and lets a run go', async () => {
  await checkStepRace((hash) => env.newPage(hash));
});

test('be the scheduler: a learner steps two transfers into a deadlock, seeing who waits for what', async () => {
  await checkStepDeadlock((hash) => env.newPage(hash));
});

test('no page error was thrown', () => {
  assert.deepEqual(env.errors, []);
});
