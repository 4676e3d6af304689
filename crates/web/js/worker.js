// The worker bootstrap: the only hand-written JavaScript of the runtime.
//
// Every worker runs this module. The host (the page's main thread, or a test's worker)
// creates it with startWorker() and sends one `pp:init` message ({type, data}). This file
// reads just what it takes to instantiate the module (`glue`, `module`, and `memory`: a
// process's memory for a thread, none for a process, which then gets a fresh one) and hands
// the message to Rust,
// which reads it typed (crates/platform/src/messages.rs) and does the rest (crates/web/src/worker.rs).
// Anything thrown, a Rust panic included (it traps: panic=abort), is reported as `pp:error`
// and rethrown, so it also reaches the host's `onerror`.

// Each worker's script address is its own (`?worker=N`): WebKit (WebKitGTK 2.50) lets only the
// first of several workers started at once on one address be controlled by the site's service
// worker; the others load past it, and offline their imports fail. www/sw.js serves every
// `?worker=` address from the one cached file.
let started = 0;

/** Workers started before the page's module could ask for them (see `WORKERS_AHEAD`). */
const ahead = [];

export function startWorker(name) {
  return ahead.shift() ?? newWorker(name);
}

function newWorker(name) {
  const url = new URL(import.meta.url);
  url.searchParams.set('worker', String(++started));
  return new Worker(url, { type: 'module', name });
}

// A page may ask, with this event (`detail`: how many), for workers started now, while its
// module is still on its way: each fetches this script and starts its thread meanwhile, and
// the page's first process then takes them (startWorker) instead of waiting for that after
// the module came. They wait for their `pp:init` as any new worker does.
const WORKERS_AHEAD = 'pp:workers-ahead';
if (typeof window !== 'undefined') {
  addEventListener(WORKERS_AHEAD, (event) => {
    for (let i = 0; i < event.detail; i++) ahead.push(newWorker('worker started ahead'));
  });
}

function report(error) {
  const message = error && error.stack ? `${error}\n${error.stack}` : String(error);
  self.postMessage({ type: 'pp:error', data: { message } });
}

// A thread worker started before its process booted is told the glue first (`pp:load`):
// importing it then takes its fetch and compilation out of the wait for the process. Its
// failure is reported by `pp:init`'s import of the same address.
function onLoad(event) {
  const msg = event.data;
  if (msg && msg.type === 'pp:load') import(msg.data.glue).catch(() => {});
}

async function onInit(event) {
  const msg = event.data;
  if (!msg || msg.type !== 'pp:init') return;
  self.removeEventListener('message', onInit);
  self.removeEventListener('message', onLoad);
  try {
    const glue = await import(msg.data.glue);
    glue.initSync({ module: msg.data.module, memory: msg.data.memory });
    // A module built on the runtime says here what its programs are (src/web/worker.rs).
    glue.pp_module_init?.();
    glue.pp_worker_start(msg);
  } catch (error) {
    report(error);
    throw error;
  }
}

// Only a worker listens, and only this module's first instance there: the glue imports this
// file again (another address, so another instance), and after a `pp:load` that instance
// would be loaded before `pp:init` came, and instantiate a second time. On the page this
// module just provides startWorker().
if (typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope && !self.ppBootstrap) {
  self.ppBootstrap = true;
  self.addEventListener('message', onLoad);
  self.addEventListener('message', onInit);
}
