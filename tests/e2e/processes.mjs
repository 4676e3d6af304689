// @ts-check
// The Python tab of every example of chapters 1 and 6-9 (the tutorial's multiprocessing
// cells, unmodified, and chapter 1's threads beside its processes), run through the page
// contract (#/ex/<id>?mode=python): the tutorial's deterministic outputs exactly, the others by
// their shape. Shared by Chromium (python.test.mjs), Firefox (firefox.test.mjs) and WebKit
// (webkit.test.mjs); python/tests/processes.rs runs the same programs natively with the same
// checks.

import assert from 'node:assert/strict';
import { exact } from './expected.mjs';

/** @typedef {import('./page.mjs').PlaygroundPage} PlaygroundPage */

const range = (/** @type {number} */ n, /** @type {(i: number) => string} */ f) =>
  Array.from({ length: n }, (_, i) => f(i));
const sortedEqual = (/** @type {string[]} */ got, /** @type {string[]} */ want, /** @type {string} */ id) =>
  assert.deepEqual([...got].sort(), [...want].sort(), id);
/** The tutorial's output, exactly, as the Rust ports' walk has it (expected.mjs). @param {string} id */
const tutorial = (id) => (/** @type {string[]} */ ts) => assert.deepEqual(ts, exact[id], id);

/** @type {Record<string, (texts: string[], lines: [string, string][]) => void>} */
const checks = {
  // Chapter 1's two cells compute and print nothing (the notebook timed them with %time).
  'intro-threads': (ts) => assert.deepEqual(ts, []),
  'intro-processes': (ts) => assert.deepEqual(ts, []),
  'pool-first': tutorial('pool-first'),
  // The cell's bare last line is shown, as the notebook showed its 4: the browser's cores.
  'cpu-count': (ts) => assert.match(ts.join('|'), /^[1-9]\d*$/),
  'process-is-alive': (ts, lines) => {
    tutorial('process-is-alive')(ts);
    assert.equal(lines[0][0], 'Process-1', "the child's line carries its name");
  },
  'process-pids': (ts) => {
    assert.equal(ts.length, 12, JSON.stringify(ts));
    const parents = new Set(ts.filter((t) => t.startsWith('父进程id: ')).map((t) => t.slice(6)));
    const children = new Set(ts.filter((t) => t.startsWith('当前子进程id: ')).map((t) => t.slice(8)));
    assert.equal(parents.size, 1, JSON.stringify(ts));
    assert.equal(children.size, 4, JSON.stringify(ts));
  },
  'process-attrs': (ts) => assert.deepEqual(ts, ['hello, i am a child process', 'True', 'Process-1']),
  'process-class': (ts) => {
    assert.equal(ts.length, 5);
    assert.ok(
      ts.every((t) => t.startsWith('the time is ')),
      JSON.stringify(ts),
    );
  },
  'process-targets': (ts) => {
    sortedEqual(ts.slice(0, 3), ['the number squares to 49', 'the number cubes to 125', 'works'], 'process-targets');
    assert.equal(ts[3], 'we are done');
  },
  'process-default-arg': (ts) =>
    sortedEqual(
      ts,
      ['asia', 'africa', 'latein'].map((c) => `the name of continent is: ${c}`),
      'process-default-arg',
    ),
  'ipc-queue': tutorial('ipc-queue'),
  'ipc-pipe': tutorial('ipc-pipe'),
  'process-lock': (ts) =>
    sortedEqual(
      ts,
      range(10, (i) => `hello ${i}`),
      'process-lock',
    ),
  'process-nolock': (ts) =>
    sortedEqual(
      ts,
      range(4, (i) => `hello ${i}`),
      'process-nolock',
    ),
  'shared-value-array': tutorial('shared-value-array'),
  'manager-plain-list': (ts) => {
    assert.equal(ts.length, 4);
    assert.equal(ts[0], "['a', 'b', 'c']", 'the child appended to its copy');
    assert.equal(ts[2], "['a', 'b']", "the parent's list is not shared");
  },
  'manager-list': (ts) => {
    assert.equal(ts.length, 3);
    assert.equal(ts[0], "['a', 'b', 'c']");
    assert.equal(ts[2], "['a', 'b', 'c']", "the Manager's list is shared");
  },
  'pool-apply-async': (ts) => {
    assert.equal(ts.length, 30, JSON.stringify(ts));
    for (let n = 0; n < 10; n++) {
      assert.ok(ts.includes(`This is fun${n} running`) && ts.includes(`This is fun${n} ending`), `${n}`);
    }
    const pids = new Set(ts.filter((t) => t.startsWith('My id is ')));
    assert.ok(pids.size >= 1 && pids.size <= 9, `at most 9 workers for 10 tasks: ${[...pids]}`);
  },
  'pool-apply-async-callback': (ts) => {
    assert.equal(ts.length, 1);
    sortedEqual(ts[0].slice(1, -1).split(', '), ['0', '1', '4', '9', '16', '25'], 'pool-apply-async-callback');
  },
  'pool-map-async': (ts) => {
    assert.match(ts[0], /^<multiprocessing\.pool\.MapResult object at 0x[0-9a-f]+>$/);
    assert.deepEqual(ts.slice(1), ['[9, 16, 25, 1]']);
  },
  'pool-map-async-callback': tutorial('pool-map-async-callback'),
  'pool-callback-main': (ts, lines) => {
    assert.equal(ts.length, 30);
    // The callback runs in the parent, on its pool's result handler thread.
    assert.ok(
      lines.every(([who]) => who === 'Thread-3 (_handle_results)'),
      JSON.stringify(lines),
    );
  },
  'pool-apply-vs-async': (ts) => {
    const at = (/** @type {string} */ s) => ts.indexOf(s);
    assert.ok(at('--start1--') >= 0 && at('--start1--') < at('--end1--') && at('--end1--') < at('--start2--'));
    assert.equal(ts.at(-1), '--end2--');
    assert.equal(ts.filter((t) => t.startsWith('running,pid=')).length, 14);
  },
  'pool-apply-async-get': tutorial('pool-apply-async-get'),
  'pool-map': tutorial('pool-map'),
  'pool-map-workers': (ts) => {
    assert.equal(ts.length, 19, JSON.stringify(ts));
    const workers = new Set(ts.slice(0, 17));
    assert.ok(workers.size <= 3, JSON.stringify([...workers]));
    for (const w of workers) assert.match(w, /^<ForkProcess name='ForkPoolWorker-\d+' parent=\d+ started daemon>$/);
    assert.equal(ts[17], '[256, 4, 27, 3125, 27, 4, 1, 4]');
    assert.equal(ts[18], '[256, 46656, 3125, 256, 46656, 27, 20880467999847912034355032910567, 256, 46656]');
  },
  'ipc-rand': (ts) => {
    assert.equal(ts.length, 1);
    const xs = ts[0].slice(1, -1).split(', ').map(Number);
    assert.equal(xs.length, 4);
    assert.ok(
      xs.every((x) => x >= 0 && x < 1),
      ts[0],
    );
  },
  'ipc-job-sum': tutorial('ipc-job-sum'),
  benchmark: (ts) => {
    assert.equal(ts.length, 6, JSON.stringify(ts));
    for (const [i, way] of ['normal', 'multithread', 'multicore'].entries()) {
      assert.equal(ts[2 * i], `${way}: 499999666667166666000000`);
      assert.ok(ts[2 * i + 1].startsWith(`${way} time: `));
    }
  },
  'queue-fifo-empty-loop': tutorial('queue-fifo-empty-loop'),
  'pool-mixed': tutorial('pool-mixed'),
};

/** The ids of the walk: every example of chapters 1 and 6-9 that has code. */
export const processExamples = Object.keys(checks);

/**
 * Each example's deadline from Run to its end. The slowest, `pool-apply-vs-async` (its tasks
 * sleep a random 0-3 s, one after another, then together), took 47 s in WebKit on a quiet
 * machine, where a Python process starts in 1-3 s; a shared CI machine is 2-3x slower.
 */
const RUN_DEADLINE_MS = 180000;

/**
 * Runs each example's Python tab to its end and checks its output.
 * @param {(address: string) => Promise<PlaygroundPage>} open
 * @param {string[]} [ids]
 */
export async function walkPythonProcesses(open, ids = processExamples) {
  // One page, each example's route followed in it: the Python module is fetched and compiled
  // once, as for a learner (a fresh page compiled its 22 MB again for every example).
  const page = await open('#/');
  for (const id of ids) {
    // The page's own time limit raised to the walk's deadline: on a slow machine WebKit's
    // `pool-apply-async` outlived the default limit and was stopped, not failed.
    await page.followExample(`#/ex/${id}?mode=python&limit=${RUN_DEADLINE_MS / 1000}`, 30000);
    await page.waitForTab('python');
    await page.waitForRunnable(60000);
    await page.run();
    const state = await page.waitForEnd(RUN_DEADLINE_MS);
    const lines = await page.lines();
    assert.equal(state, 'done', `${id}: ${JSON.stringify(lines)}`);
    checks[id](
      lines.map(([, t]) => t),
      lines,
    );
  }
  await page.close();
}
