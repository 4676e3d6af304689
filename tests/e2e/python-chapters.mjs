// @ts-check
// The Python tab's chapters on threads (2-5) and queues (10): the tutorial's cells, unchanged,
// give its output. Shared by Chromium (python.test.mjs) and WebKit (webkit.test.mjs);
// browser-neutral: `open(address)` opens the site at `address` in a fresh page and returns its
// page object (page.mjs). python/tests/tutorial.rs runs the same programs natively.

import assert from 'node:assert/strict';

/** @typedef {import('./page.mjs').PlaygroundPage} PlaygroundPage */

// Python 3.10+ warns that isDaemon() is deprecated (on stderr, with the line after it).
/** @param {string[]} ts */
const withoutWarnings = (ts) =>
  ts.filter((t, i) => !t.includes('DeprecationWarning') && !(ts[i - 1] ?? '').includes('DeprecationWarning'));

/** @param {(address: string) => Promise<PlaygroundPage>} open */
export async function checkPythonChapters(open) {
  // One page, each example's route followed in it (the Python module compiled once).
  const page = await open('#/');
  /** Opens an example's Python tab, runs it, and checks how it ended. @param {string} id */
  const runPython = async (id, { expect = 'done' } = {}) => {
    await page.followExample(`#/ex/${id}?mode=python`, 30000);
    await page.waitForTab('python');
    await page.waitForRunnable(60000);
    await page.run();
    const state = await page.waitForEnd(60000);
    assert.equal(state, expect, `${id}: ${JSON.stringify(await page.lines())}`);
  };

  // chapter 2 runs the tutorial's Python unchanged
  {
    await runPython('thread-start');
    assert.deepEqual(await page.lines(), [
      ['worker', 'i am working'],
      ['worker', 'finished'],
    ]);

    await runPython('thread-signature');
    const help = (await page.texts()).join('\n');
    for (const p of [
      'class Thread',
      'group=None',
      'target=None',
      'name=None',
      'args=()',
      'kwargs=None',
      'daemon=None',
    ]) {
      assert.ok(help.includes(p), p);
    }

    // The thread's two lines in order; the main thread's line may come before, between or
    // after them (CPython's GIL makes "after" likely, not certain).
    await runPython('thread-args');
    let ts = (await page.lines()).filter(([who]) => who === 'chenzhi').map(([, t]) => t);
    assert.equal(ts[0], 'cgatcgat');
    assert.match(ts[1], /^<Thread\(chenzhi, started \d+\)>$/);
    ts = (await page.lines()).filter(([who]) => who === 'MainThread').map(([, t]) => t);
    assert.match(ts[0], /^<_MainThread\(MainThread, started \d+\)>$/);

    await runPython('thread-active-count');
    assert.deepEqual(await page.texts(), ['1']);
    for (const id of ['thread-current', 'thread-main', 'thread-enumerate']) {
      await runPython(id);
      ts = await page.texts();
      assert.equal(ts.length, 1, id);
      assert.match(ts[0], /^<_MainThread\(MainThread, started \d+\)>$/, id);
    }
    await runPython('thread-ident');
    assert.match((await page.texts())[0], /^\d+$/);

    await runPython('thread-exit');
    assert.deepEqual(await page.texts(), ['==end==', ...Array(5).fill('i am a thread')]);
    const ms = await page.elapsedMs();
    assert.ok(ms >= 10000 && ms < 13000, `five sleeps of 2 s took ${ms} ms`);
  }

  // chapter 3: the locks
  {
    await runPython('lock-add');
    // The tutorial's order (add1's ten, then add2's), or, when the second thread takes the
    // lock first (WebKit once, its first thread's start slower than the GIL's switch
    // interval), add2's ten then add1's: either way each thread's updates are whole, which
    // is what the lock is for.
    /** @param {string} name @param {number} first @param {number} step */
    const block = (name, first, step) => Array.from({ length: 10 }, (_, i) => `${name} ${first + step * i}`);
    const tutorials = [...block('add1', 2, 1), ...block('add2', 21, 10)];
    const secondFirst = [...block('add2', 11, 10), ...block('add1', 102, 1)];
    const texts = await page.texts();
    assert.ok(
      [tutorials, secondFirst].some((order) => JSON.stringify(order) === JSON.stringify(texts)),
      `each thread's ten updates whole: ${texts.join(', ')}`,
    );

    await runPython('rlock-account');
    const ts = await page.texts();
    assert.match(ts[0], /取钱成功！吐出钞票:100$/);
    assert.equal(ts[1], '\t余额为: 100');
    assert.match(ts[2], /取钱失败！余额不足！$/);

    await runPython('lock-counter');
    assert.deepEqual(await page.lines(), [['MainThread', '10001']]);
    assert.equal(await page.laneCount(), 11, 'a lane per Python thread');
  }

  // chapter 4: daemon threads and join
  {
    await runPython('daemon-false');
    let ts = withoutWarnings(await page.texts());
    for (let i = 0; i < 3; i++) assert.ok(ts.includes(`i=${i},foo thread daemon is False`), JSON.stringify(ts));
    assert.ok(ts.includes('Main thread Exit'));

    await runPython('daemon-true');
    ts = withoutWarnings(await page.texts());
    assert.ok(ts.includes('Main thread Exit'));
    assert.ok(!ts.includes('i=2,foo1 thread daemon is True'), 'the daemon was cut off');

    // The daemons may print after the main thread's last line, until the program's end (the
    // tutorial's output shows it too).
    await runPython('daemon-none');
    ts = withoutWarnings(await page.texts());
    assert.ok(ts.includes('Main Thread Exit.'));
    assert.ok(ts.includes('【bar】 daemon is True'));

    await runPython('thread-join');
    assert.deepEqual(await page.texts(), [...Array(10).fill('hello world'), '==end==']);
  }

  // chapter 5: thread-local data (the Python 2 lines changed, and said so)
  {
    for (const id of ['thread-local-args', 'thread-local']) {
      await runPython(id);
      const own = (await page.lines()).filter(([, t]) => t.endsWith(' 1000'));
      assert.equal(own.length, 10, id);
      for (const [who, t] of own) assert.equal(t, `${who} 1000`);
      assert.equal(await page.programChangeCount(), 2, 'two lines changed for Python 3');
    }
  }

  // chapter 10: the queue module, its outputs and exceptions
  {
    const exact = {
      'queue-fifo': ["{'name': 'chenzhi', 'age': 14}", "['a', 'b', 'c']"],
      'queue-lifo': ['2', '1', '0'],
      'queue-priority': ["(1, 'python')", "(2, '-')", "(3, '100')"],
      'queue-simple': ['0', '1', '2'],
      'queue-empty': ['python', '-', '100', 'queue.Empty'],
      'queue-full': ['queue.Full'],
      'queue-sizes': ['1', 'True', 'True'],
    };
    for (const [id, want] of Object.entries(exact)) {
      await runPython(id);
      assert.deepEqual(await page.texts(), want, id);
    }
    /** @type {[string, string, number][]} */
    const raising = [
      ['queue-put-timeout', 'queue.Full', 2000],
      ['queue-put-nowait', 'queue.Full', 0],
      ['queue-get-timeout', '_queue.Empty', 1000],
      ['queue-get-nowait', '_queue.Empty', 0],
    ];
    // How long the program blocked is read from the timeline (its wait on the queue), not from
    // its wall time: raising and printing a traceback in a fresh interpreter takes up to 2 s of
    // the wall time in WebKit (JavaScriptCore's first, slower tiers), none of it waiting.
    for (const [id, exception, timeoutMs] of raising) {
      await runPython(id, { expect: 'failed' });
      assert.equal((await page.texts()).at(-1), exception, id);
      const waits = (await page.timeline())
        .flatMap((lane) => lane.waits)
        .filter((w) => /^(put|get) /.test(w.what))
        .map((w) => (w.toUs - w.fromUs) / 1000);
      if (timeoutMs === 0) assert.deepEqual(waits, [], `${id} raised at once`);
      else {
        assert.equal(waits.length, 1, `${id}: one wait on the queue, ${waits}`);
        // The timeout runs from the call (as CPython's); the timeline's wait from the moment
        // the thread blocked, after it took the queue's lock: on a busy machine 1.7 ms later.
        assert.ok(waits[0] >= timeoutMs - 10 && waits[0] < timeoutMs + 500, `${id}: waited ${waits[0]} ms`);
      }
      assert.ok((await page.elapsedMs()) >= timeoutMs, id);
    }
  }
  await page.close();
}
