// Plain-JavaScript anchors for the benchmark page (#/bench): what two web workers cost when
// they talk with nothing but the platform, measured in the same browser as the Rust runs.
//
//   atomicsPingPong(rounds):     Atomics.wait / Atomics.notify on a SharedArrayBuffer
//   postMessagePingPong(rounds): a MessageChannel between two workers
//   postMessagePool(tasks):      a pool of two workers fed by a dispatching worker through
//                                MessageChannels, each worker given its next task when it
//                                sends back its last result (per task)
//   atomicsPool(tasks):          a pool of two workers taking tasks one at a time from a
//                                counter in a SharedArrayBuffer, a dispatching worker
//                                waiting on Atomics for all to be done (per task): the
//                                platform's limit for a Pool.map with chunksize 1
//   workerStart(module, memory): a new Worker that instantiates `module` (the page's own) on a
//                                fresh shared memory of `memory`'s size and says so, timed
//                                from the page: the platform's limit for a cold process start
//
// Each resolves to { medianNs, minNs, maxNs } per round trip over several passes, timed
// inside the pinging worker (the worker start: from the page).

const PASSES = 7;

// The workers are a file of the site (anchor-worker.js, copied by index.html): the site's
// Content-Security-Policy (worker-src 'self') refuses blob: workers, which once left the
// benchmark's comparison rows empty.
const workerUrl = () => new URL('anchor-worker.js', document.baseURI);

// No anchor may hang the page: an attempt that has not ended in this long is ended, its
// workers with it, and made once more with fresh workers; a second late one is an error the
// page shows (each takes well under a second here). Twice a CI run's first ping-pong waited
// out a deadline of two minutes, its workers started, its row left empty.
const ATTEMPT_MS = 20000;

// A worker whose script has not run after this long is replaced, once: a CI run's first
// ping-pong once waited out the whole deadline, its two workers created, its row left empty.
const START_MS = 15000;

class Late extends Error {}

/** `promise`, or a `Late` error once an attempt's time is up. @param {Promise<any>} promise */
function inTime(promise) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Late(`did not end in ${ATTEMPT_MS / 1000} s`)), ATTEMPT_MS);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** `attempt()` (which ends its workers however it ends), once more if it was late. */
async function within(attempt, name) {
  try {
    return await attempt();
  } catch (error) {
    if (!(error instanceof Late)) throw error;
    try {
      return await attempt();
    } catch (again) {
      throw new Error(`${name}: ${again instanceof Late ? `twice, ${again.message}` : again}`);
    }
  }
}

function summary(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return { medianNs: sorted[sorted.length >> 1], minNs: sorted[0], maxNs: sorted[sorted.length - 1] };
}

/**
 * A worker of anchor-worker.js once its script runs (it says 'ready'), so that no anchor blocks
 * one worker in Atomics.wait on another that never started.
 * @returns {Promise<Worker>}
 */
async function startWorker() {
  for (let attempt = 1; ; attempt++) {
    const worker = new Worker(workerUrl());
    let timer;
    const started = await new Promise((resolve, reject) => {
      worker.onmessage = (e) => e.data === 'ready' && resolve(true);
      worker.onerror = (e) => reject(new Error(e.message));
      timer = setTimeout(() => resolve(false), START_MS);
    }).finally(() => clearTimeout(timer));
    if (started) return worker;
    worker.terminate();
    if (attempt === 2) throw new Error(`a worker did not start in ${START_MS / 1000} s, twice`);
  }
}

/** @param {number} count */
async function startWorkers(count) {
  const workers = [];
  try {
    for (let i = 0; i < count; i++) workers.push(await startWorker());
    return workers;
  } catch (error) {
    for (const w of workers) w.terminate();
    throw error;
  }
}

async function pingPong(kind, rounds) {
  const [ping, pong] = await startWorkers(2);
  try {
    const result = new Promise((resolve, reject) => {
      ping.onmessage = (e) => resolve(summary(e.data));
      ping.onerror = pong.onerror = (e) => reject(new Error(e.message));
    });
    if (kind === 'atomics') {
      const sab = new SharedArrayBuffer(4);
      pong.postMessage({ kind, role: 'pong', sab, rounds, passes: PASSES });
      ping.postMessage({ kind, role: 'ping', sab, rounds, passes: PASSES });
    } else {
      const channel = new MessageChannel();
      pong.postMessage({ kind, role: 'pong', port: channel.port2, rounds }, [channel.port2]);
      ping.postMessage({ kind, role: 'ping', port: channel.port1, rounds, passes: PASSES }, [channel.port1]);
    }
    return await inTime(result);
  } finally {
    ping.terminate();
    pong.terminate();
  }
}

/**
 * A dispatching worker and a pool of two, started, told their parts by `tell`, and ended: the
 * dispatcher's timings once it posts them.
 */
async function pool(tell) {
  const [dispatcher, ...workers] = await startWorkers(3);
  try {
    const result = new Promise((resolve, reject) => {
      dispatcher.onmessage = (e) => resolve(summary(e.data));
      for (const w of [dispatcher, ...workers]) w.onerror = (e) => reject(new Error(e.message));
    });
    tell(dispatcher, workers);
    return await inTime(result);
  } finally {
    for (const w of [dispatcher, ...workers]) w.terminate();
  }
}

export function postMessagePool(tasks) {
  return within(
    () =>
      pool((dispatcher, workers) => {
        const ports = workers.map((w) => {
          const channel = new MessageChannel();
          w.postMessage({ kind: 'postmessage', role: 'pong', port: channel.port2 }, [channel.port2]);
          return channel.port1;
        });
        dispatcher.postMessage({ kind: 'pool', ports, tasks, passes: PASSES }, ports);
      }),
    'postMessagePool',
  );
}

export function atomicsPool(tasks) {
  return within(
    () =>
      pool((dispatcher, workers) => {
        const sab = new SharedArrayBuffer(4 * (4 + tasks));
        for (const w of workers) w.postMessage({ kind: 'atomics-pool', role: 'worker', sab, tasks, passes: PASSES });
        dispatcher.postMessage({ kind: 'atomics-pool', role: 'dispatcher', sab, tasks, passes: PASSES });
      }),
    'atomicsPool',
  );
}

export function atomicsPingPong(rounds) {
  return within(() => pingPong('atomics', rounds), 'atomicsPingPong');
}

export function postMessagePingPong(rounds) {
  return within(() => pingPong('postmessage', rounds), 'postMessagePingPong');
}

export function workerStart(module, memory) {
  return within(() => workerStarts(module, memory), 'workerStart');
}

async function workerStarts(module, memory) {
  const pages = memory.buffer.byteLength / 65536;
  const times = [];
  // One at a time, the first a warm-up (the worker script fetched, the module's code cached).
  for (let pass = 0; pass <= PASSES; pass++) {
    const t0 = performance.now();
    const worker = new Worker(workerUrl());
    try {
      const reply = await inTime(
        new Promise((resolve, reject) => {
          // Its 'ready' comes first; the start is timed to the module's instantiation.
          worker.onmessage = (e) => e.data !== 'ready' && resolve(e.data);
          worker.onerror = (e) => reject(new Error(e.message));
          worker.postMessage({ kind: 'instantiate', module, pages });
        }),
      );
      if (reply?.error) throw new Error(reply.error);
      if (pass > 0) times.push((performance.now() - t0) * 1e6);
    } finally {
      worker.terminate();
    }
  }
  return summary(times);
}
