#!/usr/bin/env python3
# A child process sends its parent "hello" over a multiprocessing.Pipe, with its name, pid and parent pid.
import argparse
import json
import multiprocessing
import os
import re
import sys


def child(conn):
    me = multiprocessing.current_process()
    conn.send(f"hello from {me.name}, pid {os.getpid()}, parent pid {os.getppid()}")
    conn.close()


def main():
    parser = argparse.ArgumentParser(description="A child process says hello to its parent over a Pipe.")
    parser.add_argument("--name", default="parlab-child", help="the child process's name (default parlab-child)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")
    args = parser.parse_args()
    if not 1 <= len(args.name) <= 64 or not args.name.isprintable():
        print("pipe_hello.py: error: --name must be 1 to 64 printable characters", file=sys.stderr)
        return 2

    parent_end, child_end = multiprocessing.Pipe()
    process = multiprocessing.Process(target=child, args=(child_end,), name=args.name)
    process.start()
    child_end.close()  # the parent keeps only its end: recv() then fails (EOFError) if the child dies silently
    try:
        message = parent_end.recv()
    except EOFError:
        message = ""
    process.join()

    said = re.fullmatch(r"hello from (.*), pid (\d+), parent pid (\d+)", message)
    result = {
        "message": message, "child_name": args.name, "parent_pid": os.getpid(), "child_pid": process.pid,
        "reported_pid": int(said.group(2)) if said else None,
        "reported_parent_pid": int(said.group(3)) if said else None, "exit_code": process.exitcode,
    }
    result["consistent"] = bool(said) and said.group(1) == args.name and result["reported_pid"] == process.pid \
        and result["reported_parent_pid"] == os.getpid() and process.exitcode == 0
    if args.format == "json":
        print(json.dumps(result))
    else:
        print(f"parent (pid {os.getpid()}) received: {message!r}")
        print(f"child exited with code {process.exitcode}; its pid and parent pid "
              + ("match what the parent knows" if result["consistent"] else "DO NOT match what the parent knows"))
    return 0 if result["consistent"] else 1


if __name__ == "__main__":
    sys.exit(main())
