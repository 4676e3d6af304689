// End to end: the built playground in headless Chromium, through the page contract of
// ../shared/catalogue.md (data-testid hooks and #/ex/<id> routes).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, waitForEnd, lines, openExample } from './browser.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env.close(); });

test('the page is cross-origin isolated and lists the examples', async () => {
  const page = await env.newPage();
  assert.equal(await page.evaluate(() => self.crossOriginIsolated), true);
  await page.waitForSelector('[data-testid=isolation][data-isolated=true]');
  const ids = await page.$$eval('[data-testid=example-link]', (ls) => ls.map((l) => l.dataset.id));
  for (const id of ['thread-start', 'lock-counter', 'queue-lifo']) assert.ok(ids.includes(id), `${id} listed`);
  await page.close();
});

test('thread-start prints from the thread named worker', async () => {
  const page = await env.newPage('#/');
  await openExample(page, 'thread-start');
  // Timed inside the page: from the click to the first line in the DOM.
  await page.evaluate(() => {
    const button = document.querySelector('[data-testid=run]');
    button.addEventListener('click', () => { window.clickedAt = performance.now(); }, { capture: true });
    new MutationObserver((_, obs) => {
      if (document.querySelector('[data-testid=line]')) { window.firstLineAt = performance.now(); obs.disconnect(); }
    }).observe(document.querySelector('[data-testid=console]'), { childList: true, subtree: true });
  });
  await page.click('[data-testid=run]');
  assert.equal(await waitForEnd(page), 'done');
  assert.deepEqual(await lines(page), [['worker', 'i am working'], ['worker', 'finished']]);
  const ms = await page.evaluate(() => window.firstLineAt - window.clickedAt);
  console.log(`# run to first console line: ${ms.toFixed(1)} ms`);
  await page.close();
});

test('lock-counter gives 10001, with its wall time', async () => {
  const page = await env.newPage('#/ex/lock-counter?mode=rust&mode=rust');
  await page.waitForSelector('[data-testid=run]:not([disabled])');
  await page.click('[data-testid=run]');
  assert.equal(await waitForEnd(page), 'done');
  assert.deepEqual(await lines(page), [['MainThread', '10001']]);
  const ms = Number(await page.getAttribute('[data-testid=elapsed]', 'data-ms'));
  assert.ok(ms > 0 && ms < 10000, `elapsed ${ms} ms`);
  assert.equal(await page.$$eval('[data-testid=lane]', (l) => l.length), 11, 'a lane per thread');
  await page.close();
});

// The run's time starts at its first instruction, not when its process booted: a page that
// sat idle before Run shows the run's own time (it once showed 3,111 ms for a 231 ms run after
// a 3 s wait, and 4,205 ms for get(timeout=1)).
test('a run after the page sat idle shows its own time, not the idle time', async () => {
  const page = await env.newPage('#/ex/queue-get-timeout?mode=rust&mode=rust');
  await page.waitForSelector('[data-testid=run]:not([disabled])');
  await page.waitForTimeout(3000);
  const clicked = Date.now();
  await page.click('[data-testid=run]');
  assert.equal(await waitForEnd(page), 'failed'); // queue.Empty ends the program
  const wall = Date.now() - clicked;
  const ms = Number(await page.getAttribute('[data-testid=elapsed]', 'data-ms'));
  assert.ok(ms >= 900 && ms <= wall, `get(timeout=1) took ${ms} ms on the page, ${wall} ms from the click to the end`);
  assert.ok(ms < 2500, `elapsed ${ms} ms counts the time the page sat idle`);
  await page.close();
});

test('queue-lifo gives 2 1 0', async () => {
  const page = await env.newPage('#/ex/queue-lifo?mode=rust&mode=rust');
  await page.waitForSelector('[data-testid=run]:not([disabled])');
  await page.click('[data-testid=run]');
  assert.equal(await waitForEnd(page), 'done');
  assert.deepEqual((await lines(page)).map(([, t]) => t), ['2', '1', '0']);
  await page.close();
});

test('lines stream in as they are printed', async () => {
  const page = await env.newPage('#/ex/thread-exit?mode=rust&sleep=0.4');
  await page.waitForSelector('[data-testid=run]:not([disabled])');
  await page.click('[data-testid=run]');
  await page.waitForSelector('[data-testid=line]:text("==end==")');
  await page.waitForSelector('[data-testid=line]:text("i am a thread")');
  // The first thread line is on the page while the run still goes on.
  assert.equal(await page.getAttribute('[data-testid=status]', 'data-state'), 'running');
  const early = (await lines(page)).length;
  assert.ok(early < 6, `only part of the output so far (${early} lines)`);
  assert.equal(await waitForEnd(page), 'done');
  assert.deepEqual(await lines(page), [['MainThread', '==end=='], ...Array(5).fill(['thread', 'i am a thread'])]);
  await page.close();
});

test('Stop ends a run that sleeps for an hour', async () => {
  const page = await env.newPage('#/ex/thread-exit?mode=rust&sleep=3600');
  await page.waitForSelector('[data-testid=run]:not([disabled])');
  await page.click('[data-testid=run]');
  await page.waitForSelector('[data-testid=line]:text("==end==")');
  assert.equal(await page.getAttribute('[data-testid=status]', 'data-state'), 'running');
  await page.click('[data-testid=stop]');
  assert.equal(await waitForEnd(page), 'stopped');
  // The page still works: the next run starts at once and finishes.
  await page.fill('[data-testid=param-sleep]', '0');
  await page.click('[data-testid=run]');
  assert.equal(await waitForEnd(page), 'done');
  assert.equal((await lines(page)).length, 6);
  await page.close();
});

test('a bad parameter gets a message and disables Run; a fixed one enables it', async () => {
  const page = await env.newPage('#/ex/lock-counter?mode=rust&mode=rust');
  await page.waitForSelector('[data-testid=run]:not([disabled])');
  await page.fill('[data-testid=param-threads]', '0');
  assert.match(await page.textContent('[data-testid=param-error]'), /between 1 and 64/);
  assert.equal(await page.isDisabled('[data-testid=run]'), true);
  await page.fill('[data-testid=param-threads]', '3');
  assert.equal(await page.$('[data-testid=param-error]'), null);
  await page.click('[data-testid=run]');
  assert.equal(await waitForEnd(page), 'done');
  assert.deepEqual((await lines(page)).map(([, t]) => t), ['3001']);
  await page.close();
});

test('parameters in the URL fill the form, and bad ones are flagged', async () => {
  const page = await env.newPage('#/ex/lock-counter?mode=rust&threads=abc&increments=5&colour=red');
  await page.waitForSelector('[data-testid=param-error]');
  assert.equal(await page.inputValue('[data-testid=param-increments]'), '5');
  assert.equal(await page.isDisabled('[data-testid=run]'), true);
  assert.match(await page.textContent('[data-testid=url-warning]'), /colour/);
  await page.close();
});

test('an unknown example says so', async () => {
  const page = await env.newPage('#/ex/no-such-thing?mode=rust&mode=rust');
  await page.waitForSelector('[data-testid=not-found]');
  await page.close();
});

test("the Rust port shows the example's part of its file, and the whole file on request", async () => {
  const page = await env.newPage('#/ex/process-is-alive?mode=rust&mode=rust');
  const source = () => page.textContent('[data-testid=rust-source]');
  await page.waitForSelector('[data-testid=rust-source][data-whole=false]');
  let text = await source();
  assert.ok(text.includes('fn fun2(') && text.includes('pub fn is_alive('), text);
  assert.ok(!text.includes('pub fn pids('), 'another example of the file is left out');
  await page.click('[data-testid=rust-whole-file]');
  await page.waitForSelector('[data-testid=rust-source][data-whole=true]');
  text = await source();
  assert.ok(text.includes('pub fn pids(') && text.includes('pub fn is_alive('), 'the whole file');
  await page.close();
});

test('no page error was thrown', () => {
  assert.deepEqual(env.errors, []);
});
