# A race condition (the tutorial describes it, lines 19-44, without code): threads change
# one variable at once, and `counter += 1` is a read, an add and a write. A thread that
# reads before another one writes overwrites that update: it is lost.
# Try: USE_LOCK = True (the fix), more THREADS, the GIL switch.
import threading

THREADS = 4
INCREMENTS = 100000
USE_LOCK = False  # True: each change under a Lock

counter = 0
lock = threading.Lock()
# All the threads start counting together: a thread started a little after the first could
# otherwise find it finished, and the race would need luck to show.
start = threading.Barrier(THREADS)


def count():
    global counter
    start.wait()
    for _ in range(INCREMENTS):
        if USE_LOCK:
            with lock:
                counter += 1
        else:
            counter += 1


how = "under a Lock" if USE_LOCK else "without a lock"
print(f"{THREADS} threads x {INCREMENTS} increments of one counter, {how}")
threads = [threading.Thread(target=count) for _ in range(THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()

expected = THREADS * INCREMENTS
lost = expected - counter
if lost == 0:
    print(f"expected {expected}, got {counter}: no update lost")
else:
    print(f"expected {expected}, got {counter}: {lost} updates lost")
