// The workers of the benchmark's plain-JavaScript anchors (anchors.js): a ping-pong over
// Atomics on a SharedArrayBuffer, a ping-pong over a MessageChannel, and a pool's dispatcher
// and its workers. Each pass is timed inside the pinging worker; the first pass warms up.
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
