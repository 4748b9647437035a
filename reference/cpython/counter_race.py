#!/usr/bin/env python3
"""The counter lesson in CPython: threads add 1 to one shared counter, without and with threading.Lock.

Each of --threads threads adds 1 to `box.value` --increments times, as each sync says:
  plus-equals  `box.value += 1`: a load, an add and a store; the interpreter may switch threads between them
  read-call    `box.value = add_one(box.value)`: the same with a function call between the load and the store,
               where CPython 3.10+ checks for a thread switch (plus-equals alone rarely gets one there)
  lock         `with lock: box.value += 1` (threading.Lock)
  local        count in a local variable, add the total once under the lock
Prints one JSON object: per sync the expected total, the counter's final value, lost_updates and ns_per_increment
(median of --repeats), with the Python version and whether the GIL is on. Standard library only.
"""
import argparse
import json
import statistics
import sys
import sysconfig
import threading
import time

from parlab_ref.pool_overhead import bounded  # the small scripts' bounded integer flags


class Box:
    value = 0


def add_one(x):
    return x + 1


def worker(sync, box, lock, increments, start):
    start.wait()
    if sync == "plus-equals":
        for _ in range(increments):
            box.value += 1
    elif sync == "read-call":
        for _ in range(increments):
            box.value = add_one(box.value)
    elif sync == "lock":
        for _ in range(increments):
            with lock:
                box.value += 1
    else:  # local
        mine = 0
        for _ in range(increments):
            mine += 1
        with lock:
            box.value += mine


def run_once(sync, threads, increments):
    box = Box()
    lock = threading.Lock()
    start = threading.Barrier(threads + 1)
    pool = [threading.Thread(target=worker, args=(sync, box, lock, increments, start)) for _ in range(threads)]
    for t in pool:
        t.start()
    start.wait()
    began = time.perf_counter()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - began
    total = threads * increments
    return total - box.value, elapsed * 1e9 / total, box.value



def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=bounded(1, 64), default=2)
    parser.add_argument("--increments", type=bounded(1, 100_000_000), default=1_000_000)
    parser.add_argument("--repeats", type=bounded(1, 20), default=3)
    parser.add_argument("--syncs", default="plus-equals,read-call,lock,local")
    args = parser.parse_args()
    syncs = args.syncs.split(",")
    known = ("plus-equals", "read-call", "lock", "local")
    for s in syncs:
        if s not in known:
            parser.error(f"--syncs must be a comma-separated list of {', '.join(known)} (got '{s}')")
    gil = sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else True
    out = {
        "python": sys.version.split()[0],
        "free_threaded_build": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
        "gil_enabled": gil,
        "switch_interval_s": sys.getswitchinterval(),
        "threads": args.threads,
        "increments": args.increments,
        "syncs": {},
    }
    for sync in syncs:
        runs = [run_once(sync, args.threads, args.increments) for _ in range(args.repeats)]
        out["syncs"][sync] = {
            "expected": args.threads * args.increments,
            "lost_updates": [r[0] for r in runs],
            "median_lost_updates": statistics.median(r[0] for r in runs),
            "ns_per_increment": statistics.median(r[1] for r in runs),
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
