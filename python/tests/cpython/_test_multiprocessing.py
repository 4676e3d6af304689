# A port of CPython's Lib/test/_test_multiprocessing.py (3.11): cases of its _TestProcess,
# _TestSubclassingProcess, _TestQueue, TestSimpleQueue, _TestLock, _TestSemaphore,
# _TestCondition, _TestEvent, _TestBarrier, _TestValue, _TestArray, _TestContainers,
# TestSyncManagerTypes, _TestConnection, _TestPoll, _TestPool, _TestPoolWorkerErrors and
# _TestPoolWorkerLifetime, and of Lib/test/test_concurrent_futures.py (3.11): ExecutorTest and
# ProcessPoolExecutorTest, for the Python tab's `multiprocessing`, run by its interpreter.
# As in CPython, a base class `_TestX` holds the cases and `WithProcessesTestX` (or
# `WithManagerTestX`, `WithThreadsTestX`) runs them with the mixin of that flavour.
# What differs from CPython's:
# - Every target and every pool task is a function (or class) of the top level, named after
#   the CPython classmethod it replaces (`_test_put` for `_TestQueue._test_put`): CPython's
#   targets are classmethods of the test case.
# - Fewer process starts: one Manager for the whole suite (CPython: one a class, one a case
#   in TestSyncManagerTypes), one Pool(2) shared by the cases of _TestPool and
#   _TestPoolWorkerErrors (CPython: Pool(4), and a new pool in some cases), one
#   ProcessPoolExecutor(2) for its class (CPython: 5 workers, one executor a case), 2 workers
#   instead of 4 in test_task_done, N = 3 parties instead of 5 for _TestBarrier, a Pool(1)
#   instead of Pool(3) in test_terminate and test_pool_worker_lifetime_early_close, instead
#   of Pool(2) in test_context.
# - No sleep is longer than 0.5 s: _kill_process waits for its child to be running instead of
#   sleeping 1 s; long sleeps of children are loops that end at the deadline.
# - No files, signals or sockets: test_stderr_flush and test_sys_exit give the child a
#   sys.stderr that writes into a Pipe instead of a file; exit codes are -15 and -9, not
#   -signal.SIGTERM and -signal.SIGKILL. No `array` module: bytes and lists stand in for
#   array.array. The 16 MiB message of test_connection is 1 MiB.
# - CPython's CHECK_TIMINGS is False, so its TimingWrapper checks are left out; so are the
#   checks of private state (cond._sleeping_count, pool._pool, queue._reader) and of the
#   source lines a traceback quotes (the worker may not have our source).
# - Every wait has a deadline (DEADLINE): a blocking call that has no timeout of its own
#   (pool.map, conn.recv, pool.join, ...) runs through `in_time`, so that a hung case fails
#   instead of hanging the suite. What CPython checks once after a short sleep (a Queue's
#   feeder has flushed, a Condition's sleeper has woken, the echo has come back) is waited
#   for until the deadline, for a runtime slower than CPython.
# - Lines marked "added" in CPython's cases check a little more (an exit code, a pid).
# - Cases marked "added" are not CPython's; they check what the Python tab's tutorial shows:
#   fork semantics (pids, a global list), a lambda target, and the pickling errors (a lambda
#   given to Pool.map, a Lock put on a Queue).
# - The suite ends by printing OK or raising SystemExit(1). The top level only defines things
#   and ends with run(...): there is no `if __name__ == "__main__":`, as in the tab's cells.
import concurrent.futures
import multiprocessing
import multiprocessing.pool
import os
import pickle
import queue as pyqueue
import sys
import threading
import time
import unittest

DEADLINE = 30.0  # no wait of this suite is without one
DELTA = 0.1
TIMEOUT1, TIMEOUT2, TIMEOUT3 = 0.1, 0.1, 0.1
SENTINEL = b""
LOCK_MESSAGE = "Lock objects should only be shared between processes through inheritance"


def latin(s):
    return s.encode("latin")


def _wait():
    # A crude wait/yield function not relying on synchronization primitives.
    time.sleep(0.01)


def in_time(fn, *args, **kwargs):
    """Calls `fn` in a daemon thread and waits for it within the deadline: returns what it
    returns, raises what it raises, fails if it has not returned in time."""
    outcome = []

    def call():
        try:
            outcome.append((True, fn(*args, **kwargs)))
        except BaseException as e:
            outcome.append((False, e))

    t = threading.Thread(target=call, daemon=True)
    t.start()
    t.join(DEADLINE)
    assert not t.is_alive(), "%r did not return in time" % (fn,)
    ok, value = outcome[0]
    if not ok:
        raise value
    return value


def join_process(process):
    process.join(DEADLINE)
    assert not process.is_alive(), "%r did not end in time" % (process,)


def close_queue(queue):
    if hasattr(queue, "join_thread"):  # CPython: isinstance(queue, multiprocessing.queues.Queue)
        queue.close()
        in_time(queue.join_thread)


def wait_until(predicate):
    end = time.monotonic() + DEADLINE
    while not predicate():
        assert time.monotonic() < end, "the condition did not come true in time"
        _wait()


def take(it, n):
    return [next(it) for _ in range(n)]


def recv_in_time(conn):
    assert conn.poll(DEADLINE), "nothing to receive in time"
    return conn.recv()


def _sleep_some():
    # CPython: time.sleep(100); here, sleeps of 0.1 s until the deadline.
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        time.sleep(0.1)


class _ConnWriter:
    """A child's sys.stderr that sends what is written through a Connection (CPython's tests
    give the child a file)."""

    def __init__(self, conn):
        self.conn = conn

    def write(self, s):
        self.conn.send(s)
        return len(s)

    def flush(self):
        pass


def _received_text(conn):
    text = ""
    while conn.poll():
        text += conn.recv()
    return text


# The shared Manager (CPython: one a test class): started by the first case that needs it,
# shut down by run().
_MANAGER = None


def get_manager():
    global _MANAGER
    if _MANAGER is None:
        _MANAGER = multiprocessing.Manager()
    return _MANAGER


#
# Base class and mixins (CPython: BaseTestCase, ProcessesMixin, ManagerMixin, ThreadsMixin)
#


class BaseTestCase:
    def assertReturnsIfImplemented(self, value, func, *args):
        try:
            res = func(*args)
        except NotImplementedError:
            pass
        else:
            return self.assertEqual(value, res)


class ProcessesMixin:
    TYPE = "processes"
    Process = multiprocessing.Process
    current_process = staticmethod(multiprocessing.current_process)
    parent_process = staticmethod(multiprocessing.parent_process)
    active_children = staticmethod(multiprocessing.active_children)
    Pool = staticmethod(multiprocessing.Pool)
    Pipe = staticmethod(multiprocessing.Pipe)
    Queue = staticmethod(multiprocessing.Queue)
    JoinableQueue = staticmethod(multiprocessing.JoinableQueue)
    Lock = staticmethod(multiprocessing.Lock)
    RLock = staticmethod(multiprocessing.RLock)
    Semaphore = staticmethod(multiprocessing.Semaphore)
    BoundedSemaphore = staticmethod(multiprocessing.BoundedSemaphore)
    Condition = staticmethod(multiprocessing.Condition)
    Event = staticmethod(multiprocessing.Event)
    Barrier = staticmethod(multiprocessing.Barrier)
    Value = staticmethod(multiprocessing.Value)
    Array = staticmethod(multiprocessing.Array)
    RawValue = staticmethod(multiprocessing.RawValue)
    RawArray = staticmethod(multiprocessing.RawArray)


class ManagerMixin:
    TYPE = "manager"
    Process = multiprocessing.Process
    Queue = property(lambda self: get_manager().Queue)
    Lock = property(lambda self: get_manager().Lock)
    RLock = property(lambda self: get_manager().RLock)
    Event = property(lambda self: get_manager().Event)
    Value = property(lambda self: get_manager().Value)
    Array = property(lambda self: get_manager().Array)
    list = property(lambda self: get_manager().list)
    dict = property(lambda self: get_manager().dict)
    Namespace = property(lambda self: get_manager().Namespace)


class ThreadsMixin:
    TYPE = "threads"
    Pool = staticmethod(multiprocessing.pool.ThreadPool)  # what multiprocessing.dummy.Pool makes


#
# _TestProcess
#


def _test(q, *args, **kwds):  # CPython: _TestProcess._test
    current = multiprocessing.current_process()
    q.put(args)
    q.put(kwds)
    q.put(current.name)
    q.put(bytes(current.authkey))
    q.put(current.pid)


def _test_args(q, arg):  # CPython: _TestProcess._test_args
    q.put(arg)


def _test_send_parent_process(wconn):  # CPython: _TestProcess._test_send_parent_process
    from multiprocessing.process import parent_process

    wconn.send([parent_process().pid, parent_process().name])


_GLOBAL_LIST = []


def _test_pids_and_globals(wconn):  # added
    _GLOBAL_LIST.append("child")
    wconn.send((os.getpid(), os.getppid(), list(_GLOBAL_LIST)))


_lambda_target = lambda wconn, x: wconn.send(("lambda", x * 2))  # noqa: E731 (added)


def _sleep_some_after(started):  # CPython: _TestProcess._sleep_some, which has no event
    started.set()
    _sleep_some()


class _TestProcess(BaseTestCase):
    def test_current(self):
        current = self.current_process()
        authkey = current.authkey

        self.assertTrue(current.is_alive())
        self.assertTrue(not current.daemon)
        self.assertIsInstance(authkey, bytes)
        self.assertTrue(len(authkey) > 0)
        self.assertEqual(current.ident, os.getpid())
        self.assertEqual(current.exitcode, None)

    def test_args_argument(self):
        # bpo-45735: Using list or tuple as *args* in constructor could
        # achieve the same effect. (CPython: 8 processes, for each of the 4 args in a list and
        # in a tuple; here one process, the args in a list: every other case passes a tuple.)
        args = [1, "str", [1], (1,)]
        q = self.Queue(1)
        p = self.Process(target=_test_args, args=[q, args])
        p.daemon = True
        p.start()
        child_args = q.get(timeout=DEADLINE)
        self.assertEqual(child_args, args)
        join_process(p)
        close_queue(q)

    def test_daemon_argument(self):
        # By default uses the current process's daemon flag.
        proc0 = self.Process(target=_test)
        self.assertEqual(proc0.daemon, self.current_process().daemon)
        proc1 = self.Process(target=_test, daemon=True)
        self.assertTrue(proc1.daemon)
        proc2 = self.Process(target=_test, daemon=False)
        self.assertFalse(proc2.daemon)

    def test_parent_process_attributes(self):
        self.assertIsNone(self.parent_process())

        rconn, wconn = self.Pipe(duplex=False)
        p = self.Process(target=_test_send_parent_process, args=(wconn,))
        p.start()
        join_process(p)
        parent_pid, parent_name = recv_in_time(rconn)
        self.assertEqual(parent_pid, self.current_process().pid)
        self.assertEqual(parent_pid, os.getpid())
        self.assertEqual(parent_name, self.current_process().name)

    def test_process(self):
        q = self.Queue(1)
        args = (q, 1, 2)
        kwargs = {"hello": 23, "bye": 2.54}
        name = "SomeProcess"
        p = self.Process(target=_test, args=args, kwargs=kwargs, name=name)
        p.daemon = True
        current = self.current_process()

        self.assertEqual(p.authkey, current.authkey)
        self.assertEqual(p.is_alive(), False)
        self.assertEqual(p.daemon, True)
        self.assertNotIn(p, self.active_children())
        self.assertTrue(type(self.active_children()) is list)
        self.assertEqual(p.exitcode, None)

        p.start()

        self.assertEqual(p.exitcode, None)
        self.assertEqual(p.is_alive(), True)
        self.assertIn(p, self.active_children())
        self.assertEqual(p.ident, p.pid)  # added
        self.assertEqual(p.name, name)  # added

        self.assertEqual(q.get(timeout=DEADLINE), args[1:])
        self.assertEqual(q.get(timeout=DEADLINE), kwargs)
        self.assertEqual(q.get(timeout=DEADLINE), p.name)
        self.assertEqual(q.get(timeout=DEADLINE), current.authkey)
        self.assertEqual(q.get(timeout=DEADLINE), p.pid)

        join_process(p)

        self.assertEqual(p.exitcode, 0)
        self.assertEqual(p.is_alive(), False)
        self.assertNotIn(p, self.active_children())
        close_queue(q)

    def _kill_process(self, meth):
        started = self.Event()
        p = self.Process(target=_sleep_some_after, args=(started,))
        p.daemon = True
        p.start()

        self.assertEqual(p.is_alive(), True)
        self.assertIn(p, self.active_children())
        self.assertEqual(p.exitcode, None)

        self.assertEqual(p.join(0), None)
        self.assertEqual(p.is_alive(), True)

        self.assertEqual(p.join(-1), None)
        self.assertEqual(p.is_alive(), True)

        self.assertEqual(p.join(TIMEOUT1), None)  # added: a join that times out
        self.assertEqual(p.is_alive(), True)

        # CPython: time.sleep(1) ("maybe terminating too soon causes the problems on Gentoo")
        self.assertTrue(started.wait(DEADLINE))

        meth(p)

        self.assertEqual(p.join(DEADLINE), None)

        self.assertEqual(p.is_alive(), False)
        self.assertNotIn(p, self.active_children())

        p.join()

        return p.exitcode

    def test_terminate(self):
        exitcode = self._kill_process(multiprocessing.Process.terminate)
        self.assertEqual(exitcode, -15)  # -signal.SIGTERM

    def test_kill(self):
        exitcode = self._kill_process(multiprocessing.Process.kill)
        self.assertEqual(exitcode, -9)  # -signal.SIGKILL

    def test_cpu_count(self):
        try:
            cpus = multiprocessing.cpu_count()
        except NotImplementedError:
            cpus = 1
        self.assertTrue(type(cpus) is int)
        self.assertTrue(cpus >= 1)

    def test_pids_and_globals(self):  # added
        # A child has a pid of its own, its parent's as ppid, and a copy of the globals as they
        # were at start(): what it changes there, and what the parent changes after start(),
        # the other does not see.
        _GLOBAL_LIST[:] = ["parent"]
        rconn, wconn = self.Pipe(duplex=False)
        p = self.Process(target=_test_pids_and_globals, args=(wconn,))
        p.start()
        _GLOBAL_LIST.append("after start")
        pid, ppid, child_list = recv_in_time(rconn)
        join_process(p)
        self.assertEqual(p.exitcode, 0)
        self.assertEqual(pid, p.pid)
        self.assertNotEqual(pid, os.getpid())
        self.assertEqual(ppid, os.getpid())
        self.assertNotEqual(os.getppid(), os.getpid())
        self.assertEqual(child_list, ["parent", "child"])
        self.assertEqual(_GLOBAL_LIST, ["parent", "after start"])
        _GLOBAL_LIST.clear()

    def test_lambda_target(self):  # added
        rconn, wconn = self.Pipe(duplex=False)
        p = self.Process(target=_lambda_target, args=(wconn, 21))
        p.start()
        self.assertEqual(recv_in_time(rconn), ("lambda", 42))
        join_process(p)
        self.assertEqual(p.exitcode, 0)


class WithProcessesTestProcess(ProcessesMixin, _TestProcess, unittest.TestCase):
    pass


#
# _TestSubclassingProcess
#


class _UpperCaser(multiprocessing.Process):
    def __init__(self):
        multiprocessing.Process.__init__(self)
        self.child_conn, self.parent_conn = multiprocessing.Pipe()

    def run(self):
        self.parent_conn.close()
        for s in iter(self.child_conn.recv, None):
            self.child_conn.send(s.upper())
        self.child_conn.close()

    def submit(self, s):
        assert type(s) is str
        self.parent_conn.send(s)
        return recv_in_time(self.parent_conn)

    def stop(self):
        self.parent_conn.send(None)
        self.parent_conn.close()
        self.child_conn.close()


def _test_stderr_flush(wconn):  # CPython: _TestSubclassingProcess._test_stderr_flush(testfn)
    sys.stderr = _ConnWriter(wconn)
    1 / 0  # MARKER


def _test_sys_exit(reason, wconn):  # CPython: _TestSubclassingProcess._test_sys_exit(testfn)
    sys.stderr = _ConnWriter(wconn)
    sys.exit(reason)


class _TestSubclassingProcess(BaseTestCase):
    def test_subclassing(self):
        uppercaser = _UpperCaser()
        uppercaser.daemon = True
        uppercaser.start()
        self.assertEqual(uppercaser.submit("hello"), "HELLO")
        self.assertEqual(uppercaser.submit("world"), "WORLD")
        uppercaser.stop()
        join_process(uppercaser)

    def test_stderr_flush(self):
        # sys.stderr is flushed at process shutdown (issue #13812)
        rconn, wconn = self.Pipe(duplex=False)
        proc = self.Process(target=_test_stderr_flush, args=(wconn,))
        proc.start()
        join_process(proc)
        self.assertEqual(proc.exitcode, 1)  # added: an exception gives 1
        err = _received_text(rconn)
        # The whole traceback was printed (CPython checks the source line too)
        self.assertIn("Traceback", err)
        self.assertIn("ZeroDivisionError", err)

    def test_sys_exit(self):
        # See Issue 13854 (CPython: the reasons [1, 2, 3] and 'ignore this', then 5 exits)
        rconn, wconn = self.Pipe(duplex=False)
        reason = "ignore this"
        p = self.Process(target=_test_sys_exit, args=(reason, wconn))
        p.daemon = True
        p.start()
        join_process(p)
        self.assertEqual(p.exitcode, 1)
        self.assertEqual(_received_text(rconn).rstrip(), str(reason))

        cases = [((8,), 8)]  # CPython: also (True,), (False,), (None,) and ()
        for args, expected in cases:
            with self.subTest(args=args):
                p = self.Process(target=sys.exit, args=args)
                p.daemon = True
                p.start()
                join_process(p)
                self.assertEqual(p.exitcode, expected)


class WithProcessesTestSubclassingProcess(ProcessesMixin, _TestSubclassingProcess, unittest.TestCase):
    pass


#
# _TestQueue, TestSimpleQueue
#


def queue_empty(q):
    if hasattr(q, "empty"):
        return q.empty()
    else:
        return q.qsize() == 0


def queue_full(q, maxsize):
    if hasattr(q, "full"):
        return q.full()
    else:
        return q.qsize() == maxsize


def _test_put(queue, child_can_start, parent_can_continue):  # CPython: _TestQueue._test_put
    child_can_start.wait(DEADLINE)
    for i in range(6):
        queue.get(timeout=DEADLINE)
    parent_can_continue.set()


def _test_get(queue, child_can_start, parent_can_continue):  # CPython: _TestQueue._test_get
    child_can_start.wait(DEADLINE)
    queue.put(2)
    queue.put(3)
    queue.put(4)
    queue.put(5)
    parent_can_continue.set()


def _test_task_done(q):  # CPython: _TestQueue._test_task_done
    for obj in iter(lambda: q.get(timeout=DEADLINE), None):
        time.sleep(DELTA)
        q.task_done()


class _TestQueue(BaseTestCase):
    def test_put(self):
        MAXSIZE = 6
        queue = self.Queue(maxsize=MAXSIZE)
        child_can_start = self.Event()
        parent_can_continue = self.Event()

        proc = self.Process(target=_test_put, args=(queue, child_can_start, parent_can_continue))
        proc.daemon = True
        proc.start()

        self.assertEqual(queue_empty(queue), True)
        self.assertEqual(queue_full(queue, MAXSIZE), False)

        queue.put(1)
        queue.put(2, True)
        queue.put(3, True, None)
        queue.put(4, False)
        queue.put(5, False, None)
        queue.put_nowait(6)

        # the values may be in buffer but not yet in pipe so sleep a bit
        time.sleep(DELTA)
        wait_until(lambda: not queue_empty(queue))  # added: a slow feeder thread gets longer

        self.assertEqual(queue_empty(queue), False)
        self.assertEqual(queue_full(queue, MAXSIZE), True)

        self.assertRaises(pyqueue.Full, queue.put, 7, False)
        self.assertRaises(pyqueue.Full, queue.put, 7, False, None)
        self.assertRaises(pyqueue.Full, queue.put_nowait, 7)
        self.assertRaises(pyqueue.Full, queue.put, 7, True, TIMEOUT1)
        self.assertRaises(pyqueue.Full, queue.put, 7, False, TIMEOUT2)
        self.assertRaises(pyqueue.Full, queue.put, 7, True, timeout=TIMEOUT3)

        child_can_start.set()
        self.assertTrue(parent_can_continue.wait(DEADLINE))

        self.assertEqual(queue_empty(queue), True)
        self.assertEqual(queue_full(queue, MAXSIZE), False)

        join_process(proc)
        close_queue(queue)

    def test_get(self):
        queue = self.Queue()
        child_can_start = self.Event()
        parent_can_continue = self.Event()

        proc = self.Process(target=_test_get, args=(queue, child_can_start, parent_can_continue))
        proc.daemon = True
        proc.start()

        self.assertEqual(queue_empty(queue), True)

        child_can_start.set()
        self.assertTrue(parent_can_continue.wait(DEADLINE))

        time.sleep(DELTA)
        wait_until(lambda: not queue_empty(queue))  # added: a slow feeder thread gets longer
        self.assertEqual(queue_empty(queue), False)

        # Hangs unexpectedly, remove for now
        # self.assertEqual(queue.get(), 1)
        self.assertEqual(queue.get(True, DEADLINE), 2)  # CPython: get(True, None)
        self.assertEqual(queue.get(True, DEADLINE), 3)  # CPython: get(True)
        self.assertEqual(queue.get(timeout=1), 4)
        self.assertEqual(queue.get_nowait(), 5)

        self.assertEqual(queue_empty(queue), True)

        self.assertRaises(pyqueue.Empty, queue.get, False)
        self.assertRaises(pyqueue.Empty, queue.get, False, None)
        self.assertRaises(pyqueue.Empty, queue.get_nowait)
        self.assertRaises(pyqueue.Empty, queue.get, True, TIMEOUT1)
        self.assertRaises(pyqueue.Empty, queue.get, False, TIMEOUT2)
        self.assertRaises(pyqueue.Empty, queue.get, timeout=TIMEOUT3)

        join_process(proc)
        close_queue(queue)

    def test_qsize(self):
        q = self.Queue()
        try:
            self.assertEqual(q.qsize(), 0)
        except NotImplementedError:
            self.skipTest("qsize method not implemented")
        q.put(1)
        self.assertEqual(q.qsize(), 1)
        q.put(5)
        self.assertEqual(q.qsize(), 2)
        q.get(timeout=DEADLINE)
        self.assertEqual(q.qsize(), 1)
        q.get(timeout=DEADLINE)
        self.assertEqual(q.qsize(), 0)
        close_queue(q)

    def test_task_done(self):
        queue = self.JoinableQueue()

        workers = [self.Process(target=_test_task_done, args=(queue,)) for i in range(2)]

        for p in workers:
            p.daemon = True
            p.start()

        for i in range(10):
            queue.put(i)

        in_time(queue.join)

        for p in workers:
            queue.put(None)

        for p in workers:
            join_process(p)
        close_queue(queue)

    def test_timeout(self):
        q = multiprocessing.Queue()
        start = time.monotonic()
        self.assertRaises(pyqueue.Empty, q.get, True, 0.200)
        delta = time.monotonic() - start
        # bpo-30317: Tolerate a delta of 100 ms because of the bad clock
        # resolution on Windows (usually 15.6 ms). x86 Windows7 3.x once
        # failed because the delta was only 135.8 ms.
        self.assertGreaterEqual(delta, 0.100)
        close_queue(q)

    def test_closed_queue_put_get_exceptions(self):
        for q in multiprocessing.Queue(), multiprocessing.JoinableQueue():
            q.close()
            with self.assertRaisesRegex(ValueError, "is closed"):
                q.put("foo")
            with self.assertRaisesRegex(ValueError, "is closed"):
                q.get()

    def test_lock_put_on_queue(self):  # added (after CPython's test_queue_feeder_donot_stop_onexc)
        # A Lock can only be inherited: pickling it raises RuntimeError. SimpleQueue.put and
        # Connection.send pickle in the caller. CPython's Queue.put pickles in its feeder
        # thread, which hands the error to Queue._on_queue_feeder_error (which prints it): the
        # case takes the error from either place. The queue works on afterwards.
        sq = multiprocessing.SimpleQueue()
        with self.assertRaisesRegex(RuntimeError, LOCK_MESSAGE):
            sq.put(multiprocessing.Lock())
        a, b = multiprocessing.Pipe()
        with self.assertRaisesRegex(RuntimeError, LOCK_MESSAGE):
            a.send(multiprocessing.Lock())

        q = self.Queue()
        errors = []
        if hasattr(q, "_on_queue_feeder_error"):
            q._on_queue_feeder_error = lambda e, obj: errors.append(e)
        try:
            q.put(multiprocessing.Lock())
        except RuntimeError as e:
            errors.append(e)
        end = time.monotonic() + DEADLINE
        while not errors:
            self.assertLess(time.monotonic(), end, "putting a Lock on a Queue raised nothing")
            _wait()
        self.assertIsInstance(errors[0], RuntimeError)
        self.assertIn(LOCK_MESSAGE, str(errors[0]))
        q.put(True)
        self.assertTrue(q.get(timeout=DEADLINE))
        self.assertTrue(q.empty())
        close_queue(q)


class WithProcessesTestQueue(ProcessesMixin, _TestQueue, unittest.TestCase):
    pass


def _test_empty(queue, child_can_start, parent_can_continue):  # CPython: TestSimpleQueue._test_empty
    child_can_start.wait(DEADLINE)
    # issue 30301, could fail under spawn and forkserver
    try:
        queue.put(queue.empty())
        queue.put(queue.empty())
    finally:
        parent_can_continue.set()


class TestSimpleQueue(unittest.TestCase):
    def test_empty(self):
        queue = multiprocessing.SimpleQueue()
        child_can_start = multiprocessing.Event()
        parent_can_continue = multiprocessing.Event()

        proc = multiprocessing.Process(target=_test_empty, args=(queue, child_can_start, parent_can_continue))
        proc.daemon = True
        proc.start()

        self.assertTrue(queue.empty())

        child_can_start.set()
        self.assertTrue(parent_can_continue.wait(DEADLINE))

        self.assertFalse(queue.empty())
        self.assertEqual(in_time(queue.get), True)
        self.assertEqual(in_time(queue.get), False)
        self.assertTrue(queue.empty())

        join_process(proc)

    def test_close(self):
        queue = multiprocessing.SimpleQueue()
        queue.close()
        # closing a queue twice should not fail
        queue.close()


#
# _TestLock, _TestSemaphore, _TestCondition, _TestEvent
#


def get_value(self):
    try:
        return self.get_value()
    except AttributeError:
        try:
            return self._Semaphore__value
        except AttributeError:
            try:
                return self._value
            except AttributeError:
                raise NotImplementedError


class _TestLock(BaseTestCase):
    def test_lock(self):
        lock = self.Lock()
        self.assertEqual(lock.acquire(), True)
        self.assertEqual(lock.acquire(False), False)
        self.assertEqual(lock.release(), None)
        self.assertRaises((ValueError, threading.ThreadError), lock.release)

    def test_rlock(self):
        lock = self.RLock()
        self.assertEqual(lock.acquire(), True)
        self.assertEqual(lock.acquire(), True)
        self.assertEqual(lock.acquire(), True)
        self.assertEqual(lock.release(), None)
        self.assertEqual(lock.release(), None)
        self.assertEqual(lock.release(), None)
        self.assertRaises((AssertionError, RuntimeError), lock.release)

    def test_lock_context(self):
        with self.Lock():
            pass


class WithProcessesTestLock(ProcessesMixin, _TestLock, unittest.TestCase):
    pass


class WithManagerTestLock(ManagerMixin, _TestLock, unittest.TestCase):
    pass


class _TestSemaphore(BaseTestCase):
    def _test_semaphore(self, sem):
        self.assertReturnsIfImplemented(2, get_value, sem)
        self.assertEqual(sem.acquire(), True)
        self.assertReturnsIfImplemented(1, get_value, sem)
        self.assertEqual(sem.acquire(), True)
        self.assertReturnsIfImplemented(0, get_value, sem)
        self.assertEqual(sem.acquire(False), False)
        self.assertReturnsIfImplemented(0, get_value, sem)
        self.assertEqual(sem.release(), None)
        self.assertReturnsIfImplemented(1, get_value, sem)
        self.assertEqual(sem.release(), None)
        self.assertReturnsIfImplemented(2, get_value, sem)

    def test_semaphore(self):
        sem = self.Semaphore(2)
        self._test_semaphore(sem)
        self.assertEqual(sem.release(), None)
        self.assertReturnsIfImplemented(3, get_value, sem)
        self.assertEqual(sem.release(), None)
        self.assertReturnsIfImplemented(4, get_value, sem)

    def test_bounded_semaphore(self):
        sem = self.BoundedSemaphore(2)
        self._test_semaphore(sem)
        # Currently fails on OS/X
        # if HAVE_GETVALUE:
        #    self.assertRaises(ValueError, sem.release)
        #    self.assertReturnsIfImplemented(2, get_value, sem)

    def test_timeout(self):
        sem = self.Semaphore(0)
        self.assertEqual(sem.acquire(False), False)
        self.assertEqual(sem.acquire(False, None), False)
        self.assertEqual(sem.acquire(False, TIMEOUT1), False)
        self.assertEqual(sem.acquire(True, TIMEOUT2), False)
        self.assertEqual(sem.acquire(timeout=TIMEOUT3), False)


class WithProcessesTestSemaphore(ProcessesMixin, _TestSemaphore, unittest.TestCase):
    pass


def f(cond, sleeping, woken, timeout=DEADLINE):  # CPython: _TestCondition.f (timeout=None)
    cond.acquire()
    sleeping.release()
    cond.wait(timeout)
    woken.release()
    cond.release()


class _TestCondition(BaseTestCase):
    def assertReachesEventually(self, func, value):
        # CPython tries 10 times, DELTA apart; here, until the deadline.
        end = time.monotonic() + DEADLINE
        while time.monotonic() < end:
            try:
                if func() == value:
                    break
            except NotImplementedError:
                break
            time.sleep(DELTA)
        self.assertReturnsIfImplemented(value, func)

    def test_notify(self):
        cond = self.Condition()
        sleeping = self.Semaphore(0)
        woken = self.Semaphore(0)

        p = self.Process(target=f, args=(cond, sleeping, woken))
        p.daemon = True
        p.start()
        self.addCleanup(join_process, p)

        t = threading.Thread(target=f, args=(cond, sleeping, woken))
        t.daemon = True
        t.start()
        self.addCleanup(t.join, DEADLINE)

        # wait for both children to start sleeping
        self.assertTrue(sleeping.acquire(timeout=DEADLINE))
        self.assertTrue(sleeping.acquire(timeout=DEADLINE))

        # check no process/thread has woken up
        time.sleep(DELTA)
        self.assertReturnsIfImplemented(0, get_value, woken)

        # wake up one process/thread
        cond.acquire()
        cond.notify()
        cond.release()

        # check one process/thread has woken up
        self.assertReachesEventually(lambda: get_value(woken), 1)

        # wake up another
        cond.acquire()
        cond.notify()
        cond.release()

        # check other has woken up
        self.assertReachesEventually(lambda: get_value(woken), 2)

        join_process(p)
        self.assertEqual(p.exitcode, 0)  # added

    def test_timeout(self):
        cond = self.Condition()
        cond.acquire()
        res = cond.wait(TIMEOUT1)
        cond.release()
        self.assertEqual(res, False)


class WithProcessesTestCondition(ProcessesMixin, _TestCondition, unittest.TestCase):
    pass


def _test_event(event):  # CPython: _TestEvent._test_event
    time.sleep(TIMEOUT2)
    event.set()


class _TestEvent(BaseTestCase):
    def test_event(self):
        event = self.Event()

        self.assertEqual(event.is_set(), False)

        self.assertEqual(event.wait(0.0), False)
        self.assertEqual(event.wait(TIMEOUT1), False)

        event.set()

        self.assertEqual(event.is_set(), True)
        self.assertEqual(event.wait(DEADLINE), True)  # CPython: wait()
        self.assertEqual(event.wait(TIMEOUT1), True)

        event.clear()

        self.assertEqual(event.is_set(), False)  # commented out in CPython

        p = self.Process(target=_test_event, args=(event,))
        p.daemon = True
        p.start()
        self.assertEqual(event.wait(DEADLINE), True)  # CPython: wait()
        join_process(p)


class WithProcessesTestEvent(ProcessesMixin, _TestEvent, unittest.TestCase):
    pass


#
# _TestBarrier (its _DummyList and Bunch)
#

BARRIER_N = 3  # CPython: 5


class _DummyList:
    """A counter in shared memory, appended to as a list (CPython: a heap.BufferWrapper and a
    Lock, pickled for spawn; here a RawValue and a Lock, inherited)."""

    def __init__(self):
        self._value = multiprocessing.RawValue("i", 0)
        self._lock = multiprocessing.Lock()

    def append(self, _):
        with self._lock:
            self._value.value += 1

    def __len__(self):
        with self._lock:
            return self._value.value


def _bunch_task(f, args, started, finished, can_exit):  # CPython: Bunch.task
    pid = os.getpid()
    started.append(pid)
    try:
        f(*args)
    finally:
        finished.append(pid)
        can_exit.wait(DEADLINE)
        assert can_exit.is_set()


class Bunch:
    """A bunch of processes running the same function `f`."""

    def __init__(self, namespace, f, args, n, wait_before_exit=False):
        self.n = n
        self.started = namespace.DummyList()
        self.finished = namespace.DummyList()
        self._can_exit = namespace.Event()
        if not wait_before_exit:
            self._can_exit.set()
        self.processes = []
        for i in range(n):
            p = namespace.Process(target=_bunch_task, args=(f, args, self.started, self.finished, self._can_exit))
            p.daemon = True
            p.start()
            self.processes.append(p)

    def wait_for_finished(self):
        end = time.monotonic() + DEADLINE
        while len(self.finished) < self.n:
            assert time.monotonic() < end, "the bunch did not finish in time"
            _wait()

    def do_finish(self):
        self._can_exit.set()

    def close(self):
        for p in self.processes:
            join_process(p)
        # added: a process whose `f` failed an assert ends with 1
        assert [p.exitcode for p in self.processes] == [0] * self.n, [p.exitcode for p in self.processes]


def multipass(barrier, results, n):  # CPython: _TestBarrier.multipass
    m = barrier.parties
    assert m == BARRIER_N
    for i in range(n):
        results[0].append(True)
        assert len(results[1]) == i * m
        barrier.wait()
        results[1].append(True)
        assert len(results[0]) == (i + 1) * m
        barrier.wait()
    try:
        assert barrier.n_waiting == 0
    except NotImplementedError:
        pass
    assert not barrier.broken


def _test_abort_f(barrier, results1, results2):  # CPython: _TestBarrier._test_abort_f
    try:
        i = barrier.wait()
        if i == BARRIER_N // 2:
            raise RuntimeError
        barrier.wait()
        results1.append(True)
    except threading.BrokenBarrierError:
        results2.append(True)
    except RuntimeError:
        barrier.abort()


class _TestBarrier(BaseTestCase):
    N = BARRIER_N
    defaultTimeout = DEADLINE

    def setUp(self):
        self.barrier = self.Barrier(self.N, timeout=self.defaultTimeout)

    def tearDown(self):
        self.barrier.abort()
        self.barrier = None

    def DummyList(self):
        return _DummyList()

    def run_threads(self, f, args):
        b = Bunch(self, f, args, self.N - 1)
        try:
            f(*args)
            b.wait_for_finished()
        finally:
            b.close()

    def test_barrier(self, passes=1):
        """
        Test that a barrier is passed in lockstep
        """
        results = [self.DummyList(), self.DummyList()]
        self.run_threads(multipass, (self.barrier, results, passes))

    def test_abort(self):
        """
        Test that an abort will put the barrier in a broken state
        """
        results1 = self.DummyList()
        results2 = self.DummyList()
        self.run_threads(_test_abort_f, (self.barrier, results1, results2))
        self.assertEqual(len(results1), 0)
        self.assertEqual(len(results2), self.N - 1)
        self.assertTrue(self.barrier.broken)

    def test_single_thread(self):
        b = self.Barrier(1)
        b.wait()
        b.wait()


class WithProcessesTestBarrier(ProcessesMixin, _TestBarrier, unittest.TestCase):
    pass


#
# _TestValue, _TestArray
#

CODES_VALUES = [  # CPython: _TestValue.codes_values
    ("i", 4343, 24234),
    ("d", 3.625, -4.25),
    ("h", -232, 234),
    ("q", 2**33, 2**34),
    ("c", latin("x"), latin("y")),
]


def _test_values(values):  # CPython: _TestValue._test
    for sv, cv in zip(values, CODES_VALUES):
        with sv.get_lock():  # added: the Value's lock, taken in the child (an RLock)
            sv.value = cv[2]


class _TestValue(BaseTestCase):
    def test_value(self, raw=False):
        if raw:
            values = [self.RawValue(code, value) for code, value, _ in CODES_VALUES]
        else:
            values = [self.Value(code, value) for code, value, _ in CODES_VALUES]

        for sv, cv in zip(values, CODES_VALUES):
            self.assertEqual(sv.value, cv[1])

        proc = self.Process(target=_test_values, args=(values,))
        proc.daemon = True
        proc.start()
        join_process(proc)
        self.assertEqual(proc.exitcode, 0)  # added

        for sv, cv in zip(values, CODES_VALUES):
            self.assertEqual(sv.value, cv[2])

    def test_getobj_getlock(self):
        val1 = self.Value("i", 5)
        lock1 = val1.get_lock()
        obj1 = val1.get_obj()

        val2 = self.Value("i", 5, lock=None)
        lock2 = val2.get_lock()
        obj2 = val2.get_obj()

        lock = self.Lock()
        val3 = self.Value("i", 5, lock=lock)
        lock3 = val3.get_lock()
        obj3 = val3.get_obj()
        self.assertEqual(lock, lock3)

        arr4 = self.Value("i", 5, lock=False)
        self.assertFalse(hasattr(arr4, "get_lock"))
        self.assertFalse(hasattr(arr4, "get_obj"))

        self.assertRaises(AttributeError, self.Value, "i", 5, lock="navalue")

        arr5 = self.RawValue("i", 5)
        self.assertFalse(hasattr(arr5, "get_lock"))
        self.assertFalse(hasattr(arr5, "get_obj"))


class WithProcessesTestValue(ProcessesMixin, _TestValue, unittest.TestCase):
    pass


def _array_f(seq):  # CPython: _TestArray.f
    for i in range(1, len(seq)):
        seq[i] += seq[i - 1]


class _TestArray(BaseTestCase):
    def test_array(self, raw=False):
        seq = [680, 626, 934, 821, 150, 233, 548, 982, 714, 831]
        if raw:
            arr = self.RawArray("i", seq)
        else:
            arr = self.Array("i", seq)

        self.assertEqual(len(arr), len(seq))
        self.assertEqual(arr[3], seq[3])
        self.assertEqual(list(arr[2:7]), list(seq[2:7]))

        arr[4:8] = seq[4:8] = [1, 2, 3, 4]  # CPython: array.array('i', [1, 2, 3, 4])

        self.assertEqual(list(arr[:]), seq)

        _array_f(seq)

        p = self.Process(target=_array_f, args=(arr,))
        p.daemon = True
        p.start()
        join_process(p)

        self.assertEqual(list(arr[:]), seq)

    def test_array_from_size(self):
        size = 10
        # Test for zeroing (see issue #11675).
        # The repetition below strengthens the test by increasing the chances
        # of previously allocated non-zero memory being used for the new array
        # on the 2nd and 3rd loops.
        for _ in range(3):
            arr = self.Array("i", size)
            self.assertEqual(len(arr), size)
            self.assertEqual(list(arr), [0] * size)
            arr[:] = range(10)
            self.assertEqual(list(arr), list(range(10)))
            del arr

    def test_getobj_getlock_obj(self):
        arr1 = self.Array("i", list(range(10)))
        lock1 = arr1.get_lock()
        obj1 = arr1.get_obj()

        arr2 = self.Array("i", list(range(10)), lock=None)
        lock2 = arr2.get_lock()
        obj2 = arr2.get_obj()

        lock = self.Lock()
        arr3 = self.Array("i", list(range(10)), lock=lock)
        lock3 = arr3.get_lock()
        obj3 = arr3.get_obj()
        self.assertEqual(lock, lock3)

        arr4 = self.Array("i", range(10), lock=False)
        self.assertFalse(hasattr(arr4, "get_lock"))
        self.assertFalse(hasattr(arr4, "get_obj"))
        self.assertRaises(AttributeError, self.Array, "i", range(10), lock="notalock")

        arr5 = self.RawArray("i", range(10))
        self.assertFalse(hasattr(arr5, "get_lock"))
        self.assertFalse(hasattr(arr5, "get_obj"))


class WithProcessesTestArray(ProcessesMixin, _TestArray, unittest.TestCase):
    pass


#
# _TestContainers, TestSyncManagerTypes
#


class _TestContainers(BaseTestCase):
    def test_list(self):
        a = self.list(list(range(10)))
        self.assertEqual(a[:], list(range(10)))

        b = self.list()
        self.assertEqual(b[:], [])

        b.extend(list(range(5)))
        self.assertEqual(b[:], list(range(5)))

        self.assertEqual(b[2], 2)
        self.assertEqual(b[2:10], [2, 3, 4])

        b *= 2
        self.assertEqual(b[:], [0, 1, 2, 3, 4, 0, 1, 2, 3, 4])

        self.assertEqual(b + [5, 6], [0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 5, 6])

        self.assertEqual(a[:], list(range(10)))

        d = [a, b]
        e = self.list(d)
        self.assertEqual(
            [element[:] for element in e], [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [0, 1, 2, 3, 4, 0, 1, 2, 3, 4]]
        )

        f = self.list([a])
        a.append("hello")
        self.assertEqual(f[0][:], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, "hello"])

    def test_list_iter(self):
        a = self.list(list(range(10)))
        it = iter(a)
        self.assertEqual(list(it), list(range(10)))
        self.assertEqual(list(it), [])  # exhausted
        # list modified during iteration
        it = iter(a)
        a[0] = 100
        self.assertEqual(next(it), 100)

    def test_dict(self):
        d = self.dict()
        indices = list(range(65, 70))
        for i in indices:
            d[i] = chr(i)
        self.assertEqual(d.copy(), dict((i, chr(i)) for i in indices))
        self.assertEqual(sorted(d.keys()), indices)
        self.assertEqual(sorted(d.values()), [chr(i) for i in indices])
        self.assertEqual(sorted(d.items()), [(i, chr(i)) for i in indices])

    def test_dict_iter(self):
        d = self.dict()
        indices = list(range(65, 70))
        for i in indices:
            d[i] = chr(i)
        it = iter(d)
        self.assertEqual(list(it), indices)
        self.assertEqual(list(it), [])  # exhausted
        # dictionary changed size during iteration
        it = iter(d)
        d.clear()
        self.assertRaises(RuntimeError, next, it)

    def test_namespace(self):
        n = self.Namespace()
        n.name = "Bob"
        n.job = "Builder"
        n._hidden = "hidden"
        self.assertEqual((n.name, n.job), ("Bob", "Builder"))
        del n.job
        self.assertEqual(str(n), "Namespace(name='Bob')")
        self.assertTrue(hasattr(n, "name"))
        self.assertTrue(not hasattr(n, "job"))


class WithManagerTestContainers(ManagerMixin, _TestContainers, unittest.TestCase):
    pass


# The children of TestSyncManagerTypes (CPython: its classmethods _test_event, _test_lock, ...)


def _test_sync_event(obj):
    assert obj.is_set()
    obj.wait(DEADLINE)  # CPython: wait()
    obj.clear()
    obj.wait(0.001)


def _test_sync_lock(obj):
    obj.acquire()


def _test_sync_queue(obj):
    assert obj.qsize() == 2
    assert obj.full()
    assert not obj.empty()
    assert obj.get(timeout=DEADLINE) == 5
    assert not obj.empty()
    assert obj.get(timeout=DEADLINE) == 6
    assert obj.empty()


def _test_sync_list(obj):
    assert obj[0] == 5
    assert obj.count(5) == 1
    assert obj.index(5) == 0
    obj.sort()
    obj.reverse()
    for x in obj:
        pass
    assert len(obj) == 1
    assert obj.pop(0) == 5


def _test_sync_dict(obj):
    assert len(obj) == 1
    assert obj["foo"] == 5
    assert obj.get("foo") == 5
    assert list(obj.items()) == [("foo", 5)]
    assert list(obj.keys()) == ["foo"]
    assert list(obj.values()) == [5]
    assert obj.copy() == {"foo": 5}
    assert obj.popitem() == ("foo", 5)


def _test_sync_value(obj):
    assert obj.value == 1
    assert obj.get() == 1
    obj.set(2)


def _test_sync_array(obj):
    assert obj[0] == 0
    assert obj[1] == 1
    assert len(obj) == 2
    assert list(obj) == [0, 1]


class TestSyncManagerTypes(unittest.TestCase):
    """Test all the types which can be shared between a parent and a
    child process by using a manager which acts as an intermediary
    between them. (CPython: a new manager a case; here the shared one.)"""

    def setUp(self):
        self.manager = get_manager()
        self.proc = None

    def tearDown(self):
        if self.proc is not None and self.proc.is_alive():
            self.proc.terminate()
            join_process(self.proc)
        self.proc = None

    def run_worker(self, worker, obj):
        self.proc = multiprocessing.Process(target=worker, args=(obj,))
        self.proc.daemon = True
        self.proc.start()
        join_process(self.proc)
        self.assertEqual(self.proc.exitcode, 0)

    def test_event(self):
        o = self.manager.Event()
        o.set()
        self.run_worker(_test_sync_event, o)
        assert not o.is_set()
        o.wait(0.001)

    def test_lock(self, lname="Lock"):
        o = getattr(self.manager, lname)()
        self.run_worker(_test_sync_lock, o)
        o.release()
        self.assertRaises(RuntimeError, o.release)  # already released

    def test_queue(self, qname="Queue"):
        o = getattr(self.manager, qname)(2)
        o.put(5)
        o.put(6)
        self.run_worker(_test_sync_queue, o)
        assert o.empty()
        assert not o.full()

    def test_list(self):
        o = self.manager.list()
        o.append(5)
        self.run_worker(_test_sync_list, o)
        assert not o
        self.assertEqual(len(o), 0)

    def test_dict(self):
        o = self.manager.dict()
        o["foo"] = 5
        self.run_worker(_test_sync_dict, o)
        assert not o
        self.assertEqual(len(o), 0)

    def test_value(self):
        o = self.manager.Value("i", 1)
        self.run_worker(_test_sync_value, o)
        self.assertEqual(o.value, 2)
        self.assertEqual(o.get(), 2)

    def test_array(self):
        o = self.manager.Array("i", [0, 1])
        self.run_worker(_test_sync_array, o)


#
# _TestConnection, _TestPoll
#


def _echo(conn):  # CPython: _TestConnection._echo
    for msg in iter(conn.recv_bytes, SENTINEL):
        conn.send_bytes(msg)
    conn.close()


class _TestConnection(BaseTestCase):
    def test_connection(self):
        conn, child_conn = self.Pipe()

        p = self.Process(target=_echo, args=(child_conn,))
        p.daemon = True
        p.start()

        seq = [1, 2.25, None]
        msg = latin("hello world")
        longmsg = msg * 10
        arr = bytes(range(4))  # CPython: array.array('i', list(range(4)))

        self.assertEqual(conn.send(seq), None)
        self.assertEqual(recv_in_time(conn), seq)

        self.assertEqual(conn.send_bytes(msg), None)
        self.assertEqual(in_time(conn.recv_bytes), msg)

        buffer = bytearray(10)
        expected = list(arr) + [0] * (10 - len(arr))
        self.assertEqual(conn.send_bytes(arr), None)
        self.assertEqual(in_time(conn.recv_bytes_into, buffer), len(arr))
        self.assertEqual(list(buffer), expected)

        buffer = bytearray(10)
        expected = [0] * 3 + list(arr) + [0] * (10 - 3 - len(arr))
        self.assertEqual(conn.send_bytes(arr), None)
        self.assertEqual(in_time(conn.recv_bytes_into, buffer, 3), len(arr))
        self.assertEqual(list(buffer), expected)

        buffer = bytearray(latin(" " * 40))
        self.assertEqual(conn.send_bytes(longmsg), None)
        try:
            res = in_time(conn.recv_bytes_into, buffer)
        except multiprocessing.BufferTooShort as e:
            self.assertEqual(e.args, (longmsg,))
        else:
            self.fail("expected BufferTooShort, got %s" % res)

        self.assertEqual(conn.poll(), False)
        self.assertEqual(conn.poll(-1), False)
        self.assertEqual(conn.poll(TIMEOUT1), False)

        conn.send(None)
        time.sleep(0.1)

        self.assertEqual(conn.poll(DEADLINE), True)  # CPython: poll(TIMEOUT1), the echo in time

        self.assertEqual(recv_in_time(conn), None)

        really_big_msg = latin("X") * (1024 * 1024)  # CPython: 16 MiB
        in_time(conn.send_bytes, really_big_msg)
        self.assertEqual(in_time(conn.recv_bytes), really_big_msg)

        conn.send_bytes(SENTINEL)  # tell child to quit
        child_conn.close()

        self.assertEqual(conn.readable, True)
        self.assertEqual(conn.writable, True)
        self.assertRaises(EOFError, in_time, conn.recv)
        self.assertRaises(EOFError, in_time, conn.recv_bytes)

        join_process(p)

    def test_duplex_false(self):
        reader, writer = self.Pipe(duplex=False)
        self.assertEqual(writer.send(1), None)
        self.assertEqual(recv_in_time(reader), 1)
        self.assertEqual(reader.readable, True)
        self.assertEqual(reader.writable, False)
        self.assertEqual(writer.readable, False)
        self.assertEqual(writer.writable, True)
        self.assertRaises(OSError, reader.send, 2)
        self.assertRaises(OSError, writer.recv)
        self.assertRaises(OSError, writer.poll)


class WithProcessesTestConnection(ProcessesMixin, _TestConnection, unittest.TestCase):
    pass


class _TestPoll(BaseTestCase):
    def test_empty_string(self):
        a, b = self.Pipe()
        self.assertEqual(a.poll(), False)
        b.send_bytes(b"")
        self.assertEqual(a.poll(), True)
        self.assertEqual(a.poll(), True)


class WithProcessesTestPoll(ProcessesMixin, _TestPoll, unittest.TestCase):
    pass


#
# _TestPool, _TestPoolWorkerErrors, _TestPoolWorkerLifetime
#


def sqr(x, wait=0.0, event=None):
    if event is None:
        time.sleep(wait)
    else:
        event.wait(wait)
    return x * x


def mul(x, y):
    return x * y


def identity(x):
    return x


class SayWhenError(ValueError):
    pass


def exception_throwing_generator(total, when):
    if when == -1:
        raise SayWhenError("Somebody said when")
    for i in range(total):
        if i == when:
            raise SayWhenError("Somebody said when")
        yield i


def _test_traceback():  # CPython: _TestPool._test_traceback
    raise RuntimeError(123)  # some comment


def _test_wrapped_exception():  # CPython: _TestPool._test_wrapped_exception
    raise RuntimeError("foo")


def raising():
    raise KeyError("key")


def unpickleable_result():
    return lambda: 42


_square_lambda = lambda x: x * x  # noqa: E731 (added)


class _TestPool(BaseTestCase):
    # The cases of CPython's _TestPool that run for processes and threads alike.

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pool = cls.Pool(2)  # CPython: Pool(4)

    @classmethod
    def tearDownClass(cls):
        cls.pool.terminate()
        in_time(cls.pool.join)
        cls.pool = None
        super().tearDownClass()

    def test_apply(self):
        papply = self.pool.apply
        self.assertEqual(in_time(papply, sqr, (5,)), sqr(5))
        self.assertEqual(in_time(papply, sqr, (), {"x": 3}), sqr(x=3))

    def test_map(self):
        pmap = self.pool.map
        self.assertEqual(in_time(pmap, sqr, list(range(10))), list(map(sqr, list(range(10)))))
        self.assertEqual(in_time(pmap, sqr, list(range(100)), chunksize=20), list(map(sqr, list(range(100)))))

    def test_starmap(self):
        psmap = self.pool.starmap
        tuples = list(zip(range(10), range(9, -1, -1)))
        self.assertEqual(in_time(psmap, mul, tuples), [mul(*t) for t in tuples])
        tuples = list(zip(range(100), range(99, -1, -1)))
        self.assertEqual(in_time(psmap, mul, tuples, chunksize=20), [mul(*t) for t in tuples])

    def test_starmap_async(self):
        tuples = list(zip(range(100), range(99, -1, -1)))
        self.assertEqual(self.pool.starmap_async(mul, tuples).get(DEADLINE), [mul(*t) for t in tuples])

    def test_map_async(self):
        self.assertEqual(self.pool.map_async(sqr, list(range(10))).get(DEADLINE), list(map(sqr, list(range(10)))))

    def test_map_async_callbacks(self):
        call_args = []
        self.pool.map_async(int, ["1"], callback=call_args.append, error_callback=call_args.append).wait(DEADLINE)
        self.assertEqual(1, len(call_args))
        self.assertEqual([1], call_args[0])
        self.pool.map_async(int, ["a"], callback=call_args.append, error_callback=call_args.append).wait(DEADLINE)
        self.assertEqual(2, len(call_args))
        self.assertIsInstance(call_args[1], ValueError)

    def test_map_chunksize(self):
        try:
            self.pool.map_async(sqr, [], chunksize=1).get(timeout=TIMEOUT1)
        except multiprocessing.TimeoutError:
            self.fail("pool.map_async with chunksize stalled on null list")

    def test_map_handle_iterable_exception(self):
        # SayWhenError seen at the very first of the iterable
        with self.assertRaises(SayWhenError):
            in_time(self.pool.map, sqr, exception_throwing_generator(1, -1), 1)
        # again, make sure it's reentrant
        with self.assertRaises(SayWhenError):
            in_time(self.pool.map, sqr, exception_throwing_generator(1, -1), 1)

        with self.assertRaises(SayWhenError):
            in_time(self.pool.map, sqr, exception_throwing_generator(10, 3), 1)

        class SpecialIterable:
            def __iter__(self):
                return self

            def __next__(self):
                raise SayWhenError

            def __len__(self):
                return 1

        with self.assertRaises(SayWhenError):
            in_time(self.pool.map, sqr, SpecialIterable(), 1)
        with self.assertRaises(SayWhenError):
            in_time(self.pool.map, sqr, SpecialIterable(), 1)

    def test_async(self):
        res = self.pool.apply_async(sqr, (7, TIMEOUT1))
        self.assertEqual(res.get(DEADLINE), 49)

    def test_async_timeout(self):
        # CPython: a Pool(3) of its own, terminated while the task sleeps SHORT_TIMEOUT more;
        # here the shared pool, and the task sleeps 0.5 s.
        event = threading.Event() if self.TYPE == "threads" else None
        res = self.pool.apply_async(sqr, (6, 0.5, event))
        self.assertRaises(multiprocessing.TimeoutError, res.get, timeout=TIMEOUT2)
        if event is not None:
            event.set()
        self.assertEqual(res.get(DEADLINE), 36)  # added: the pool is left idle

    def test_imap(self):
        it = self.pool.imap(sqr, list(range(10)))
        self.assertEqual(in_time(list, it), list(map(sqr, list(range(10)))))

        it = self.pool.imap(sqr, list(range(10)))
        for i in range(10):
            self.assertEqual(in_time(next, it), i * i)
        self.assertRaises(StopIteration, in_time, it.__next__)

        it = self.pool.imap(sqr, list(range(1000)), chunksize=100)
        self.assertEqual(in_time(take, it, 1000), [i * i for i in range(1000)])  # next(it), 1000 times
        self.assertRaises(StopIteration, in_time, it.__next__)

    def test_imap_handle_iterable_exception(self):
        # SayWhenError seen at the very first of the iterable
        it = self.pool.imap(sqr, exception_throwing_generator(1, -1), 1)
        self.assertRaises(SayWhenError, in_time, it.__next__)
        # again, make sure it's reentrant
        it = self.pool.imap(sqr, exception_throwing_generator(1, -1), 1)
        self.assertRaises(SayWhenError, in_time, it.__next__)

        it = self.pool.imap(sqr, exception_throwing_generator(10, 3), 1)
        for i in range(3):
            self.assertEqual(in_time(next, it), i * i)
        self.assertRaises(SayWhenError, in_time, it.__next__)

        # SayWhenError seen at start of problematic chunk's results
        it = self.pool.imap(sqr, exception_throwing_generator(20, 7), 2)
        for i in range(6):
            self.assertEqual(in_time(next, it), i * i)
        self.assertRaises(SayWhenError, in_time, it.__next__)
        it = self.pool.imap(sqr, exception_throwing_generator(20, 7), 4)
        for i in range(4):
            self.assertEqual(in_time(next, it), i * i)
        self.assertRaises(SayWhenError, in_time, it.__next__)

    def test_imap_unordered(self):
        it = self.pool.imap_unordered(sqr, list(range(10)))
        self.assertEqual(sorted(in_time(list, it)), list(map(sqr, list(range(10)))))

        it = self.pool.imap_unordered(sqr, list(range(1000)), chunksize=100)
        self.assertEqual(sorted(in_time(list, it)), list(map(sqr, list(range(1000)))))

    def test_make_pool(self):
        self.assertRaises(ValueError, self.Pool, -1)
        self.assertRaises(ValueError, self.Pool, 0)
        # (CPython then makes a Pool(3) and counts its private _pool)

    def test_empty_iterable(self):
        # See Issue 12157 (CPython: a Pool(1) of its own; here the shared pool)
        p = self.pool

        self.assertEqual(in_time(p.map, sqr, []), [])
        self.assertEqual(in_time(list, p.imap(sqr, [])), [])
        self.assertEqual(in_time(list, p.imap_unordered(sqr, [])), [])
        self.assertEqual(p.map_async(sqr, []).get(DEADLINE), [])

    def test_wrapped_exception(self):
        # Issue #20980: Should not wrap exception when using thread pool
        # (CPython: a Pool(1) of its own; here the shared pool)
        with self.assertRaises(RuntimeError):
            in_time(self.pool.apply, _test_wrapped_exception)


class WithThreadsTestPool(ThreadsMixin, _TestPool, unittest.TestCase):
    pass


class WithProcessesTestPool(ProcessesMixin, _TestPool, unittest.TestCase):
    # The cases of CPython's _TestPool that run for processes only, and of _TestPoolWorkerErrors.

    def test_map_unplicklable(self):
        # Issue #19425 -- failure to pickle should not cause a hang
        class A(object):
            def __reduce__(self):
                raise RuntimeError("cannot pickle")

        with self.assertRaises(RuntimeError):
            in_time(self.pool.map, sqr, [A()] * 10)

    def test_terminate(self):
        # Simulate slow tasks which take "forever" to complete
        p = self.Pool(1)  # CPython: Pool(3), and 10_000 tasks of LONG_TIMEOUT
        args = [0.5 for i in range(100)]
        result = p.map_async(time.sleep, args, chunksize=1)
        p.terminate()
        in_time(p.join)

    def test_context(self):
        L = list(range(10))
        expected = [sqr(i) for i in L]
        with self.Pool(1) as p:  # CPython: Pool(2)
            r = p.map_async(sqr, L)
            self.assertEqual(r.get(DEADLINE), expected)
        in_time(p.join)
        self.assertRaises(ValueError, p.map_async, sqr, L)

    def test_traceback(self):
        # We want ensure that the traceback from the child process is
        # contained in the traceback raised in the main process.
        # (CPython: a Pool(1) of its own, twice; here the shared pool)
        try:
            in_time(self.pool.apply, _test_traceback)
        except Exception as e:
            exc = e
        else:
            self.fail("expected RuntimeError")
        self.assertIs(type(exc), RuntimeError)
        self.assertEqual(exc.args, (123,))
        cause = exc.__cause__
        self.assertIs(type(cause), multiprocessing.pool.RemoteTraceback)
        self.assertIn("RuntimeError: 123", cause.tb)  # CPython: the source line

        # _helper_reraises_exception should not make the error
        # a remote exception
        try:
            in_time(self.pool.map, sqr, exception_throwing_generator(1, -1), 1)
        except Exception as e:
            exc = e
        else:
            self.fail("expected SayWhenError")
        self.assertIs(type(exc), SayWhenError)
        self.assertIs(exc.__cause__, None)

    def test_async_error_callback(self):  # CPython: _TestPoolWorkerErrors, with a Pool(2) of its own
        scratchpad = [None]

        def errback(exc):
            scratchpad[0] = exc

        res = self.pool.apply_async(raising, error_callback=errback)
        self.assertRaises(KeyError, res.get, DEADLINE)
        self.assertTrue(scratchpad[0])
        self.assertIsInstance(scratchpad[0], KeyError)

    def test_unpickleable_result(self):  # CPython: _TestPoolWorkerErrors, with a Pool(2) of its own
        from multiprocessing.pool import MaybeEncodingError

        # Make sure we don't lose pool processes because of encoding errors.
        for iteration in range(3):  # CPython: 20
            scratchpad = [None]

            def errback(exc):
                scratchpad[0] = exc

            res = self.pool.apply_async(unpickleable_result, error_callback=errback)
            self.assertRaises(MaybeEncodingError, res.get, DEADLINE)
            wrapped = scratchpad[0]
            self.assertTrue(wrapped)
            self.assertIsInstance(scratchpad[0], MaybeEncodingError)
            self.assertIsNotNone(wrapped.exc)
            self.assertIsNotNone(wrapped.value)

    def test_map_lambda(self):  # added
        # A pool's task is pickled by name: a lambda has none to be found by.
        with self.assertRaisesRegex(pickle.PicklingError, "Can't pickle"):
            in_time(self.pool.map, _square_lambda, range(4))
        # The pool works on
        self.assertEqual(in_time(self.pool.map, sqr, range(4)), [0, 1, 4, 9])

    def test_lock_as_argument(self):  # added
        with self.assertRaisesRegex(RuntimeError, LOCK_MESSAGE):
            in_time(self.pool.apply, identity, (multiprocessing.Lock(),))


def _sqr_and_pid(x, wait=0.0):  # added: CPython's sqr, and the pid of the worker
    return sqr(x, wait), os.getpid()


class _TestPoolWorkerLifetime(BaseTestCase):
    def test_pool_worker_lifetime_early_close(self):
        # Issue #10332: closing a pool whose workers have limited lifetimes
        # before all the tasks completed would make join() hang.
        p = multiprocessing.Pool(1, maxtasksperchild=1)  # CPython: Pool(3), 6 tasks
        results = []
        for i in range(2):
            results.append(p.apply_async(_sqr_and_pid, (i, 0.3)))
        p.close()
        in_time(p.join)
        # check the results
        for j, res in enumerate(results):
            self.assertEqual(res.get(DEADLINE)[0], sqr(j))
        # added: each task had a worker of its own
        pids = [res.get(DEADLINE)[1] for res in results]
        self.assertEqual(len(set(pids)), len(results))
        self.assertNotIn(os.getpid(), pids)

    def test_pool_maxtasksperchild_invalid(self):
        for value in [0, -1, 0.5, "12"]:
            with self.assertRaises(ValueError):
                multiprocessing.Pool(3, maxtasksperchild=value)


class WithProcessesTestPoolWorkerLifetime(ProcessesMixin, _TestPoolWorkerLifetime, unittest.TestCase):
    pass


#
# test_concurrent_futures.py: ExecutorTest, ProcessPoolExecutorTest
#


def capture(*args, **kwargs):
    return args, kwargs


def _test_executor_traceback():  # CPython: ProcessPoolExecutorTest._test_traceback
    raise RuntimeError(123)  # some comment


class ProcessPoolForkProcessPoolExecutorTest(unittest.TestCase):
    # CPython: ExecutorTest and ProcessPoolExecutorTest with ProcessPoolForkMixin, one
    # executor of 5 workers a case; here one executor of 2 workers for the class.
    executor_type = concurrent.futures.ProcessPoolExecutor

    @classmethod
    def setUpClass(cls):
        cls.executor = cls.executor_type(max_workers=2)

    @classmethod
    def tearDownClass(cls):
        in_time(cls.executor.shutdown, wait=True)
        cls.executor = None

    def test_submit(self):
        future = self.executor.submit(pow, 2, 8)
        self.assertEqual(256, future.result(DEADLINE))

    def test_submit_keyword(self):
        future = self.executor.submit(mul, 2, y=8)
        self.assertEqual(16, future.result(DEADLINE))
        future = self.executor.submit(capture, 1, self=2, fn=3)
        self.assertEqual(future.result(DEADLINE), ((1,), {"self": 2, "fn": 3}))
        with self.assertRaises(TypeError):
            self.executor.submit(fn=capture, arg=1)
        with self.assertRaises(TypeError):
            self.executor.submit(arg=1)

    def test_map(self):
        self.assertEqual(
            list(self.executor.map(pow, range(10), range(10), timeout=DEADLINE)), list(map(pow, range(10), range(10)))
        )

        self.assertEqual(
            list(self.executor.map(pow, range(10), range(10), chunksize=3, timeout=DEADLINE)),
            list(map(pow, range(10), range(10))),
        )

    def test_map_exception(self):
        i = self.executor.map(divmod, [1, 1, 1, 1], [2, 3, 0, 5], timeout=DEADLINE)
        self.assertEqual(i.__next__(), (0, 1))
        self.assertEqual(i.__next__(), (0, 1))
        self.assertRaises(ZeroDivisionError, i.__next__)

    def test_max_workers_negative(self):
        for number in (0, -1):
            with self.assertRaisesRegex(ValueError, "max_workers must be greater than 0"):
                self.executor_type(max_workers=number)

    def test_map_chunksize(self):
        def bad_map():
            list(self.executor.map(pow, range(40), range(40), chunksize=-1))

        ref = list(map(pow, range(40), range(40)))
        self.assertEqual(list(self.executor.map(pow, range(40), range(40), chunksize=6, timeout=DEADLINE)), ref)
        self.assertEqual(list(self.executor.map(pow, range(40), range(40), chunksize=50, timeout=DEADLINE)), ref)
        self.assertEqual(list(self.executor.map(pow, range(40), range(40), chunksize=40, timeout=DEADLINE)), ref)
        self.assertRaises(ValueError, bad_map)

    def test_traceback(self):
        # We want ensure that the traceback from the child process is
        # contained in the traceback raised in the main process.
        # (CPython also checks the type of the cause, private, and the source line it quotes)
        future = self.executor.submit(_test_executor_traceback)
        with self.assertRaises(Exception) as cm:
            future.result(DEADLINE)

        exc = cm.exception
        self.assertIs(type(exc), RuntimeError)
        self.assertEqual(exc.args, (123,))
        self.assertIn("RuntimeError: 123", str(exc.__cause__))


def run(cases):
    suite = unittest.TestSuite()
    loader = unittest.TestLoader()
    for case in cases:
        suite.addTests(loader.loadTestsFromTestCase(case))
    try:
        result = unittest.TextTestRunner(stream=sys.stdout, verbosity=1).run(suite)
    finally:
        if _MANAGER is not None:
            _MANAGER.shutdown()
    if not result.wasSuccessful():
        raise SystemExit(1)
    print(f"OK: {result.testsRun} cases of CPython's _test_multiprocessing.py")


run(
    [
        WithProcessesTestProcess,
        WithProcessesTestSubclassingProcess,
        WithProcessesTestQueue,
        TestSimpleQueue,
        WithProcessesTestLock,
        WithManagerTestLock,
        WithProcessesTestSemaphore,
        WithProcessesTestCondition,
        WithProcessesTestEvent,
        WithProcessesTestBarrier,
        WithProcessesTestValue,
        WithProcessesTestArray,
        WithManagerTestContainers,
        TestSyncManagerTypes,
        WithProcessesTestConnection,
        WithProcessesTestPoll,
        WithThreadsTestPool,
        WithProcessesTestPool,
        WithProcessesTestPoolWorkerLifetime,
        ProcessPoolForkProcessPoolExecutorTest,
    ]
)
