// The tutorial's deterministic outputs, as the page must print them (the same outputs
// tests/examples.rs checks natively). `sorted`: lines whose order the tutorial leaves to the
// scheduler, compared sorted. Runs use the short parameters of examples.test.mjs.

/** @type {(n: number, f: (i: number) => string) => string[]} */
const range = (n, f) => Array.from({ length: n }, (_, i) => f(i));
// How the page shows an exception that ends the program (Python would name file and line).
const traceback = ['Traceback (most recent call last):', '  (raised by the Rust port)'];

/** @type {Record<string, string[]>} */
export const exact = {
  'thread-start': ['i am working', 'finished'],
  'lock-counter': ['10001'],
  'queue-lifo': ['2', '1', '0'],
  'thread-active-count': ['1'],
  'thread-exit': ['==end==', ...range(5, () => 'i am a thread')],
  'thread-join': [...range(10, () => 'hello world'), '==end=='],
  'lock-add': [...range(10, (i) => `add1 ${i + 2}`), ...range(10, (i) => `add2 ${11 + (i + 1) * 10}`)],
  'rlock-account': ['Thread-1取钱成功！吐出钞票:100', '\t余额为: 100', 'Thread-2取钱失败！余额不足！'],
  'daemon-false': [
    'i=0,foo thread daemon is False',
    'Main thread daemon is False',
    'Main thread Exit',
    'i=1,foo thread daemon is False',
    'i=2,foo thread daemon is False',
  ],
  'queue-fifo': ["{'name': 'chenzhi', 'age': 14}", "['a', 'b', 'c']"],
  'queue-priority': ["(1, 'python')", "(2, '-')", "(3, '100')"],
  'queue-simple': ['0', '1', '2'],
  'queue-empty': ['python', '-', '100', 'queue.Empty'],
  'queue-full': ['queue.Full'],
  'queue-sizes': ['1', 'True', 'True'],
  'queue-put-nowait': [...traceback, 'queue.Full'],
  'queue-get-nowait': [...traceback, 'queue.Empty'],
  'queue-fifo-empty-loop': [
    'pushing items to queue:',
    'item no: 1 red',
    'item no: 2 blue',
    'item no: 3 green',
    '',
    'popping items from queue:',
    'item no:  0   red',
    'item no:  1   blue',
    'item no:  2   green',
  ],
  'pool-first': ['[1, 4, 9]'],
  'process-is-alive': ['hello, i am a child process', 'True', 'False'],
  'ipc-queue': ["[42, None, 'hello']"],
  'ipc-pipe': ["[24, 'hello']", 'hello'],
  'shared-value-array': ['0.0', '3.14', '[0, -1, -2, -3, -4, -5, -6, -7, -8, -9]'],
  'manager-list': ["['a', 'b', 'c']", "['a', 'b', 'c']"],
  'pool-apply-async-get': ['[9, 9, 9, 9, 9, 9]'],
  'pool-map': ['[1, 1, 4, 27, 256, 3125, 46656, 823543, 16777216, 387420489]'],
  'pool-map-async-callback': ['[[9, 16, 25, 1]]'],
  'ipc-job-sum': ['499667166000'],
  'pitfall-race': [
    '4 threads x 5000000 increments of one counter, under a Lock',
    'expected 20000000, got 20000000: no update lost',
  ],
  'pool-mixed': ['[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]', '4', '[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]'],
};

/** @type {Record<string, string[]>} */
export const sorted = {
  'thread-local': range(10, (i) => `Thread-${i + 1} 1000`),
  'thread-local-args': range(10, (i) => `Thread-${i + 1} 1000`),
  'process-lock': range(10, (i) => `hello ${i}`),
  'process-nolock': range(4, (i) => `hello ${i}`),
  'process-default-arg': [
    'the name of continent is: africa',
    'the name of continent is: asia',
    'the name of continent is: latein',
  ],
};
for (const lines of Object.values(sorted)) lines.sort();
