#
# multiprocessing.queues, the playground's: Queue, JoinableQueue and SimpleQueue of any
# process of the run. Queue and JoinableQueue are the runtime's queue of pickled items
# (`_pp_mp`: a byte ring in the run's shared segment, with CPython's feeder semantics: a put
# never waits for a reader unless the queue is bounded and full), which the timeline names
# and draws; SimpleQueue is CPython's, a Pipe and two locks. As in CPython an item is pickled
# when it is put (an item that does not pickle goes to `_on_queue_feeder_error`, as CPython's
# feeder thread sends it there), and a queue crosses to a child only as the child starts.
#

__all__ = ['Queue', 'SimpleQueue', 'JoinableQueue']

import sys
import types
from queue import Empty, Full  # noqa: F401 (CPython's module has them: multiprocessing.queues.Empty)

import _pp_mp

from . import connection
from . import context
from .util import debug


class Queue(object):
    def __init__(self, maxsize=0, *, ctx):
        if maxsize <= 0:
            maxsize = 0
        self._maxsize = maxsize
        self._q = _pp_mp.queue(maxsize)
        self._closed = False
        self._ignore_epipe = False

    def __getstate__(self):
        context.assert_spawning(self)
        return (self._maxsize, self._q.handle(), self._ignore_epipe)

    def __setstate__(self, state):
        self._maxsize, handle, self._ignore_epipe = state
        self._q = _pp_mp.rebuild('queue', handle)
        self._closed = False

    def put(self, obj, block=True, timeout=None):
        if self._closed:
            raise ValueError(f"Queue {self!r} is closed")
        try:
            data = connection.dumps(obj)
        except Exception as e:
            self._on_queue_feeder_error(e, obj)
            return
        self._q.put(data, block, _checked(timeout))

    def get(self, block=True, timeout=None):
        if self._closed:
            raise ValueError(f"Queue {self!r} is closed")
        return connection.loads(self._q.get(block, _checked(timeout)))

    def qsize(self):
        return self._q.qsize()

    def empty(self):
        return self._q.empty()

    def full(self):
        return self._q.full()

    def get_nowait(self):
        return self.get(False)

    def put_nowait(self, obj):
        return self.put(obj, False)

    def close(self):
        self._closed = True

    def join_thread(self):
        debug('Queue.join_thread()')
        assert self._closed, "Queue {0!r} not closed".format(self)

    def cancel_join_thread(self):
        debug('Queue.cancel_join_thread()')

    def _terminate_broken(self):
        self.close()

    @staticmethod
    def _on_queue_feeder_error(e, obj):
        """What happens to an item that does not pickle (CPython's feeder thread prints the
        traceback): a subclass may fail the work it stood for instead."""
        import traceback

        traceback.print_exception(e, file=sys.stderr)

    __class_getitem__ = classmethod(types.GenericAlias)


def _checked(timeout):
    if timeout is not None and timeout < 0:
        timeout = 0.0
    return timeout


class JoinableQueue(Queue):
    def task_done(self):
        self._q.task_done()

    def join(self):
        self._q.join()


class SimpleQueue(object):
    """CPython's: a Pipe and a lock on each side. `get` and `put` take the runtime's lock and
    pipe end themselves, as `with lock: conn.recv_bytes()` would: every task and result of a
    pool passes through both, and the Connection's and the Lock's methods in Python were
    seven calls a put and six a get."""

    def __init__(self, *, ctx):
        self._reader, self._writer = connection.Pipe(duplex=False)
        self._rlock = ctx.Lock()
        self._wlock = ctx.Lock()

    def close(self):
        self._reader.close()
        self._writer.close()

    def empty(self):
        return not self._reader.poll()

    def __getstate__(self):
        context.assert_spawning(self)
        return (self._reader, self._writer, self._rlock, self._wlock)

    def __setstate__(self, state):
        (self._reader, self._writer, self._rlock, self._wlock) = state

    def get(self):
        end = self._reader._end
        if end is None:
            raise OSError('handle is closed')
        lock = self._rlock._obj
        lock.acquire(True, None)
        try:
            res = end.recv_bytes()
        finally:
            lock.release()
        return connection.loads(res)

    def put(self, obj):
        obj = connection.dumps(obj)
        end = self._writer._end
        if end is None:
            raise OSError('handle is closed')
        lock = self._wlock._obj
        lock.acquire(True, None)
        try:
            end.send_bytes(obj)
        finally:
            lock.release()

    __class_getitem__ = classmethod(types.GenericAlias)
