//! Python programs run natively by the interpreter on the runtime (std threads stand in for
//! web workers), through the runtime's harness: what they print, by which thread, and how
//! they end. An assert that fails inside the Python program raises `AssertionError`, which
//! ends the program with code 1: every test checks the code, so such a failure fails it.
#![cfg(not(target_arch = "wasm32"))]

use pp_runtime::watch::RecordKind;
use pp_testing::harness::{capture_with, deadlock_now, Captured};

fn run(gil: bool, source: &str) -> Captured {
    capture_with(gil, || pp_python::interp::run_in_this_process(source))
}

/// Runs `source` with the GIL on and off; both must end with code 0.
fn run_both(source: &str) -> [Captured; 2] {
    [true, false].map(|gil| {
        let c = run(gil, source);
        assert_eq!(c.exit.code, 0, "gil={gil}: {:#?}", c.texts());
        c
    })
}

#[test]
fn prints_from_the_main_thread() {
    let c = run(true, "print('hello', 6 * 7)\n");
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
    assert_eq!(c.lines(), vec![("MainThread".to_string(), "hello 42".to_string())]);
}

#[test]
fn a_failing_assert_in_the_program_fails_the_run() {
    let c = run(true, "assert 1 + 1 == 3, 'arithmetic'\n");
    assert_eq!(c.exit.code, 1);
    assert!(c.texts().iter().any(|t| t == "AssertionError: arithmetic"), "{:#?}", c.texts());
}

/// The tutorial's first example (In [2]): each thread's lines are its own, under its name.
#[test]
fn threads_print_under_their_names() {
    let source = "\
import threading, time
def run(n):
    print('task', n)
    time.sleep(0.05)
    print('2s')
t1 = threading.Thread(target=run, args=('t1',))
t2 = threading.Thread(target=run, args=('t2',), name='second')
t1.start(); t2.start()
t1.join(); t2.join()
print('done', threading.active_count())
";
    for c in run_both(source) {
        let mut lines = c.lines();
        assert_eq!(lines.pop(), Some(("MainThread".into(), "done 1".into())));
        lines.sort();
        assert_eq!(
            lines,
            vec![
                ("Thread-1 (run)".into(), "2s".into()),
                ("Thread-1 (run)".into(), "task t1".into()),
                ("second".into(), "2s".into()),
                ("second".into(), "task t2".into()),
            ]
        );
    }
}

/// Four threads add under a lock: no update is lost, with or without the GIL.
#[test]
fn a_lock_keeps_every_update() {
    let source = "\
import threading
count = 0
lock = threading.Lock()
def add():
    global count
    for _ in range(2000):
        with lock:
            count += 1
threads = [threading.Thread(target=add) for _ in range(4)]
for t in threads: t.start()
for t in threads: t.join()
assert count == 8000, count
print(count)
";
    for c in run_both(source) {
        assert_eq!(c.texts(), vec!["8000"]);
    }
}

#[test]
fn rlock_condition_semaphore_event_and_barrier_work_from_python() {
    let source = "\
import threading
r = threading.RLock()
with r:
    with r:
        pass
assert not r._is_owned()

items = []
cv = threading.Condition()
def consume():
    with cv:
        cv.wait_for(lambda: items)
        print('got', items.pop())
c = threading.Thread(target=consume); c.start()
with cv:
    items.append(1)
    cv.notify()
c.join()

s = threading.BoundedSemaphore(2)
assert s.acquire() and s.acquire() and not s.acquire(blocking=False)
s.release(); s.release()
try:
    s.release()
except ValueError:
    print('bounded')

e = threading.Event()
assert not e.wait(0.01)
threading.Timer(0.01, e.set).start()
assert e.wait(5)

b = threading.Barrier(3)
order = []
def meet(i):
    order.append(b.wait())
ts = [threading.Thread(target=meet, args=(i,)) for i in range(3)]
for t in ts: t.start()
for t in ts: t.join()
assert sorted(order) == [0, 1, 2], order
print('ok')
";
    for c in run_both(source) {
        assert_eq!(c.texts(), vec!["got 1", "bounded", "ok"]);
    }
}

#[test]
fn queues_hand_items_over_and_raise_empty_and_full() {
    let source = "\
import queue, threading
q = queue.Queue(2)
def produce():
    for i in range(5):
        q.put(i)
    q.put(None)
threading.Thread(target=produce).start()
got = []
while (item := q.get()) is not None:
    got.append(item)
print(got)
lifo = queue.LifoQueue(); [lifo.put(i) for i in range(3)]
prio = queue.PriorityQueue(); [prio.put(i) for i in (3, 1, 2)]
print([lifo.get() for _ in range(3)], [prio.get() for _ in range(3)])
try:
    queue.Queue().get_nowait()
except queue.Empty:
    print('empty')
full = queue.Queue(1); full.put(1)
try:
    full.put(2, timeout=0.01)
except queue.Full:
    print('full')
";
    for c in run_both(source) {
        assert_eq!(c.texts(), vec!["[0, 1, 2, 3, 4]", "[2, 1, 0] [1, 2, 3]", "empty", "full"]);
    }
}

/// `threading.local`: each thread sees its own attributes.
#[test]
fn thread_local_data_is_per_thread() {
    let source = "\
import threading
data = threading.local()
data.x = 'main'
seen = {}
def work(n):
    data.x = n
    seen[n] = data.x
ts = [threading.Thread(target=work, args=(n,)) for n in range(4)]
for t in ts: t.start()
for t in ts: t.join()
print(data.x, sorted(seen.items()))
";
    for c in run_both(source) {
        assert_eq!(c.texts(), vec!["main [(0, 0), (1, 1), (2, 2), (3, 3)]"]);
    }
}

/// A daemon thread does not hold the program open; a non-daemon thread does.
#[test]
fn the_program_waits_for_non_daemon_threads_only() {
    let source = "\
import threading, time
def forever():
    while True:
        time.sleep(0.01)
def late():
    time.sleep(0.05)
    print('late')
threading.Thread(target=forever, daemon=True).start()
threading.Thread(target=late).start()
print('main ends')
";
    for c in run_both(source) {
        assert_eq!(c.texts(), vec!["main ends", "late"]);
    }
}

/// An exception in a thread prints CPython's report and the program goes on; one in the
/// main thread prints its traceback and ends the program with code 1; `sys.exit(n)` ends it
/// with n.
#[test]
fn exceptions_and_exits_end_as_in_cpython() {
    let c = run(
        true,
        "import threading\ndef f():\n    1 / 0\nt = threading.Thread(target=f)\nt.start(); t.join()\nprint('after')\n",
    );
    assert_eq!(c.exit.code, 0);
    let texts = c.texts();
    assert!(texts.iter().any(|t| t.starts_with("Exception in thread Thread-1 (f)")), "{texts:#?}");
    assert!(texts.iter().any(|t| t == "ZeroDivisionError: division by zero"), "{texts:#?}");
    assert_eq!(texts.last().map(String::as_str), Some("after"));

    let c = run(true, "def f():\n    raise KeyError('k')\nf()\n");
    assert_eq!(c.exit.code, 1);
    let texts = c.texts();
    assert!(texts.iter().any(|t| t.contains("File \"main.py\", line 3")), "{texts:#?}");
    assert!(texts.iter().any(|t| t.trim() == "f()"), "the traceback shows the line: {texts:#?}");
    assert_eq!(texts.last().map(String::as_str), Some("KeyError: 'k'"));

    let c = run(true, "import sys\nprint('bye')\nsys.exit(3)\n");
    assert_eq!((c.exit.code, c.texts()), (3, vec!["bye".to_string()]));
}

/// A syntax error is reported with its line, for the editor to mark, and nothing runs.
#[test]
fn a_syntax_error_names_its_line() {
    let c = run(true, "print('first')\nfor i in range(3)\n    print(i)\n");
    assert_eq!(c.exit.code, 1);
    let error = c.records.iter().find_map(|r| r.source_error()).expect("a source error record");
    assert_eq!(error.line, 2, "{error:?}");
    assert!(c.texts().iter().any(|t| t.starts_with("SyntaxError")), "{:#?}", c.texts());
    assert!(!c.texts().contains(&"first".to_string()), "nothing ran");
}

/// Two threads take two locks in opposite orders: the wait-for graph has the cycle, through
/// the two Python threads by name.
#[test]
fn a_python_deadlock_is_found() {
    let source = "\
import threading, time
a, b = threading.Lock(), threading.Lock()
both = threading.Barrier(2)
def one():
    with a:
        both.wait()
        with b: pass
def two():
    with b:
        both.wait()
        with a: pass
t1 = threading.Thread(target=one, daemon=True); t2 = threading.Thread(target=two, daemon=True)
t1.start(); t2.start()
t1.join(timeout=0.3)
print('stuck', t1.is_alive(), t2.is_alive())
";
    for gil in [true, false] {
        let mut cycle = None;
        let c = capture_with(gil, || {
            pp_python::interp::run_in_this_process(source)?;
            cycle = deadlock_now();
            Ok(())
        });
        assert_eq!((c.exit.code, c.texts()), (0, vec!["stuck True True".to_string()]));
        let cycle = cycle.expect("a wait-for cycle");
        assert_eq!(cycle.len(), 2, "{cycle:?}");
    }
}

/// With the GIL on, CPU-bound threads take turns (the holder hands over after the switch
/// interval, as CPython's eval loop does); the interval can be set from Python.
#[test]
fn with_the_gil_cpu_bound_threads_take_turns() {
    let source = "\
import sys, threading, time
sys.setswitchinterval(0.001)
trace = []
def spin(me):
    end = time.monotonic() + 0.2
    while time.monotonic() < end:
        trace.append(me)
ts = [threading.Thread(target=spin, args=(i,)) for i in range(2)]
for t in ts: t.start()
for t in ts: t.join()
turns = sum(1 for x, y in zip(trace, trace[1:]) if x != y)
print('turns', turns >= 8, turns)
";
    let c = run(true, source);
    assert_eq!(c.exit.code, 0, "{:#?}", c.texts());
    assert!(c.texts()[0].starts_with("turns True"), "{:?}", c.texts());
    let gil_waits = c.records.iter().filter(|r| r.kind == RecordKind::Block).count();
    assert!(gil_waits >= 8, "waits for the GIL show in the timeline ({gil_waits})");
}

/// The parser's Unicode lookups (a `\N{...}` escape, an identifier's NFKC form) answer from the
/// tables `unicodedata` uses (scripts/python-deps.sh patches the parser onto them).
#[test]
fn the_parser_and_unicodedata_share_their_unicode_tables() {
    let source = "\
import unicodedata
print('\\N{DIGIT ONE}\\N{GREEK SMALL LETTER ALPHA}\\N{CJK UNIFIED IDEOGRAPH-4E2D}\\N{HANGUL SYLLABLE GAG}')
\u{fb01}le = 3
\u{210c} = 4
print(file, H)
print(unicodedata.name('\u{3b1}'), unicodedata.lookup('DIGIT ONE'), unicodedata.normalize('NFKC', '\u{fb01}'))
try:
    compile(r\"'\\N{NO SUCH CHARACTER NAME}'\", 's', 'eval')
except SyntaxError as e:
    print('SyntaxError', e.msg)
";
    let c = run(true, source);
    assert_eq!(c.exit.code, 0, "{:#?}", c.texts());
    let texts = c.texts();
    assert_eq!(texts[0], "1\u{3b1}\u{4e2d}\u{ac01}");
    assert_eq!(texts[1], "3 4");
    assert_eq!(texts[2], "GREEK SMALL LETTER ALPHA 1 fi");
    // RustPython's message ("got unexpected unicode"), not CPython's: an unknown name is
    // still a SyntaxError, not a crash.
    assert!(texts[3].starts_with("SyntaxError "), "{texts:?}");
}
