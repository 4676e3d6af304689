// The driver contract (drivers/driver.mjs), held by each driver on a small page of its own
// (fixtures/driver/): every method the page object uses, with the same results in every
// browser, and a page error reaches the session's list (a deliberate one). Needs no build of
// the site.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch as chromium } from './drivers/playwright.mjs';
import { launch as firefox } from './drivers/puppeteer.mjs';
import { launch as webkit } from './drivers/webdriver.mjs';

const dir = new URL('./fixtures/driver/', import.meta.url).pathname;

for (const [browser, launch] of [
  ['Chromium (Playwright)', chromium],
  ['Firefox (Puppeteer)', firefox],
  ['WebKit (WebDriver)', webkit],
]) {
  test(`${browser}: the driver contract`, async () => {
    const session = await launch({ dir });
    try {
      const d = await session.open('#/start');
      assert.equal(await d.title(), 'Driver contract');
      assert.equal(await d.url(), `${session.base}#/start`);
      assert.equal(await d.evaluate(() => self.crossOriginIsolated), true, 'served with dist-like _headers');

      // Waits: a selector, a text in it (case-insensitive), hidden or attached, deadlines.
      await d.waitFor('.line', { text: '==end==', timeout: 5000 });
      await d.waitFor('#hidden', { state: 'attached', timeout: 1000 });
      await assert.rejects(d.waitFor('#hidden', { timeout: 300 }), 'hidden is not visible');
      await assert.rejects(d.waitFor('#never', { timeout: 300 }));
      await assert.rejects(d.waitFor('.line', { text: 'absent', timeout: 300 }));
      await d.waitForFunction((t) => document.title === t, 'Driver contract', { timeout: 1000 });
      await assert.rejects(d.waitForFunction(() => false, undefined, { timeout: 300 }));

      // Reads.
      assert.equal(await d.has('#text'), true);
      assert.equal(await d.has('#never'), false);
      assert.equal(await d.attr('#text', 'data-state'), 'ready');
      assert.equal(await d.attr('#text', 'data-none'), null);
      assert.equal(await d.text('#text'), 'Hello   World');
      assert.equal(await d.value('#field'), 'old');
      assert.equal(await d.isDisabled('#off'), true);
      assert.equal(await d.isDisabled('#on'), false);
      const items = await d.evalAll('.item', (es, prefix) => es.map((e) => prefix + e.textContent), '> ');
      assert.deepEqual(items, ['> one', '> two']);
      assert.deepEqual(await d.evalAll('.none', (es) => es.length), 0);
      assert.equal(await d.evaluate((x) => x * 2, 21), 42);
      assert.equal(await d.evaluate(async () => 'awaited'), 'awaited');

      // Actions.
      await d.fill('#field', 'new');
      assert.equal(await d.value('#field'), 'new');
      await d.fill('#area', 'two\nlines');
      assert.equal(await d.value('#area'), 'two\nlines');
      await d.setChecked('#box', true);
      assert.equal(await d.isChecked('#box'), true);
      await d.setChecked('#box', true);
      assert.equal(await d.isChecked('#box'), true, 'checking a checked box keeps it checked');
      await d.setChecked('#box', false);
      assert.equal(await d.isChecked('#box'), false);
      await d.select('#choice', 'light');
      assert.equal(await d.value('#choice'), 'light');
      await d.click('#on');
      assert.equal(await d.text('#out'), 'clicked');
      await assert.rejects(d.click('#off', { timeout: 300 }), 'a disabled button cannot be clicked');
      await d.press('Control+Enter', '#area');
      assert.equal(await d.text('#out'), 'Control+Enter in area');
      await d.press('Control+Enter');
      assert.equal(await d.text('#out'), 'Control+Enter in area', 'to whatever has the focus');

      // Navigation.
      await d.evaluate(() => {
        location.hash = '#/moved';
      });
      assert.equal(await d.url(), `${session.base}#/moved`);
      await d.reload();
      await d.waitFor('.line', { text: '==end==', timeout: 5000 });
      await d.goto(`${session.base}#/again`);
      assert.equal(await d.url(), `${session.base}#/again`);
      await d.sleep(1);
      await d.close();

      const blank = await session.blank();
      await blank.goto(session.base);
      await blank.waitFor('#text');
      assert.deepEqual(session.errors, []);
      assert.deepEqual(session.cspViolations, []);
      await blank.evaluate(() => {
        setTimeout(() => {
          throw new Error('deliberate');
        });
      });
      await blank.sleep(200);
      await blank.close();
      assert.equal(session.errors.length, 1, `one error: ${session.errors}`);
      assert.match(session.errors[0], /deliberate/);
    } finally {
      await session.close();
    }
  });
}
