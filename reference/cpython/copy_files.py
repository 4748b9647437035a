#!/usr/bin/env python3
"""The copy lesson in CPython: copy real files sequentially, with a thread pool and with a process pool.

Writes --files files of --file-mib MiB of random bytes into a new temporary folder, then copies each one
(shutil.copyfile, optionally followed by os.fsync of the copy) with a for loop, ThreadPoolExecutor(--workers) and
ProcessPoolExecutor(--workers), --repeats times each, interleaved; prints one JSON object with each way's median
seconds and whether every copy equals its source. The folder is removed at the end. Standard library only.
"""
import argparse
import concurrent.futures
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

from parlab_ref.pool_overhead import bounded  # the small scripts' bounded integer flags


def copy_one(job):
    source, target, sync = job
    shutil.copyfile(source, target)
    if sync:
        with open(target, "rb+") as f:
            os.fsync(f.fileno())
    return target



def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=bounded(1, 64), default=4)
    parser.add_argument("--file-mib", type=bounded(1, 1024), default=32)
    parser.add_argument("--workers", type=bounded(1, 64), default=2)
    parser.add_argument("--repeats", type=bounded(1, 20), default=3)
    parser.add_argument("--fsync", type=bounded(0, 1), default=0)
    args = parser.parse_args()
    if args.files * args.file_mib > 4096:
        parser.error(f"--files x --file-mib must make at most 4096 MiB (got {args.files * args.file_mib})")
    folder = tempfile.mkdtemp(prefix="parlab-copy-py-")
    try:
        sources = []
        for i in range(args.files):
            path = os.path.join(folder, f"file-{i}")
            with open(path, "wb") as f:
                for _ in range(args.file_mib):
                    f.write(os.urandom(1 << 20))
            sources.append(path)
        jobs = [(s, s.replace("file-", "copy-"), bool(args.fsync)) for s in sources]

        def sequential():
            for job in jobs:
                copy_one(job)

        def pooled(kind):
            def run():
                with kind(max_workers=args.workers) as pool:
                    list(pool.map(copy_one, jobs))
            return run

        ways = {"sequential": sequential, "threads": pooled(concurrent.futures.ThreadPoolExecutor),
                "processes": pooled(concurrent.futures.ProcessPoolExecutor)}
        seconds = {name: [] for name in ways}
        intact = {name: True for name in ways}
        for _ in range(args.repeats):
            for name, run in ways.items():
                for _, target, _ in jobs:
                    if os.path.exists(target):
                        os.remove(target)
                began = time.perf_counter()
                run()
                seconds[name].append(time.perf_counter() - began)
                for source, target, _ in jobs:
                    with open(source, "rb") as a, open(target, "rb") as b:
                        intact[name] = intact[name] and a.read() == b.read()
        print(json.dumps({
            "python": sys.version.split()[0], "files": args.files, "file_mib": args.file_mib, "workers": args.workers,
            "fsync": bool(args.fsync),
            "ways": [{"id": n, "seconds": seconds[n], "median_s": statistics.median(seconds[n]), "intact": intact[n]}
                     for n in ways],
        }))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
