// The catalogue walk, shared by Chromium (examples.test.mjs, Playwright) and Firefox
// (firefox.test.mjs, Puppeteer): every example in the list runs to its end with the sleeps
// made short, and the deterministic ones print the tutorial's output (expected.mjs).
//
// Browser-neutral: `open(hash)` opens the site at `hash` in a fresh page and returns it as a
// few functions of selectors, each wait with a deadline in ms:
//   { waitFor(selector, ms), has(selector), fill(selector, value, ms), click(selector, ms),
//     attr(selector, name), evalAll(selector, fn), close() }

import assert from 'node:assert/strict';
import { exact, sorted } from './expected.mjs';

// The examples whose program ends by raising (queue.Full / queue.Empty), as in the tutorial.
const raising = new Set(['queue-put-timeout', 'queue-put-nowait', 'queue-get-timeout', 'queue-get-nowait']);
const params = { sleep: '0.05', timeout: '0.2', fix: '1', interval: '0.05', max_sleep: '0.1', number: '5000' };

const lines = (page) => page.evalAll('[data-testid=line]', (ls) => ls.map((l) => [l.dataset.who, l.textContent]));
const texts = async (page) => (await lines(page)).map(([, t]) => t);

export async function walkCatalogue(open) {
  const page = await open('#/');
  await page.waitFor('[data-testid=example-link]', 30000);
  const ids = await page.evalAll('[data-testid=example-link]', (ls) => ls.map((l) => l.dataset.id));
  await page.close();
  let checked = 0;
  for (const id of ids) {
    const p = await open(`#/ex/${id}?mode=rust`);
    await p.waitFor('[data-testid=run]:not([disabled])', 30000);
    for (const [name, value] of Object.entries(params)) {
      if (await p.has(`[data-testid=param-${name}]`)) await p.fill(`[data-testid=param-${name}]`, value, 30000);
    }
    await p.click('[data-testid=run]', 30000);
    await p.waitFor('[data-testid=status]:not([data-state=running]):not([data-state=idle])', 30000);
    const state = await p.attr('[data-testid=status]', 'data-state');
    assert.equal(state, raising.has(id) ? 'failed' : 'done', `${id}: ${JSON.stringify(await lines(p))}`);
    if (exact[id]) assert.deepEqual(await texts(p), exact[id], id);
    if (sorted[id]) assert.deepEqual((await texts(p)).sort(), sorted[id], id);
    checked += exact[id] || sorted[id] ? 1 : 0;
    await p.close();
  }
  assert.equal(checked, Object.keys(exact).length + Object.keys(sorted).length, 'each expected output names an example of the list');
  return ids.length;
}
