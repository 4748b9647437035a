#!/usr/bin/env python3
# Round trip of an empty task on a ProcessPoolExecutor: prints one JSON line {"per_task_us": median microseconds}.
import concurrent.futures

from parlab_ref import pool_overhead

if __name__ == "__main__":
    pool_overhead.main(concurrent.futures.ProcessPoolExecutor, default_batch_size=500)
