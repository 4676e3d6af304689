// Runs that always end cleanly: Stop in every kind of state, a run's time limit, many
// Run/Stop cycles in a row; and addresses: another address updates the form, random ones
// (fuzzed) never break the page. How fast Stop is, is measured by scripts/bench-page.mjs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';
import { checkTimeLimit, stopInEveryState } from './cases.mjs';

let env;
before(async () => {
  env = await launch();
});
after(async () => {
  await env.close();
});

test('Stop ends a run whatever it is doing, and the next Run starts fresh', async () => {
  await stopInEveryState((hash) => env.newPage(hash));
  assert.deepEqual(env.errors, []);
});

test('a run past its time limit is stopped, and says so; a bad limit in the address is flagged', async () => {
  await checkTimeLimit((hash) => env.newPage(hash));
});

test('100 Run/Stop cycles in a row leave the workers bounded', async () => {
  const page = await env.newPage('#/ex/thread-exit?mode=rust&sleep=3600');
  await page.waitForRunnable();
  const cycle = async () => {
    await page.run();
    await page.waitForLine('==end==', 10000);
    await page.stop();
    assert.equal(await page.waitForEnd(5000), 'stopped');
  };
  // The fewest live workers over three seconds, three seconds after a Stop: a stopped run's
  // workers end about two seconds after it (14 live, then 9, probed), and in a run of the
  // whole suite a count that held still for a second was once 19, while the next spare
  // boots its own. Workers that piled up would never leave the count.
  // Playwright alone counts a page's workers: the driver's native page.
  const settled = async () => {
    await page.sleep(3000);
    let fewest = Infinity;
    for (let i = 0; i < 7; i++) {
      fewest = Math.min(fewest, page.native.workers().length);
      await page.sleep(500);
    }
    return fewest;
  };
  for (let i = 0; i < 5; i++) await cycle();
  const before = await settled();
  for (let i = 0; i < 95; i++) await cycle();
  const afterCycles = await settled();
  console.log(`live workers after 5 cycles: ${before}, after 100: ${afterCycles}`);
  assert.ok(afterCycles <= before + 2, `workers grew from ${before} to ${afterCycles}`);
  // And the page still runs to the end.
  await page.fillParam('sleep', '0');
  await page.run();
  assert.equal(await page.waitForEnd(), 'done');
  assert.equal((await page.lines()).length, 6);
  await page.close();
});

test('the largest values a form accepts fit in the browser (64 threads: 64 workers), one more is refused with the reason', async () => {
  const page = await env.newPage('#/ex/lock-counter?mode=rust&threads=64&increments=1000');
  await page.waitForRunnable();
  await page.run();
  assert.equal(await page.waitForEnd(30000), 'done');
  assert.deepEqual(await page.texts(), ['64001']);
  await page.fillParam('threads', '65');
  assert.match(await page.paramError(), /between 1 and 64/);
  assert.equal(await page.runDisabled(), true);
  await page.close();
});

test('a pool shows its tasks done of total', async () => {
  const page = await env.newPage('#/ex/pool-map?mode=rust');
  await page.waitForRunnable();
  await page.run();
  assert.equal(await page.waitForEnd(), 'done');
  const shown = await page.poolProgress();
  assert.deepEqual(shown.slice(0, 2), ['10', '10']);
  assert.match(shown[2], /Pool 1: 10 of 10 tasks done/);
  await page.close();
});

test('another address updates the form: a followed link, an edited address; a number too large says so', async () => {
  const page = await env.newPage('#/ex/lock-counter?mode=rust&threads=3');
  await page.waitForParam('threads');
  assert.equal(await page.paramValue('threads'), '3');
  await page.setHash('#/ex/lock-counter?mode=rust&threads=7');
  await page.waitForParamValue('threads', '7');
  await page.setHash('#/ex/lock-counter?mode=rust&threads=99999999999999999999');
  await page.waitForParamError();
  assert.match(await page.paramError(), /too large/);
  assert.equal(await page.runDisabled(), true);
  await page.close();
});

test('random addresses (unknown routes and ids, huge, negative, unicode and broken values) never break the page', async () => {
  let seed = 12345;
  const rand = (n) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const pick = (xs) => xs[rand(xs.length)];
  const values = [
    '',
    '0',
    '-1',
    '99999999999999999999',
    '-99999999999999999999',
    '1e999',
    'NaN',
    '1.5',
    '中文',
    '%',
    '%zz',
    '%E4%B8%AD',
    '😀',
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    ' 7 ',
    '0x10',
    '+3',
    '1_000',
    '\u0000',
  ];
  const ids = [
    'lock-counter',
    'thread-exit',
    'queue-full',
    'pitfall-deadlock',
    'benchmark',
    'no-such',
    '%E4%B8%AD',
    '',
  ];
  const names = [
    'threads',
    'increments',
    'sleep',
    'timeout',
    'n',
    'gil',
    'mode',
    'code',
    'lang',
    'limit',
    'fix',
    'x',
    '中',
  ];
  const page = await env.newPage('#/');
  await page.waitForMain();
  await page.trapAlerts();
  for (let i = 0; i < 80; i++) {
    const path = rand(6) === 0 ? pick(['/bench', '/nowhere', '/ex', '/ex/', '//', '/%zz']) : `/ex/${pick(ids)}`;
    const query = Array.from({ length: rand(4) }, () => `${pick(names)}=${pick(values)}`).join('&');
    const hash = `#${path}${query ? `?${query}` : ''}`;
    await page.setHash(hash);
    await page.waitForMain();
    await page.sleep(30);
    const text = await page.mainText();
    assert.ok(text.trim().length > 0, `${hash}: an empty page`);
    const invalid = await page.hasParamError();
    if (invalid) assert.equal(await page.runDisabled(), true, `${hash}: Run with a bad value`);
  }
  assert.equal(await page.alerted(), false, 'no address reached the page as HTML');
  assert.equal(await page.imageCount('x'), 0);
  assert.deepEqual(env.errors, []);
  await page.close();
});
