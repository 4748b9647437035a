#!/usr/bin/env python3
# Pipe vs Queue: N messages of SIZE bytes from a producer to a consumer, timed; prints one JSON object.
import argparse
import json
import multiprocessing
import queue
import statistics
import sys
import threading
import time

from parlab_ref.pool_overhead import bounded

MAX_SIZE = 16 << 20
MAX_COUNT = 10_000_000
MAX_TOTAL = 1 << 30  # size x count, per transfer
MAX_REPEATS = 20

TRANSPORTS = {
    "process-pipe": "multiprocessing.Pipe, 2 processes (send/recv: pickled)",
    "process-queue": "multiprocessing.Queue, 2 processes (put/get: pickled, a feeder thread, a lock)",
    "thread-queue": "queue.Queue, 2 threads of one process (no copy: the object itself is passed)",
}


def make_message(body, index):
    """A message of len(body) bytes whose first min(size, 8) bytes carry its index."""
    stamp = index.to_bytes(8, "little")[:len(body)]
    return stamp + body[len(stamp):]


def consume(receive, report, count, size):
    """Receives count messages, checking each one's length and index; reports (received, in_order)."""
    in_order = True
    modulus = 1 << (8 * min(size, 8))
    for index in range(count):
        message = receive()
        in_order = in_order and len(message) == size and int.from_bytes(message[:8], "little") == index % modulus
    report((count, in_order))


def _pipe_consumer(conn, count, size):
    conn.send("ready")
    consume(conn.recv, conn.send, count, size)


def _queue_consumer(data, back, count, size):
    back.put("ready")
    consume(data.get, back.put, count, size)


def transfer(transport, size, count):
    """One transfer; returns (seconds from the first send to the consumer's report, received, in_order). The
    consumer is started and has answered 'ready' before the clock starts."""
    body = bytes(i % 251 for i in range(size))
    if transport == "process-pipe":
        mine, theirs = multiprocessing.Pipe()
        worker = multiprocessing.Process(target=_pipe_consumer, args=(theirs, count, size))
        send, receive = mine.send, mine.recv
    else:
        make_queue = multiprocessing.Queue if transport == "process-queue" else queue.Queue
        data, back = make_queue(), make_queue()
        start = multiprocessing.Process if transport == "process-queue" else threading.Thread
        worker = start(target=_queue_consumer, args=(data, back, count, size))
        send, receive = data.put, back.get
    worker.start()
    if receive() != "ready":
        raise RuntimeError(f"{transport}: the consumer did not start")
    started = time.perf_counter()
    for index in range(count):
        send(make_message(body, index))
    received, in_order = receive()
    seconds = time.perf_counter() - started
    worker.join()
    return seconds, received, in_order


def main():
    parser = argparse.ArgumentParser(description="Pipe vs Queue: count messages of size bytes, producer to "
                                                 "consumer; the median of repeats. Prints one JSON object.")
    parser.add_argument("--size", type=bounded(1, MAX_SIZE), default=4096, help=f"bytes per message, 1..{MAX_SIZE}")
    parser.add_argument("--count", type=bounded(1, MAX_COUNT), default=10000, help=f"messages, 1..{MAX_COUNT}")
    parser.add_argument("--repeats", type=bounded(1, MAX_REPEATS), default=3,
                        help=f"transfers per transport, 1..{MAX_REPEATS}; the median is reported")
    args = parser.parse_args()
    if args.size * args.count > MAX_TOTAL:
        print(f"pipe_vs_queue.py: error: --size x --count must be at most {MAX_TOTAL} bytes "
              f"(got {args.size * args.count})", file=sys.stderr)
        return 2

    times = {name: [] for name in TRANSPORTS}
    intact = {name: True for name in TRANSPORTS}
    for _ in range(args.repeats):  # interleaved, so a change in the machine's load affects every transport alike
        for name in TRANSPORTS:
            seconds, received, in_order = transfer(name, args.size, args.count)
            times[name].append(seconds)
            intact[name] = intact[name] and received == args.count and in_order
    report = {"size": args.size, "count": args.count, "repeats": args.repeats, "transports": []}
    for name, label in TRANSPORTS.items():
        median = statistics.median(times[name])
        report["transports"].append({
            "id": name, "label": label, "median_s": median, "per_message_us": median / args.count * 1e6,
            "mib_per_s": args.size * args.count / median / (1 << 20), "intact": intact[name],
            "seconds": times[name],
        })
    pipe, process_queue = (statistics.median(times[n]) for n in ("process-pipe", "process-queue"))
    report["queue_over_pipe"] = process_queue / pipe
    print(json.dumps(report))
    return 0 if all(intact.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
