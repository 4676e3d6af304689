# The GIL, by running it (the tutorial explains it in words): the same CPU-bound work split
# over 1, 2 and 4 threads. With the GIL on (the page's switch), one thread runs Python at a
# time, so more threads are no faster: the timeline shows the others waiting for the GIL.
# Off (free-threaded, as CPython 3.13t), they run at once on the cores there are.
import sys
import threading
import time

STEPS = 300000


def work(steps):
    x = 1
    for _ in range(steps):
        x = (x * 6364136223846793005 + 1442695040888963407) % 18446744073709551616


def split(threads):
    """The work split over `threads` threads: its wall time."""
    start = time.perf_counter()
    workers = [threading.Thread(target=work, args=(STEPS // threads,)) for _ in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    return time.perf_counter() - start


gil = "on" if sys._is_gil_enabled() else "off"
print(f"{STEPS} steps of CPU-bound work, GIL {gil}, split over 1, 2 and 4 threads")
one = split(1)
line = f"1 thread {one:.3f} s"
for threads in (2, 4):
    t = split(threads)
    line += f" | {threads} threads {t:.3f} s ({one / t:.2f}x)"
print(line)
