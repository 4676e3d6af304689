# Waiting work (the tutorial's use case for threads, a crawler): each "download" is a sleep,
# done one after another, then on threads. A waiting thread lets go of the GIL, so threads
# overlap the waits, GIL or not. (The Rust port adds a third row with processes:
# multiprocessing is not in the Python tab yet.)
import threading
import time

DOWNLOADS = 8
SLEEP = 0.2


def download():
    time.sleep(SLEEP)


def one_after_another():
    for _ in range(DOWNLOADS):
        download()


def on_threads():
    threads = [threading.Thread(target=download) for _ in range(DOWNLOADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


print(f"{DOWNLOADS} downloads of {SLEEP} s each")
start = time.perf_counter()
one_after_another()
base = time.perf_counter() - start
print(f"one after another: {base:.3f} s")
start = time.perf_counter()
on_threads()
secs = time.perf_counter() - start
print(f"threads: {secs:.3f} s, {base / secs:.1f}x faster than one after another")
