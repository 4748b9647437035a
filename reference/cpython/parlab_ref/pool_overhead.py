# The empty-task round trip of a concurrent.futures pool, and the small scripts' bounded integer flags.
import argparse
import json
import statistics
import time


def noop():
    return None


def bounded(lo, hi):
    """An argparse type: an integer in lo..hi, else a one-line error naming the bounds."""
    def parse(text):
        if not (text.isascii() and text.isdigit() and lo <= int(text) <= hi):
            raise argparse.ArgumentTypeError(f"must be an integer between {lo} and {hi} (got '{text[:80]}')")
        return int(text)
    return parse


def measure(pool, batches, batch_size):
    """Median over batches of the mean time to submit a no-op and wait for its result, in microseconds."""
    pool.submit(noop).result()  # starts a worker: start-up is not part of the round trip
    per_batch = []
    for _ in range(batches):
        start = time.perf_counter()
        for _ in range(batch_size):
            pool.submit(noop).result()
        per_batch.append((time.perf_counter() - start) / batch_size * 1e6)
    return statistics.median(per_batch)


def main(executor_class, default_batch_size):
    """The command line of thread_pool_overhead.py and process_pool_overhead.py: prints {"per_task_us": x}."""
    name = executor_class.__name__
    parser = argparse.ArgumentParser(description=f"{name}: the round trip of an empty task (submit, then "
                                                 "result()), the median of batches, in microseconds")
    parser.add_argument("--workers", type=bounded(1, 256), default=1, help="pool size (default 1)")
    parser.add_argument("--batches", type=bounded(1, 1000), default=21,
                        help="batches timed; the median is printed (default 21)")
    parser.add_argument("--batch-size", type=bounded(1, 1_000_000), default=default_batch_size,
                        help=f"round trips per batch (default {default_batch_size})")
    args = parser.parse_args()
    with executor_class(args.workers) as pool:
        per_task_us = measure(pool, args.batches, args.batch_size)
    print(json.dumps({"per_task_us": round(per_task_us, 3)}))
