# The four CPython modes: a plain loop, ThreadPoolExecutor.map, ProcessPoolExecutor.map, asyncio + a semaphore.
import asyncio
import concurrent.futures
import itertools
import multiprocessing
import os
import threading
import time

from .workloads import Workload

# time.monotonic is CLOCK_MONOTONIC on Linux: one clock for the whole machine, so times taken in a worker
# process compare with the parent's run start.
clock = time.monotonic


def run_task(work, task, worker, run_start):
    """Runs one task on the calling thread (wait, then compute) and returns its record (the results format's
    task fields). An exception from compute() propagates."""
    start = clock()
    wait = work.wait_seconds(task)
    if wait > 0:
        time.sleep(wait)  # simulated I/O: blocks this thread without using the CPU, and releases the GIL
    computing = clock()
    return _compute(work, task, worker, run_start, start, computing)


def _compute(work, task, worker, run_start, start, computing):
    cpu_start = time.thread_time()
    value = work.compute(task)
    cpu = time.thread_time() - cpu_start
    end = clock()
    return {"id": task, "worker": worker, "pid": os.getpid(), "thread": threading.get_native_id(),
            "phase": work.phase, "start_s": start - run_start, "end_s": end - run_start,
            "wait_s": computing - start, "cpu_s": cpu, "value": str(value)}


def _failure(work, task, error):
    return f"task {task} ({work.describe(task)}) failed: {error}"


class Execution:
    """What an executor hands back: the finished tasks' records, the first error ("" if none), start-up time."""

    def __init__(self):
        self.tasks = []
        self.error = ""
        self.startup_s = 0.0


def run_sequential(work, workers, chunksize, run_start):
    done = Execution()
    for task in range(work.task_count):
        try:
            done.tasks.append(run_task(work, task, 0, run_start))
        except Exception as e:
            done.error = _failure(work, task, e)
            break
    return done


# --- pools: each worker learns its index 0..workers-1 once, in the pool's initializer --------------------------

_worker = threading.local()  # threads: the pool thread's index; processes: also the process's workload
_cancel = threading.Event()  # threads mode: set at the first failure, so tasks not yet started are skipped


def _init_thread(counter):
    _worker.index = next(counter)  # itertools.count's next() is atomic under the GIL


def _thread_task(work, run_start, task):
    if _cancel.is_set():
        return None
    try:
        return run_task(work, task, _worker.index, run_start)
    except Exception as e:
        _cancel.set()
        return {"error": _failure(work, task, e)}


def run_threads(work, workers, chunksize, run_start):
    done = Execution()
    _cancel.clear()
    counter = itertools.count()
    with concurrent.futures.ThreadPoolExecutor(workers, initializer=_init_thread, initargs=(counter,)) as pool:
        for record in pool.map(lambda task: _thread_task(work, run_start, task), range(work.task_count)):
            _collect(done, record)
    return done


def _init_process(counter, name, values, run_start):
    with counter.get_lock():
        _worker.index = counter.value
        counter.value += 1
    _worker.work = Workload(name, values)  # built here: only a task's id travels to the worker
    _worker.run_start = run_start


def _process_task(task):
    try:
        return run_task(_worker.work, task, _worker.index, _worker.run_start)
    except Exception as e:  # a raised error comes back as a record; os.abort()/os._exit() break the pool
        return {"error": _failure(_worker.work, task, e)}


def run_processes(work, workers, chunksize, run_start):
    done = Execution()
    counter = multiprocessing.Value("i", 0)
    pool = concurrent.futures.ProcessPoolExecutor(workers, initializer=_init_process,
                                                  initargs=(counter, work.name, work.values, run_start))
    try:
        for record in pool.map(_process_task, range(work.task_count), chunksize=chunksize):
            if not _collect(done, record):
                break
    except concurrent.futures.process.BrokenProcessPool as e:
        done.error = f"a worker process died (BrokenProcessPool: {e}); the pool is broken, its other tasks are lost"
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return done


def _collect(done, record):
    """Adds a task's record, or its error (the first one wins); False once the run has failed."""
    if record is None:
        return not done.error
    if "error" in record:
        done.error = done.error or record["error"]
        return False
    done.tasks.append(record)
    return not done.error


def run_async(work, workers, chunksize, run_start):
    """One thread, one event loop: at most `workers` tasks in flight (an asyncio.Semaphore); each awaits its
    latency with asyncio.sleep, so waits overlap, and computes on the loop's thread, so computations never do.
    A task's worker index is the slot it held."""
    done = Execution()

    async def main():
        in_flight = asyncio.Semaphore(workers)
        free_slots = list(range(workers - 1, -1, -1))

        async def one(task):
            async with in_flight:
                if done.error:
                    return
                slot = free_slots.pop()
                try:
                    start = clock()
                    await asyncio.sleep(work.wait_seconds(task))
                    done.tasks.append(_compute(work, task, slot, run_start, start, clock()))
                except Exception as e:
                    done.error = done.error or _failure(work, task, e)
                finally:
                    free_slots.append(slot)

        await asyncio.gather(*(one(task) for task in range(work.task_count)))

    asyncio.run(main())
    return done


EXECUTORS = {"sequential": run_sequential, "threads": run_threads, "processes": run_processes, "async": run_async}
