# Starvation (the tutorial describes it without code): a thread that never gets what it
# needs. A greedy thread takes the lock again the moment it lets go; a polite one does a
# little work of its own between turns. Python's Lock is not fair: it goes to whoever grabs
# it first, mostly the greedy thread, already running when it lets go.
# Try: FAIR = True (first come, first served: a ticket lock built from a Condition).
import threading
import time

SECONDS = 1.0
FAIR = False


class FairLock:
    """Takes a ticket; is served when the counter reaches it."""

    def __init__(self):
        self.cond = threading.Condition()
        self.next_ticket = 0
        self.now_serving = 0

    def acquire(self):
        with self.cond:
            ticket = self.next_ticket
            self.next_ticket += 1
            self.cond.wait_for(lambda: self.now_serving == ticket)

    def release(self):
        with self.cond:
            self.now_serving += 1
            self.cond.notify_all()


def busy(seconds):
    """Work that takes the CPU for a while."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


lock = FairLock() if FAIR else threading.Lock()
stop = threading.Event()
turns = {"greedy": 0, "polite": 0}


def take_turns(between):
    me = threading.current_thread().name
    while not stop.is_set():
        lock.acquire()
        busy(0.0001)  # its work with the resource
        turns[me] += 1
        lock.release()
        if between:
            busy(between)  # work of its own


greedy = threading.Thread(target=take_turns, args=(0,), name="greedy")
polite = threading.Thread(target=take_turns, args=(0.00002,), name="polite")
greedy.start()
polite.start()
time.sleep(SECONDS)
stop.set()
greedy.join()
polite.join()
kind = "a fair lock" if FAIR else "an unfair Lock"
print(f"{SECONDS} s on {kind}: greedy {turns['greedy']} turns, polite {turns['polite']} turns")
