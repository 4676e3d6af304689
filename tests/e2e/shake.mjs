// @ts-check
// Shake and Prove it: many shaken runs of one program. Browser-neutral; run by Chromium
// (playground.test.mjs).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

/** @typedef {import('./page.mjs').PlaygroundPage} PlaygroundPage */

/**
 * pitfall-deadlock's Rust port: shaken with its fix off, runs deadlock (each is a failure
 * and the histogram says "deadlock"); with the lock-order fix, none of 50 does.
 * @param {(address: string) => Promise<PlaygroundPage>} open
 */
export async function checkShakeDeadlock(open) {
  let page = await open('#/ex/pitfall-deadlock?mode=rust&fix=0&shake=5');
  await page.waitForRunnable(60000);
  const broken = await page.shake('shake');
  assert.equal(broken.runs, 5);
  assert.ok(broken.failures >= 1, `a deadlock in 5 shaken runs: ${JSON.stringify(broken)}`);
  assert.ok(
    broken.bars.some((b) => b.label === 'deadlock' && b.failed),
    JSON.stringify(broken.bars),
  );
  // The first deadlocked run, replayed in its recorded order: the same lines, a deadlock again.
  await page.replayFailure();
  const replayed = await page.replayVerdict();
  assert.deepEqual([replayed.same, replayed.departedAt], [true, ''], JSON.stringify(replayed));
  assert.ok((await page.waitforEdges()).length >= 2, 'the replay deadlocked');
  await page.close();

  page = await open('#/ex/pitfall-deadlock?mode=rust&fix=1&shake=50');
  await page.waitForRunnable(60000);
  const fixed = await page.shake('shake', 180000);
  assert.deepEqual([fixed.runs, fixed.failures], [50, 0], JSON.stringify(fixed.bars));
  assert.deepEqual(
    fixed.bars.map((b) => b.label),
    ['both transfers done'],
    'a correct program: every run the same outcome',
  );
  await page.close();
}

/**
 * A wrong fix, as a learner might write it: a hand-rolled "lock", a flag checked and then
 * set. Under the GIL a plain Run usually passes (the switch rarely lands between the check
 * and the set); shaken, it does.
 */
const BUSY_FLAG = readFileSync(new URL('./fixtures/python/busy_flag.py', import.meta.url), 'utf8');

/** The right fix: a Lock. */
const LOCKED = BUSY_FLAG.replace('busy = False\n\ndef', 'lock = threading.Lock()\n\ndef').replace(
  `        while busy:
            pass
        busy = True
        value = counter
        counter = value + 1
        busy = False
`,
  `        with lock:
            value = counter
            counter = value + 1
`,
);

/**
 * Prove it on the Python tab of pitfall-race, the GIL on (as the tutorial ran it): the learner's busy-flag fix is proved wrong
 * (and its first failing seed is run again, to be looked at), the Lock fix proved right.
 * @param {(address: string) => Promise<PlaygroundPage>} open
 */
export async function checkProveRace(open) {
  const page = await open('#/ex/pitfall-race?mode=python&gil=on&shake=20');
  await page.waitForRunnable(60000);
  assert.match(await page.labTask(), /counter always right/);
  assert.notEqual(LOCKED, BUSY_FLAG);
  await page.fillEditor(BUSY_FLAG);
  const wrong = await page.shake('prove', 180000);
  assert.equal(wrong.verdict, 'not-fixed', JSON.stringify(wrong));
  assert.ok(wrong.failures >= 1);
  assert.ok(
    wrong.bars.some((b) => b.failed && /\d–\d+ updates lost/.test(b.label)),
    JSON.stringify(wrong.bars),
  );
  // The first failing run is replayed: with the GIL on, exactly (the same updates lost).
  const replayed = await page.replayVerdict();
  assert.deepEqual([replayed.same, replayed.departedAt], [true, ''], JSON.stringify(replayed));
  await page.fillEditor(LOCKED);
  const right = await page.shake('prove', 180000);
  assert.deepEqual([right.verdict, right.runs, right.failures], ['fixed', 20, 0], JSON.stringify(right.bars));
  await page.close();
}
