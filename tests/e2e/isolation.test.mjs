// A server without the isolation headers: no shared memory, so no threads. The page must
// say so plainly instead of failing silently.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';

test('without cross-origin isolation the page explains what is missing', async () => {
  const env = await launch({ isolation: false });
  try {
    const page = await env.newPage('#/ex/lock-counter?mode=rust&mode=rust');
    await page.waitForSelector('[data-testid=isolation][data-isolated=false]', { timeout: 15000 });
    assert.equal(await page.evaluate(() => self.crossOriginIsolated), false);
    assert.match(await page.textContent('[data-testid=isolation]'), /Cross-Origin-Embedder-Policy/);
  } finally {
    await env.close();
  }
});
