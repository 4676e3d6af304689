// For people: the interface in Chinese and English, keys for everything, a phone's screen,
// the themes, copy and share.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, waitForEnd } from './browser.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env.close(); });

// Every visible text of the page that is the interface's own: not code, not what a program
// printed, not the tutorial's text, not thread or object names drawn in the figures, not the
// switch that names the other language.
function interfaceTexts() {
  const skip = 'pre, code, [data-testid=line], [data-testid=editor], [translate=no], svg .lane text, '
    + '.waitfor .node text, [data-testid=lang-switch], script, style, title, option:not(:checked)';
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.replace(/\s+/g, ' ').trim();
    const el = node.parentElement;
    if (!text || !el || el.closest(skip)) continue;
    if (!el.getClientRects().length) continue;
    out.push(text);
  }
  for (const el of document.querySelectorAll('[aria-label], [title]')) {
    if (el.closest('[data-testid=lang-switch]')) continue;
    for (const attr of ['aria-label', 'title']) {
      const value = el.getAttribute(attr);
      if (value && el.getClientRects().length) out.push(value.trim());
    }
  }
  return out;
}

// Names and numbers that are the same in both languages.
const neutral = (t) => /^[\d\s.,:;%()–\-/+×x]*(ms|MB|s)?[\d\s.,:;%()–\-/+×x]*$/.test(t)
  || ['GIL', 'Python', 'Parallel Playground'].includes(t) || /^\d+\. /.test(t) && /[\u4e00-\u9fff]/.test(t);
const hasChinese = (t) => /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/.test(t);

async function settle(page) {
  // The pages this test reads: a finished run's console, timeline and status are drawn.
  await page.waitForTimeout(300);
}

async function visit(page, hash, run) {
  await page.evaluate((h) => { location.hash = h; }, hash);
  await page.waitForSelector('main > *');
  if (run) {
    await page.waitForSelector('[data-testid=run]:not([disabled])', { timeout: 60000 });
    await page.click('[data-testid=run]');
    await waitForEnd(page, 30000);
  }
  await settle(page);
  return page.evaluate(interfaceTexts);
}

const pages = [
  ['#/', false],
  ['#/ex/lock-counter?mode=rust', true],
  ['#/ex/queue-full?mode=rust&timeout=0.2', true],
  ['#/ex/pitfall-deadlock?mode=rust', true],
  ['#/ex/lock-counter?mode=python', true],
  ['#/ex/no-such-example', false],
  ['#/nowhere', false],
  ['#/bench', false],
];

test('the language switch changes every visible string of the interface, and Chinese mode has no English but code', async () => {
  const page = await env.newPage('?lang=en#/');
  await page.waitForSelector('[data-testid=lang-switch]');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  const english = new Set();
  for (const [hash, run] of pages) for (const t of await visit(page, hash, run)) english.add(t);
  assert.ok(english.has('Run') && english.has('Stop'), [...english].join(' | '));

  await page.click('[data-testid=lang-switch]');
  await page.waitForFunction(() => document.documentElement.lang === 'zh');
  const left = [];
  for (const [hash, run] of pages) {
    for (const t of await visit(page, hash, run)) {
      if (neutral(t)) continue;
      if (english.has(t)) left.push(`${hash}: unchanged "${t}"`);
      else if (!hasChinese(t)) left.push(`${hash}: no Chinese in "${t}"`);
    }
  }
  assert.deepEqual(left, []);
  assert.equal(await page.title(), '并行游乐场');
  // Remembered: a new visit without lang= opens in Chinese.
  await page.goto(`${env.base}#/`);
  await page.waitForSelector('[data-testid=lang-switch]');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh');
  await page.close();
});

test('the language follows the browser by default, and lang= in the route sets it', async () => {
  const page = await env.browserPage();
  await page.goto(`${env.base}#/ex/lock-counter?mode=rust&lang=zh`);
  await page.waitForSelector('[data-testid=run]');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh');
  assert.equal(await page.textContent('[data-testid=run]'), '运行');
  await page.evaluate(() => { location.hash = '#/ex/lock-counter?mode=rust&lang=en'; });
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.equal(await page.textContent('[data-testid=run]'), 'Run');
  await page.close();
});

test('keys alone: Alt+ArrowDown/Up move between examples, Ctrl+Enter runs, Escape stops, Tab reaches Run with a visible focus', async () => {
  const page = await env.newPage('#/ex/thread-exit?mode=rust&sleep=3600');
  await page.waitForSelector('[data-testid=run]:not([disabled])');
  await page.keyboard.press('Control+Enter');
  await page.waitForSelector('[data-testid=line]:text("==end==")');
  assert.equal(await page.getAttribute('[data-testid=status]', 'data-state'), 'running');
  await page.keyboard.press('Escape');
  assert.equal(await waitForEnd(page), 'stopped');

  const ids = await page.$$eval('[data-testid=example-link]', (ls) => ls.map((l) => l.dataset.id));
  const at = ids.indexOf('thread-exit');
  await page.keyboard.press('Alt+ArrowDown');
  await page.waitForFunction((id) => location.hash.startsWith(`#/ex/${id}`), ids[at + 1]);
  await page.keyboard.press('Alt+ArrowUp');
  await page.waitForFunction((id) => location.hash.startsWith(`#/ex/${id}`), ids[at]);

  // Tab from the top of the page until Run has the focus; Enter presses it.
  await page.waitForSelector('[data-testid=run]:not([disabled])');
  await page.evaluate(() => document.activeElement?.blur());
  let reached = false;
  for (let i = 0; i < 200 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.dataset.testid === 'run');
  }
  assert.ok(reached, 'Tab reaches Run');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none', 'the focus is visible');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=status][data-state=running]');
  await page.keyboard.press('Escape');
  assert.equal(await waitForEnd(page), 'stopped');
  await page.close();
});

test('a phone (390 px): no page scrolls sideways; the timeline scrolls within itself', async () => {
  const page = await env.browserPage();
  await page.setViewportSize({ width: 390, height: 844 });
  for (const hash of ['#/', '#/ex/lock-counter?mode=rust', '#/ex/pitfall-deadlock?mode=rust', '#/ex/lock-counter?mode=python', '#/bench']) {
    await page.goto(`${env.base}${hash}`);
    await page.waitForSelector('main > *');
    if (hash.includes('/ex/')) {
      await page.waitForSelector('[data-testid=run]:not([disabled])', { timeout: 60000 });
      await page.click('[data-testid=run]');
      await waitForEnd(page, 30000);
    }
    const width = await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]);
    assert.ok(width[0] <= width[1], `${hash}: the page is ${width[0]} px wide on a ${width[1]} px screen`);
  }
  await page.close();
});

test('themes: the system\'s by default, and the switch sets light or dark and is remembered', async () => {
  const page = await env.browserPage();
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(`${env.base}#/ex/lock-counter?mode=rust`);
  await page.waitForSelector('[data-testid=theme]');
  const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  const dark = await background();
  await page.selectOption('[data-testid=theme]', 'light');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'light');
  const light = await background();
  assert.notEqual(dark, light);
  await page.reload();
  await page.waitForSelector('[data-testid=theme]');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'light');
  assert.equal(await background(), light);
  await page.close();
});

test('copy buttons put the source and the console on the clipboard; Share copies the link with the parameters', async () => {
  const page = await env.browserPage();
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(`${env.base}#/ex/lock-counter?mode=rust&threads=3`);
  await page.waitForSelector('[data-testid=run]:not([disabled])');
  const clipboard = () => page.evaluate(() => navigator.clipboard.readText());
  await page.click('[data-testid=copy-source]');
  await page.waitForSelector('[data-testid=copy-source][data-copied=true]');
  assert.equal(await clipboard(), await page.textContent('[data-testid=python-source]'));
  await page.click('[data-testid=run]');
  await waitForEnd(page);
  await page.click('[data-testid=copy-console]');
  await page.waitForSelector('[data-testid=copy-console][data-copied=true]');
  assert.match(await clipboard(), /\[MainThread\] 3001/);
  await page.click('[data-testid=share-params]');
  await page.waitForSelector('[data-testid=share-params][data-copied=true]');
  const link = await clipboard();
  assert.match(link, /#\/ex\/lock-counter\?mode=rust&threads=3&.*gil=/);
  // The link opens the same form.
  const other = await env.newPage(link.slice(env.base.length));
  await other.waitForSelector('[data-testid=param-threads]');
  assert.equal(await other.inputValue('[data-testid=param-threads]'), '3');
  await other.close();
  await page.close();
});
