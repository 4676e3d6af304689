#
# multiprocessing.sharedctypes, the playground's: Value, Array, RawValue and RawArray in the
# run's shared segment (`_pp_mp.shared_block`), every process of the run reading and writing
# the same bytes, each item packed as its C type (`struct`). CPython's are ctypes objects in
# an mmap'd heap; a web worker has neither, so a type is named by its typecode ('i', 'd', ...)
# or by a name of ctypes ('c_int', 'c_double'...), and the objects behave as CPython's: a
# `value`, items and slices, `get_lock()` and `get_obj()` on the synchronized ones.
#

import struct

import _pp_mp

from . import context

__all__ = ['RawValue', 'RawArray', 'Value', 'Array', 'copy', 'synchronized']

# typecode -> (struct format, ctypes name)
typecode_to_type = {
    'c': ('c', 'c_char'),
    'u': ('=I', 'c_wchar'),
    'b': ('b', 'c_byte'),
    'B': ('B', 'c_ubyte'),
    'h': ('h', 'c_short'),
    'H': ('H', 'c_ushort'),
    'i': ('i', 'c_int'),
    'I': ('I', 'c_uint'),
    'l': ('q', 'c_long'),
    'L': ('Q', 'c_ulong'),
    'q': ('q', 'c_longlong'),
    'Q': ('Q', 'c_ulonglong'),
    'f': ('f', 'c_float'),
    'd': ('d', 'c_double'),
}
_by_ctypes_name = {name: code for code, (_, name) in typecode_to_type.items()}


def _typecode(typecode_or_type):
    if isinstance(typecode_or_type, str):
        if typecode_or_type in typecode_to_type:
            return typecode_or_type
        if typecode_or_type in _by_ctypes_name:
            return _by_ctypes_name[typecode_or_type]
    name = getattr(typecode_or_type, '__name__', None)
    if name in _by_ctypes_name:
        return _by_ctypes_name[name]
    raise TypeError('unsupported shared type %r (use a typecode: %s)' % (typecode_or_type, ' '.join(typecode_to_type)))


class _Memory(object):
    """`length` items of one C type in the segment."""

    def __init__(self, typecode, length, block=None):
        self._typecode = typecode
        fmt, self._ctype = typecode_to_type[typecode]
        self._struct = struct.Struct(fmt)
        self._length = length
        self._block = block if block is not None else _pp_mp.shared_block(self._struct.size * length)

    def __reduce__(self):
        context.assert_spawning(self)
        return (_rebuild_memory, (self._typecode, self._length, self._block.handle()))

    def _decode(self, raw):
        v = self._struct.unpack(raw)[0]
        if self._typecode == 'u':
            return chr(v)
        return v

    def _encode(self, value):
        if self._typecode == 'u':
            value = ord(value)
        elif self._typecode == 'c' and isinstance(value, int):
            value = bytes([value])
        return self._struct.pack(value)

    def get(self, i):
        size = self._struct.size
        return self._decode(self._block.read(i * size, size))

    def set(self, i, value):
        self._block.write(i * self._struct.size, self._encode(value))

    def get_many(self, start, stop):
        size = self._struct.size
        raw = self._block.read(start * size, (stop - start) * size)
        return [self._decode(raw[k:k + size]) for k in range(0, len(raw), size)]

    def set_many(self, start, values):
        self._block.write(start * self._struct.size, b''.join(self._encode(v) for v in values))


def _rebuild_memory(typecode, length, handle):
    return _Memory(typecode, length, _pp_mp.rebuild('block', handle))


class RawValueType(object):
    """A C value in shared memory (`RawValue`): its `value`."""

    def __init__(self, memory):
        self._memory = memory

    @property
    def value(self):
        return self._memory.get(0)

    @value.setter
    def value(self, v):
        self._memory.set(0, v)

    def __repr__(self):
        return '%s(%r)' % (self._memory._ctype, self.value)


class RawArrayType(object):
    """C values in shared memory (`RawArray`): items, slices, `len`."""

    def __init__(self, memory):
        self._memory = memory

    def __len__(self):
        return self._memory._length

    def _index(self, i):
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError('invalid index')
        return i

    def __getitem__(self, i):
        if isinstance(i, slice):
            start, stop, step = i.indices(len(self))
            if step == 1:
                return self._bytes_or_list(self._memory.get_many(start, max(start, stop)))
            return self._bytes_or_list([self._memory.get(k) for k in range(start, stop, step)])
        return self._memory.get(self._index(i))

    def _bytes_or_list(self, values):
        if self._memory._typecode == 'c':
            return b''.join(values)
        if self._memory._typecode == 'u':
            return ''.join(values)
        return values

    def __setitem__(self, i, value):
        if isinstance(i, slice):
            start, stop, step = i.indices(len(self))
            indices = range(start, stop, step)
            values = list(value)
            if len(values) != len(indices):
                raise ValueError('Can only assign sequence of same size')
            if step == 1:
                self._memory.set_many(start, values)
            else:
                for k, v in zip(indices, values):
                    self._memory.set(k, v)
        else:
            self._memory.set(self._index(i), value)

    def __iter__(self):
        return iter(self[:])

    @property
    def value(self):
        """A 'c' array as bytes up to its first NUL (ctypes' char array)."""
        raw = self[:]
        return raw.split(b'\0', 1)[0] if isinstance(raw, bytes) else raw

    @value.setter
    def value(self, v):
        self[:len(v)] = v

    @property
    def raw(self):
        return self[:]

    def __repr__(self):
        return '<%s_Array_%d object>' % (self._memory._ctype, len(self))


def RawValue(typecode_or_type, *args):
    """A C value in shared memory."""
    obj = RawValueType(_Memory(_typecode(typecode_or_type), 1))
    if args:
        obj.value = args[0]
    return obj


def RawArray(typecode_or_type, size_or_initializer):
    """C values in shared memory."""
    code = _typecode(typecode_or_type)
    if isinstance(size_or_initializer, int):
        return RawArrayType(_Memory(code, size_or_initializer))
    values = list(size_or_initializer)
    obj = RawArrayType(_Memory(code, len(values)))
    obj[:] = values
    return obj


def Value(typecode_or_type, *args, lock=True, ctx=None):
    """A synchronized C value in shared memory."""
    obj = RawValue(typecode_or_type, *args)
    if lock is False:
        return obj
    if lock in (True, None):
        ctx = ctx or context._default_context
        lock = ctx.RLock()
    if not hasattr(lock, 'acquire'):
        raise AttributeError("%r has no method 'acquire'" % lock)
    return Synchronized(obj, lock)


def Array(typecode_or_type, size_or_initializer, *, lock=True, ctx=None):
    """A synchronized array of C values in shared memory."""
    obj = RawArray(typecode_or_type, size_or_initializer)
    if lock is False:
        return obj
    if lock in (True, None):
        ctx = ctx or context._default_context
        lock = ctx.RLock()
    if not hasattr(lock, 'acquire'):
        raise AttributeError("%r has no method 'acquire'" % lock)
    return SynchronizedArray(obj, lock)


def copy(obj):
    memory = obj._memory
    new = _Memory(memory._typecode, memory._length)
    new.set_many(0, memory.get_many(0, memory._length))
    return type(obj)(new)


def synchronized(obj, lock=None, ctx=None):
    assert not isinstance(obj, SynchronizedBase), 'object already synchronized'
    ctx = ctx or context._default_context
    lock = lock or ctx.RLock()
    if isinstance(obj, RawArrayType):
        return SynchronizedArray(obj, lock)
    return Synchronized(obj, lock)


class SynchronizedBase(object):
    def __init__(self, obj, lock=None, ctx=None):
        self._obj = obj
        if lock:
            self._lock = lock
        else:
            ctx = ctx or context._default_context
            self._lock = ctx.RLock()
        self.acquire = self._lock.acquire
        self.release = self._lock.release

    def __enter__(self):
        return self._lock.__enter__()

    def __exit__(self, *args):
        return self._lock.__exit__(*args)

    def __reduce__(self):
        context.assert_spawning(self)
        return type(self), (self._obj, self._lock)

    def get_obj(self):
        return self._obj

    def get_lock(self):
        return self._lock

    def __repr__(self):
        return '<%s wrapper for %s>' % (type(self).__name__, self._obj)


class Synchronized(SynchronizedBase):
    @property
    def value(self):
        with self:
            return self._obj.value

    @value.setter
    def value(self, v):
        with self:
            self._obj.value = v


class SynchronizedArray(SynchronizedBase):
    def __len__(self):
        return len(self._obj)

    def __getitem__(self, i):
        with self:
            return self._obj[i]

    def __setitem__(self, i, value):
        with self:
            self._obj[i] = value

    def __iter__(self):
        return iter(self[:])

    @property
    def value(self):
        with self:
            return self._obj.value

    @value.setter
    def value(self, v):
        with self:
            self._obj.value = v

    @property
    def raw(self):
        with self:
            return self._obj.raw
