# A deadlock (the tutorial describes it without code): thread A locks record 1 and waits
# for record 2; thread B locks record 2 and waits for record 1. Neither can go on: the page
# finds the cycle in the wait-for graph.
# Try: FIX = 1 (both take the records in one order) or FIX = 2 (try with a timeout, back off).
import threading
import time

FIX = 0

record1 = threading.Lock()
record2 = threading.Lock()


def transfer(first, first_name, second, second_name):
    me = threading.current_thread().name
    while True:
        first.acquire()
        print(f"{me} holds {first_name}, wants {second_name}")
        time.sleep(0.1)  # long enough for the other thread to take its first record
        if second.acquire(timeout=0.05 if FIX == 2 else -1):
            print(f"{me} holds both records: transfer done")
            second.release()
            first.release()
            return
        # FIX 2: give the first record back, wait a little (differently in each thread), retry.
        print(f"{me} backs off")
        first.release()
        time.sleep(0.02 if me == "A" else 0.07)


a = threading.Thread(target=transfer, args=(record1, "record 1", record2, "record 2"), name="A")
if FIX == 1:
    b = threading.Thread(target=transfer, args=(record1, "record 1", record2, "record 2"), name="B")
else:
    b = threading.Thread(target=transfer, args=(record2, "record 2", record1, "record 1"), name="B")
a.start()
b.start()
a.join()
b.join()
print("both transfers done")
