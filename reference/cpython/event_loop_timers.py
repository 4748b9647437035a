#!/usr/bin/env python3
"""The responsiveness lesson's event loop in CPython: asyncio timers while one CPU-bound job runs.

--timers callbacks are set with loop.call_later, timer k due k x --period-ms after they are set, and then one job
(the sum of the primes up to --job-limit, by trial division) runs as each way says:
  idle     no job: how late the timers are on a quiet loop
  loop     the job called right on the loop's thread (a coroutine that computes without awaiting does the same)
  thread   the job in a ThreadPoolExecutor (loop.run_in_executor): the loop's thread needs the GIL to run a timer
  process  the job in a ProcessPoolExecutor: another interpreter, another GIL
Prints one JSON object: per way the job's seconds and each timer's lateness in ms (when it ran minus when it was
due), with their median and largest, and the Python version and whether the GIL is on. Standard library only.
"""
import argparse
import asyncio
import concurrent.futures
import json
import statistics
import sys
import sysconfig

from parlab_ref.pool_overhead import bounded  # the small scripts' bounded integer flags
from parlab_ref.workloads import sum_primes

WAYS = ("idle", "loop", "thread", "process")


def job(limit):
    return sum_primes(2, limit)


async def one_way(way, timers, period_s, limit, pool):
    loop = asyncio.get_running_loop()
    ran = [None] * timers
    all_ran = loop.create_future()

    def timer(k, due):
        ran[k] = loop.time() - due
        if all(r is not None for r in ran) and not all_ran.done():
            all_ran.set_result(None)

    now = loop.time()
    for k in range(timers):
        due = now + (k + 1) * period_s
        loop.call_at(due, timer, k, due)
    began = loop.time()
    if way == "loop":
        job(limit)
    elif way in ("thread", "process"):
        await loop.run_in_executor(pool, job, limit)
    job_s = loop.time() - began if way != "idle" else 0.0
    ended = loop.time() - now
    await all_ran
    late_ms = [max(0.0, r) * 1000 for r in ran]  # asyncio may run a callback up to its clock's resolution early
    return {"way": way, "job_s": job_s, "job_end_s": ended if way != "idle" else 0.0,
            "due_s": [(k + 1) * period_s for k in range(timers)], "late_ms": late_ms,
            "median_late_ms": statistics.median(late_ms), "max_late_ms": max(late_ms)}


async def run_all(ways, timers, period_s, limit):
    threads = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    processes = concurrent.futures.ProcessPoolExecutor(max_workers=1)
    try:
        await asyncio.get_running_loop().run_in_executor(processes, job, 2)  # start the process before timing
        return [await one_way(w, timers, period_s, limit, threads if w == "thread" else processes) for w in ways]
    finally:
        threads.shutdown()
        processes.shutdown()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timers", type=bounded(1, 100), default=10)
    parser.add_argument("--period-ms", type=bounded(1, 1000), default=20)
    parser.add_argument("--job-limit", type=bounded(2, 50_000_000), default=300_000)
    parser.add_argument("--ways", default=",".join(WAYS))
    args = parser.parse_args()
    ways = args.ways.split(",")
    for w in ways:
        if w not in WAYS:
            parser.error(f"--ways must be a comma-separated list of {', '.join(WAYS)} (got '{w}')")
    results = asyncio.run(run_all(ways, args.timers, args.period_ms / 1000, args.job_limit))
    print(json.dumps({
        "python": sys.version.split()[0],
        "free_threaded_build": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
        "gil_enabled": sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else True,
        "switch_interval_s": sys.getswitchinterval(),
        "timers": args.timers, "period_ms": args.period_ms, "job_limit": args.job_limit,
        "ways": results,
    }))


if __name__ == "__main__":
    main()
