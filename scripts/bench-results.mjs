// The benchmark's results for anyone to read (issue 18): one flat JSON object,
// target/bench/results.json, each key a ratio or a size from the numbers the other bench
// scripts measured in this run (target/bench.json, bench-python.json, bench-page.json) and the
// built site (dist/). A key whose measurement the benchmark does not make yet is left out and
// named on stderr: an empty value is never written as a number.
//
//   node scripts/bench-results.mjs      (scripts/bench.sh runs it last)

import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const read = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {});
const bench = read('target/bench.json').results ?? {};
const python = read('target/bench-python.json');
const page = read('target/bench-page.json');
const m = (key) => bench[key]?.median;
const gzip9 = (file) => gzipSync(readFileSync(file), { level: 9 }).length;

const pageWasm = readdirSync('dist').find((f) => f.endsWith('_bg.wasm'));
// The Python module as shipped: every file of dist/python (the wasm, its glue, its manifest),
// apart from lib/, the standard library's modules that are not frozen into it, each fetched
// on its own at its first import (python/src/stdlib.rs): reported beside it, as the most a
// program that imports all of them would add.
const pythonFiles = readdirSync('dist/python', { recursive: true, encoding: 'utf8' })
  .map((f) => `dist/python/${f}`)
  .filter((f) => statSync(f).isFile());
const lazyStdlib = (f) => f.startsWith('dist/python/lib/');

/** Each key, its value from this run's numbers (undefined or NaN: not measured). */
const keys = {
  // The runtime's Process (the Rust port's bench-processes), as the "now" measured it.
  process_start_over_cpython_fork:
    m('browser_process_start_to_first_reply') / m('cpython_process_start_to_first_reply'),
  // The same start once the host's warm children are used up, against a bare new Worker that
  // instantiates the page's module on a fresh memory (www/anchors.js's workerStart).
  process_start_cold_over_worker: m('browser_process_start_cold_to_first_reply') / m('browser_js_worker_instantiate'),
  // Pool(2).map, 10,000 tiny tasks, chunksize 1, against two plain-JS workers taking the same
  // tasks from a counter in a SharedArrayBuffer (www/anchors.js's atomicsPool).
  pool_map_chunk1_over_js_sab_pool: m('browser_pool_map_chunksize_1') / m('browser_js_atomics_pool_per_task'),
  threadpool_map_chunk1_over_native: m('browser_threadpool_map_chunksize_1') / m('native_threadpool_map_chunksize_1'),
  wasm_over_native: m('browser_cpu_job_twice_sequential') / m('native_cpu_job_twice_sequential'),
  job_speedup_2proc_over_native:
    m('browser_cpu_job_twice_sequential') /
    m('browser_cpu_job_on_two_processes') /
    (m('native_cpu_job_twice_sequential') / m('native_cpu_job_on_two_processes')),
  // The smallest n of the sweep (powers of 2) from which on two processes (their start
  // included) beat the job twice in turn (the benchmark page's crossover chart).
  job_crossover_n: m('browser_job_crossover_n'),
  // A fresh page of the first example's Rust tab, cold cache, localhost (scripts/bench-page.mjs).
  run_to_first_line_ms: page.run_to_first_line_ms,
  load_to_interactive_ms: page.load_to_interactive_ms,
  wasm_gzip_bytes: pageWasm ? gzip9(`dist/${pageWasm}`) : undefined,
  python_module_gzip_bytes: pythonFiles.filter((f) => !lazyStdlib(f)).reduce((sum, f) => sum + gzip9(f), 0),
  python_stdlib_lazy_gzip_bytes: pythonFiles.filter(lazyStdlib).reduce((sum, f) => sum + gzip9(f), 0),
  // Open to the first printed line, Run pressed when enabled, cold cache, the site gzipped over
  // a paced 20 Mbit/s, 20 ms link (scripts/bench-page.mjs).
  python_first_load_ms_20mbps: page.python_first_load_ms_20mbps,
  rust_first_line_ms_20mbps: page.rust_first_line_ms_20mbps,
  // Each thread does the whole job: 2 threads' speed-up is twice one thread's time over theirs
  // (scripts/bench-python.mjs); natively, two jobs in turn over two at once.
  python_gil_off_2t_over_native_2t:
    (2 * python.product_job_1_thread_s) /
    python.product_job_2_threads_s /
    (m('native_cpu_job_twice_sequential') / m('native_cpu_job_on_two_processes')),
  stop_worst_ms: page.stop_worst_ms,
  // Who woke whom recorded over the same work unrecorded, pass beside pass (issue 17: <= 1.1).
  recording_cost_queue_pingpong: m('browser_queue_ping_pong') / m('browser_queue_ping_pong_unrecorded'),
  recording_cost_threadpool_map_chunk1:
    m('browser_threadpool_map_chunksize_1') / m('browser_threadpool_map_chunksize_1_unrecorded'),
  python_over_cpython: python.product_job_1_thread_s / python.product_job_cpython_s,
};

const results = {};
const missing = [];
for (const [key, value] of Object.entries(keys)) {
  if (typeof value === 'number' && Number.isFinite(value)) results[key] = +value.toPrecision(4);
  else missing.push(key);
}
mkdirSync('target/bench', { recursive: true });
writeFileSync('target/bench/results.json', `${JSON.stringify(results, null, 2)}\n`);
console.log('\n# target/bench/results.json');
for (const [key, value] of Object.entries(results)) console.log(`${key.padEnd(36)} ${value}`);
if (missing.length) console.error(`# not measured by this benchmark yet: ${missing.join(', ')}`);
