// The worker bootstrap: the only hand-written JavaScript of the runtime.
//
// Every worker runs this module. The host (the page's main thread, or a test's worker)
// creates it with startWorker() and sends one `pp:init` message:
//   role "process": instantiate the module with a fresh memory (a process of its own),
//                   boot its runtime, answer `pp:ready`; then a run's first process runs
//                   the program of `pp:run`, a child process (`child` given) its target;
//   role "thread":  instantiate the module on a process's memory and serve as one of its
//                   workers for good (the Rust side never returns).
// Every worker also gets the run's shared segment (a SharedArrayBuffer), when there is one.
// Anything thrown, a Rust panic included (it traps: panic=abort), is reported as
// `pp:error` and rethrown, so it also reaches the host's `onerror`.

export function startWorker(name) {
  return new Worker(new URL(import.meta.url), { type: 'module', name });
}

function report(error) {
  const message = error && error.stack ? `${error}\n${error.stack}` : String(error);
  self.postMessage({ type: 'pp:error', message });
}

async function onInit(event) {
  const msg = event.data;
  if (!msg || msg.type !== 'pp:init') return;
  self.removeEventListener('message', onInit);
  try {
    const glue = await import(msg.glue);
    glue.initSync({ module: msg.module, memory: msg.memory });
    if (msg.segment) glue.pp_attach_segment(msg.segment);
    if (msg.role === 'thread') {
      // Delivered even though this worker never returns to its event loop after this.
      self.postMessage({ type: 'pp:thread-up' });
      glue.pp_thread_main(msg.serial, msg.entry);
      return;
    }
    if (msg.warm) {
      // A warm child: instantiated ahead of time, it waits for the child it will be.
      const child = await new Promise((resolve) => {
        self.addEventListener('message', function onChild(e) {
          if (!e.data || e.data.type !== 'pp:child') return;
          self.removeEventListener('message', onChild);
          resolve(e.data);
        });
        self.postMessage({ type: 'pp:warm' });
      });
      Object.assign(msg, child);
    }
    const booted = glue.pp_process_boot(msg.name, msg.pid, msg.serial, msg.prestart, msg.child ?? undefined);
    if (msg.child) {
      self.postMessage({ type: 'pp:ready', ...booted });
      // Let the host hear of `ready` first: it starts the threads the child will ask for.
      setTimeout(() => {
        try {
          self.postMessage({ type: 'pp:exit', code: glue.pp_process_child() });
        } catch (error) {
          report(error);
          throw error;
        }
      }, 0);
      return;
    }
    self.addEventListener('message', (e) => {
      if (!e.data || e.data.type !== 'pp:run') return;
      try {
        const code = glue.pp_process_run(e.data.example, e.data.query);
        self.postMessage({ type: 'pp:exit', code });
      } catch (error) {
        report(error);
        throw error;
      }
    });
    self.postMessage({ type: 'pp:ready', ...booted });
  } catch (error) {
    report(error);
    throw error;
  }
}

// Only a worker listens; on the page this module just provides startWorker().
if (typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope) {
  self.addEventListener('message', onInit);
}
