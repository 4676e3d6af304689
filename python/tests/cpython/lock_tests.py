# A port of CPython's Lib/test/lock_tests.py (3.13): the cases of its BaseLockTests,
# LockTests, RLockTests, EventTests, ConditionTests, BaseSemaphoreTests, SemaphoreTests,
# BoundedSemaphoreTests and BarrierTests that the native suite ports too (tests/lock.rs,
# rlock.rs, event.rs, condition.rs, semaphore.rs, barrier.rs), run by the Python tab's
# interpreter: natively (python/tests/cpython.rs) and in the browser (tests/e2e/python.test.mjs).
# What differs from CPython's: `Bunch` joins with a deadline (a hung case fails instead of
# hanging the suite), and the suite ends by printing OK or raising SystemExit(1).
import sys
import threading
import time
import unittest

DEADLINE = 30.0  # no wait of this suite is without one


def _wait():
    time.sleep(0.01)


class Bunch:
    """Runs `f` in `n` threads; `wait_for_finished` joins them, within the deadline."""

    def __init__(self, f, n, wait_before_exit=False):
        self.f = f
        self.n = n
        self.started = []
        self.finished = []
        self.errors = []
        self._can_exit = not wait_before_exit
        self.threads = []
        for _ in range(n):
            t = threading.Thread(target=self.task, daemon=True)
            self.threads.append(t)
            t.start()

    def task(self):
        self.started.append(threading.get_ident())
        try:
            self.f()
        except BaseException as e:
            self.errors.append(e)
        finally:
            self.finished.append(threading.get_ident())
            end = time.monotonic() + DEADLINE
            while not self._can_exit and time.monotonic() < end:
                _wait()

    def wait_for_started(self):
        end = time.monotonic() + DEADLINE
        while len(self.started) < self.n:
            assert time.monotonic() < end, "threads did not start in time"
            _wait()

    def wait_for_finished(self):
        for t in self.threads:
            t.join(DEADLINE)
            assert not t.is_alive(), "a thread of the bunch did not finish in time"
        if self.errors:
            raise self.errors[0]

    def do_finish(self):
        self._can_exit = True


class BaseLockTests(unittest.TestCase):
    def test_constructor(self):
        self.locktype()

    def test_repr(self):
        lock = self.locktype()
        self.assertRegex(repr(lock), "<unlocked .* object (.*)?at .*>")

    def test_locked_repr(self):
        lock = self.locktype()
        lock.acquire()
        self.assertRegex(repr(lock), "<locked .* object (.*)?at .*>")

    def test_acquire_release(self):
        lock = self.locktype()
        lock.acquire()
        lock.release()

    def test_try_acquire(self):
        lock = self.locktype()
        self.assertTrue(lock.acquire(False))
        lock.release()

    def test_try_acquire_contended(self):
        lock = self.locktype()
        lock.acquire()
        result = []

        def f():
            result.append(lock.acquire(False))

        Bunch(f, 1).wait_for_finished()
        self.assertFalse(result[0])
        lock.release()

    def test_acquire_contended(self):
        lock = self.locktype()
        lock.acquire()
        N = 5

        def f():
            lock.acquire()
            lock.release()

        b = Bunch(f, N)
        b.wait_for_started()
        _wait()
        self.assertEqual(len(b.finished), 0)
        lock.release()
        b.wait_for_finished()
        self.assertEqual(len(b.finished), N)

    def test_with(self):
        lock = self.locktype()

        def f():
            lock.acquire()
            lock.release()

        def with_lock(err=None):
            with lock:
                if err is not None:
                    raise err

        with_lock()
        Bunch(f, 1).wait_for_finished()
        self.assertRaises(TypeError, with_lock, TypeError)
        Bunch(f, 1).wait_for_finished()

    def test_timeout(self):
        lock = self.locktype()
        self.assertRaises(ValueError, lock.acquire, False, 1)
        self.assertRaises(ValueError, lock.acquire, timeout=-100)
        self.assertRaises(OverflowError, lock.acquire, timeout=1e100)
        self.assertTrue(lock.acquire(timeout=threading.TIMEOUT_MAX))
        lock.release()
        t1 = time.monotonic()
        self.assertTrue(lock.acquire(timeout=5))
        t2 = time.monotonic()
        self.assertLess(t2 - t1, 5)
        results = []

        def f():
            t1 = time.monotonic()
            results.append(lock.acquire(timeout=0.5))
            t2 = time.monotonic()
            results.append(t2 - t1)

        Bunch(f, 1).wait_for_finished()
        self.assertFalse(results[0])
        self.assertGreaterEqual(results[1], 0.5 - 0.02)


class LockTests(BaseLockTests):
    locktype = staticmethod(threading.Lock)

    def test_reacquire(self):
        lock = self.locktype()
        phase = []

        def f():
            lock.acquire()
            phase.append(None)
            lock.acquire()
            phase.append(None)

        b = Bunch(f, 1)
        end = time.monotonic() + DEADLINE
        while len(phase) == 0:
            self.assertLess(time.monotonic(), end)
            _wait()
        _wait()
        self.assertEqual(len(phase), 1)
        lock.release()
        end = time.monotonic() + DEADLINE
        while len(phase) == 1:
            self.assertLess(time.monotonic(), end)
            _wait()
        self.assertEqual(len(phase), 2)
        b.wait_for_finished()

    def test_different_thread(self):
        lock = self.locktype()
        lock.acquire()

        def f():
            lock.release()

        Bunch(f, 1).wait_for_finished()
        lock.acquire()
        lock.release()

    def test_state_after_timeout(self):
        lock = self.locktype()
        lock.acquire()
        self.assertFalse(lock.acquire(timeout=0.01))
        lock.release()
        self.assertFalse(lock.locked())
        self.assertTrue(lock.acquire(blocking=False))

    def test_release_unlocked(self):
        lock = self.locktype()
        self.assertRaises(RuntimeError, lock.release)


class RLockTests(BaseLockTests):
    locktype = staticmethod(threading.RLock)

    def test_reacquire(self):
        lock = self.locktype()
        lock.acquire()
        lock.acquire()
        lock.release()
        lock.acquire()
        lock.release()
        lock.release()

    def test_release_unacquired(self):
        lock = self.locktype()
        self.assertRaises(RuntimeError, lock.release)
        lock.acquire()
        lock.acquire()
        lock.release()
        lock.acquire()
        lock.release()
        lock.release()
        self.assertRaises(RuntimeError, lock.release)

    def test_different_thread(self):
        lock = self.locktype()

        def f():
            lock.acquire()

        b = Bunch(f, 1, True)
        try:
            b.wait_for_started()
            end = time.monotonic() + DEADLINE
            while not b.finished:
                self.assertLess(time.monotonic(), end)
                _wait()
            self.assertRaises(RuntimeError, lock.release)
        finally:
            b.do_finish()
        b.wait_for_finished()

    def test__is_owned(self):
        lock = self.locktype()
        self.assertFalse(lock._is_owned())
        lock.acquire()
        self.assertTrue(lock._is_owned())
        lock.acquire()
        self.assertTrue(lock._is_owned())
        result = []

        def f():
            result.append(lock._is_owned())

        Bunch(f, 1).wait_for_finished()
        self.assertFalse(result[0])
        lock.release()
        self.assertTrue(lock._is_owned())
        lock.release()
        self.assertFalse(lock._is_owned())


class EventTests(unittest.TestCase):
    def test_is_set(self):
        evt = threading.Event()
        self.assertFalse(evt.is_set())
        evt.set()
        self.assertTrue(evt.is_set())
        evt.set()
        self.assertTrue(evt.is_set())
        evt.clear()
        self.assertFalse(evt.is_set())
        evt.clear()
        self.assertFalse(evt.is_set())

    def _check_notify(self, evt):
        N = 5
        results1 = []
        results2 = []

        def f():
            results1.append(evt.wait())
            results2.append(evt.wait())

        b = Bunch(f, N)
        b.wait_for_started()
        _wait()
        self.assertEqual(len(results1), 0)
        evt.set()
        b.wait_for_finished()
        self.assertEqual(results1, [True] * N)
        self.assertEqual(results2, [True] * N)

    def test_notify(self):
        evt = threading.Event()
        self._check_notify(evt)
        evt.set()
        evt.clear()
        self._check_notify(evt)

    def test_timeout(self):
        evt = threading.Event()
        results1 = []
        results2 = []
        N = 5

        def f():
            results1.append(evt.wait(0.0))
            t1 = time.monotonic()
            r = evt.wait(0.5)
            t2 = time.monotonic()
            results2.append((r, t2 - t1))

        Bunch(f, N).wait_for_finished()
        self.assertEqual(results1, [False] * N)
        for r, dt in results2:
            self.assertFalse(r)
            self.assertGreaterEqual(dt, 0.5 - 0.02)
        results1 = []
        results2 = []
        evt.set()
        Bunch(f, N).wait_for_finished()
        self.assertEqual(results1, [True] * N)
        for r, dt in results2:
            self.assertTrue(r)

    def test_set_and_clear(self):
        event = threading.Event()
        results = []
        N = 5

        def f():
            results.append(event.wait(DEADLINE))

        b = Bunch(f, N)
        b.wait_for_started()
        time.sleep(0.1)
        event.set()
        event.clear()
        b.wait_for_finished()
        self.assertEqual(results, [True] * N)


class ConditionTests(unittest.TestCase):
    def test_acquire(self):
        cond = threading.Condition()
        cond.acquire()
        cond.acquire()
        cond.release()
        cond.release()
        lock = threading.Lock()
        cond = threading.Condition(lock)
        cond.acquire()
        self.assertFalse(lock.acquire(False))
        cond.release()
        self.assertTrue(lock.acquire(False))
        self.assertFalse(cond.acquire(False))
        lock.release()
        with cond:
            self.assertFalse(lock.acquire(False))

    def test_unacquired_wait(self):
        cond = threading.Condition()
        self.assertRaises(RuntimeError, cond.wait)

    def test_unacquired_notify(self):
        cond = threading.Condition()
        self.assertRaises(RuntimeError, cond.notify)

    def test_notify(self):
        cond = threading.Condition()
        ready = []
        woken = []
        N = 5

        def f():
            with cond:
                ready.append(None)
                cond.wait()
                woken.append(None)

        b = Bunch(f, N)
        end = time.monotonic() + DEADLINE
        while True:
            with cond:
                if len(ready) == N:
                    break
            self.assertLess(time.monotonic(), end)
            _wait()
        self.assertEqual(woken, [])
        with cond:
            cond.notify(2)
        end = time.monotonic() + DEADLINE
        while len(woken) < 2:
            self.assertLess(time.monotonic(), end)
            _wait()
        _wait()
        self.assertEqual(len(woken), 2)
        with cond:
            cond.notify_all()
        b.wait_for_finished()
        self.assertEqual(len(woken), N)

    def test_timeout(self):
        cond = threading.Condition()
        results = []
        N = 5

        def f():
            with cond:
                t1 = time.monotonic()
                result = cond.wait(0.5)
                t2 = time.monotonic()
                results.append((t2 - t1, result))

        Bunch(f, N).wait_for_finished()
        self.assertEqual(len(results), N)
        for dt, result in results:
            self.assertGreaterEqual(dt, 0.5 - 0.02)
            self.assertFalse(result)

    def test_waitfor(self):
        cond = threading.Condition()
        state = 0

        def f():
            with cond:
                result = cond.wait_for(lambda: state == 4)
                self.assertEqual(result, True)
                self.assertEqual(state, 4)

        b = Bunch(f, 1)
        b.wait_for_started()
        for i in range(4):
            time.sleep(0.01)
            with cond:
                state += 1
                cond.notify()
        b.wait_for_finished()

    def test_waitfor_timeout(self):
        cond = threading.Condition()
        state = 0
        success = []

        def f():
            with cond:
                dt = time.monotonic()
                result = cond.wait_for(lambda: state == 4, timeout=0.1)
                dt = time.monotonic() - dt
                self.assertFalse(result)
                self.assertGreaterEqual(dt, 0.1 - 0.02)
                success.append(None)

        b = Bunch(f, 1)
        b.wait_for_started()
        for i in range(3):
            time.sleep(0.01)
            with cond:
                state += 1
                cond.notify()
        b.wait_for_finished()
        self.assertEqual(len(success), 1)


class BaseSemaphoreTests(unittest.TestCase):
    def test_constructor(self):
        self.assertRaises(ValueError, self.semtype, value=-1)
        self.assertRaises(ValueError, self.semtype, value=-sys.maxsize)
        self.semtype(1)
        self.semtype(0)

    def test_acquire(self):
        sem = self.semtype(1)
        sem.acquire()
        sem.release()
        sem = self.semtype(2)
        sem.acquire()
        sem.acquire()
        sem.release()
        sem.release()

    def test_acquire_contended(self):
        sem = self.semtype(7)
        sem.acquire()
        results1 = []
        results2 = []
        phase_num = 0

        def f():
            sem.acquire()
            results1.append(phase_num)
            sem.acquire()
            results2.append(phase_num)

        def wait_for(n):
            end = time.monotonic() + DEADLINE
            while len(results1) + len(results2) < n:
                self.assertLess(time.monotonic(), end)
                _wait()

        b = Bunch(f, 10)
        b.wait_for_started()
        wait_for(6)
        self.assertEqual(results1 + results2, [0] * 6)
        phase_num = 1
        for i in range(7):
            sem.release()
        wait_for(13)
        self.assertEqual(sorted(results1 + results2), [0] * 6 + [1] * 7)
        phase_num = 2
        for i in range(6):
            sem.release()
        wait_for(19)
        self.assertEqual(sorted(results1 + results2), [0] * 6 + [1] * 7 + [2] * 6)
        self.assertFalse(sem.acquire(False))
        sem.release()
        b.wait_for_finished()

    def test_multirelease(self):
        sem = self.semtype(7)
        sem.acquire()
        results1 = []
        results2 = []
        phase_num = 0

        def f():
            sem.acquire()
            results1.append(phase_num)
            sem.acquire()
            results2.append(phase_num)

        b = Bunch(f, 10)
        end = time.monotonic() + DEADLINE
        while len(results1) + len(results2) < 6:
            self.assertLess(time.monotonic(), end)
            _wait()
        phase_num = 1
        sem.release(7)
        while len(results1) + len(results2) < 13:
            self.assertLess(time.monotonic(), end)
            _wait()
        phase_num = 2
        sem.release(6)
        while len(results1) + len(results2) < 19:
            self.assertLess(time.monotonic(), end)
            _wait()
        self.assertFalse(sem.acquire(False))
        sem.release()
        b.wait_for_finished()

    def test_try_acquire(self):
        sem = self.semtype(2)
        self.assertTrue(sem.acquire(False))
        self.assertTrue(sem.acquire(False))
        self.assertFalse(sem.acquire(False))
        sem.release()
        self.assertTrue(sem.acquire(False))

    def test_try_acquire_contended(self):
        sem = self.semtype(4)
        sem.acquire()
        results = []

        def f():
            results.append(sem.acquire(False))
            results.append(sem.acquire(False))

        Bunch(f, 5).wait_for_finished()
        self.assertEqual(sorted(results), [False] * 7 + [True] * 3)

    def test_acquire_timeout(self):
        sem = self.semtype(2)
        self.assertRaises(ValueError, sem.acquire, False, timeout=1.0)
        self.assertTrue(sem.acquire(timeout=0.005))
        self.assertTrue(sem.acquire(timeout=0.005))
        self.assertFalse(sem.acquire(timeout=0.005))
        sem.release()
        self.assertTrue(sem.acquire(timeout=0.005))
        t = time.monotonic()
        self.assertFalse(sem.acquire(timeout=0.5))
        dt = time.monotonic() - t
        self.assertGreaterEqual(dt, 0.5 - 0.02)

    def test_default_value(self):
        sem = self.semtype()
        sem.acquire()

        def f():
            sem.acquire()
            sem.release()

        b = Bunch(f, 1)
        b.wait_for_started()
        _wait()
        self.assertFalse(b.finished)
        sem.release()
        b.wait_for_finished()

    def test_with(self):
        sem = self.semtype(2)

        def _with(err=None):
            with sem:
                self.assertTrue(sem.acquire(False))
                sem.release()
                with sem:
                    self.assertFalse(sem.acquire(False))
                    if err:
                        raise err

        _with()
        self.assertTrue(sem.acquire(False))
        sem.release()
        self.assertRaises(TypeError, _with, TypeError)
        self.assertTrue(sem.acquire(False))
        sem.release()


class SemaphoreTests(BaseSemaphoreTests):
    semtype = staticmethod(threading.Semaphore)

    def test_release_unacquired(self):
        sem = self.semtype(1)
        sem.release()
        sem.acquire()
        sem.acquire()
        sem.release()


class BoundedSemaphoreTests(BaseSemaphoreTests):
    semtype = staticmethod(threading.BoundedSemaphore)

    def test_release_unacquired(self):
        sem = self.semtype()
        self.assertRaises(ValueError, sem.release)
        sem.acquire()
        sem.release()
        self.assertRaises(ValueError, sem.release)


class BarrierTests(unittest.TestCase):
    N = 5
    defaultTimeout = 2.0

    def setUp(self):
        self.barrier = threading.Barrier(self.N, timeout=self.defaultTimeout)

    def tearDown(self):
        self.barrier.abort()

    def run_threads(self, f):
        b = Bunch(f, self.N - 1)
        try:
            f()
        finally:
            b.wait_for_finished()

    def multipass(self, results, n):
        m = self.barrier.parties
        self.assertEqual(m, self.N)
        for i in range(n):
            results[0].append(True)
            self.assertEqual(len(results[1]), i * m)
            self.barrier.wait()
            results[1].append(True)
            self.assertEqual(len(results[0]), (i + 1) * m)
            self.barrier.wait()
        self.assertEqual(self.barrier.n_waiting, 0)
        self.assertFalse(self.barrier.broken)

    def test_barrier(self, passes=1):
        results = [[], []]

        def f():
            self.multipass(results, passes)

        self.run_threads(f)

    def test_barrier_10(self):
        return self.test_barrier(10)

    def test_wait_return(self):
        results = []

        def f():
            r = self.barrier.wait()
            results.append(r)

        self.run_threads(f)
        self.assertEqual(sum(results), sum(range(self.N)))

    def test_action(self):
        results = []

        def action():
            results.append(True)

        barrier = threading.Barrier(self.N, action)

        def f():
            barrier.wait()
            self.assertEqual(len(results), 1)

        self.run_threads(f)

    def test_action_exception(self):
        # Not in lock_tests.py: what CPython's Barrier._release does when the action raises
        # (threading.py: the barrier breaks, the exception leaves the thread that ran it).
        class MyError(Exception):
            pass

        def action():
            raise MyError

        barrier = threading.Barrier(self.N, action)
        results1 = []
        results2 = []

        def f():
            try:
                barrier.wait()
            except MyError:
                results1.append(True)
            except threading.BrokenBarrierError:
                results2.append(True)

        self.run_threads(f)
        self.assertEqual(len(results1), 1)
        self.assertEqual(len(results2), self.N - 1)
        self.assertTrue(barrier.broken)

    def test_abort(self):
        results1 = []
        results2 = []

        def f():
            try:
                i = self.barrier.wait()
                if i == self.N // 2:
                    raise RuntimeError
                self.barrier.wait()
                results1.append(True)
            except threading.BrokenBarrierError:
                results2.append(True)
            except RuntimeError:
                self.barrier.abort()

        self.run_threads(f)
        self.assertEqual(len(results1), 0)
        self.assertEqual(len(results2), self.N - 1)
        self.assertTrue(self.barrier.broken)

    def test_reset(self):
        results1 = []
        results2 = []
        results3 = []

        def f():
            i = self.barrier.wait()
            if i == self.N // 2:
                end = time.monotonic() + DEADLINE
                while self.barrier.n_waiting < self.N - 1:
                    assert time.monotonic() < end
                    time.sleep(0.001)
                self.barrier.reset()
            else:
                try:
                    self.barrier.wait()
                    results1.append(True)
                except threading.BrokenBarrierError:
                    results2.append(True)
            self.barrier.wait()
            results3.append(True)

        self.run_threads(f)
        self.assertEqual(len(results1), 0)
        self.assertEqual(len(results2), self.N - 1)
        self.assertEqual(len(results3), self.N)

    def test_timeout(self):
        def f():
            i = self.barrier.wait()
            if i == self.N // 2:
                time.sleep(1.0)
            self.assertRaises(threading.BrokenBarrierError, self.barrier.wait, 0.5)

        self.run_threads(f)

    def test_default_timeout(self):
        barrier = threading.Barrier(self.N, timeout=0.3)

        def f():
            i = barrier.wait()
            if i == self.N // 2:
                time.sleep(1.0)
            self.assertRaises(threading.BrokenBarrierError, barrier.wait)

        self.run_threads(f)

    def test_single_thread(self):
        b = threading.Barrier(1)
        b.wait()
        b.wait()


def run(cases):
    suite = unittest.TestSuite()
    loader = unittest.TestLoader()
    for case in cases:
        suite.addTests(loader.loadTestsFromTestCase(case))
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=1).run(suite)
    if not result.wasSuccessful():
        raise SystemExit(1)
    print(f"OK: {result.testsRun} cases of CPython's lock_tests.py")


run([LockTests, RLockTests, EventTests, ConditionTests, SemaphoreTests, BoundedSemaphoreTests, BarrierTests])
