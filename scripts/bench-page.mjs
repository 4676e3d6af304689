// The page's own numbers (run by scripts/bench.sh after the others): how fast Stop ends a
// run in each state of tests/e2e/cases.mjs, timed inside the page from the click to the
// status saying "stopped" (median of 3); the target (issue 10) is 200 ms. Writes
// target/bench-page.json.

import { mkdirSync, writeFileSync } from 'node:fs';
import { launch } from '../tests/e2e/browser.mjs';
import { STOP_CASES } from '../tests/e2e/cases.mjs';

const TARGET_MS = 200;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const env = await launch();
const rows = [];
try {
  for (const [what, hash, started] of STOP_CASES) {
    const page = await env.newPage(hash);
    await page.waitForRunnable(60000);
    const times = [];
    for (let pass = 0; pass < 3; pass++) {
      await page.run();
      await started(page, 20000);
      await page.sleep(300);
      // Timed inside the page, from the click to the status saying "stopped".
      const ms = await page.stopTimed();
      await page.waitForEnd();
      times.push(ms);
    }
    rows.push([what, median(times), Math.max(...times)]);
    await page.close();
  }
} finally {
  await env.close();
}
console.log('\n# Stop, click to "stopped" (ms; median and worst of 3)');
console.log('state                                  median    worst   limit   verdict');
for (const [what, med, worst] of rows) {
  console.log(
    `${what.padEnd(36)} ${med.toFixed(1).padStart(8)} ${worst.toFixed(1).padStart(8)} ${String(TARGET_MS).padStart(7)}   ${med <= TARGET_MS ? 'met' : 'MISSED'}`,
  );
}
mkdirSync('target', { recursive: true });
writeFileSync(
  'target/bench-page.json',
  JSON.stringify({ stop_worst_ms: Math.max(...rows.map(([, , worst]) => worst)), rows }, null, 2),
);
