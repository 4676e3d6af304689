// The workers of the benchmark's plain-JavaScript anchors (anchors.js): a ping-pong over
// Atomics on a SharedArrayBuffer, a ping-pong over a MessageChannel, two pools: a
// dispatcher and its workers over MessageChannels, and over one SharedArrayBuffer; and a
// worker that only instantiates a module. Each pass
// is timed inside the pinging (dispatching) worker; the first pass warms up.

// The shared pool's words: which pass runs, the next task to take, how many are done, then
// each task's result.
const PASS = 0;
const NEXT = 1;
const DONE = 2;
const RESULTS = 4;

// The playground's modules may grow their memory to 1 GiB (.cargo/config.toml's --max-memory):
// a memory given for their import must say the same maximum.
const MAX_PAGES = 16384;

/**
 * Instantiates `module` on a fresh shared memory of `pages` pages, every other import a
 * function that must not be called (instantiating runs none of them), and says so.
 */
async function instantiateBare(module, pages) {
  const memory = new WebAssembly.Memory({ initial: pages, maximum: MAX_PAGES, shared: true });
  const imports = {};
  for (const { module: from, name, kind } of WebAssembly.Module.imports(module)) {
    imports[from] ??= {};
    imports[from][name] =
      kind === 'memory'
        ? memory
        : () => {
            throw new Error(`${from}.${name} was called`);
          };
  }
  await WebAssembly.instantiate(module, imports);
  postMessage('instantiated');
}

onmessage = (e) => {
  const { kind, role, sab, port, rounds, passes } = e.data;
  if (kind === 'instantiate') {
    instantiateBare(e.data.module, e.data.pages).catch((error) => postMessage({ error: String(error) }));
  } else if (kind === 'atomics-pool') {
    const { tasks } = e.data;
    const w = new Int32Array(sab);
    if (role === 'worker') {
      // Takes tasks one at a time (chunksize 1), squares each into its result, counts it done.
      for (let pass = 1; pass <= passes + 1; pass++) {
        while (Atomics.load(w, PASS) < pass) Atomics.wait(w, PASS, pass - 1);
        for (let i; (i = Atomics.add(w, NEXT, 1)) < tasks;) {
          w[RESULTS + i] = i * i;
          if (Atomics.add(w, DONE, 1) + 1 === tasks) Atomics.notify(w, DONE);
        }
      }
      return;
    }
    const times = [];
    for (let pass = 1; pass <= passes + 1; pass++) {
      // DONE first: a task is counted only after it is taken, which NEXT's reset allows.
      Atomics.store(w, DONE, 0);
      Atomics.store(w, NEXT, 0);
      const t0 = performance.now();
      Atomics.store(w, PASS, pass);
      Atomics.notify(w, PASS);
      for (let done; (done = Atomics.load(w, DONE)) < tasks;) Atomics.wait(w, DONE, done);
      times.push(((performance.now() - t0) * 1e6) / tasks);
    }
    postMessage(times.slice(1));
  } else if (kind === 'atomics') {
    const turn = new Int32Array(sab);
    if (role === 'pong') {
      for (let i = 0; i < rounds * (passes + 1); i++) {
        Atomics.wait(turn, 0, 0);
        Atomics.store(turn, 0, 0);
        Atomics.notify(turn, 0);
      }
      return;
    }
    const times = [];
    for (let p = 0; p < passes + 1; p++) {
      const t0 = performance.now();
      for (let i = 0; i < rounds; i++) {
        Atomics.store(turn, 0, 1);
        Atomics.notify(turn, 0);
        Atomics.wait(turn, 0, 1);
      }
      times.push(((performance.now() - t0) * 1e6) / rounds);
    }
    postMessage(times.slice(1));
  } else if (kind === 'pool') {
    const { ports, tasks } = e.data;
    const times = [];
    let pass = 0;
    const run = () => {
      let sent = 0,
        done = 0;
      const t0 = performance.now();
      for (const p of ports) {
        p.onmessage = () => {
          if (++done === tasks) {
            times.push(((performance.now() - t0) * 1e6) / tasks);
            if (++pass > passes) postMessage(times.slice(1));
            else run();
          } else if (sent < tasks) {
            p.postMessage(sent++);
          }
        };
      }
      for (const p of ports) p.postMessage(sent++);
    };
    run();
  } else {
    if (role === 'pong') {
      port.onmessage = (m) => port.postMessage(m.data * 2);
      return;
    }
    const times = [];
    let pass = 0,
      i = 0,
      t0 = performance.now();
    port.onmessage = () => {
      if (++i < rounds) {
        port.postMessage(i);
        return;
      }
      times.push(((performance.now() - t0) * 1e6) / rounds);
      if (++pass > passes) {
        postMessage(times.slice(1));
        return;
      }
      i = 0;
      t0 = performance.now();
      port.postMessage(0);
    };
    port.postMessage(0);
  }
};

// The page (anchors.js) gives a worker its part only once its script runs.
postMessage('ready');
