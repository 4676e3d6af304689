// @ts-check
// See why: the timeline's who-woke-whom arrows. Browser-neutral; run by Chromium
// (playground.test.mjs) and WebKit (webkit.test.mjs).

import assert from 'node:assert/strict';

/** @typedef {import('./page.mjs').PlaygroundPage} PlaygroundPage */
/** @typedef {{ from: string, to: string, what: string, fromUs: number, toUs: number }} Arrow */

/**
 * lock-counter, in the tab `mode`: ten threads take one lock in turn, so the lock changes
 * threads at least nine times; each change is an arrow from the thread that let it go to the
 * one that took it, and they chain (the lock goes on from whom it went to). Every wait for a
 * thread to start ends with an arrow from that thread.
 * @param {(address: string) => Promise<PlaygroundPage>} open
 * @param {'rust' | 'python'} mode
 */
export async function checkLockHandOvers(open, mode) {
  const page = await open(`#/ex/lock-counter?mode=${mode}`);
  await page.waitForRunnable(60000);
  await page.run();
  assert.equal(await page.waitForEnd(60000), 'done');
  const arrows = await page.wakeArrows();
  const handOvers = arrows.filter((a) => a.what.startsWith('acquire ')).sort((a, b) => a.toUs - b.toUs);
  assert.ok(handOvers.length >= 9, `ten threads took the lock in turn: ${JSON.stringify(handOvers)}`);
  assert.equal(new Set(handOvers.map((a) => a.what)).size, 1, 'all on the one lock');
  for (const [a, b] of handOvers.slice(1).map((b, i) => [handOvers[i], b])) {
    assert.notEqual(a.from, a.to, 'no hand-over to oneself');
    assert.equal(b.from, a.to, `the lock goes on from whom it went to: ${a.from}→${a.to}, then ${b.from}→${b.to}`);
  }
  const workers = new Set(handOvers.flatMap((a) => [a.from, a.to]));
  assert.equal(workers.size, 10, `each of the ten threads: ${[...workers]}`);
  const lanes = await page.timeline();
  const starts = lanes.flatMap((l) => l.waits.filter((w) => w.what.startsWith('start ')).map((w) => w.what));
  const startArrows = arrows.filter((a) => a.what.startsWith('start '));
  assert.deepEqual(startArrows.map((a) => a.what).sort(), starts.sort(), 'each wait for a start has its arrow');
  for (const a of startArrows) assert.equal(a.to, 'MainThread');
  await page.close();
}

/**
 * thread-join: the main thread's join ends with an arrow from the thread that ended.
 * @param {(address: string) => Promise<PlaygroundPage>} open
 */
export async function checkJoinArrow(open) {
  const page = await open('#/ex/thread-join?mode=rust&sleep=0.1');
  await page.waitForRunnable(60000);
  await page.run();
  assert.equal(await page.waitForEnd(60000), 'done');
  const joins = (await page.wakeArrows()).filter((a) => a.what.startsWith('join '));
  assert.equal(joins.length, 1, JSON.stringify(joins));
  assert.equal(joins[0].to, 'MainThread');
  assert.match(joins[0].from, /^Thread-/);
  const ended = (await page.timeline()).find((l) => l.thread === joins[0].from);
  assert.ok(ended && Math.abs(ended.toUs - joins[0].fromUs) <= 1000, 'the arrow starts where the thread ended');
  await page.close();
}
