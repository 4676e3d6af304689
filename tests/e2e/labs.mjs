// @ts-check
// Chapter 11's Python labs (the pitfalls, the GIL, I/O-bound work), each run as a learner
// would: the lab's own program with its switch turned (the constant the lab tells them to
// change) and sizes made small, through the page contract and the editor. Shared by Chromium
// (python.test.mjs) and WebKit (webkit.test.mjs); python/tests/tutorial.rs
// (the_pitfall_labs_show_what_their_ports_show) runs the same edits natively.

import assert from 'node:assert/strict';

/** @typedef {import('./page.mjs').PlaygroundPage} PlaygroundPage */

/**
 * Each lab: the edits a learner makes (from, to) and what the run must then show. A lab whose
 * unfixed program never ends (the deadlock) is checked by its state and stopped.
 * With the GIL off (`gil: false`) the race's threads really run at once: updates are lost.
 * @type {{ id: string, edits: [string, string][], gil?: boolean, end?: string, check: (texts: string[]) => void }[]}
 */
const runs = [
  { id: 'pitfall-race', edits: [], gil: false, check: (ts) => assert.match(ts[1], /updates lost$/) },
  {
    id: 'pitfall-race',
    edits: [['USE_LOCK = False', 'USE_LOCK = True']],
    check: (ts) => assert.match(ts[1], /no update lost$/),
  },
  { id: 'pitfall-deadlock', edits: [], end: 'deadlock', check: () => {} },
  {
    id: 'pitfall-deadlock',
    edits: [['FIX = 0', 'FIX = 1']],
    check: (ts) => assert.equal(ts.at(-1), 'both transfers done'),
  },
  {
    id: 'pitfall-livelock',
    edits: [['GIVE_UP = 0', 'GIVE_UP = 30']],
    check: (ts) => assert.ok(ts.some((t) => t.endsWith('gives up after 30 tries: a livelock'))),
  },
  {
    id: 'pitfall-livelock',
    edits: [['FIX = 0', 'FIX = 1']],
    check: (ts) => assert.ok(ts.some((t) => t.includes('transfer done'))),
  },
  {
    id: 'pitfall-starvation',
    edits: [['SECONDS = 1.0', 'SECONDS = 0.3']],
    check: (ts) => assert.match(ts[0], /^0\.3 s on an unfair Lock: greedy /),
  },
  {
    id: 'gil',
    edits: [['STEPS = 300000', 'STEPS = 20000']],
    check: (ts) => {
      assert.match(ts[0], /GIL on/);
      assert.match(ts[1], /\| 4 threads/);
    },
  },
  {
    id: 'io-bound',
    edits: [['SLEEP = 0.2', 'SLEEP = 0.05']],
    check: (ts) => assert.match(ts[2], /^threads: /),
  },
];

/**
 * Runs every lab as above, each in a page of its own.
 * @param {(address: string) => Promise<PlaygroundPage>} open
 */
export async function walkPythonLabs(open) {
  for (const { id, edits, gil = true, end = 'done', check } of runs) {
    const page = await open(`#/ex/${id}?mode=python`);
    await page.waitForTab('python');
    await page.waitForRunnable(60000);
    await page.waitForCodeEditor(30000);
    let program = await page.editorText();
    for (const [from, to] of edits) {
      assert.ok(program.includes(from), `${id}: the lab has ${from}`);
      program = program.replace(from, to);
    }
    if (edits.length) {
      await page.fillEditor(program);
      // What runs is what the editor holds: a fill that landed short would fail as a program.
      assert.equal(await page.editorText(), program, `${id}: the edited program is in the editor`);
    }
    if (!gil) await page.setGil(false);
    await page.run();
    const state = await page.waitForEnd(120000);
    const texts = await page.texts();
    // The page's notes say why a run failed (a worker's error, a syntax error's message).
    const why = { texts, notes: await page.notes() };
    assert.equal(state, end, `${id} ${JSON.stringify(edits)}: ${JSON.stringify(why)}`);
    check(texts);
    if (end !== 'done') {
      // Until the page says so: it may already be in an end state (deadlock) when Stop lands.
      await page.stop();
      await page.waitForState('stopped', 10000);
    }
    await page.close();
  }
}
