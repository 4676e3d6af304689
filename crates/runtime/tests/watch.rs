//! The watch table and ring, read from outside as the page reads them (`TableReader` over
//! `LocalMemory`, the native twin of the browser's `JsMemory`): holders, waits, the
//! deadlock check, and a ring that loses nothing when its reader is slow.
#![cfg(not(target_arch = "wasm32"))]

use pp_runtime::runtime::Runtime;
use pp_runtime::threading::{Lock, Thread};
use pp_runtime::watch::graph::{deadlock, signature};
use pp_runtime::watch::reader::{LocalMemory, TableReader};
use pp_testing::harness::capture;

/// SAFETY (of the callers): every address read is one of a live, leaked table of this test.
fn local_memory() -> LocalMemory {
    // SAFETY: see above.
    unsafe { LocalMemory::new() }
}
use pp_runtime::watch::{RecordKind, Ring, Table};
use std::sync::Arc;
use std::time::Duration;

/// For the checks of one process: no lock of the segment is involved.
fn no_segment(_: u32) -> u32 {
    0
}

fn reader() -> TableReader {
    TableReader::new(Runtime::current().table as *const Table as usize)
}

#[test]
fn a_deadlock_is_found_with_who_holds_and_who_waits() {
    let c = capture(|| {
        let (r1, r2) = (Arc::new(Lock::named("record 1")), Arc::new(Lock::named("record 2")));
        let spawn = |first: Arc<Lock>, second: Arc<Lock>, name: &str| {
            let t = Thread::new(move || {
                first.acquire_blocking();
                std::thread::sleep(Duration::from_millis(100));
                second.acquire_blocking(); // never returns
            })
            .with_name(name)
            .with_daemon(true);
            t.start().unwrap();
            t
        };
        let a = spawn(r1.clone(), r2.clone(), "A");
        let b = spawn(r2.clone(), r1.clone(), "B");
        std::thread::sleep(Duration::from_millis(400));
        let pid = Runtime::current().process.pid;
        let first = vec![(pid, reader().snapshot(&local_memory()))];
        let cycle = deadlock(&first, no_segment).expect("a cycle");
        assert_eq!(cycle.len(), 2);
        let (ida, idb) = ((pid, a.watch_id()), (pid, b.watch_id()));
        let edge_of = |t| cycle.iter().find(|e| e.thread == t).copied().unwrap();
        assert_eq!((edge_of(ida).object, edge_of(ida).holder), (r2.watch_id(), idb), "A waits for record 2, held by B");
        assert_eq!((edge_of(idb).object, edge_of(idb).holder), (r1.watch_id(), ida), "B waits for record 1, held by A");
        std::thread::sleep(Duration::from_millis(50));
        let second = vec![(pid, reader().snapshot(&local_memory()))];
        let again = deadlock(&second, no_segment).unwrap();
        assert_eq!(signature(&first, &cycle), signature(&second, &again), "the same waits, still");
        Ok(())
    });
    assert_eq!(c.exit.code, 0);
}

/// Every kind of wait the timeline draws names the object waited on (and an RLock its holder).
#[test]
fn each_kind_of_wait_names_its_object() {
    use pp_runtime::queue::Queue;
    use pp_runtime::threading::{current_thread, Barrier, Condition, Event, RLock};
    use pp_runtime::watch::ObjectKind;
    let c = capture(|| {
        let q = Arc::new(Queue::<i32>::new(0));
        let cond = Arc::new(Condition::new());
        let barrier = Arc::new(Barrier::new(2)?);
        let event = Arc::new(Event::new());
        let rlock = Arc::new(RLock::new());
        rlock.acquire(true, None)?;
        let sleeper = Thread::new(|| pp_runtime::threading::sleep(0.5));
        sleeper.start()?;
        let waiters = [
            Thread::new({
                let q = q.clone();
                move || {
                    let _ = q.get();
                }
            }),
            Thread::new({
                let cond = cond.clone();
                move || {
                    let _with = cond.enter();
                    cond.wait(Some(5.0)).map(drop)
                }
            }),
            Thread::new({
                let barrier = barrier.clone();
                move || drop(barrier.wait(None))
            }),
            Thread::new({
                let event = event.clone();
                move || {
                    let _ = event.wait(None);
                }
            }),
            Thread::new({
                let sleeper = sleeper.clone();
                move || sleeper.join(None)
            }),
            Thread::new({
                let rlock = rlock.clone();
                move || rlock.acquire(true, None).map(drop)
            }),
        ];
        waiters.iter().try_for_each(|t| t.start())?;
        std::thread::sleep(Duration::from_millis(200));
        let s = reader().snapshot(&local_memory());
        let kind_of = |t: &Thread| {
            let view = s.threads.iter().find(|v| v.id == t.watch_id()).expect("the waiter's slot");
            let object = s.objects.iter().find(|o| o.id == view.waits_on).expect("the object waited on");
            (object.kind, object.holder)
        };
        let kinds: Vec<u32> = waiters.iter().map(|t| kind_of(t).0).collect();
        let expected = [ObjectKind::Queue, ObjectKind::Condition, ObjectKind::Barrier, ObjectKind::Event]
            .into_iter()
            .chain([ObjectKind::Thread, ObjectKind::RLock])
            .map(|k| k as u32)
            .collect::<Vec<_>>();
        assert_eq!(kinds, expected);
        assert_eq!(kind_of(&waiters[5]).1, current_thread().watch_id(), "the RLock's holder is the main thread");
        q.put(1);
        {
            let _with = cond.enter();
            cond.notify_all()?;
        }
        barrier.wait(None).expect("the second party");
        event.set();
        rlock.release()?;
        waiters.iter().try_for_each(|t| t.join(Some(5.0)))
    });
    assert_eq!(c.exit.code, 0, "{:?}", c.texts());
}

#[test]
fn no_cycle_while_waits_can_end() {
    let c = capture(|| {
        let lock = Arc::new(Lock::new());
        lock.acquire_blocking();
        let l = lock.clone();
        let t = Thread::new(move || l.acquire(true, Some(5.0)).map(drop));
        t.start()?;
        std::thread::sleep(Duration::from_millis(100));
        let s = reader().snapshot(&local_memory());
        let waiter = s.threads.iter().find(|v| v.id == t.watch_id()).unwrap();
        assert_eq!(waiter.waits_on, lock.watch_id());
        assert!(waiter.timed, "a wait with a timeout is marked as such");
        assert!(deadlock(&[(1, s)], no_segment).is_none());
        lock.release()?;
        t.join(None)
    });
    assert_eq!(c.exit.code, 0);
}

#[test]
fn only_real_sleeps_are_recorded_as_waits() {
    let c = capture(|| {
        let lock = Lock::new();
        for _ in 0..1000 {
            lock.acquire_blocking();
            lock.release()?;
        }
        pp_runtime::threading::sleep(0.02);
        Ok(())
    });
    let blocks: Vec<_> = c.records.iter().filter(|r| r.kind == RecordKind::Block).collect();
    assert_eq!(blocks.len(), 1, "the sleep only, not 1000 uncontended acquires: {blocks:?}");
    assert_eq!(blocks[0].arg, 0, "a sleep waits on no object");
}

#[test]
fn a_full_ring_slows_its_writers_down_and_loses_nothing() {
    let ring = Arc::new(Ring::new(1024));
    ring.set_attached(true);
    let writer = {
        let ring = ring.clone();
        std::thread::spawn(move || {
            for i in 0..5000u32 {
                ring.push(RecordKind::Line, 1, 1, format!("line {i}").as_bytes());
            }
        })
    };
    let mut got = Vec::new();
    let start = std::time::Instant::now();
    while got.len() < 5000 {
        assert!(start.elapsed() < Duration::from_secs(60), "drained {} of 5000 lines in 60 s", got.len());
        std::thread::sleep(Duration::from_micros(200)); // a slow page
        let bytes = ring.drain_local();
        got.extend(pp_runtime::watch::record::decode(&bytes).unwrap().into_iter().map(|r| r.text()));
    }
    writer.join().unwrap();
    assert_eq!(got, (0..5000).map(|i| format!("line {i}")).collect::<Vec<_>>());
}

/// Objects carry display names: the one a port gives, else `<kind> N`.
#[test]
fn objects_carry_their_display_names() {
    use pp_runtime::queue::Queue;
    use pp_runtime::threading::{Barrier, Condition, Event, RLock, Semaphore};
    let c = capture(|| {
        let named = (
            Lock::named("record 1"),
            RLock::named("ledger"),
            Condition::named("ready"),
            Semaphore::named(2, "seats")?,
            Event::named("go"),
            Barrier::named(2, "start line")?,
            Queue::<i32>::named(0, "jobs"),
        );
        let unnamed = (Lock::new(), Lock::new(), Event::new());
        drop((named, unnamed));
        Ok(())
    });
    let names: Vec<String> = c.records.iter().filter_map(|r| r.object_new()).map(|(_, name)| name).collect();
    for expected in ["record 1", "ledger", "ready", "seats", "go", "start line", "jobs", "lock 1", "lock 2", "event 1"]
    {
        assert!(names.iter().any(|n| n == expected), "no object named {expected:?} in {names:?}");
    }
}

mod interleave {
    use pp_runtime::watch::console::interleave;
    use pp_runtime::watch::{Record, RecordKind};

    fn line(t_us: u64, text: &str) -> Record {
        Record { kind: RecordKind::Line, thread: 1, arg: 1, t_us, payload: text.as_bytes().to_vec() }
    }

    fn texts(runs: &[(&str, Vec<Record>)]) -> Vec<String> {
        runs.iter().flat_map(|(who, rs)| rs.iter().map(move |r| format!("{who}:{}", r.text()))).collect()
    }

    /// The tutorial's is_alive example: the child printed, ended, was joined, then the
    /// parent printed; the parent's ring is read first.
    #[test]
    fn a_line_printed_after_a_childs_comes_after_it_whatever_ring_is_read_first() {
        let read = vec![("main", vec![line(300, "False")]), ("child", vec![line(100, "hello"), line(120, "True")])];
        let (runs, held) = interleave(read, u64::MAX);
        assert_eq!(texts(&runs), ["child:hello", "child:True", "main:False"]);
        assert_eq!(runs.len(), 2, "runs of one process stay together");
        assert!(held.is_empty());
    }

    #[test]
    fn order_within_a_process_is_the_rings_even_when_stamps_cross() {
        let read = vec![("p", vec![line(10, "a"), line(9, "b"), line(11, "c")]), ("q", vec![line(10, "x")])];
        let (runs, _) = interleave(read, u64::MAX);
        let all = texts(&runs);
        let p: Vec<&String> = all.iter().filter(|t| t.starts_with("p:")).collect();
        assert_eq!(p, ["p:a", "p:b", "p:c"]);
    }

    /// The parent printed after the horizon and then woke the child, whose line landed in
    /// this read because its ring was read later: both wait for the next read.
    #[test]
    fn records_from_the_horizon_on_wait_for_the_next_read_and_keep_their_order() {
        let read = vec![("main", vec![line(50, "start"), line(200, "put")]), ("child", vec![line(210, "got")])];
        let (runs, held) = interleave(read, 100);
        assert_eq!(texts(&runs), ["main:start"]);
        let next = held.into_iter().chain([("main", vec![line(300, "done")])]).collect();
        let (runs, held) = interleave(next, u64::MAX);
        assert_eq!(texts(&runs), ["main:put", "child:got", "main:done"]);
        assert!(held.is_empty());
    }
}

/// The run's line clock (`Segment::line_stamp`): a line is stamped after every line stamped
/// before it in any process, whatever that process's own clock said.
mod line_clock {
    use pp_platform::clock::stamp_us;
    use pp_platform::segment::Segment;

    #[test]
    fn a_line_comes_after_every_earlier_line_even_from_a_clock_that_runs_behind() {
        let seg = Segment::new(1 << 16);
        let now = stamp_us();
        let child = seg.line_stamp(now + 5_000); // a worker whose clock runs 5 ms ahead
        let parent = seg.line_stamp(now + 100); // printed after it (it saw the child end)
        assert!(parent > child, "{parent} after {child}");
        let later = seg.line_stamp(now + 10_000);
        assert_eq!(later, now + 10_000, "a clock ahead of every line is taken as it is");
    }

    #[test]
    fn stamps_from_many_threads_are_all_different() {
        let seg = Segment::new(1 << 16);
        let now = stamp_us();
        let stamps: Vec<u64> = std::thread::scope(|s| {
            let handles: Vec<_> =
                (0..4).map(|_| s.spawn(|| (0..1000).map(|_| seg.line_stamp(now)).collect::<Vec<_>>())).collect();
            handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
        });
        let distinct: std::collections::HashSet<u64> = stamps.iter().copied().collect();
        assert_eq!(distinct.len(), stamps.len());
    }
}

/// A view of the memory that does not reach the ring's bytes yet (the browser's view of a
/// process that grew lags behind, as WebKit's did) leaves the records in the ring, whole, for
/// the next read: nothing lost, no panic.
#[test]
fn a_view_that_lags_behind_the_memory_leaves_the_records_for_the_next_read() {
    use pp_runtime::watch::reader::Memory;
    use std::cell::Cell;

    struct Lagging {
        inner: LocalMemory,
        refusals: Cell<u32>,
    }
    impl Memory for Lagging {
        fn load_u32(&self, addr: usize) -> u32 {
            self.inner.load_u32(addr)
        }
        fn load_ptr(&self, addr: usize) -> usize {
            self.inner.load_ptr(addr)
        }
        fn store_u32(&self, addr: usize, value: u32) {
            self.inner.store_u32(addr, value)
        }
        fn notify(&self, addr: usize) {
            self.inner.notify(addr)
        }
        fn read(&self, addr: usize, out: &mut [u8]) -> bool {
            if self.refusals.get() > 0 {
                self.refusals.set(self.refusals.get() - 1);
                return false;
            }
            self.inner.read(addr, out)
        }
    }

    let table: &'static Table = Box::leak(Table::new_boxed(1024));
    table.ring.set_attached(true);
    for i in 0..3u32 {
        table.ring.push(RecordKind::Line, 1, 1, format!("line {i}").as_bytes());
    }
    let reader = TableReader::new(table as *const Table as usize);
    let lagging = Lagging { inner: local_memory(), refusals: Cell::new(2) };
    assert!(reader.drain(&lagging).unwrap().is_empty(), "the first read does not reach");
    assert!(reader.drain(&lagging).unwrap().is_empty(), "nor the second");
    let lines: Vec<String> = reader.drain(&lagging).unwrap().into_iter().map(|r| r.text()).collect();
    assert_eq!(lines, ["line 0", "line 1", "line 2"]);
}
