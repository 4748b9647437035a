#!/usr/bin/env python3
# Two threads take two threading.Lock objects in opposite (or one) order; acquire(timeout=) notices the deadlock.
import argparse
import json
import sys
import threading
import time


def task(number, first, second, names, hold_s, timeout_s, report):
    with first:
        time.sleep(hold_s)  # releases the GIL, like the lab's hold
        if second.acquire(timeout=timeout_s):
            second.release()
            report[number] = None
        else:
            # Giving up releases `first` (leaving the with block), so the other thread can finish.
            report[number] = f"thread {number} holds {names[first]}, waits for {names[second]}"


def main():
    parser = argparse.ArgumentParser(description="Two threads, two locks: opposite orders deadlock, one order does not.")
    parser.add_argument("--lock-order", choices=("opposite", "consistent"), default="opposite",
                        help="opposite (default): thread 1 takes B then A; consistent: both take A then B")
    parser.add_argument("--hold-ms", type=int, default=50, help="ms each thread holds its first lock (1..1000)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")
    args = parser.parse_args()
    if not 1 <= args.hold_ms <= 1000:
        print("deadlock.py: error: --hold-ms must be an integer between 1 and 1000", file=sys.stderr)
        return 2

    a, b = threading.Lock(), threading.Lock()
    names = {a: "A", b: "B"}
    orders = [(a, b), (b, a) if args.lock_order == "opposite" else (a, b)]
    report = [None, None]
    # Without the timeout, acquire() would wait forever and the program would hang silently.
    timeout_s = 1.0
    threads = [threading.Thread(target=task, args=(i, *orders[i], names, args.hold_ms / 1000, timeout_s, report))
               for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    waits = [line for line in report if line]
    result = {"lock_order": args.lock_order, "deadlock": bool(waits), "waits": waits}
    if args.format == "json":
        print(json.dumps(result))
    else:
        print(f"deadlock: {'; '.join(waits)} (gave up after {timeout_s:g} s)" if waits else "both threads finished")
    return 1 if waits else 0


if __name__ == "__main__":
    sys.exit(main())
