// Plain-JavaScript anchors for the benchmark page (#/bench): what two web workers cost when
// they talk with nothing but the platform, measured in the same browser as the Rust runs.
//
//   atomicsPingPong(rounds):     Atomics.wait / Atomics.notify on a SharedArrayBuffer
//   postMessagePingPong(rounds): a MessageChannel between two workers
//   postMessagePool(tasks):      a pool of two workers fed by a dispatching worker through
//                                MessageChannels, each worker given its next task when it
//                                sends back its last result (per task)
//
// Each resolves to { medianNs, minNs, maxNs } per round trip over several passes, timed
// inside the pinging worker.

const PASSES = 7;

const workerSource = `
onmessage = (e) => {
  const { kind, role, sab, port, rounds, passes } = e.data;
  if (kind === 'atomics') {
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
      let sent = 0, done = 0;
      const t0 = performance.now();
      for (const p of ports) {
        p.onmessage = () => {
          if (++done === tasks) {
            times.push(((performance.now() - t0) * 1e6) / tasks);
            if (++pass > passes) postMessage(times.slice(1)); else run();
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
    let pass = 0, i = 0, t0 = performance.now();
    port.onmessage = () => {
      if (++i < rounds) { port.postMessage(i); return; }
      times.push(((performance.now() - t0) * 1e6) / rounds);
      if (++pass > passes) { postMessage(times.slice(1)); return; }
      i = 0; t0 = performance.now(); port.postMessage(0);
    };
    port.postMessage(0);
  }
};`;

function summary(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return { medianNs: sorted[sorted.length >> 1], minNs: sorted[0], maxNs: sorted[sorted.length - 1] };
}

async function pingPong(kind, rounds) {
  const url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
  const ping = new Worker(url);
  const pong = new Worker(url);
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
    return await result;
  } finally {
    ping.terminate();
    pong.terminate();
    URL.revokeObjectURL(url);
  }
}

export async function postMessagePool(tasks) {
  const url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
  const dispatcher = new Worker(url);
  const pool = [new Worker(url), new Worker(url)];
  try {
    const result = new Promise((resolve, reject) => {
      dispatcher.onmessage = (e) => resolve(summary(e.data));
      for (const w of [dispatcher, ...pool]) w.onerror = (e) => reject(new Error(e.message));
    });
    const ports = pool.map((w) => {
      const channel = new MessageChannel();
      w.postMessage({ kind: 'postmessage', role: 'pong', port: channel.port2 }, [channel.port2]);
      return channel.port1;
    });
    dispatcher.postMessage({ kind: 'pool', ports, tasks, passes: PASSES }, ports);
    return await result;
  } finally {
    for (const w of [dispatcher, ...pool]) w.terminate();
    URL.revokeObjectURL(url);
  }
}

export function atomicsPingPong(rounds) {
  return pingPong('atomics', rounds);
}

export function postMessagePingPong(rounds) {
  return pingPong('postmessage', rounds);
}
