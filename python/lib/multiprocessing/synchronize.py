#
# multiprocessing.synchronize, the playground's: Lock, RLock, Semaphore, BoundedSemaphore,
# Condition, Event and Barrier of any process of the run, over the runtime's (`_pp_mp`: the
# algorithms `threading`'s objects use, on words of the run's shared segment). Unlike
# CPython's, which are built of SemLocks, each is the runtime's own object: the timeline
# names it, and a deadlock through an `mp lock` is drawn across processes. As CPython's, they
# cross to a child process only as it starts (inheritance); put on a queue, they are a
# RuntimeError.
#

__all__ = ['Lock', 'RLock', 'Semaphore', 'BoundedSemaphore', 'Condition', 'Event']

import threading
import time

import _pp_mp

from . import context
from . import process


def _timeout(block, timeout):
    # CPython's SemLock: not blocking, the timeout does not count.
    return timeout if block else None


class _Shared(object):
    """A runtime object that crosses to a child only as the child starts."""

    _kind = None

    def __getstate__(self):
        context.assert_spawning(self)
        return self._obj.handle()

    def __setstate__(self, handle):
        self._obj = _pp_mp.rebuild(self._kind, handle)

    # Straight to the runtime: `with lock:` is on a pool's path for every task.
    def __enter__(self):
        return self._obj.acquire(True, None)

    def __exit__(self, *args):
        self._obj.release()


class Lock(_Shared):
    _kind = 'lock'

    def __init__(self, *, ctx):
        self._obj = _pp_mp.lock()

    def acquire(self, block=True, timeout=None):
        return self._obj.acquire(block, _timeout(block, timeout))

    def release(self):
        self._obj.release()

    def __repr__(self):
        # CPython names the owner's process; the runtime's lock knows only that it is held.
        if self._obj.acquire(False, None):
            self._obj.release()
            return '<%s(owner=None)>' % type(self).__name__
        return '<%s(owner=unknown)>' % type(self).__name__


class RLock(_Shared):
    _kind = 'rlock'

    def __init__(self, *, ctx):
        self._obj = _pp_mp.rlock()

    def acquire(self, block=True, timeout=None):
        return self._obj.acquire(block, _timeout(block, timeout))

    def release(self):
        self._obj.release()

    def __repr__(self):
        return '<%s(%s)>' % (type(self).__name__, 'unknown')


class Semaphore(_Shared):
    _kind = 'semaphore'
    _bounded = False

    def __init__(self, value=1, *, ctx):
        self._obj = _pp_mp.semaphore(value, self._bounded)

    def acquire(self, block=True, timeout=None):
        return self._obj.acquire(block, _timeout(block, timeout))

    def release(self):
        self._obj.release()

    def get_value(self):
        return self._obj.get_value()

    def __repr__(self):
        return '<%s(value=%s)>' % (type(self).__name__, self.get_value())


class BoundedSemaphore(Semaphore):
    _bounded = True


class Condition(_Shared):
    """Over the runtime's Condition, with its own RLock (the `lock` argument may only be an
    RLock or None: a Condition of the segment keeps its lock in the segment)."""

    _kind = 'condition'

    def __init__(self, lock=None, *, ctx):
        if lock is not None and not isinstance(lock, RLock):
            raise TypeError('a Condition of the playground has a lock of its own: give it none, or an RLock')
        self._obj = _pp_mp.condition()

    def acquire(self, block=True, timeout=None):
        return self._obj.acquire(block, _timeout(block, timeout))

    def release(self):
        self._obj.release()

    def wait(self, timeout=None):
        return self._obj.wait(timeout)

    def wait_for(self, predicate, timeout=None):
        # CPython's loop (threading.Condition.wait_for).
        endtime = None
        waittime = timeout
        result = predicate()
        while not result:
            if waittime is not None:
                if endtime is None:
                    endtime = time.monotonic() + waittime
                else:
                    waittime = endtime - time.monotonic()
                    if waittime <= 0:
                        break
            self.wait(waittime)
            result = predicate()
        return result

    def notify(self, n=1):
        self._obj.notify(n)

    def notify_all(self):
        self._obj.notify(2**32 - 1)

    def __repr__(self):
        return '<%s>' % type(self).__name__


class Event(_Shared):
    _kind = 'event'

    def __init__(self, *, ctx):
        self._obj = _pp_mp.event()

    def is_set(self):
        return self._obj.is_set()

    def set(self):
        self._obj.set()

    def clear(self):
        self._obj.clear()

    def wait(self, timeout=None):
        return self._obj.wait(timeout)

    def __repr__(self):
        return '<%s set=%s>' % (type(self).__name__, self.is_set())


class Barrier(_Shared):
    _kind = 'barrier'

    def __init__(self, parties, action=None, timeout=None, *, ctx):
        if action is not None:
            raise ValueError('a Barrier of processes runs no action in the playground')
        self._obj = _pp_mp.barrier(parties, timeout)

    def wait(self, timeout=None):
        return self._obj.wait(timeout)

    def abort(self):
        self._obj.abort()

    def reset(self):
        self._obj.reset()

    @property
    def parties(self):
        return self._obj.parties

    @property
    def n_waiting(self):
        return self._obj.n_waiting

    @property
    def broken(self):
        return self._obj.broken

    def __repr__(self):
        return '<%s(parties=%s)>' % (type(self).__name__, self.parties)
