#
# How a child process gets what a fork gives it (the playground's; not CPython's).
#
# Each process of the playground is a fresh interpreter in a memory of its own. A child
# starts with what its parent's `__main__` held when `start()` was called -- functions,
# classes, lambdas, imported modules and values -- without re-running the parent's top-level
# code, as Linux's fork gives it: the parent pickles its `__main__` by value (cloudpickle:
# functions and classes of `__main__` with their code) together with the Process object, and
# the child rebuilds them in its own `__main__` before it runs the process.
#
# What is carried and what is not (README, "Python processes"):
# - functions (closures, defaults, lambdas), classes (a Process subclass, dataclasses, enums)
#   and instances of `__main__`, with their code; modules, as their names (the child imports
#   them again); values that pickle; the runtime's shared objects (queues, pipes, locks,
#   Value, Array, a Manager's proxies), as handles to the same objects;
# - not carried: what does not pickle (a threading.Lock, a running Thread, an open file, a
#   generator): the child's name for it raises NameError saying why; module state changed at
#   run time (a module is imported again, fresh); identities (`id()`) and the memory shared
#   copy-on-write: the child has a copy.
#

import pickle
import sys
import types

__all__ = ['snapshot', 'spawn_payload', 'bootstrap']

# A payload's first byte: how the child starts.
_FORK = b'F'
_SPAWN = b'S'

# The token for the parent's `__main__` namespace in the pickle: a function of `__main__`
# refers to its module's globals, which the child maps to its own `__main__`'s.
_MAIN_GLOBALS = '__main__.__dict__'


def _pickler_class():
    import cloudpickle

    class MainPickler(cloudpickle.Pickler):
        """cloudpickle, with `__main__`'s functions bound to the child's `__main__`."""

        def __init__(self, file, main_dict):
            super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
            self._main_dict = main_dict

        def persistent_id(self, obj):
            if obj is self._main_dict:
                return _MAIN_GLOBALS
            return None

        def _function_getnewargs(self, func):
            code, base_globals, name, argdefs, closure = super()._function_getnewargs(func)
            if func.__globals__ is self._main_dict:
                # Late binding, as under fork: the function sees the child's module namespace.
                base_globals = self._main_dict
            return code, base_globals, name, argdefs, closure

        def _dynamic_function_reduce(self, func):
            reduced = super()._dynamic_function_reduce(func)
            if func.__globals__ is not self._main_dict:
                return reduced
            # Its globals are the child's `__main__` itself (above), which gets the parent's
            # values one by one, each carried or a placeholder; cloudpickle would also carry
            # the ones it names inside it, so one that does not pickle (a threading.Lock) would
            # stop the function itself from being carried, where a fork copies both.
            state, slotstate = reduced[2]
            slotstate = dict(slotstate, __globals__={})
            return reduced[:2] + ((state, slotstate),) + reduced[3:]

    return MainPickler


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, main_dict):
        super().__init__(file)
        self._main_dict = main_dict

    def persistent_load(self, pid):
        if pid == _MAIN_GLOBALS:
            return self._main_dict
        raise pickle.UnpicklingError('unknown persistent id %r' % (pid,))


class _NotCarried:
    """What a child's `__main__` holds for a value its parent could not pickle."""

    def __init__(self, name, why):
        self._name = name
        self._why = why

    def __getattr__(self, attr):
        if attr.startswith('__') or attr in ('_name', '_why'):
            # pickle's and copy's probes (and a half-made instance's own fields).
            raise AttributeError(attr)
        raise NameError(
            "%r was not carried to this process: %s (a child process gets its parent's "
            "values by pickling them)" % (self._name, self._why)
        )

    def __repr__(self):
        return '<%s: not carried to this process (%s)>' % (self._name, self._why)


def _dumps(obj, main_dict):
    import io

    out = io.BytesIO()
    _pickler_class()(out, main_dict).dump(obj)
    return out.getvalue()


def snapshot(process_obj):
    """The bytes a child starts from: the parent's `__main__` and the Process object."""
    main = sys.modules['__main__']
    main_dict = vars(main)
    modules = {}
    values = {}
    for name, value in list(main_dict.items()):
        if name.startswith('__') and name.endswith('__'):
            continue
        if isinstance(value, types.ModuleType):
            modules[name] = value.__name__
        else:
            values[name] = value
    try:
        carried = _dumps(values, main_dict)
    except Exception:
        # Find what does not pickle, and carry the rest.
        for name in list(values):
            try:
                _dumps(values[name], main_dict)
            except Exception as e:
                values[name] = _NotCarried(name, '%s: %s' % (type(e).__name__, e))
        carried = _dumps(values, main_dict)
    import _pp_mp

    return _FORK + _dumps((modules, carried, _pp_mp.main_source(), process_obj), main_dict)


def spawn_payload(process_obj):
    """The bytes a spawned child starts from: the program's source, which it runs again as
    `__mp_main__` (a `if __name__ == '__main__':` block does not run there), and the Process
    object, pickled as CPython's spawn pickles it (by reference: a lambda target fails)."""
    import _pp_mp

    from . import reduction, spawn

    from .context import _default_context

    spawn._check_not_importing_main()
    # The parent's start method goes with it, as CPython's spawn.get_preparation_data sends it.
    method = _default_context.get_start_method(allow_none=True)
    return _SPAWN + pickle.dumps((_pp_mp.main_source(), method, bytes(reduction.ForkingPickler.dumps(process_obj))))


def bootstrap(payload):
    """In the child: rebuilds the parent's `__main__` (fork) or runs the program again
    (spawn), then runs the process; its exit code."""
    kind, payload = payload[:1], payload[1:]
    if kind == _SPAWN:
        return _bootstrap_spawn(payload)
    main = types.ModuleType('__main__')
    main.__builtins__ = __builtins__
    sys.modules['__main__'] = main
    main_dict = vars(main)
    modules, carried, source, process_obj = _Unpickler(_bytes_io(payload), main_dict).load()
    if source is not None:
        import _pp_mp

        _pp_mp.set_main_source(source)
        _remember_lines(source)
    for name, module in modules.items():
        try:
            main_dict[name] = __import__(module, fromlist=['_'])
        except ImportError as e:
            main_dict[name] = _NotCarried(name, 'ImportError: %s' % e)
    main_dict.update(_Unpickler(_bytes_io(carried), main_dict).load())
    return process_obj._bootstrap()


def _bootstrap_spawn(payload):
    from . import process, reduction

    from .context import _default_context

    source, method, pickled_process = pickle.loads(payload)
    if method is not None:
        _default_context.set_start_method(method, force=True)
    main = types.ModuleType('__mp_main__')
    main.__builtins__ = __builtins__
    sys.modules['__mp_main__'] = main
    sys.modules['__main__'] = main
    import _pp_mp

    _pp_mp.set_main_source(source)
    _remember_lines(source)
    # As CPython's spawn: a process started while the main module is imported again is an error.
    process.current_process()._inheriting = True
    try:
        exec(compile(source, 'main.py', 'exec'), vars(main))
    finally:
        del process.current_process()._inheriting
    process_obj = reduction.ForkingPickler.loads(pickled_process)
    return process_obj._bootstrap()


def _bytes_io(data):
    import io

    return io.BytesIO(data)


def _remember_lines(source):
    import linecache

    lines = source.splitlines(True)
    if lines and not lines[-1].endswith('\n'):
        lines[-1] += '\n'
    linecache.cache['main.py'] = (len(source), None, lines, 'main.py')
