#!/usr/bin/env python3
# parlab's workloads in CPython (threads, processes, asyncio): the flags of `parlab sweep`, the same results file.
import argparse
import json
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ beside the sources

from parlab_ref.params import (MAX_WORKERS, MODES, SPECS, BadInput, flag_name, get_task_count,  # noqa: E402
                               parse_list, parse_params)

EXIT_OK, EXIT_RUN_FAILED, EXIT_USAGE = 0, 1, 2
MAX_TASK_RECORDS = 4_000_000  # runs x tasks per run, as parlab's, so memory stays bounded
MAX_CHUNKSIZE = 1_000_000


def make_parser():
    parser = argparse.ArgumentParser(
        prog="run.py", allow_abbrev=False,
        description="parlab's workloads in CPython: sequential, ThreadPoolExecutor (threads, under the GIL), "
                    "ProcessPoolExecutor (processes), asyncio (async). Writes parlab's results file "
                    "(environment.target \"cpython\") for the lab page's Upload.",
        epilog="Exit codes: 0 done, 1 a run failed, 2 bad flags or values, 130 stopped by Ctrl-C. "
               "See reference/cpython/README.md.")
    parser.add_argument("--workload", default="primes", help="primes | download | factorials (default primes)")
    parser.add_argument("--modes", default="sequential,threads,processes",
                        help="comma list of sequential | threads | processes | async (default %(default)s)")
    parser.add_argument("--workers", default="1,2,4,8",
                        help=f"comma list of worker counts, each 1..{MAX_WORKERS} (default %(default)s; "
                             "sequential runs once, with 1)")
    parser.add_argument("--repeats", default="1", help="runs of each grid point, 1..100 (default 1)")
    parser.add_argument("--chunksize", default="1",
                        help=f"processes: ProcessPoolExecutor.map's chunksize, 1..{MAX_CHUNKSIZE} (default 1)")
    helps = {}
    for workload, name, _, default, lo, hi, choices, _, shape in SPECS:
        bounds = "|".join(choices) if choices else f"{lo}..{hi}"
        where = (workload or "every workload") + (f" (shape {shape})" if shape else "")
        helps.setdefault(name, []).append(f"{where}: {bounds}, default {default}")
    for name, lines in helps.items():
        parser.add_argument(flag_name(name), dest=name, default=None, help="; ".join(lines))
    parser.add_argument("--out", help="also write the results file (JSON) here")
    parser.add_argument("--format", default="table", choices=("table", "json"),
                        help="what to print on standard output (default table)")
    return parser


def _int_in(lo, hi):
    return lambda text: int(text) if text.isascii() and text.isdigit() and lo <= int(text) <= hi else None


def _mode(text):
    if text == "threads-gil":
        raise BadInput("--modes: threads-gil is the C++ lab's simulation of CPython's interpreter lock; here "
                       "mode threads already runs under CPython's real GIL (use threads)")
    return text if text in MODES else None


def plan(args):
    """Checks everything and returns (workload values, grid of (mode, workers), chunksize); raises BadInput."""
    given = {s[1]: getattr(args, s[1]) for s in SPECS if getattr(args, s[1]) is not None}
    values = parse_params(args.workload, given)
    modes = parse_list(args.modes, "--modes", "of " + ", ".join(MODES), _mode)
    counts = parse_list(args.workers, "--workers", f"integers, each between 1 and {MAX_WORKERS}",
                        _int_in(1, MAX_WORKERS))
    repeats = _int_in(1, 100)(args.repeats.strip())
    if repeats is None:
        raise BadInput(f"--repeats must be an integer between 1 and 100 (got '{args.repeats[:80]}')")
    chunksize = _int_in(1, MAX_CHUNKSIZE)(args.chunksize.strip())
    if chunksize is None:
        raise BadInput(f"--chunksize must be an integer between 1 and {MAX_CHUNKSIZE} (got '{args.chunksize[:80]}')")
    grid = []
    for mode in modes:
        grid += [(mode, 1)] if mode == "sequential" else [(mode, w) for w in counts]
    grid *= repeats
    records = len(grid) * get_task_count(args.workload, values)
    if records > MAX_TASK_RECORDS:
        raise BadInput(f"runs x tasks per run must be at most {MAX_TASK_RECORDS} (got {records}): use fewer "
                       "--modes, --workers or --repeats, or a smaller workload")
    return values, grid, chunksize


def write_file(path, text):
    """Writes through a temporary file, so a reader never sees half a file."""
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(temporary, path)


def main(argv):
    args = make_parser().parse_args(argv)  # unknown flags: argparse's message, exit code 2
    try:
        values, grid, chunksize = plan(args)
    except BadInput as e:
        print(f"run.py: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    # Imported only now: asyncio, multiprocessing and concurrent.futures take a while to load, and bad input
    # should be answered at once.
    from parlab_ref.results import results_file, run_workload, summary_table

    runs = []
    stopped = False
    try:
        for i, (mode, workers) in enumerate(grid):
            run = run_workload(args.workload, values, mode, workers, chunksize)
            runs.append(run)
            if len(grid) > 1:
                print(f"[{i + 1}/{len(grid)}] {mode} x{workers}: {run['wall_s']:.4f} s"
                      + ("" if run["ok"] else f"  FAILED: {run['error']}"), file=sys.stderr)
    except KeyboardInterrupt:
        stopped = True  # the run under way is dropped; the ones before it are kept

    text = json.dumps(results_file(runs), separators=(",", ":"))
    if args.format == "json":
        print(text)
    elif runs:
        print(summary_table(runs), end="")
    if args.out:
        try:
            write_file(args.out, text)
        except OSError as e:
            print(f"run.py: error: cannot write {args.out}: {e.strerror}", file=sys.stderr)
            return EXIT_RUN_FAILED
        print(f"run.py: wrote {len(runs)} run{'s' if len(runs) != 1 else ''} to {args.out}", file=sys.stderr)
    if stopped:
        return 130
    return EXIT_OK if all(r["ok"] for r in runs) else EXIT_RUN_FAILED


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
