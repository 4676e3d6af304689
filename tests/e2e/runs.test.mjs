// Runs that always end cleanly: Stop in every kind of state, a run's time limit, many
// Run/Stop cycles in a row; and addresses: another address updates the form, random ones
// (fuzzed) never break the page. How fast Stop is, is measured by scripts/bench-page.mjs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, waitForEnd, lines } from './browser.mjs';
import { STOP_CASES, python } from './cases.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env.close(); });

test('Stop ends a run whatever it is doing, and the next Run starts fresh', async () => {
  for (const [what, hash, started] of STOP_CASES) {
    const page = await env.newPage(hash);
    await page.waitForSelector('[data-testid=run]:not([disabled])', { timeout: 60000 });
    await page.click('[data-testid=run]');
    await page.waitForSelector(started, { timeout: 20000 });
    await page.waitForTimeout(300);
    await page.click('[data-testid=stop]');
    assert.equal(await waitForEnd(page, 5000), 'stopped', what);
    // Fresh: the next run's console starts empty and the run is live again.
    await page.click('[data-testid=run]');
    await page.waitForSelector('[data-testid=status][data-state=running], [data-testid=status][data-state=deadlock]');
    const first = await page.$$eval('[data-testid=note]', (ns) => ns.length);
    assert.equal(first, 0, `${what}: the new run's console has no note of the old one`);
    await page.click('[data-testid=stop]');
    assert.equal(await waitForEnd(page, 5000), 'stopped', what);
    await page.close();
  }
  assert.deepEqual(env.errors, []);
});

test('a run past its time limit is stopped, and says so; a bad limit in the address is flagged', async () => {
  const page = await env.newPage('#/ex/thread-exit?mode=rust&sleep=3600&limit=1');
  await page.waitForSelector('[data-testid=run]:not([disabled])');
  assert.equal(await page.inputValue('[data-testid=time-limit]'), '1');
  await page.click('[data-testid=run]');
  assert.equal(await waitForEnd(page, 10000), 'stopped');
  assert.match(await page.textContent('[data-testid=console]'), /time limit of 1 s/);
  // The Python tab too.
  await page.goto(`${env.base}#/ex/lock-counter${python('while True:\n    pass\n')}&limit=1`);
  await page.waitForSelector('[data-testid=run]:not([disabled])', { timeout: 60000 });
  await page.click('[data-testid=run]');
  assert.equal(await waitForEnd(page, 10000), 'stopped');
  assert.match(await page.textContent('[data-testid=console]'), /time limit of 1 s/);
  await page.goto(`${env.base}#/ex/thread-exit?mode=rust&limit=0`);
  await page.waitForSelector('[data-testid=url-warning]');
  assert.match(await page.textContent('[data-testid=url-warning]'), /limit must be/);
  await page.fill('[data-testid=time-limit]', 'abc');
  assert.equal(await page.isDisabled('[data-testid=run]'), true, 'an invalid limit disables Run');
  assert.match(await page.textContent('[data-testid=param-error]'), /1 to 3600/);
  await page.close();
});

test('100 Run/Stop cycles in a row leave the workers bounded', async () => {
  const page = await env.newPage('#/ex/thread-exit?mode=rust&sleep=3600');
  await page.waitForSelector('[data-testid=run]:not([disabled])');
  const cycle = async () => {
    await page.click('[data-testid=run]');
    await page.waitForSelector('[data-testid=line]:text("==end==")', { timeout: 10000 });
    await page.click('[data-testid=stop]');
    assert.equal(await waitForEnd(page, 5000), 'stopped');
  };
  // The count once it holds still: after a run the next spare process boots its workers,
  // and a count taken meanwhile is short (seen: 29, then 34).
  const settled = async () => {
    let last = -1;
    for (let i = 0; i < 40; i++) {
      const now = page.workers().length;
      if (now === last) return now;
      last = now;
      await page.waitForTimeout(500);
    }
    return last;
  };
  for (let i = 0; i < 5; i++) await cycle();
  const before = await settled();
  for (let i = 0; i < 95; i++) await cycle();
  const afterCycles = await settled();
  console.log(`live workers after 5 cycles: ${before}, after 100: ${afterCycles}`);
  assert.ok(afterCycles <= before + 2, `workers grew from ${before} to ${afterCycles}`);
  // And the page still runs to the end.
  await page.fill('[data-testid=param-sleep]', '0');
  await page.click('[data-testid=run]');
  assert.equal(await waitForEnd(page), 'done');
  assert.equal((await lines(page)).length, 6);
  await page.close();
});

test('the largest values a form accepts fit in the browser (64 threads: 64 workers), one more is refused with the reason', async () => {
  const page = await env.newPage('#/ex/lock-counter?mode=rust&threads=64&increments=1000');
  await page.waitForSelector('[data-testid=run]:not([disabled])');
  await page.click('[data-testid=run]');
  assert.equal(await waitForEnd(page, 30000), 'done');
  assert.deepEqual((await lines(page)).map(([, t]) => t), ['64001']);
  await page.fill('[data-testid=param-threads]', '65');
  assert.match(await page.textContent('[data-testid=param-error]'), /between 1 and 64/);
  assert.equal(await page.isDisabled('[data-testid=run]'), true);
  await page.close();
});

test('a pool shows its tasks done of total', async () => {
  const page = await env.newPage('#/ex/pool-map?mode=rust');
  await page.waitForSelector('[data-testid=run]:not([disabled])');
  await page.click('[data-testid=run]');
  assert.equal(await waitForEnd(page), 'done');
  const shown = await page.$eval('[data-testid=pool-progress]', (e) => [e.dataset.done, e.dataset.total, e.textContent]);
  assert.deepEqual(shown.slice(0, 2), ['10', '10']);
  assert.match(shown[2], /Pool 1: 10 of 10 tasks done/);
  await page.close();
});

test('another address updates the form: a followed link, an edited address; a number too large says so', async () => {
  const page = await env.newPage('#/ex/lock-counter?mode=rust&threads=3');
  await page.waitForSelector('[data-testid=param-threads]');
  assert.equal(await page.inputValue('[data-testid=param-threads]'), '3');
  await page.evaluate(() => { location.hash = '#/ex/lock-counter?mode=rust&threads=7'; });
  await page.waitForFunction(() => document.querySelector('[data-testid=param-threads]')?.value === '7');
  await page.evaluate(() => { location.hash = '#/ex/lock-counter?mode=rust&threads=99999999999999999999'; });
  await page.waitForSelector('[data-testid=param-error]');
  assert.match(await page.textContent('[data-testid=param-error]'), /too large/);
  assert.equal(await page.isDisabled('[data-testid=run]'), true);
  await page.close();
});

test('random addresses (unknown routes and ids, huge, negative, unicode and broken values) never break the page', async () => {
  let seed = 12345;
  const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
  const pick = (xs) => xs[rand(xs.length)];
  const values = ['', '0', '-1', '99999999999999999999', '-99999999999999999999', '1e999', 'NaN', '1.5', '中文', '%', '%zz',
    '%E4%B8%AD', '😀', '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', ' 7 ', '0x10', '+3', '1_000', '\u0000'];
  const ids = ['lock-counter', 'thread-exit', 'queue-full', 'pitfall-deadlock', 'benchmark', 'no-such', '%E4%B8%AD', ''];
  const names = ['threads', 'increments', 'sleep', 'timeout', 'n', 'gil', 'mode', 'code', 'lang', 'limit', 'fix', 'x', '中'];
  const page = await env.newPage('#/');
  await page.waitForSelector('main > *');
  await page.evaluate(() => { window.alerted = false; window.alert = () => { window.alerted = true; }; });
  for (let i = 0; i < 80; i++) {
    const path = rand(6) === 0 ? pick(['/bench', '/nowhere', '/ex', '/ex/', '//', '/%zz']) : `/ex/${pick(ids)}`;
    const query = Array.from({ length: rand(4) }, () => `${pick(names)}=${pick(values)}`).join('&');
    const hash = `#${path}${query ? `?${query}` : ''}`;
    await page.evaluate((h) => { location.hash = h; }, hash);
    await page.waitForSelector('main > *');
    await page.waitForTimeout(30);
    const text = await page.textContent('main');
    assert.ok(text.trim().length > 0, `${hash}: an empty page`);
    const invalid = await page.$('[data-testid=param-error]');
    if (invalid) assert.equal(await page.isDisabled('[data-testid=run]'), true, `${hash}: Run with a bad value`);
  }
  assert.equal(await page.evaluate(() => window.alerted), false, 'no address reached the page as HTML');
  assert.equal(await page.$$eval('img[src=x]', (x) => x.length), 0);
  assert.deepEqual(env.errors, []);
  await page.close();
});
