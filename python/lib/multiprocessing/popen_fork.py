#
# Starting a child process with fork's semantics (the playground's; CPython's forks the OS
# process). The child is a fresh interpreter in a memory of its own on a worker of its own,
# started by the runtime (its record in the run's shared segment gives its exit code); what
# fork would have copied -- the parent's `__main__` and the Process object -- is carried by
# value (`_pp_fork`). The runtime draws it in the timeline, tags its console lines with its
# name, ends it on terminate() (its workers, at once) and finds deadlocks through it.
#

import atexit
import os
import signal

from . import util

__all__ = ['Popen']


class Popen(object):
    method = 'fork'

    def __init__(self, process_obj):
        util._flush_std_streams()
        self.returncode = None
        self.finalizer = None
        self._launch(process_obj)

    def duplicate_for_child(self, fd):
        return fd

    def poll(self, flag=None):
        if self.returncode is None:
            self.returncode = self._handle.exitcode()
        return self.returncode

    def wait(self, timeout=None):
        if self.returncode is None:
            self._handle.join(timeout)
        return self.poll()

    def _send_signal(self, sig):
        if self.returncode is None and self._handle.exitcode() is None:
            self._handle.signal(sig)

    def interrupt(self):
        self._send_signal(signal.SIGINT)

    def terminate(self):
        self._send_signal(signal.SIGTERM)

    def kill(self):
        self._send_signal(signal.SIGKILL)

    def _payload(self, process_obj):
        from . import _pp_fork

        return _pp_fork.snapshot(process_obj)

    def _launch(self, process_obj):
        import _pp_mp
        from .context import set_spawning_popen

        set_spawning_popen(self)
        try:
            payload = self._payload(process_obj)
        finally:
            set_spawning_popen(None)
        self._handle = _pp_mp.start_process(payload, process_obj.name, bool(process_obj.daemon))
        self.pid = self._handle.pid
        self.sentinel = self._handle

    def close(self):
        if self.finalizer is not None:
            self.finalizer()


def _child_main(payload):
    """A child's program: rebuild, run, and end as a forked child does (its own children
    terminated or joined by `util._exit_function`, nothing else of the parent's atexit)."""
    from . import _pp_fork

    atexit._clear()
    atexit.register(util._exit_function)
    code = 1
    try:
        code = _pp_fork.bootstrap(payload)
    finally:
        atexit._run_exitfuncs()
    return code
