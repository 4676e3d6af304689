# A port of CPython's Lib/test/test_queue.py (3.13): the cases of BaseQueueTestMixin (FIFO,
# LIFO and priority), QueueTaskDone, FailingQueue's "full gives the item back" idea, and
# SimpleQueue's tests that the native suite ports too (tests/queue.rs), run by the Python
# tab's interpreter: natively (python/tests/cpython.rs) and in the browser
# (tests/e2e/python.test.mjs). What differs: every join has a deadline, and the suite ends by
# printing OK or raising SystemExit(1).
import queue
import random
import sys
import threading
import time
import unittest

DEADLINE = 30.0
QUEUE_SIZE = 5


def join_in_time(thread):
    thread.join(DEADLINE)
    assert not thread.is_alive(), "a thread did not finish in time"


class _TriggerThread(threading.Thread):
    def __init__(self, fn, args):
        self.fn = fn
        self.args = args
        self.startedEvent = threading.Event()
        threading.Thread.__init__(self)

    def run(self):
        time.sleep(0.1)
        self.startedEvent.set()
        self.fn(*self.args)


class BlockingTestMixin:
    def do_blocking_test(self, block_func, block_args, trigger_func, trigger_args):
        thread = _TriggerThread(trigger_func, trigger_args)
        thread.start()
        try:
            self.result = block_func(*block_args)
            if not thread.startedEvent.is_set():
                self.fail("blocking function %r appeared not to block" % block_func)
            return self.result
        finally:
            join_in_time(thread)

    def do_exceptional_blocking_test(self, block_func, block_args, trigger_func, trigger_args, expected_exception_class):
        thread = _TriggerThread(trigger_func, trigger_args)
        thread.start()
        try:
            try:
                block_func(*block_args)
            except expected_exception_class:
                raise
            else:
                self.fail("expected exception of kind %r" % expected_exception_class)
        finally:
            join_in_time(thread)
            if not thread.startedEvent.is_set():
                self.fail("trigger thread ended but event never set")


class BaseQueueTestMixin(BlockingTestMixin):
    def setUp(self):
        self.cum = 0
        self.cumlock = threading.Lock()

    def basic_queue_test(self, q):
        if q.qsize():
            raise RuntimeError("Call this function with an empty queue")
        self.assertTrue(q.empty())
        self.assertFalse(q.full())
        q.put(111)
        q.put(333)
        q.put(222)
        target_order = dict(Queue=[111, 333, 222], LifoQueue=[222, 333, 111], PriorityQueue=[111, 222, 333])
        actual_order = [q.get(), q.get(), q.get()]
        self.assertEqual(actual_order, target_order[q.__class__.__name__], "Didn't seem to queue the correct data!")
        for i in range(QUEUE_SIZE - 1):
            q.put(i)
            self.assertTrue(q.qsize(), "Queue should not be empty")
        self.assertTrue(not q.full(), "Queue should not be full")
        last = 2 * QUEUE_SIZE
        full = 3 * 2 * QUEUE_SIZE
        q.put(last)
        self.assertTrue(q.full(), "Queue should be full")
        self.assertFalse(q.empty())
        self.assertTrue(q.full())
        try:
            q.put(full, block=0)
            self.fail("Didn't appear to block with a full queue")
        except queue.Full:
            pass
        try:
            q.put(full, timeout=0.01)
            self.fail("Didn't appear to time-out with a full queue")
        except queue.Full:
            pass
        self.do_blocking_test(q.put, (full,), q.get, ())
        self.do_blocking_test(q.put, (full, True, 10), q.get, ())
        for i in range(QUEUE_SIZE):
            q.get()
        self.assertTrue(not q.qsize(), "Queue should be empty")
        try:
            q.get(block=0)
            self.fail("Didn't appear to block with an empty queue")
        except queue.Empty:
            pass
        try:
            q.get(timeout=0.01)
            self.fail("Didn't appear to time-out with an empty queue")
        except queue.Empty:
            pass
        self.do_blocking_test(q.get, (), q.put, ("empty",))
        self.do_blocking_test(q.get, (True, 10), q.put, ("empty",))

    def worker(self, q):
        while True:
            x = q.get()
            if x < 0:
                q.task_done()
                return
            with self.cumlock:
                self.cum += x
            q.task_done()

    def queue_join_test(self, q):
        self.cum = 0
        threads = []
        for i in (0, 1):
            thread = threading.Thread(target=self.worker, args=(q,))
            thread.start()
            threads.append(thread)
        for i in range(100):
            q.put(i)
        q.join()
        self.assertEqual(self.cum, sum(range(100)), "q.join() did not block until all tasks were done")
        for i in (0, 1):
            q.put(-1)
        q.join()
        for thread in threads:
            join_in_time(thread)

    def test_queue_task_done(self):
        q = self.type2test()
        try:
            q.task_done()
        except ValueError:
            pass
        else:
            self.fail("Did not detect task count going negative")

    def test_queue_join(self):
        q = self.type2test()
        self.queue_join_test(q)
        self.queue_join_test(q)
        try:
            q.task_done()
        except ValueError:
            pass
        else:
            self.fail("Did not detect task count going negative")

    def test_basic(self):
        q = self.type2test(QUEUE_SIZE)
        self.basic_queue_test(q)
        self.basic_queue_test(q)

    def test_negative_timeout_raises_exception(self):
        q = self.type2test(QUEUE_SIZE)
        with self.assertRaises(ValueError):
            q.put(1, timeout=-1)
        with self.assertRaises(ValueError):
            q.get(1, timeout=-1)

    def test_nowait(self):
        q = self.type2test(QUEUE_SIZE)
        for i in range(QUEUE_SIZE):
            q.put_nowait(1)
        with self.assertRaises(queue.Full):
            q.put_nowait(1)
        for i in range(QUEUE_SIZE):
            q.get_nowait()
        with self.assertRaises(queue.Empty):
            q.get_nowait()

    def test_shrinking_queue(self):
        q = self.type2test(3)
        q.put(1)
        q.put(2)
        q.put(3)
        with self.assertRaises(queue.Full):
            q.put_nowait(4)
        self.assertEqual(q.qsize(), 3)
        q.maxsize = 2
        with self.assertRaises(queue.Full):
            q.put_nowait(4)


class QueueTest(BaseQueueTestMixin, unittest.TestCase):
    type2test = queue.Queue


class LifoQueueTest(BaseQueueTestMixin, unittest.TestCase):
    type2test = queue.LifoQueue


class PriorityQueueTest(BaseQueueTestMixin, unittest.TestCase):
    type2test = queue.PriorityQueue

    def test_orders_tuples(self):
        q = self.type2test()
        for item in [(2, "-"), (3, "100"), (1, "python")]:
            q.put(item)
        self.assertEqual([q.get() for _ in range(3)], [(1, "python"), (2, "-"), (3, "100")])


class SimpleQueueTest(unittest.TestCase):
    type2test = queue.SimpleQueue

    def test_basic(self):
        q = self.type2test()
        self.assertTrue(q.empty())
        self.assertEqual(q.qsize(), 0)
        q.put(1)
        self.assertFalse(q.empty())
        self.assertEqual(q.qsize(), 1)
        q.put(2)
        q.put_nowait(3)
        q.put(4)
        self.assertEqual(q.qsize(), 4)
        self.assertEqual(q.get(), 1)
        self.assertEqual(q.qsize(), 3)
        self.assertEqual(q.get_nowait(), 2)
        self.assertEqual(q.get(block=False), 3)
        self.assertEqual(q.get(timeout=0.1), 4)
        self.assertTrue(q.empty())
        with self.assertRaises(queue.Empty):
            q.get(block=False)
        with self.assertRaises(queue.Empty):
            q.get(timeout=1e-3)
        with self.assertRaises(queue.Empty):
            q.get_nowait()
        with self.assertRaises(ValueError):
            q.get(timeout=-1)

    def test_order(self):
        q = self.type2test()
        inputs = list(range(100))
        for x in inputs:
            q.put(x)
        results = [q.get() for _ in inputs]
        self.assertEqual(results, inputs)

    def test_many_threads(self):
        N = 50
        q = self.type2test()
        results = []
        sentinel = None

        def feed():
            for i in range(N):
                q.put(i)
            for _ in range(4):
                q.put(sentinel)

        def consume():
            while True:
                val = q.get()
                if val is sentinel:
                    return
                results.append(val)

        threads = [threading.Thread(target=feed)] + [threading.Thread(target=consume) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            join_in_time(t)
        self.assertEqual(sorted(results), list(range(N)))


def run(cases):
    suite = unittest.TestSuite()
    loader = unittest.TestLoader()
    for case in cases:
        suite.addTests(loader.loadTestsFromTestCase(case))
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=1).run(suite)
    if not result.wasSuccessful():
        raise SystemExit(1)
    print(f"OK: {result.testsRun} cases of CPython's test_queue.py")


run([QueueTest, LifoQueueTest, PriorityQueueTest, SimpleQueueTest])
