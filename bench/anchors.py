"""CPython anchors for scripts/bench.sh: the same measurements as src/bench.rs, in Python
(GIL and all), printed in the same format:

    BENCH cpython_<name> median_ns=<ns per operation> min_ns=.. max_ns=.. passes=7
"""
import multiprocessing
import queue
import statistics
import sys
import threading
import time

PASSES = 7


def report(name, one_pass):
    one_pass()  # warm-up
    ns = sorted(one_pass() for _ in range(PASSES))
    print(f"BENCH cpython_{name} median_ns={statistics.median(ns):.1f} min_ns={ns[0]:.1f} max_ns={ns[-1]:.1f} passes={PASSES}")


def lock_uncontended(iters=1_000_000):
    lock = threading.Lock()
    acquire, release = lock.acquire, lock.release
    t0 = time.perf_counter_ns()
    for _ in range(iters):
        acquire()
        release()
    return (time.perf_counter_ns() - t0) / iters


def lock_handoff(rounds=10_000):
    ping, pong = threading.Lock(), threading.Lock()
    ping.acquire()
    pong.acquire()

    def other():
        for _ in range(rounds):
            ping.acquire()
            pong.release()

    t = threading.Thread(target=other)
    t.start()
    t0 = time.perf_counter_ns()
    for _ in range(rounds):
        ping.release()
        pong.acquire()
    ns = (time.perf_counter_ns() - t0) / (2 * rounds)
    t.join()
    return ns


def queue_ping_pong(rounds=10_000):
    there, back = queue.Queue(), queue.Queue()

    def echo():
        for _ in range(rounds):
            back.put(there.get())

    t = threading.Thread(target=echo)
    t.start()
    t0 = time.perf_counter_ns()
    for i in range(rounds):
        there.put(i)
        back.get()
    ns = (time.perf_counter_ns() - t0) / rounds
    t.join()
    return ns


def thread_start_join(n=2_000):
    t0 = time.perf_counter_ns()
    for _ in range(n):
        t = threading.Thread(target=lambda: None)
        t.start()
        t.join()
    return (time.perf_counter_ns() - t0) / n


def tiny(x):
    return x * 2


def pool_map(pool, n, chunksize):
    t0 = time.perf_counter_ns()
    out = pool.map(tiny, range(n), chunksize)
    assert len(out) == n
    return (time.perf_counter_ns() - t0) / n


def apply_round_trip(pool, n=1_000):
    t0 = time.perf_counter_ns()
    for i in range(n):
        pool.apply_async(tiny, (i,)).get()
    return (time.perf_counter_ns() - t0) / n


def reply(q):
    q.put(1)


def process_first_reply():
    q = multiprocessing.Queue()
    t0 = time.perf_counter_ns()
    p = multiprocessing.Process(target=reply, args=(q,))
    p.start()
    q.get()
    ns = time.perf_counter_ns() - t0
    p.join()
    return ns


def processes():
    """The rows of src/bench_mp.rs: Pool(2) and ThreadPool(2) over 10,000 tiny tasks, an
    apply_async round trip, a process's start to its first message (Linux: fork)."""
    from multiprocessing.pool import ThreadPool
    with multiprocessing.Pool(2) as pool:
        report("pool_map_chunksize_1", lambda: pool_map(pool, 10_000, 1))
        report("pool_map_default_chunks", lambda: pool_map(pool, 10_000, None))
        report("pool_apply_async_round_trip", lambda: apply_round_trip(pool))
    with ThreadPool(2) as pool:
        report("threadpool_map_chunksize_1", lambda: pool_map(pool, 10_000, 1))
        report("threadpool_map_default_chunks", lambda: pool_map(pool, 10_000, None))
    report("process_start_to_first_reply", process_first_reply)


if __name__ == "__main__":
    print(f"# CPython {sys.version.split()[0]}", file=sys.stderr)
    report("lock_uncontended", lock_uncontended)
    report("lock_handoff", lock_handoff)
    report("queue_ping_pong", queue_ping_pong)
    report("thread_start_join", thread_start_join)
    processes()
