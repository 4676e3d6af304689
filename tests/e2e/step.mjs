// @ts-check
// Be the scheduler: stepped runs, the learner choosing who goes on. Browser-neutral; run by
// Chromium (playground.test.mjs) and WebKit (webkit.test.mjs).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { python } from './cases.mjs';

/** @typedef {import('./page.mjs').PlaygroundPage} PlaygroundPage */

/** pitfall-race's Python tab, small enough to step by hand: two threads, one increment each. */
const RACE = readFileSync(new URL('./fixtures/python/step_race.py', import.meta.url), 'utf8');
/** pitfall-deadlock's Python tab without its sleeps. */
const DEADLOCK = readFileSync(new URL('./fixtures/python/step_deadlock.py', import.meta.url), 'utf8');
const INCREMENT_LINE = RACE.split('\n').indexOf('        counter += 1') + 1;

/** @param {PlaygroundPage} page */
const printed = async (page) => (await page.lines()).map(([, text]) => text);

/**
 * Steps the race by hand, as a learner hunting for a lost update would: once one counting
 * thread waits to write the counter (it has read it), let the other read it too before
 * either writes. Both then write 1: an update is lost, though each thread added one.
 * @param {PlaygroundPage} page
 */
async function loseAnUpdate(page) {
  for (let steps = 0; steps < 200; steps++) {
    const choices = await page.stepChoices();
    if (choices === null) return;
    assert.ok(choices.length > 0, 'a thread can always go on in this program');
    const writing = choices.filter((c) => c.point === 'store' && c.line === INCREMENT_LINE);
    const counting = choices.filter((c) => c.thread !== 'MainThread');
    // Both have read: let them write. One has read: let another counting thread go. Else the
    // first choice (the main thread, while it starts them).
    const pick =
      writing.length >= 2
        ? writing[0]
        : writing.length === 1
          ? (counting.find((c) => c.thread !== writing[0].thread) ?? choices[0])
          : (counting[0] ?? choices[0]);
    await page.stepChoose(pick.thread);
  }
  assert.fail('the stepped race did not end within 200 steps');
}

/**
 * The Python tab: stepping the race by hand loses an update; the schedule made is played
 * back in a new run, and from a link in a fresh tab, and loses it again; "Let it run" finishes
 * a stepped run by itself; and keys 1-9 choose.
 * @param {(address: string) => Promise<PlaygroundPage>} open
 */
export async function checkStepRace(open) {
  const page = await open(`#/ex/pitfall-race${python(RACE)}`);
  await page.waitForRunnable(60000);
  await page.startStepping();
  await loseAnUpdate(page);
  assert.equal(await page.status(), 'done');
  assert.deepEqual(await printed(page), ['expected 2, got 1'], 'the update lost by hand');
  const made = await page.stepCount();
  assert.ok(made >= 6, `${made} steps`);

  await page.stepReplay();
  assert.equal(await page.waitForEnd(60000), 'done');
  assert.deepEqual(await printed(page), ['expected 2, got 1'], 'the schedule played back loses it again');
  assert.equal(await page.stepCount(), made, 'every step played back');

  // The schedule in a link, opened in a fresh tab, played: the same lost update.
  const schedule = await page.stepSchedule();
  assert.match(schedule ?? '', /^\d+(\.\d+)+$/);
  const shared = await open(`#/ex/pitfall-race${python(RACE)}&schedule=${schedule}`);
  await shared.waitForRunnable(60000);
  await shared.stepPlayShared();
  assert.equal(await shared.waitForEnd(60000), 'done');
  assert.deepEqual(await printed(shared), ['expected 2, got 1'], "the link's schedule loses it too");
  await shared.close();

  // The lowest choice each time (key 1), then the rest by itself: no update lost.
  await page.startStepping();
  for (let i = 0; i < 3; i++) {
    assert.ok((await page.stepChoices())?.length);
    await page.stepByKey('1');
  }
  await page.stepFree();
  assert.equal(await page.waitForEnd(60000), 'done');
  // Let go together with the GIL off, the two counting threads may lose an update by chance
  // (seen once): what is tested is that keys chose and the run finished by itself.
  const [last] = await printed(page);
  assert.match(last ?? '', /^expected 2, got [12]$/);
  await page.close();
}

/**
 * The Python tab: a learner steps the two transfers into a deadlock by hand (A takes its first
 * record, then B its first, then each goes for its second). The page shows who waits for what
 * as it happens, and detects the deadlock as in a plain run.
 * @param {(address: string) => Promise<PlaygroundPage>} open
 */
export async function checkStepDeadlock(open) {
  const page = await open(`#/ex/pitfall-deadlock${python(DEADLOCK)}`);
  await page.waitForRunnable(60000);
  await page.startStepping();
  /** @param {string} name the thread to step until it holds its first record */
  const takeFirst = async (name) => {
    for (let steps = 0; steps < 50; steps++) {
      const choices = (await page.stepChoices()) ?? [];
      const mine = choices.find((c) => c.thread === name);
      if (mine?.point === 'acquired') return;
      // Not started yet: the main thread starts it.
      await page.stepChoose((mine ?? choices.find((c) => c.thread === 'MainThread') ?? choices[0]).thread);
    }
    assert.fail(`${name} never took its first record`);
  };
  await takeFirst('A');
  await takeFirst('B');
  for (let steps = 0; steps < 20 && (await page.status()) === 'running'; steps++) {
    const choices = (await page.stepChoices()) ?? [];
    const next = choices.find((c) => c.thread === 'A' || c.thread === 'B');
    if (!next) break;
    await page.stepChoose(next.thread);
  }
  await page.waitForState('deadlock', 20000);
  // Who waits for what, as the timeline knows it (who holds each is the deadlock's graph's
  // to draw: the table knows it, a first, uncontended acquire leaves no record).
  const edges = await page.stepEdges();
  assert.deepEqual(edges.map((e) => `${e.from} ${e.object}`).sort(), ['A record2', 'B record1'], JSON.stringify(edges));
  await page.stop();
  await page.close();
}
