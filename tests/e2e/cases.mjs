// @ts-check
// Runs in each kind of state Stop must end: shared by tests/e2e/runs.test.mjs (it stops
// them) and scripts/bench-page.mjs (it times how fast).

/** @typedef {import('./page.mjs').PlaygroundPage} PlaygroundPage */

/** @param {string} text */
const b64 = (text) => Buffer.from(text).toString('base64url');
/** A route's query opening the Python tab with `program` (a share link's code=). @param {string} program */
export const python = (program) => `?mode=python&code=${b64(program)}`;

/**
 * Each state a run can be in when Stop is pressed: what it is, its address, and the wait
 * until it shows it is in that state.
 * @type {[string, string, (page: PlaygroundPage, timeout: number) => Promise<void>][]}
 */
export const STOP_CASES = [
  [
    'spinning (Python, endless loop)',
    `#/ex/lock-counter${python('while True:\n    pass\n')}`,
    (page, timeout) => page.waitForState('running', timeout),
  ],
  ['sleeping', '#/ex/thread-exit?mode=rust&sleep=3600', (page, timeout) => page.waitForLine('==end==', timeout)],
  ['deadlocked', '#/ex/pitfall-deadlock?mode=rust', (page, timeout) => page.waitForState('deadlock', timeout)],
  [
    'inside a pool',
    '#/ex/pool-apply-vs-async?mode=rust&max_sleep=3600',
    (page, timeout) => page.waitForLane(3, timeout),
  ],
  ['in a child process', '#/ex/process-class?mode=rust&interval=3600', (page, timeout) => page.waitForAnyLine(timeout)],
  [
    'printing without end',
    `#/ex/lock-counter${python('i = 0\nwhile True:\n    print(i)\n    i += 1\n')}`,
    (page, timeout) => page.waitForPrintedLines(timeout),
  ],
];
