// The benchmark, side by side in one run: the playground's primitives in headless Chromium
// (#/bench), plain-JS anchors in the same browser, the same Rust natively, and CPython.
// Prints a table and the issue targets as measured ratios; writes target/bench.json.
//
//   node scripts/bench.mjs        (scripts/bench.sh builds first)

import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { launch } from '../tests/e2e/browser.mjs';

function parse(text, prefix = '') {
  const out = {};
  for (const line of text.split('\n')) {
    const m = line.match(/^BENCH (\S+) median_ns=([\d.]+) min_ns=([\d.]+) max_ns=([\d.]+)/);
    if (m) out[prefix + m[1]] = { median: +m[2], min: +m[3], max: +m[4] };
  }
  return out;
}

const results = {};
// The CPU job's size, in the browser and natively alike (wasm_over_native compares the same
// work); a sequential run of it takes over a second in the browser here.
const CPU_N = process.env.PP_CPU_N ?? '240000000';

console.error('# native (cargo bench --bench native)');
// PP_SPIN=<n> measures with another futex spin count (default: the program's own).
const spin = process.env.PP_SPIN;
Object.assign(
  results,
  parse(
    execFileSync('cargo', ['+stable', 'bench', '--quiet', '--bench', 'native'], {
      encoding: 'utf8',
      env: { ...process.env, PP_CPU_N: CPU_N },
    }),
    'native_',
  ),
);

console.error('# CPython (bench/anchors.py)');
Object.assign(results, parse(execFileSync('python3', ['bench/anchors.py'], { encoding: 'utf8' })));

console.error('# browser (headless Chromium, #/bench)');
const env = await launch();
try {
  const page = await env.newPage(`#/bench?n=${CPU_N}${spin ? `&spin=${spin}` : ''}`);
  await page.waitForBenchReady();
  await page.sleep(500); // let the spare process boot
  await page.startBench();
  if ((await page.waitForBenchEnd(600_000)) !== 'done') throw new Error('the browser benchmark failed');
  for (const [name, ns] of await page.benchRows()) {
    results[`browser_${name}`] = { median: ns };
  }
  // Where two processes start to pay, as the page's chart finds it (src/bench/crossover.rs).
  const crossover = await page.benchCrossoverN();
  if (typeof crossover === 'number') results.browser_job_crossover_n = { median: crossover };
  // Amdahl's parallel fraction the page fitted to each kind's speed-ups (src/bench/scaling.rs).
  for (const [kind, p] of Object.entries(await page.benchScaling()))
    results[`browser_scaling_parallel_${kind}`] = { median: p };
} finally {
  await env.close();
}

const us = (ns) =>
  ns === undefined
    ? '—'
    : ns >= 1e9
      ? `${(ns / 1e9).toFixed(2)} s`
      : ns >= 1e6
        ? `${(ns / 1e6).toFixed(1)} ms`
        : ns >= 1000
          ? `${(ns / 1000).toFixed(1)} µs`
          : `${ns.toFixed(1)} ns`;
const row = (name) => [
  name,
  us(results[`browser_${name}`]?.median),
  us(results[`native_${name}`]?.median),
  us(results[`cpython_${name}`]?.median),
];
const rows = [
  ['operation', 'browser (wasm)', 'native Rust', 'CPython'],
  ...[
    'lock_uncontended',
    'lock_handoff',
    'futex_ping_pong',
    'queue_ping_pong',
    'queue_ping_pong_unrecorded',
    'thread_start_join',
    'spin_window',
  ].map(row),
  ['std Mutex lock+unlock', '—', us(results.native_std_mutex_uncontended?.median), '—'],
  ['JS Atomics ping-pong', us(results.browser_js_atomics_ping_pong?.median), '—', '—'],
  ['JS postMessage ping-pong', us(results.browser_js_postmessage_ping_pong?.median), '—', '—'],
  ['JS postMessage pool, per task', us(results.browser_js_postmessage_pool_per_task?.median), '—', '—'],
  ['JS SharedArrayBuffer pool, per task', us(results.browser_js_atomics_pool_per_task?.median), '—', '—'],
  ['JS new Worker + instantiate this module', us(results.browser_js_worker_instantiate?.median), '—', '—'],
  ...[
    'pool_map_chunksize_1',
    'pool_map_default_chunks',
    'pool_apply_async_round_trip',
    'threadpool_map_chunksize_1',
    'threadpool_map_chunksize_1_unrecorded',
    'threadpool_map_default_chunks',
    'process_start_to_first_reply',
    'process_start_cold_to_first_reply',
    'cpu_job_twice_sequential',
    'cpu_job_on_two_processes',
  ].map(row),
];
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
for (const r of rows) console.log(r.map((c, i) => String(c).padEnd(widths[i])).join('  '));

const m = (k) => results[k]?.median;
/** Who woke whom, recorded over unrecorded, pass beside pass in the same run (issue 17). */
const recordingCost = (/** @type {string} */ where, /** @type {string} */ label, /** @type {string} */ row) => [
  `recording cost, ${label} (${where})`,
  m(`${where}_${row}`) / m(`${where}_${row}_unrecorded`),
  1.1,
  'x',
];
const targets = [
  [
    'Queue ping-pong / JS Atomics ping-pong (browser)',
    m('browser_queue_ping_pong') / m('browser_js_atomics_ping_pong'),
    1.5,
    'x',
  ],
  ...['browser', 'native'].flatMap((where) => [
    recordingCost(where, 'Queue ping-pong', 'queue_ping_pong'),
    recordingCost(where, 'ThreadPool.map chunksize 1', 'threadpool_map_chunksize_1'),
  ]),
  ['uncontended Lock: browser / native', m('browser_lock_uncontended') / m('native_lock_uncontended'), 2.0, 'x'],
  ['Thread.start()+join() in the browser (µs)', m('browser_thread_start_join') / 1000, 50, ' µs'],
  ['Pool.map, chunksize 1, per task (µs)', m('browser_pool_map_chunksize_1') / 1000, 3, ' µs'],
  ['ThreadPool.map, chunksize 1, per task (µs)', m('browser_threadpool_map_chunksize_1') / 1000, 1, ' µs'],
  ['Pool.map, default chunks, per task (µs)', m('browser_pool_map_default_chunks') / 1000, 0.5, ' µs'],
  [
    'CPU job: sequential / two processes (speed-up, at least)',
    m('browser_cpu_job_twice_sequential') / m('browser_cpu_job_on_two_processes'),
    1.85,
    'x',
  ],
];
console.log('\ntarget                                                     measured   limit   verdict');
for (const [name, value, limit, unit] of targets) {
  // A speed-up must reach its limit; everything else must stay under it.
  const met = name.includes('at least') ? value >= limit : value <= limit;
  console.log(
    `${name.padEnd(58)} ${value.toFixed(2).padStart(8)}${unit.padEnd(3)} ${String(limit).padStart(5)}   ${met ? 'met' : 'MISSED'}`,
  );
}
// Speed-up against workers (the page's scaling chart), and the pool's per-task cost with as
// many workers as cores against four times as many.
const scalingRows = Object.keys(results).filter((k) => /^browser_scaling_[a-z]+_\d+$/.test(k));
for (const kind of ['processes', 'threads', 'rayon']) {
  const one = m(`browser_scaling_${kind}_1`);
  const points = scalingRows
    .filter((k) => k.startsWith(`browser_scaling_${kind}_`))
    .map((k) => [+k.split('_').at(-1), one / m(k)])
    .sort((a, b) => a[0] - b[0]);
  const p = m(`browser_scaling_parallel_${kind}`);
  console.log(
    `scaling, ${kind}: ${points.map(([k, s]) => `${k}: ${s.toFixed(2)}x`).join(', ')}; Amdahl's parallel fraction ${p?.toFixed(3)}`,
  );
}
const pools = Object.keys(results)
  .filter((k) => k.startsWith('browser_scaling_pool_map_chunksize_1_pool'))
  .map((k) => `Pool(${k.split('pool').at(-1)}) ${us(m(k))}`);
console.log(`Pool.map chunksize 1 per task, as many workers as cores and 4x oversubscribed: ${pools.join(', ')}`);
const seq = m('browser_cpu_job_twice_sequential');
if (seq !== undefined && seq < 1e9)
  console.log(
    `(the sequential CPU job took ${(seq / 1e9).toFixed(2)} s: raise #/bench?n= until it takes at least 1 s)`,
  );
mkdirSync('target', { recursive: true });
writeFileSync('target/bench.json', JSON.stringify({ when: new Date().toISOString(), cpuN: +CPU_N, results }, null, 2));
console.error('# written to target/bench.json');
