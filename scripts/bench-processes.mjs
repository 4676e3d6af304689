// The Python tab's processes (issue 15's numbers), measured side by side in one run: the
// built site in headless Chromium through the page contract, and the machine's CPython on the
// same Python programs (fork and spawn). Prints a table and the targets as measured ratios;
// writes target/bench-processes.json.
//
//   node scripts/bench-processes.mjs     (scripts/bench.sh builds first and runs it)

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch } from '../tests/e2e/browser.mjs';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Process.start() to the child's first action (it puts the time on a queue), one child at a
// time. `pause` seconds between starts: long enough for the host to make a new warm child
// (warm), or none, after two quick starts have used the warm ones (cold). The first start of
// a program imports what carrying `__main__` needs: it is left out.
const startJob = (method, pause, cold) => `
import multiprocessing as mp, time, json
def first(t0, q):
    q.put(time.time() - t0)
def quick(q):
    q.put(0)
if __name__ == '__main__':
    ctx = mp.get_context(${JSON.stringify(method)})
    q = ctx.Queue()
    times = []
    for i in range(8):
        if ${cold ? 'True' : 'False'}:
            for _ in range(2):  # use up the warm children
                p = ctx.Process(target=quick, args=(q,)); p.start(); q.get(); p.join()
        t0 = time.time()
        p = ctx.Process(target=first, args=(t0, q))
        p.start()
        d = q.get()
        p.join()
        if i > 0:
            times.append(d)
        time.sleep(${pause})
    times.sort()
    print("seconds", times[len(times) // 2])
`;

// A child's memory right after it started (its wasm memory; CPython: its resident set).
const memoryJob = `
import multiprocessing as mp
def size(q):
    try:
        import _pp_mp
        q.put(_pp_mp.memory_bytes())
    except ImportError:
        import resource
        q.put(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
if __name__ == '__main__':
    q = mp.Queue()
    p = mp.Process(target=size, args=(q,))
    p.start()
    print("bytes", q.get())
    p.join()
`;

// Pool(9), as the tutorial's In [42] (each of 10 tasks sleeps 1 s): runs to its end.
const pool9Job = `
import multiprocessing as mp, time
def task(n):
    time.sleep(1)
    return n
if __name__ == '__main__':
    start = time.perf_counter()
    with mp.Pool(9) as p:
        assert p.map(task, range(10)) == list(range(10))
    print("seconds", time.perf_counter() - start)
`;

// Pool(2).map over 10,000 tiny tasks, chunksize 1, the pool warm.
const mapJob = `
import multiprocessing as mp, time
def tiny(x):
    return x
if __name__ == '__main__':
    with mp.Pool(2) as p:
        p.map(tiny, range(200), chunksize=1)
        start = time.perf_counter()
        p.map(tiny, range(10000), chunksize=1)
        print("seconds", time.perf_counter() - start)
`;

// The tutorial's benchmark cell (In [63]) with N instead of 1,000,000: normal, then on two
// processes (their start included), each timed.
const cellJob = (n) => `
import multiprocessing as mp, time
def job(q):
    res = 0
    for i in range(${n}):
        res += i+i**2+i**3
    q.put(res)
def multicore():
    q = mp.Queue()
    p1 = mp.Process(target=job, args=(q,))
    p2 = mp.Process(target=job, args=(q,))
    p1.start(); p2.start(); p1.join(); p2.join()
    return q.get() + q.get()
def normal():
    res = 0
    for _ in range(2):
        for i in range(${n}):
            res += i+i**2+i**3
    return res
if __name__ == '__main__':
    st = time.perf_counter(); a = normal(); t1 = time.perf_counter() - st
    st = time.perf_counter(); b = multicore(); t2 = time.perf_counter() - st
    assert a == b
    print("normal", t1, "multicore", t2)
`;

// CPython runs each program from a file: spawn imports the main module from its path.
const scratch = mkdtempSync(join(tmpdir(), 'pp-bench-'));
function cpython(program) {
  const file = join(scratch, 'main.py');
  writeFileSync(file, program);
  return execFileSync('python3', [file], { encoding: 'utf8', maxBuffer: 1 << 24 });
}
const number = (text, word) => Number(text.match(new RegExp(`${word} ([\\d.e+-]+)`))[1]);

const env = await launch();
const page = await env.newPage('#/ex/ipc-queue?mode=python');
await page.waitForRunnable(120000);
await page.waitForCodeEditor(60000);

async function playground(program) {
  await page.sleep(2000); // the next run's process and its warm children boot
  await page.fillEditor(program);
  await page.run();
  if ((await page.waitForEnd(300000)) !== 'done')
    throw new Error(`a benchmark program failed: ${JSON.stringify(await page.lines())}`);
  return (await page.texts()).join('\n');
}

const results = {};
try {
  console.error('# Process.start() to the first line: warm, cold; CPython fork and spawn');
  results.start_warm_ms = number(await playground(startJob('fork', 1.5, false)), 'seconds') * 1000;
  results.start_cold_ms = number(await playground(startJob('fork', 0, true)), 'seconds') * 1000;
  results.cpython_fork_ms = number(cpython(startJob('fork', 0, false)), 'seconds') * 1000;
  results.cpython_spawn_ms = number(cpython(startJob('spawn', 0, false)), 'seconds') * 1000;

  console.error('# memory per process; Pool(9) of the tutorial');
  results.child_memory_bytes = number(await playground(memoryJob), 'bytes');
  results.cpython_child_rss_bytes = number(cpython(memoryJob), 'bytes');
  results.pool9_s = number(await playground(pool9Job), 'seconds');

  console.error('# Pool(2).map over 10,000 tiny tasks, chunksize 1');
  const map = [],
    cpyMap = [];
  for (let i = 0; i < 3; i++) {
    map.push(number(await playground(mapJob), 'seconds'));
    cpyMap.push(number(cpython(mapJob), 'seconds'));
  }
  results.pool_map_task_us = (median(map) / 10000) * 1e6;
  results.cpython_pool_map_task_us = (median(cpyMap) / 10000) * 1e6;

  console.error("# the tutorial's benchmark cell: normal against multicore");
  // N such that normal takes at least 2 s here: grown from a first guess; then 3 runs at that
  // N, the median ratio (each run's two timings are side by side).
  let n = 1000000;
  for (;;) {
    const normal = number(await playground(cellJob(n)), 'normal');
    if (normal >= 2) break;
    n = Math.ceil((n * 2.2) / Math.max(normal, 0.1) / 100000) * 100000;
  }
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const out = await playground(cellJob(n));
    runs.push([number(out, 'normal'), number(out, 'multicore')]);
  }
  runs.sort((a, b) => a[0] / a[1] - b[0] / b[1]);
  const [normal, multicore] = runs[1];
  const cpy = cpython(cellJob(n));
  Object.assign(results, {
    cell_n: n,
    cell_normal_s: normal,
    cell_multicore_s: multicore,
    cpython_cell_normal_s: number(cpy, 'normal'),
    cpython_cell_multicore_s: number(cpy, 'multicore'),
  });
} finally {
  await page.close();
  await env.close();
}

const ms = (x) => `${x.toFixed(0)} ms`;
const mb = (x) => `${(x / 1e6).toFixed(1)} MB`;
console.log(
  `Process.start() to the child's first line: warm ${ms(results.start_warm_ms)}, cold ${ms(results.start_cold_ms)}; CPython fork ${ms(results.cpython_fork_ms)}, spawn ${ms(results.cpython_spawn_ms)} (medians of 7)`,
);
console.log(
  `memory of a child after start: ${mb(results.child_memory_bytes)} (wasm memory); CPython's child ${mb(results.cpython_child_rss_bytes)} (max RSS)`,
);
console.log(`Pool(9), 10 tasks of 1 s (the tutorial's In [42]) on this machine: ${results.pool9_s.toFixed(2)} s`);
console.log(
  `Pool(2).map, 10,000 tiny tasks, chunksize 1: ${results.pool_map_task_us.toFixed(1)} µs a task; CPython ${results.cpython_pool_map_task_us.toFixed(1)} µs`,
);
console.log(
  `benchmark cell, N = ${results.cell_n} (the median of 3 ratios): normal ${results.cell_normal_s.toFixed(2)} s, multicore ${results.cell_multicore_s.toFixed(2)} s; CPython ${results.cpython_cell_normal_s.toFixed(2)} s, ${results.cpython_cell_multicore_s.toFixed(2)} s`,
);

const targets = [
  ['Process.start() to first line, warm (ms, at most)', results.start_warm_ms, 150, (v, l) => v <= l],
  [
    'Pool(2).map per task, playground / CPython (at most)',
    results.pool_map_task_us / results.cpython_pool_map_task_us,
    3,
    (v, l) => v <= l,
  ],
  [
    'benchmark cell, multicore vs normal (at least)',
    results.cell_normal_s / results.cell_multicore_s,
    1.7,
    (v, l) => v >= l,
  ],
];
console.log('\ntarget                                                    measured   limit   verdict');
for (const [name, v, limit, ok] of targets) {
  console.log(
    `${name.padEnd(56)} ${v.toFixed(2).padStart(9)} ${String(limit).padStart(7)}   ${ok(v, limit) ? 'met' : 'MISSED'}`,
  );
}
mkdirSync(new URL('../target/', import.meta.url), { recursive: true });
writeFileSync(new URL('../target/bench-processes.json', import.meta.url), JSON.stringify(results, null, 2));
