# One run timed and totalled as cpp/run.cpp does it, and the results file (docs/results-format.md) around runs.
import datetime
import os
import platform
import statistics
import sys
import sysconfig

from .executors import EXECUTORS, clock
from .params import params_for_json
from .workloads import MASK64, Workload

GENERATOR = "parlab-cpython 0.1.0"


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def run_workload(name, values, mode, workers, chunksize):
    """Runs the workload once in `mode` with `workers` and returns the run object of the results format.
    startup_s: for the pools, seconds from the run's start to its first task's start (the pools start their
    threads or processes on the first submit); 0 for sequential and async."""
    work = Workload(name, values)
    workers = 1 if mode == "sequential" else workers
    started_at = utc_now()
    run_start = clock()
    done = EXECUTORS[mode](work, workers, chunksize, run_start)
    wall_s = clock() - run_start

    tasks = sorted(done.tasks, key=lambda t: t["id"])
    checksum = sum(int(t["value"]) for t in tasks) & MASK64
    startup_s = min((t["start_s"] for t in tasks), default=0.0) if mode in ("threads", "processes") else 0.0
    return {
        "workload": name, "params": params_for_json(name, values), "mode": mode, "workers": workers,
        "ok": not done.error, "complete": len(tasks) == work.task_count, "error": done.error or None,
        "started_at": started_at, "wall_s": wall_s, "startup_s": startup_s,
        "cpu_s": sum(t["cpu_s"] for t in tasks) if tasks else None,
        "avg_task_s": sum(t["end_s"] - t["start_s"] for t in tasks) / len(tasks) if tasks else None,
        "hardware_concurrency": os.cpu_count() or 0, "task_count": work.task_count, "tasks_done": len(tasks),
        "checksum": str(checksum), "tasks": tasks,
    }


def _cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as info:
            for line in info:
                if line.startswith("model name") and ":" in line:
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def get_python_build():
    """The interpreter's version ("3.14.0"), its build ("free-threaded" for python3.13t/3.14t, built with
    Py_GIL_DISABLED; "default" otherwise) and whether the GIL is enabled now. A free-threaded build turns the GIL
    back on when it imports an extension not marked free-threading safe (or with PYTHON_GIL=1), so this is read
    when the file is written, after the runs; interpreters without sys._is_gil_enabled (before 3.13) always
    have it."""
    free_threaded = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
    is_gil_enabled = getattr(sys, "_is_gil_enabled", None)
    return {
        "python_version": platform.python_version(),
        "python_build": "free-threaded" if free_threaded else "default",
        "gil_enabled": bool(is_gil_enabled()) if callable(is_gil_enabled) else True,
    }


def get_environment():
    """The environment block: target "cpython", the interpreter in `compiler` (e.g. "CPython 3.11.7"), and
    its version, build and GIL state (get_python_build)."""
    uname = platform.uname()
    return {
        "target": "cpython", "os": f"{uname.system} {uname.release} {uname.machine}", "cpu_model": _cpu_model(),
        "logical_cpus": os.cpu_count() or 1,
        "compiler": f"{platform.python_implementation()} {platform.python_version()}",
        "user_agent": None, "cross_origin_isolated": None,
        **get_python_build(),
    }


def results_file(runs):
    return {"schema_version": 1, "generator": GENERATOR, "created": utc_now().split(".")[0] + "Z",
            "environment": get_environment(), "runs": runs}


def summary_table(runs):
    """Median wall time of each (mode, workers) and its speed-up over the median sequential run."""
    groups = {}
    for run in runs:
        groups.setdefault((run["mode"], run["workers"]), []).append(run)
    sequential = [r["wall_s"] for r in groups.get(("sequential", 1), []) if r["ok"]]
    base = statistics.median(sequential) if sequential else None
    lines = [f"{'mode':<11} {'workers':>7} {'runs':>4} {'median wall_s':>13} {'speed-up':>8} {'cpu_s':>8}  checksum"]
    for (mode, workers), group in groups.items():
        wall = statistics.median(r["wall_s"] for r in group)
        cpu = statistics.median(r["cpu_s"] or 0.0 for r in group)
        speed = f"{base / wall:8.2f}" if base and wall > 0 else f"{'n/a':>8}"
        failed = sum(not r["ok"] for r in group)
        lines.append(f"{mode:<11} {workers:>7} {len(group):>4} {wall:13.4f} {speed} {cpu:8.3f}  {group[0]['checksum']}"
                     + (f"  ({failed} FAILED: {next(r['error'] for r in group if not r['ok'])})" if failed else ""))
    return "\n".join(lines) + "\n"
