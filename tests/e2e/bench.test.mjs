// The benchmark page (#/bench) as a smoke test: every row there and a number, with a small
// CPU job. No time is asserted (targets live in scripts/bench.sh): this only keeps a row from
// going silently empty, as the plain-JS anchors once did when the site's
// Content-Security-Policy refused their blob: workers.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';

// The plain-JS anchors, then a row of each of the benchmark's Rust programs.
const ROWS = [
  'js_atomics_ping_pong',
  'js_postmessage_ping_pong',
  'js_postmessage_pool_per_task',
  'js_atomics_pool_per_task',
  'js_worker_instantiate',
  'lock_uncontended',
  'queue_ping_pong',
  'queue_ping_pong_unrecorded',
  'threadpool_map_chunksize_1_unrecorded',
  'process_start_to_first_reply',
  'process_start_cold_to_first_reply',
  'pool_map_chunksize_1',
  'cpu_job_twice_sequential',
  'crossover_sequential_2pow14',
  'crossover_two_processes_2pow15',
  'scaling_processes_1',
  'scaling_threads_2',
  'scaling_rayon_2',
  'scaling_pool_map_chunksize_1_pool2',
  'scaling_pool_map_chunksize_1_pool8',
];

test('the benchmark page ends with every row a positive number', async () => {
  const env = await launch();
  try {
    // A short crossover sweep (2^14 and 2^15), without the pauses that let warm children come
    // back; the scaling sweep to 2 workers whatever the machine has.
    const page = await env.newPage('#/bench?n=200000&top=15&pause=0&max=2');
    await page.waitForBenchReady();
    await page.startBench();
    // It takes 15-20 s here: a run four minutes long is stuck, and says where.
    assert.equal(await page.waitForBenchEnd(240_000), 'done');
    const rows = new Map(await page.benchRows());
    for (const name of ROWS) assert.ok(rows.has(name), `a ${name} row: ${[...rows.keys()]}`);
    for (const [name, ns] of rows) assert.ok(Number.isFinite(ns) && ns > 0, `${name}: ${ns}`);
    assert.notEqual(await page.benchCrossoverN(), undefined, 'the crossover chart is drawn');
    const scaling = await page.benchScaling();
    assert.deepEqual(Object.keys(scaling).sort(), ['processes', 'rayon', 'threads'], 'a curve per kind');
    for (const p of Object.values(scaling)) assert.ok(p >= 0 && p <= 1, `a parallel fraction: ${p}`);
    assert.deepEqual(env.errors, []);
    assert.deepEqual(env.cspViolations, []);
  } finally {
    await env.close();
  }
});
