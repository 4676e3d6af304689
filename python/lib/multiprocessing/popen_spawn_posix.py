#
# Starting a child process with spawn's semantics (the playground's), for
# `set_start_method('spawn')`: the child is a fresh interpreter that runs the program again as
# `__mp_main__` (so a `if __name__ == '__main__':` block does not run there, and an unguarded
# `start()` is CPython's RuntimeError) and then the Process object, pickled by reference as
# CPython's spawn pickles it (a lambda target is a PicklingError).
#

from . import popen_fork

__all__ = ['Popen']


class Popen(popen_fork.Popen):
    method = 'spawn'

    def _payload(self, process_obj):
        from . import _pp_fork

        return _pp_fork.spawn_payload(process_obj)
