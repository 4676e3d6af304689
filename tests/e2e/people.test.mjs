// For people: the interface in Chinese and English, keys for everything, a phone's screen,
// the themes, copy and share. A phone's viewport, a colour scheme and the clipboard's
// permissions are Playwright's own (`page.native`).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';
import { checkNoSidewaysScroll } from './cases.mjs';

let env;
before(async () => {
  env = await launch();
});
after(async () => {
  await env.close();
});

// Names and numbers that are the same in both languages.
const neutral = (t) =>
  /^[\d\s.,:;%()–\-/+×x]*(ms|MB|s)?[\d\s.,:;%()–\-/+×x]*$/.test(t) ||
  ['GIL', 'Python', 'Parallel Playground'].includes(t) ||
  (/^\d+\. /.test(t) && /[\u4e00-\u9fff]/.test(t));
const hasChinese = (t) => /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/.test(t);

async function settle(page) {
  // The pages this test reads: a finished run's console, timeline and status are drawn.
  await page.sleep(300);
}

// Every visible text of the interface's own (page.interfaceTexts) at `hash`, after a run.
async function visit(page, hash, run) {
  await page.setHash(hash);
  await page.waitForMain();
  if (run) {
    await page.waitForRunnable(60000);
    await page.run();
    await page.waitForEnd(30000);
  }
  await settle(page);
  return page.interfaceTexts();
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
  await page.waitForLanguageSwitch();
  assert.equal(await page.lang(), 'en');
  const english = new Set();
  for (const [hash, run] of pages) for (const t of await visit(page, hash, run)) english.add(t);
  assert.ok(english.has('Run') && english.has('Stop'), [...english].join(' | '));

  await page.switchLanguage();
  await page.waitForLang('zh');
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
  await page.goto('#/');
  await page.waitForLanguageSwitch();
  assert.equal(await page.lang(), 'zh');
  await page.close();
});

test('the language follows the browser by default, and lang= in the route sets it', async () => {
  const page = await env.browserPage();
  await page.goto('#/ex/lock-counter?mode=rust&lang=zh');
  await page.waitForRunButton();
  assert.equal(await page.lang(), 'zh');
  assert.equal(await page.runLabel(), '运行');
  await page.setHash('#/ex/lock-counter?mode=rust&lang=en');
  await page.waitForLang('en');
  assert.equal(await page.runLabel(), 'Run');
  await page.close();
});

test('keys alone: Alt+ArrowDown/Up move between examples, Ctrl+Enter runs, Escape stops, Tab reaches Run with a visible focus', async () => {
  const page = await env.newPage('#/ex/thread-exit?mode=rust&sleep=3600');
  await page.waitForRunnable();
  await page.press('Control+Enter');
  await page.waitForLine('==end==');
  assert.equal(await page.status(), 'running');
  await page.press('Escape');
  assert.equal(await page.waitForEnd(), 'stopped');

  const ids = await page.exampleIds();
  const at = ids.indexOf('thread-exit');
  await page.press('Alt+ArrowDown');
  await page.waitForRoute(`#/ex/${ids[at + 1]}`);
  await page.press('Alt+ArrowUp');
  await page.waitForRoute(`#/ex/${ids[at]}`);

  // Tab from the top of the page until Run has the focus; Enter presses it.
  await page.waitForRunnable();
  await page.blurFocus();
  let reached = false;
  for (let i = 0; i < 200 && !reached; i++) {
    await page.press('Tab');
    reached = await page.runHasFocus();
  }
  assert.ok(reached, 'Tab reaches Run');
  const outline = await page.focusOutlineStyle();
  assert.notEqual(outline, 'none', 'the focus is visible');
  await page.press('Enter');
  await page.waitForState('running');
  await page.press('Escape');
  assert.equal(await page.waitForEnd(), 'stopped');
  await page.close();
});

test('a phone (390 px): no page scrolls sideways; the timeline scrolls within itself', async () => {
  const page = await env.browserPage();
  await page.native.setViewportSize({ width: 390, height: 844 });
  await checkNoSidewaysScroll(page, [
    '#/',
    '#/ex/lock-counter?mode=rust',
    '#/ex/pitfall-deadlock?mode=rust',
    '#/ex/lock-counter?mode=python',
    '#/bench',
  ]);
  await page.close();
});

test("themes: the system's by default, and the switch sets light or dark and is remembered", async () => {
  const page = await env.browserPage();
  await page.native.emulateMedia({ colorScheme: 'dark' });
  await page.goto('#/ex/lock-counter?mode=rust');
  await page.waitForThemeSwitch();
  const dark = await page.backgroundColor();
  await page.chooseTheme('light');
  assert.equal(await page.theme(), 'light');
  const light = await page.backgroundColor();
  assert.notEqual(dark, light);
  await page.reload();
  await page.waitForThemeSwitch();
  assert.equal(await page.theme(), 'light');
  assert.equal(await page.backgroundColor(), light);
  await page.close();
});

test('copy buttons put the source and the console on the clipboard; Share copies the link with the parameters', async () => {
  const page = await env.browserPage();
  await page.native.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('#/ex/lock-counter?mode=rust&threads=3');
  await page.waitForRunnable();
  await page.copySource();
  assert.equal(await page.clipboardText(), await page.pythonSource());
  await page.run();
  await page.waitForEnd();
  await page.copyConsole();
  assert.match(await page.clipboardText(), /\[MainThread\] 3001/);
  await page.shareParams();
  const link = await page.clipboardText();
  assert.match(link, /#\/ex\/lock-counter\?mode=rust&threads=3&.*gil=/);
  // The link opens the same form.
  const other = await env.newPage(link.slice(env.base.length));
  await other.waitForParam('threads');
  assert.equal(await other.paramValue('threads'), '3');
  await other.close();
  await page.close();
});
