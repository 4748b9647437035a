# The three workloads of cpp/ in plain Python: the same tasks, the same 64-bit values, the same checksums.
import math
import os

MASK64 = 0xFFFFFFFFFFFFFFFF  # C++'s std::uint64_t wraps around 2^64; Python's ints do not, so every step masks
FNV_OFFSET = 14695981039346656037
FNV_PRIME = 1099511628211
LIMB_BASE = 10**9


def is_prime(x):
    """Trial division by 6k-1 and 6k+1, as the teaching texts (and cpp/primes.cpp) do it."""
    if x < 2:
        return False
    if x < 4:
        return True
    if x % 2 == 0 or x % 3 == 0:
        return False
    d = 5
    while d * d <= x:
        if x % d == 0 or x % (d + 2) == 0:
            return False
        d += 6
    return True


def sum_primes(lo, hi):
    """Sum of the primes in [lo, hi] (never wraps for hi <= 10^8)."""
    return sum(x for x in range(lo, hi + 1) if is_prime(x))


def primes_ranges(values):
    """The tasks' [lo, hi] ranges: one per limit, or [2, n] in `chunks` nearly equal parts (cpp/primes.cpp)."""
    if values["shape"] != "chunked":
        return [(2, limit) for limit in values["inputs"]]
    n, chunks = values["n"], values["chunks"]
    width = n - 1
    return [(2 + width * i // chunks, 2 + width * (i + 1) // chunks - 1) for i in range(chunks)]


def splitmix64(state):
    """One step of splitmix64: returns (new state, output), as cpp/download.cpp's splitmix64(state&)."""
    state = (state + 0x9E3779B97F4A7C15) & MASK64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return state, z ^ (z >> 31)


def download_wait_seconds(values, task):
    """latency_ms +/- a jitter drawn from (seed, task): the seconds download `task` waits (simulated)."""
    state = values["seed"] ^ ((0x5BD1E995 * (task + 1)) & MASK64)
    _, out = splitmix64(state)
    unit = (out >> 11) / float(1 << 53)
    ms = values["latency_ms"] + values["jitter_ms"] * (2.0 * unit - 1.0)
    return max(0.0, ms) / 1000.0


def download_payload_checksum(values, task):
    """FNV-1a over work_kib KiB generated from (seed, task): the 'received payload' of download `task`."""
    state = (values["seed"] * 0x100000001B3 + task) & MASK64
    h = FNV_OFFSET
    for _ in range(values["work_kib"] * 1024 // 8):
        state, word = splitmix64(state)
        for byte in word.to_bytes(8, "little"):
            h = ((h ^ byte) * FNV_PRIME) & MASK64
    return h


def factorial_checksum(m):
    """FNV-1a over m!'s base-10^9 limbs (least significant first, 4 little-endian bytes each), as
    cpp/factorials.cpp: math.factorial computes m! exactly, as the teaching texts' Python does."""
    n = math.factorial(m)
    h = FNV_OFFSET
    while True:
        n, limb = divmod(n, LIMB_BASE)
        for byte in limb.to_bytes(4, "little"):
            h = ((h ^ byte) * FNV_PRIME) & MASK64
        if n == 0:
            return h


class Workload:
    """A list of tasks 0..task_count-1; task i waits wait_seconds(i) (simulated I/O) then compute(i) returns
    its 64-bit value. Built from checked parameter values (params.parse_params)."""

    def __init__(self, name, values):
        self.name = name
        self.values = values
        self.phase = "download" if name == "download" else "compute"
        if name == "primes":
            self.ranges = primes_ranges(values)
            self.task_count = len(self.ranges)
        elif name == "download":
            self.task_count = values["count"]
        else:
            self.task_count = len(values["inputs"]) * values["repeat"]

    def wait_seconds(self, task):
        return download_wait_seconds(self.values, task) if self.name == "download" else 0.0

    def compute(self, task):
        if task == self.values["crash_task"]:
            crash(self.values["crash_how"])
        if self.name == "primes":
            return sum_primes(*self.ranges[task])
        if self.name == "download":
            return download_payload_checksum(self.values, task)
        inputs = self.values["inputs"]
        return factorial_checksum(inputs[task % len(inputs)])

    def describe(self, task):
        if self.name == "primes":
            lo, hi = self.ranges[task]
            return f"primes <= {hi}" if lo == 2 else f"primes in [{lo}, {hi}]"
        if self.name == "download":
            return f"download {task + 1}"
        inputs = self.values["inputs"]
        return f"{inputs[task % len(inputs)]}!"


def crash(how):
    """The crash option: raise (the task fails), os.abort() (SIGABRT) or os._exit(3): the last two end the
    process running the task, the whole program in sequential, threads and async modes."""
    if how == "abort":
        os.abort()
    if how == "exit":
        os._exit(3)
    raise RuntimeError("crashed on purpose (crash_how=throw)")
