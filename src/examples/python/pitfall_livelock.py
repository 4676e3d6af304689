# A livelock (the tutorial describes it without code): two threads that each need both
# records take their own first, find the other's taken, politely give theirs back and try
# again, at the same moment every time: neither ever gets both. They are busy, not blocked
# (no deadlock is found); their tries climb while no transfer is done. Stop ends it.
# Try: FIX = 1 (a random wait before each try), or GIVE_UP = 100.
import random
import threading
import time

FIX = 0
GIVE_UP = 0  # tries before giving up (0: never)

record1 = threading.Lock()
record2 = threading.Lock()
# Stands for two people who react at the same moment.
same_moment = threading.Barrier(2)


def in_step():
    """Waits for the other thread; False once it has left."""
    try:
        same_moment.wait()
        return True
    except threading.BrokenBarrierError:
        return False


def transfer(first, second, second_name):
    me = threading.current_thread().name
    tries = 0
    while True:
        if FIX:
            time.sleep(random.random() * 0.02)  # a random back-off
        elif not in_step():
            return  # the other has left
        first.acquire()
        time.sleep(0.01)  # reaching for the other record
        stepped = not FIX and in_step()
        if second.acquire(blocking=False):
            print(f"{me} holds both records after {tries + 1} tries: transfer done")
            second.release()
            first.release()
            same_moment.abort()
            return
        if stepped:
            in_step()  # both have tried before either gives back
        first.release()
        tries += 1
        if tries % 25 == 0:
            print(f"{me}: {tries} tries, {second_name} taken every time, no transfer yet")
        if GIVE_UP and tries >= GIVE_UP:
            same_moment.abort()
            print(f"{me} gives up after {tries} tries: a livelock")
            return


a = threading.Thread(target=transfer, args=(record1, record2, "record 2"), name="A")
b = threading.Thread(target=transfer, args=(record2, record1, "record 1"), name="B")
a.start()
b.start()
a.join()
b.join()
