// Runs in each kind of state Stop must end: shared by tests/e2e/runs.test.mjs (it stops
// them) and scripts/bench-page.mjs (it times how fast).

const b64 = (text) => Buffer.from(text).toString('base64url');
/// A route's query opening the Python tab with `program` (a share link's code=).
export const python = (program) => `?mode=python&code=${b64(program)}`;

// Each state a run can be in when Stop is pressed: what it is, its address, and what shows
// it is in that state.
export const STOP_CASES = [
  ['spinning (Python, endless loop)', `#/ex/lock-counter${python('while True:\n    pass\n')}`, '[data-testid=status][data-state=running]'],
  ['sleeping', '#/ex/thread-exit?mode=rust&sleep=3600', '[data-testid=line]:text("==end==")'],
  ['deadlocked', '#/ex/pitfall-deadlock?mode=rust', '[data-testid=status][data-state=deadlock]'],
  ['inside a pool', '#/ex/pool-apply-vs-async?mode=rust&max_sleep=3600', '[data-testid=lane]:nth-of-type(3)'],
  ['in a child process', '#/ex/process-class?mode=rust&interval=3600', '[data-testid=line]'],
  ['printing without end', `#/ex/lock-counter${python('i = 0\nwhile True:\n    print(i)\n    i += 1\n')}`, '[data-testid=line-count]:not([data-lines="0"])'],
];

