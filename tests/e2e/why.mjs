// @ts-check
// See why: the timeline's who-woke-whom arrows. Browser-neutral; run by Chromium
// (playground.test.mjs) and WebKit (webkit.test.mjs).

import assert from 'node:assert/strict';

/** @typedef {import('./page.mjs').PlaygroundPage} PlaygroundPage */
/** @typedef {{ from: string, to: string, what: string, fromUs: number, toUs: number }} Arrow */

/**
 * The page at `address`, after one run that ended normally.
 * @param {(address: string) => Promise<PlaygroundPage>} open
 * @param {string} address
 */
async function finishedRun(open, address) {
  const page = await open(address);
  await page.waitForRunnable(60000);
  await page.run();
  assert.equal(await page.waitForEnd(60000), 'done', address);
  return page;
}

/**
 * lock-counter, in the tab `mode`: ten threads take one lock in turn, so the lock changes
 * threads at least nine times; each change is an arrow from the thread that let it go to the
 * one that took it, and they chain (the lock goes on from whom it went to). Every wait for a
 * thread to start ends with an arrow from that thread.
 * @param {(address: string) => Promise<PlaygroundPage>} open
 * @param {'rust' | 'python'} mode
 */
export async function checkLockHandOvers(open, mode) {
  const page = await finishedRun(open, `#/ex/lock-counter?mode=${mode}`);
  const arrows = await page.wakeArrows();
  // The interpreter's own locks (threading.py's, the import lock) hand over too when a slow
  // engine makes the threads meet there: drawn, and not the program's lock. (CI's WebKit drew a
  // second acquire label in the Python tab twice: once for a lock made quietly, once for one
  // made at the interpreter's boot, before the run, which was drawn as between processes.)
  const handOvers = arrows
    .filter((a) => a.what.startsWith('acquire ') && !a.what.endsWith('(inside the interpreter)'))
    .sort((a, b) => a.toUs - b.toUs);
  assert.ok(handOvers.length >= 9, `ten threads took the lock in turn: ${JSON.stringify(handOvers)}`);
  const locks = new Set(handOvers.map((a) => a.what));
  assert.equal(locks.size, 1, `all on the one lock: ${[...locks]}`);
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
  const page = await finishedRun(open, '#/ex/thread-join?mode=rust&sleep=0.1');
  const joins = (await page.wakeArrows()).filter((a) => a.what.startsWith('join '));
  assert.equal(joins.length, 1, JSON.stringify(joins));
  assert.equal(joins[0].to, 'MainThread');
  assert.match(joins[0].from, /^Thread-/);
  const ended = (await page.timeline()).find((l) => l.thread === joins[0].from);
  assert.ok(ended && Math.abs(ended.toUs - joins[0].fromUs) <= 1000, 'the arrow starts where the thread ended');
  await page.close();
}

/**
 * Where the time went, in pitfall-starvation's Rust port (an unfair lock, GIL off): each
 * thread's split adds up to its life on the timeline; the polite thread spends time blocked
 * on the lock; the lock's row counts its waits (each drawn on the timeline) and hand-overs.
 * @param {(address: string) => Promise<PlaygroundPage>} open
 */
export async function checkBreakdown(open) {
  const page = await finishedRun(open, '#/ex/pitfall-starvation?mode=rust&seconds=0.5');
  const { threads, objects } = await page.breakdown();
  const lanes = await page.timeline();
  assert.deepEqual(
    threads.map((t) => t.thread),
    lanes.map((l) => l.thread),
  );
  for (const t of threads) {
    const lane = /** @type {{ fromUs: number, toUs: number }} */ (lanes.find((l) => l.thread === t.thread));
    assert.equal(t.runningUs + t.gilUs + t.blockedUs + t.sleepingUs, lane.toUs - lane.fromUs, `${t.thread} adds up`);
  }
  const polite = threads.find((t) => t.thread === 'polite');
  assert.ok(polite && polite.blockedUs > 0, `the polite thread waits for the lock: ${JSON.stringify(threads)}`);
  const lock = objects.find((o) => /lock/.test(o.object));
  assert.ok(lock, JSON.stringify(objects));
  const drawn = lanes.flatMap((l) => l.waits).filter((w) => w.what.endsWith(lock.object)).length;
  assert.equal(lock.waits, drawn, 'a wait per wait drawn on the timeline');
  assert.ok(lock.handOvers > 0 && lock.longestUs <= lock.totalUs);
  await page.close();
}

/**
 * Replaying queue-fifo: Home is the run's start (nothing printed yet), End its end (every
 * line), and its middle step shows the lines printed by then and no thread finished before
 * it; the arrows step one event at a time, and the timeline's cursor follows.
 * @param {(address: string) => Promise<PlaygroundPage>} open
 */
export async function checkReplay(open) {
  const page = await finishedRun(open, '#/ex/queue-fifo?mode=rust');
  const printed = await page.texts();
  const timeline = await page.timeline();
  const end = await page.replay();
  assert.equal(end.lines, printed.length, 'at the end, every line');
  assert.ok(end.threads.every((t) => t.state === 'done'));
  await page.replayKey('Home');
  const start = await page.replay();
  assert.deepEqual([start.step, start.atUs, start.lines], [0, 0, 0], 'at the start, nothing printed');
  assert.equal(await page.replayCursorUs(), 0);
  const steps = end.step;
  for (let i = 0; i < Math.floor(steps / 2); i++) await page.replayKey('ArrowRight');
  const middle = await page.replay();
  assert.equal(middle.step, Math.floor(steps / 2));
  assert.ok(middle.atUs > 0 && middle.atUs < end.atUs, JSON.stringify(middle));
  // The lines printed by then, as the console's own times say (the last few are shown).
  const byThen = (await page.lineTimesUs()).filter((t) => t <= middle.atUs).length;
  assert.equal(middle.lines, byThen, JSON.stringify({ middle, printed }));
  assert.deepEqual(middle.shown, printed.slice(0, byThen).slice(-8));
  for (const t of middle.threads) {
    const lane = timeline.find((l) => l.thread === t.thread);
    assert.ok(lane && lane.fromUs <= middle.atUs);
    assert.equal(t.state === 'done', lane.toUs <= middle.atUs, `${t.thread} at ${middle.atUs}`);
  }
  assert.equal(await page.replayCursorUs(), middle.atUs, 'the timeline marks the moment');
  await page.replayKey('ArrowLeft');
  assert.equal((await page.replay()).step, middle.step - 1);
  await page.replayKey('End');
  assert.equal((await page.replay()).step, steps);
  await page.close();
}

/**
 * Across processes, in both tabs of ipc-queue: the parent's wait for the child's put ends with
 * an arrow from the child. A warm child can put before the parent asks, and then nobody
 * waited: a run where the parent waited is looked for (three runs at most).
 * @param {(address: string) => Promise<PlaygroundPage>} open
 */
export async function checkProcessArrows(open) {
  for (const mode of ['rust', 'python']) {
    const page = await finishedRun(open, `#/ex/ipc-queue?mode=${mode}`);
    for (let run = 1; ; run++) {
      const main = (await page.timeline()).find((l) => l.thread === 'MainThread');
      const waited = main?.waits.some((w) => w.what.includes('between processes'));
      if (waited) {
        const arrows = (await page.wakeArrows()).filter((a) => a.what.includes('between processes'));
        assert.ok(
          arrows.some((a) => a.from === 'Process-1' && a.to === 'MainThread' && a.what.startsWith('recv')),
          `${mode}: ${JSON.stringify(arrows)}`,
        );
        break;
      }
      assert.ok(run < 3, `${mode}: the parent never waited for the child in ${run} runs`);
      await page.run();
      assert.equal(await page.waitForEnd(60000), 'done');
    }
    await page.close();
  }
}

/**
 * Two runs side by side: pitfall-race losing updates (fix 0) and then not (fix 1): the
 * comparison marks the step where their orders first part, and the steps shown before it
 * are the same in both; a program that goes the same way twice is said to.
 * @param {(address: string) => Promise<PlaygroundPage>} open
 * @param {string} sameTwice the address of a program whose runs go the same way
 */
export async function checkCompare(open, sameTwice) {
  const page = await finishedRun(open, '#/ex/pitfall-race?mode=rust&fix=0');
  assert.equal(await page.compared(), null, 'one run: nothing to compare yet');
  await page.fillParam('fix', '1');
  await page.run();
  assert.equal(await page.waitForEnd(60000), 'done');
  const c = await page.compared();
  assert.ok(c && c.firstDifference !== null, JSON.stringify(c));
  const first = c.firstDifference;
  assert.ok(c.nowRun > c.beforeRun, JSON.stringify(c));
  for (const column of [c.before, c.now]) {
    const marked = column.filter((st) => st.differs).map((st) => st.index);
    assert.ok(marked.length === 1 || (marked.length === 0 && column.length <= first), JSON.stringify(c));
    if (marked.length) assert.equal(marked[0], first);
  }
  /** @param {{index: number, text: string}[]} column */
  const upTo = (column) => column.filter((st) => st.index < first).map((st) => st.text);
  assert.deepEqual(upTo(c.before), upTo(c.now), 'the same up to where they part');
  /** @param {{index: number, text: string}[]} column */
  const at = (column) => column.find((st) => st.index === first)?.text;
  assert.notEqual(at(c.before), at(c.now));
  await page.close();

  const same = await finishedRun(open, sameTwice);
  await same.run();
  assert.equal(await same.waitForEnd(60000), 'done');
  const again = await same.compared();
  assert.ok(again && again.firstDifference === null, JSON.stringify(again));
  assert.deepEqual(
    again.before.map((st) => st.text),
    again.now.map((st) => st.text),
  );
  await same.close();
}
