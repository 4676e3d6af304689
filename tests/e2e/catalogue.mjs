// @ts-check
// The catalogue walk, shared by Chromium (examples.test.mjs), Firefox (firefox.test.mjs) and
// WebKit (webkit.test.mjs): every example in the list runs to its end with the sleeps made
// short, and the deterministic ones print the tutorial's output (expected.mjs).
// Browser-neutral: `open(address)` opens the site at `address` in a fresh page and returns its
// page object (page.mjs); the walk opens one and follows each example's route in it (opening
// a fresh page took 1.4 s of each example's 2.1 s in Chromium).

import assert from 'node:assert/strict';
import { exact, sorted } from './expected.mjs';

/** @typedef {import('./page.mjs').PlaygroundPage} PlaygroundPage */

// The examples whose program ends by raising (queue.Full / queue.Empty), as in the tutorial.
const raising = new Set(['queue-put-timeout', 'queue-put-nowait', 'queue-get-timeout', 'queue-get-nowait']);
// The CPU-bound ones made short too: the gil example's 400,000,000 steps took 10.6 s of
// Chromium's 50 s walk, and more on a slower engine.
const params = {
  sleep: '0.05',
  timeout: '0.2',
  fix: '1',
  interval: '0.05',
  max_sleep: '0.1',
  number: '5000',
  steps: '4000000',
};

/**
 * @param {(address: string) => Promise<PlaygroundPage>} open
 * @returns {Promise<number>} How many examples ran.
 */
export async function walkCatalogue(open) {
  // One page, down the list as a learner goes: each example's route followed, not reloaded.
  const p = await open('#/');
  await p.waitForExampleLinks(30000);
  const ids = await p.exampleIds();
  let checked = 0;
  for (const id of ids) {
    await p.followExample(`#/ex/${id}?mode=rust`, 30000);
    await p.waitForRunnable(30000);
    for (const [name, value] of Object.entries(params)) {
      if (await p.hasParam(name)) await p.fillParam(name, value, 30000);
    }
    await p.run(30000);
    const state = await p.waitForEnd(30000);
    assert.equal(state, raising.has(id) ? 'failed' : 'done', `${id}: ${JSON.stringify(await p.lines())}`);
    if (exact[id]) assert.deepEqual(await p.texts(), exact[id], id);
    if (sorted[id]) assert.deepEqual((await p.texts()).sort(), sorted[id], id);
    checked += exact[id] || sorted[id] ? 1 : 0;
  }
  await p.close();
  assert.equal(
    checked,
    Object.keys(exact).length + Object.keys(sorted).length,
    'each expected output names an example of the list',
  );
  return ids.length;
}
