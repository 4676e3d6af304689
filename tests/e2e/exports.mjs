// @ts-check
// Taking a run away: the trace-event JSON (one track per thread, each with its life as a
// complete event) and the timeline as a standalone SVG. Shared by Chromium
// (playground.test.mjs) and WebKit (webkit.test.mjs); browser-neutral.

import assert from 'node:assert/strict';

/** @typedef {import('./page.mjs').PlaygroundPage} PlaygroundPage */

/** @param {(address: string) => Promise<PlaygroundPage>} open */
export async function checkExports(open) {
  const page = await open('#/ex/lock-counter?mode=rust');
  await page.waitForRunnable(30000);
  await page.run();
  assert.equal(await page.waitForEnd(30000), 'done');
  const lanes = await page.lanes();

  const trace = await page.exportFile('trace');
  assert.equal(trace.name, 'lock-counter-trace.json');
  /** @type {{ traceEvents: { name: string, ph: string, pid: number, tid: number, ts?: number, dur?: number, args?: Record<string, string> }[] }} */
  const json = JSON.parse(trace.text);
  const tracks = json.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.tid > 0);
  assert.deepEqual(
    tracks.map((e) => e.args?.name),
    lanes,
    'a track per thread, named as the timeline names it',
  );
  for (const track of tracks) {
    const life = json.traceEvents.find((e) => e.ph === 'X' && e.tid === track.tid && e.pid === track.pid);
    assert.ok(life && life.ts !== undefined && life.dur !== undefined, `${track.args?.name} has its life`);
  }
  const printed = json.traceEvents.filter((e) => e.ph === 'i' && e.name === 'print');
  assert.deepEqual(
    printed.map((e) => e.args?.text),
    ['10001'],
  );

  const flows = json.traceEvents.filter((e) => e.ph === 's');
  assert.equal(flows.length, (await page.wakeArrows()).length, 'a flow per who-woke-whom arrow');
  assert.equal(json.traceEvents.filter((e) => e.ph === 'f').length, flows.length, 'each flow ends');

  const svg = await page.exportFile('svg');
  assert.equal(svg.name, 'lock-counter-timeline.svg');
  assert.match(svg.text, /^<\?xml[^>]*>\s*<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(svg.text, /fill="rgb/, 'colours written in');
  assert.equal((svg.text.match(/data-testid="lane"/g) ?? []).length, lanes.length);
  assert.match(svg.text, /<line[^>]*class="wake-arrow"[^>]*stroke="rgb/, 'arrows, coloured in');
  await page.close();
}
