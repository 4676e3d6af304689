// @ts-check
// The standard library beyond the frozen modules (python/src/stdlib.rs): fetched by the
// worker at a module's first import, in the parent and in a child process; a name the
// library lacks is CPython's ModuleNotFoundError without a request. Shared by Chromium
// (python.test.mjs), Firefox and WebKit: each fetches synchronously from a worker its own
// way. python/tests/stdlib.rs checks the same natively.

import assert from 'node:assert/strict';
import { python } from './cases.mjs';

/** @typedef {import('./cases.mjs').Open} Open */

const PROGRAM = [
  'import json, statistics, multiprocessing',
  'print(json.dumps({"a": [1, 2]}), statistics.mean([1, 2, 6]))',
  'p = multiprocessing.Process(target=lambda: print(__import__("fractions").Fraction(1, 3)))',
  'p.start(); p.join()',
  'import numpy',
].join('\n');

/** @param {Open} open */
export async function checkLazyStdlib(open) {
  const page = await open(`#/ex/lock-counter${python(PROGRAM + '\n')}`);
  try {
    await page.waitForRunnable(60000);
    await page.run();
    assert.equal(await page.waitForEnd(60000), 'failed');
    const texts = await page.texts();
    assert.equal(texts[0], '{"a": [1, 2]} 3', JSON.stringify(texts));
    assert.ok(texts.includes('1/3'), JSON.stringify(texts));
    assert.equal(texts.at(-1), "ModuleNotFoundError: No module named 'numpy'");
  } finally {
    await page.close();
  }
}
