// The Python tab's benchmark (issue 9's numbers), measured side by side in one run: the built
// site in headless Chromium through the page contract, and the machine's CPython on the same
// Python programs. Prints a table and the targets as measured ratios; writes
// target/bench-python.json.
//
//   node scripts/bench-python.mjs        (scripts/bench.sh builds first and runs it)

import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { launch } from '../tests/e2e/browser.mjs';

const REPEATS = 3;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// The tutorial's CPU job (In [2]): the product of `number` random numbers, in `threads`
// threads at once, each doing the whole job; prints the wall time. Two threads doing twice
// the work in the time of one is a speed-up of 2.
const cpuJob = (threads, number) => `
import random, threading, time
from functools import reduce

def func(number):
    random_list = random.sample(range(1000000), number)
    return reduce(lambda x, y: x*y, random_list)

func(1000)  # warm
ts = [threading.Thread(target=func, args=(${number},)) for _ in range(${threads})]
start = time.perf_counter()
for t in ts: t.start()
for t in ts: t.join()
print("seconds", time.perf_counter() - start)
`;

// The benchmark cell's job (In [63]): the sum of i + i**2 + i**3 for i below n.
const sumJob = (threads, n) => `
import threading, time

def job(n):
    total = 0
    for i in range(n):
        total += i + i**2 + i**3
    return total

job(1000)  # warm
ts = [threading.Thread(target=job, args=(${n},)) for _ in range(${threads})]
start = time.perf_counter()
for t in ts: t.start()
for t in ts: t.join()
print("seconds", time.perf_counter() - start)
`;

function cpython(program) {
  const out = execFileSync('python3', ['-c', program], { encoding: 'utf8' });
  return Number(out.match(/seconds ([\d.e-]+)/)[1]);
}

const results = {};
const env = await launch();

/// A fresh browser page (its own cache) on a Rust page; the Python tab opened and timed: to
/// the module loaded (Run enabled), then to the first line of a first run.
async function firstLoad() {
  const page = await env.browserPage();
  await page.goto('#/ex/process-pids');
  await page.waitForRunnable();
  const t0 = Date.now();
  await page.openTab('python');
  await page.waitForRunnable(120000);
  const loaded = Date.now() - t0;
  await page.waitForCodeEditor();
  await page.fillEditor('print("ready")\n');
  await page.run();
  await page.waitForAnyLine(60000);
  const firstLine = Date.now() - t0;
  await page.close();
  return { loaded, firstLine };
}

/// Click to first line, the interpreter warm (a run before, then the next spare given time
/// to boot, as a learner reading the output gives it).
async function warmRuns(page) {
  const out = [];
  for (let i = 0; i < 5; i++) {
    await page.sleep(2000);
    await page.recordRunToFirstLine();
    await page.run();
    await page.waitForEnd();
    out.push(await page.runToFirstLineMs());
  }
  return out;
}

async function runProgram(page, program, gil) {
  await page.fillEditor(program);
  await page.setGil(gil);
  await page.run();
  if ((await page.waitForEnd(300000)) !== 'done')
    throw new Error(`a benchmark program failed: ${JSON.stringify(await page.lines())}`);
  const text = (await page.texts()).join('\n');
  return Number(text.match(/seconds ([\d.e-]+)/)[1]);
}

try {
  console.error('# Python tab: first load (fresh page, cold cache)');
  const loads = [];
  for (let i = 0; i < REPEATS; i++) loads.push(await firstLoad());
  results.first_load_module_ms = median(loads.map((l) => l.loaded));
  results.first_load_to_first_line_ms = median(loads.map((l) => l.firstLine));

  const page = await env.newPage('#/ex/thread-start?mode=python');
  await page.waitForRunnable(120000);
  await page.waitForCodeEditor();
  await page.fillEditor('print("hello")\n');
  await page.run();
  await page.waitForEnd();
  console.error('# Python tab: Run to first line, warm');
  results.warm_run_to_first_line_ms = median(await warmRuns(page));

  console.error('# the CPU jobs, GIL off, 1 and 2 threads, beside CPython');
  const NUMBER = 20000,
    N = 200000;
  const one = [],
    two = [],
    sumOne = [],
    sumTwo = [],
    cpyOne = [],
    cpySumOne = [];
  // Threads 1 to the machine's cores (issue 18's scaling; the browser reports the same count
  // as hardwareConcurrency): 1 and 2 are the rows the targets use.
  const cores = Math.max(2, availableParallelism());
  /** @type {number[][]} */
  const byThreads = Array.from({ length: cores + 1 }, () => []);
  for (let i = 0; i < REPEATS; i++) {
    for (let k = 1; k <= cores; k++) byThreads[k].push(await runProgram(page, cpuJob(k, NUMBER), false));
    one.push(byThreads[1].at(-1));
    two.push(byThreads[2].at(-1));
    cpyOne.push(cpython(cpuJob(1, NUMBER)));
    sumOne.push(await runProgram(page, sumJob(1, N), false));
    sumTwo.push(await runProgram(page, sumJob(2, N), false));
    cpySumOne.push(cpython(sumJob(1, N)));
  }
  Object.assign(results, {
    product_job_1_thread_s: median(one),
    product_job_2_threads_s: median(two),
    product_job_cpython_s: median(cpyOne),
    sum_job_1_thread_s: median(sumOne),
    sum_job_2_threads_s: median(sumTwo),
    sum_job_cpython_s: median(cpySumOne),
    // Each of k threads does the whole job: the speed-up on k is k times one's time over theirs.
    product_job_speedup_by_threads: Object.fromEntries(
      byThreads.slice(1).map((times, i) => [i + 1, ((i + 1) * median(one)) / median(times)]),
    ),
  });
  await page.close();
} finally {
  await env.close();
}

const dist = new URL('../dist/python/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('manifest.json', dist), 'utf8'));
const wasm = readFileSync(new URL(manifest.wasm.split('?')[0], dist));
results.module_bytes = wasm.length;
results.module_gzip_bytes = gzipSync(wasm, { level: 6 }).length;
const mainWasm = readdirSync(new URL('../dist/', import.meta.url)).find((f) => f.endsWith('_bg.wasm'));
results.page_module_bytes = statSync(new URL(`../dist/${mainWasm}`, import.meta.url)).size;

const s = (x) => `${x.toFixed(2)} s`;
console.log(
  `Python tab, first load: module ${results.first_load_module_ms} ms, to the first line ${results.first_load_to_first_line_ms} ms (median of ${REPEATS} cold pages)`,
);
console.log(`Python tab, Run to first line, warm: ${results.warm_run_to_first_line_ms.toFixed(0)} ms (median of 5)`);
console.log(
  `product job (20,000 numbers): 1 thread ${s(results.product_job_1_thread_s)}, 2 threads ${s(results.product_job_2_threads_s)}, CPython 1 thread ${s(results.product_job_cpython_s)}`,
);
console.log(
  `product job, GIL off, speed-up by threads: ${Object.entries(results.product_job_speedup_by_threads)
    .map(([k, x]) => `${k}: ${x.toFixed(2)}x`)
    .join(', ')}`,
);
console.log(
  `sum job (i < 200,000): 1 thread ${s(results.sum_job_1_thread_s)}, 2 threads ${s(results.sum_job_2_threads_s)}, CPython 1 thread ${s(results.sum_job_cpython_s)}`,
);
console.log(
  `Python module: ${(results.module_bytes / 1e6).toFixed(1)} MB, ${(results.module_gzip_bytes / 1e6).toFixed(2)} MB gzip; the page's own module ${(results.page_module_bytes / 1e6).toFixed(2)} MB`,
);

// Two threads each doing the whole job: the speed-up is twice the one-thread time over theirs.
const speedup = (a, b) => (2 * a) / b;
const targets = [
  [
    'Python tab first load: module + first line (ms, at most)',
    results.first_load_to_first_line_ms,
    3000,
    (v, l) => v <= l,
  ],
  ['Run to first line, warm (ms, at most)', results.warm_run_to_first_line_ms, 300, (v, l) => v <= l],
  [
    "the tutorial's CPU job, GIL off, 2 threads vs 1 (at least)",
    speedup(results.product_job_1_thread_s, results.product_job_2_threads_s),
    1.6,
    (v, l) => v >= l,
  ],
  [
    "the tutorial's CPU job, 1 thread, playground / CPython",
    results.product_job_1_thread_s / results.product_job_cpython_s,
    6,
    (v, l) => v <= l,
  ],
  ['Python module gzip (MB, at most)', results.module_gzip_bytes / 1e6, 12, (v, l) => v <= l],
];
// The benchmark cell's small-int job has no target of its own (the issue's job is the
// tutorial's product): shown for what it says about small objects shared between threads.
console.log(
  `sum job: GIL off, 2 threads vs 1 ${speedup(results.sum_job_1_thread_s, results.sum_job_2_threads_s).toFixed(2)}x; playground / CPython ${(results.sum_job_1_thread_s / results.sum_job_cpython_s).toFixed(2)}x`,
);
console.log('\ntarget                                                    measured   limit   verdict');
for (const [name, v, limit, ok] of targets) {
  console.log(
    `${name.padEnd(56)} ${v.toFixed(2).padStart(9)} ${String(limit).padStart(7)}   ${ok(v, limit) ? 'met' : 'MISSED'}`,
  );
}
mkdirSync(new URL('../target/', import.meta.url), { recursive: true });
writeFileSync(new URL('../target/bench-python.json', import.meta.url), JSON.stringify(results, null, 2));
