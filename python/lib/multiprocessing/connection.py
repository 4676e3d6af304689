#
# multiprocessing.connection, the playground's: CPython's API (Connection, Pipe, wait,
# Listener, Client and their challenge) over the runtime's pipes, byte rings in the run's
# shared segment (`_pp_mp`), instead of file descriptors and sockets, which a web worker does
# not have. A Connection crosses to a child process as its handle (one more open end, as a
# duplicated descriptor would be); its last end closed, the other side reads EOFError.
#

__all__ = ['Client', 'Listener', 'Pipe', 'wait']

import copyreg
import io
import pickle
import threading
import time

import _pp_mp
import _pp_pickle

from . import AuthenticationError, BufferTooShort, reduction

_ForkingPickler = reduction.ForkingPickler


class _Dumper(object):
    busy = False
    key = None
    pickler = None
    buf = None


# A thread's dumper, by thread id (`threading.local` is pure Python here, and slower than the
# pickler it would save).
_dumpers = {}


def dumps(obj):
    """`ForkingPickler.dumps(obj)`, as bytes: in Rust (`_pp_pickle`) when `obj` is made of
    plain values, tuples, lists, dicts and functions by name, which `pickle.py` writes without
    looking at reducers; otherwise in Python. copyreg's extension registry, if a program
    fills it, is pickle.py's to use."""
    if _ForkingPickler is reduction.ForkingPickler and not copyreg._extension_registry:
        return _pp_pickle.dumps(obj, _dumps_in_python)
    return _dumps_in_python(obj)


def loads(data):
    """`ForkingPickler.loads(data)`: in Rust what `_pp_pickle` reads, otherwise in Python."""
    return _pp_pickle.loads(data, _ForkingPickler.loads)


def _dumps_in_python(obj):
    """`ForkingPickler.dumps(obj)`, as bytes, by a pickler kept by the thread: making a
    Pickler costs more than pickling most of what a pool sends (a quarter of a tiny task's
    time in RustPython)."""
    d = _dumpers.get(threading.get_ident())
    if d is None:
        d = _dumpers[threading.get_ident()] = _Dumper()
    key = (id(_ForkingPickler), len(copyreg.dispatch_table), len(_ForkingPickler._extra_reducers))
    if d.busy or _ForkingPickler is not reduction.ForkingPickler:
        # Pickling from inside a pickling (a __reduce__ that sends), or a reducer of its own.
        return bytes(reduction.ForkingPickler.dumps(obj))
    if d.key != key:
        table = copyreg.dispatch_table.copy()
        table.update(_ForkingPickler._extra_reducers)
        d.buf = io.BytesIO()
        d.pickler = pickle.Pickler(d.buf)
        d.pickler.dispatch_table = table
        d.key = key
    buf = d.buf
    buf.seek(0)
    buf.truncate()
    d.busy = True
    try:
        d.pickler.dump(obj)
    except BaseException:
        d.key = None  # a pickler that failed half-way is not reused
        raise
    finally:
        d.busy = False
    d.pickler.clear_memo()
    return buf.getvalue()

BUFSIZE = 8192
CONNECTION_TIMEOUT = 20.0

default_family = 'AF_PIPE'
families = ['AF_PIPE']


def _check_buffer_args(buf, offset, size):
    m = memoryview(buf)
    n = m.nbytes
    if offset < 0:
        raise ValueError('offset is negative')
    if n < offset:
        raise ValueError('buffer length < offset')
    if size is None:
        size = n - offset
    elif size < 0:
        raise ValueError('size is negative')
    elif offset + size > n:
        raise ValueError('buffer length < offset + size')
    return bytes(m[offset:offset + size])


class Connection:
    """One end of a pipe: send/recv pickled objects, or bytes."""

    def __init__(self, end):
        self._end = end

    def _check_closed(self):
        if self._end is None:
            raise OSError('handle is closed')

    def _check_readable(self):
        if not self._end.readable:
            raise OSError('connection is write-only')

    def _check_writable(self):
        if not self._end.writable:
            raise OSError('connection is read-only')

    @property
    def closed(self):
        return self._end is None

    @property
    def readable(self):
        self._check_closed()
        return self._end.readable

    @property
    def writable(self):
        self._check_closed()
        return self._end.writable

    def fileno(self):
        raise OSError('a pipe of the playground has no file descriptor (no OS under a web worker)')

    def close(self):
        if self._end is not None:
            end, self._end = self._end, None
            end.close()

    def send_bytes(self, buf, offset=0, size=None):
        self._check_closed()
        self._check_writable()
        self._end.send_bytes(_check_buffer_args(buf, offset, size))

    def send(self, obj):
        self._check_closed()
        self._check_writable()
        self._end.send_bytes(dumps(obj))

    def recv_bytes(self, maxlength=None):
        self._check_closed()
        self._check_readable()
        if maxlength is not None and maxlength < 0:
            raise ValueError('negative maxlength')
        data = self._end.recv_bytes()
        if maxlength is not None and len(data) > maxlength:
            self.close()
            raise OSError('bad message length')
        return data

    def recv_bytes_into(self, buf, offset=0):
        self._check_closed()
        self._check_readable()
        with memoryview(buf) as m:
            itemsize = m.itemsize
            bytesize = itemsize * len(m)
            if offset < 0:
                raise ValueError('negative offset')
            elif offset > bytesize:
                raise ValueError('offset too large')
            data = self._end.recv_bytes()
            size = len(data)
            if bytesize - offset < size:
                raise BufferTooShort(data)
            m.cast('B')[offset:offset + size] = data
            return size // itemsize

    def recv(self):
        self._check_closed()
        self._check_readable()
        return loads(self._end.recv_bytes())

    def poll(self, timeout=0.0):
        """Whether there is any input available to be read (within `timeout` seconds;
        `None`: as long as it takes)."""
        self._check_closed()
        self._check_readable()
        if timeout is not None and timeout < 0:
            timeout = 0.0
        return self._end.poll(timeout)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, exc_tb):
        self.close()

    def __reduce__(self):
        self._check_closed()
        return (_rebuild_connection, (self._end.handle(),))

    def __repr__(self):
        state = 'closed' if self._end is None else 'open'
        return '<%s %s, %s>' % (type(self).__name__, state, hex(id(self)))


def _rebuild_connection(handle):
    return Connection(_pp_mp.rebuild('connection', handle))


# The pickler of queues and pipes may send a Connection (CPython's reduces descriptors).
reduction.register(Connection, Connection.__reduce__)


def Pipe(duplex=True):
    """Returns a pair (conn1, conn2) of connected ends; with `duplex` False conn1 only
    receives and conn2 only sends."""
    a, b = _pp_mp.pipe(bool(duplex))
    return Connection(a), Connection(b)


#
# wait(): the runtime has no wait on several objects, so it looks at each, again and again,
# sleeping in between (a few milliseconds at first, then longer): a ready Connection (input,
# or its other end closed) or a process that has ended.
#


def _ready(obj):
    if isinstance(obj, Connection):
        return obj.closed or obj.poll(0)
    if isinstance(obj, _pp_mp.ProcessHandle):
        return obj.exitcode() is not None
    if hasattr(obj, 'poll') and callable(obj.poll):
        return bool(obj.poll(0))
    if isinstance(obj, int):
        raise OSError('the playground has no file descriptors to wait on (%d)' % obj)
    raise TypeError('cannot wait on %r' % (obj,))


def wait(object_list, timeout=None):
    """Waits till an object in `object_list` is ready; returns the list of those ready."""
    object_list = list(object_list)
    deadline = None if timeout is None else time.monotonic() + max(timeout, 0.0)
    pause = 0.001
    while True:
        ready = [o for o in object_list if _ready(o)]
        if ready or not object_list:
            return ready
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                return []
            time.sleep(min(pause, left))
        else:
            time.sleep(pause)
        pause = min(pause * 2, 0.02)


#
# Listener and Client: a Client makes a duplex pipe and hands one end to the Listener through
# its queue of pending connections, which lives in the segment; the address names that queue.
#

_PREFIX = 'pp-listener:'


def address_type(address):
    if isinstance(address, str) and address.startswith(_PREFIX):
        return 'AF_PIPE'
    raise ValueError('address type of %r unrecognized' % (address,))


def arbitrary_address(family):
    return None


class Listener(object):
    """Accepts connections from Clients of this run's processes."""

    def __init__(self, address=None, family=None, backlog=1, authkey=None):
        if authkey is not None and not isinstance(authkey, bytes):
            raise TypeError('authkey should be a byte string')
        if address is None:
            self._pending = _pp_mp.queue(0)
            self._address = _PREFIX + self._pending.handle().hex()
        else:
            address_type(address)
            self._pending = _pp_mp.rebuild('queue', bytes.fromhex(address[len(_PREFIX):]))
            self._address = address
        self._authkey = authkey
        self._last_accepted = None

    def accept(self):
        if self._pending is None:
            raise OSError('listener is closed')
        c = _rebuild_connection(self._pending.get(True, None))
        self._last_accepted = 'a client'
        if self._authkey is not None:
            deliver_challenge(c, self._authkey)
            answer_challenge(c, self._authkey)
        return c

    def close(self):
        self._pending = None

    @property
    def address(self):
        return self._address

    @property
    def last_accepted(self):
        return self._last_accepted

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, exc_tb):
        self.close()


def Client(address, family=None, authkey=None):
    """Returns a connection to the Listener at `address`."""
    address_type(address)
    pending = _pp_mp.rebuild('queue', bytes.fromhex(address[len(_PREFIX):]))
    mine, theirs = Pipe(duplex=True)
    pending.put(theirs._end.handle(), True, None)
    theirs.close()
    if authkey is not None:
        answer_challenge(mine, authkey)
        deliver_challenge(mine, authkey)
    return mine


#
# The challenge: both ends prove they hold the same authkey. Within one run every process is
# the playground's and the bytes never leave the machine's memory: the key's digest crosses,
# and a wrong key is CPython's AuthenticationError.
#

_WELCOME = b'#WELCOME#'
_FAILURE = b'#FAILURE#'


def _digest(authkey):
    import hashlib

    return hashlib.sha256(b'multiprocessing:' + authkey).digest()


def deliver_challenge(connection, authkey, digest_name='sha256'):
    if not isinstance(authkey, bytes):
        raise ValueError("Authkey must be bytes, not {0!s}".format(type(authkey)))
    response = connection.recv_bytes(256)
    if response != _digest(authkey):
        connection.send_bytes(_FAILURE)
        raise AuthenticationError('digest received was wrong')
    connection.send_bytes(_WELCOME)


def answer_challenge(connection, authkey):
    if not isinstance(authkey, bytes):
        raise ValueError("Authkey must be bytes, not {0!s}".format(type(authkey)))
    connection.send_bytes(_digest(authkey))
    if connection.recv_bytes(256) != _WELCOME:
        raise AuthenticationError('digest sent was rejected')


#
# XML-RPC listeners (managers.py names them): not in the playground.
#


class XmlListener(Listener):
    def accept(self):
        raise NotImplementedError('the xmlrpclib serializer is not in the playground: use pickle')


def XmlClient(*args, **kwds):
    raise NotImplementedError('the xmlrpclib serializer is not in the playground: use pickle')
