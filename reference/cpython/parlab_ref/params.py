# The parameter table of the core (parlab info's params), and the same strict parsing: same names, defaults, bounds and
# messages.
import re

MAX_LIST_ITEMS = 64
MAX_TASKS_PER_RUN = 1_000_000
MAX_WORKERS = 256
WORKLOADS = ("primes", "download", "factorials")
MODES = ("sequential", "threads", "processes", "async")


class BadInput(Exception):
    """A bad value; the message is one line naming the parameter and its bounds."""


# (workload, name, type, default, min, max, choices, max_items, shape): the core's parameters (`parlab info`),
# kept here so that the reference runs with python3 alone; tests/reference/params.test.mjs proves the two equal.
SPECS = [
    ("primes", "shape", "choice", "inputs", 0, 0, ("inputs", "chunked"), 0, ""),
    ("primes", "inputs", "int_list", "1000000,2000000,3000000", 2, 100_000_000, (), 64, "inputs"),
    ("primes", "n", "int", "2000000", 2, 100_000_000, (), 0, "chunked"),
    ("primes", "chunks", "int", "64", 1, 4096, (), 0, "chunked"),
    ("download", "count", "int", "12", 1, 1000, (), 0, ""),
    ("download", "latency_ms", "float", "400", 0, 10_000, (), 0, ""),
    ("download", "jitter_ms", "float", "0", 0, 10_000, (), 0, ""),
    ("download", "seed", "int", "1", 0, 4_294_967_295, (), 0, ""),
    ("download", "work_kib", "int", "64", 0, 16_384, (), 0, ""),
    ("factorials", "inputs", "int_list", "10,20,30,40,50", 0, 20_000, (), 64, ""),
    ("factorials", "repeat", "int", "1000", 1, 100_000, (), 0, ""),
    ("", "crash_task", "int", "-1", -1, MAX_TASKS_PER_RUN - 1, (), 0, ""),
    ("", "crash_how", "choice", "throw", 0, 0, ("throw", "abort", "exit"), 0, ""),
]

# std::from_chars for a signed integer: an optional '-', then digits, nothing else.
_INTEGER = re.compile(r"-?[0-9]+")
# What strtod accepts that matters here: decimal numbers with an optional exponent (no hex, no '_').
_REAL = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


def flag_name(name):
    """latency_ms -> --latency-ms, the flag a user types."""
    return "--" + name.replace("_", "-")


def _bound(v):
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def _quote(text):
    shown = text[:80].replace("\n", " ").replace("\r", " ")
    return "'" + shown + ("...'" if len(text) > 80 else "'")


def _fail_bounds(spec, text, what):
    _, name, kind, _, lo, hi, _, max_items, _ = spec
    if kind == "int_list":
        message = (f"{flag_name(name)} must be a comma-separated list of 1 to {max_items} integers, "
                   f"each between {_bound(lo)} and {_bound(hi)}")
    else:
        message = f"{flag_name(name)} must be {what} between {_bound(lo)} and {_bound(hi)}"
    raise BadInput(f"{message} (got {_quote(text)})")


def _parse_integer(spec, item, whole):
    if not _INTEGER.fullmatch(item) or not spec[4] <= int(item) <= spec[5]:
        _fail_bounds(spec, whole, "an integer")
    return int(item)


def _parse_value(spec, text):
    t = text.strip(" \t")
    kind = spec[2]
    if kind == "int":
        return _parse_integer(spec, t, text)
    if kind == "float":
        if not _REAL.fullmatch(t) or not spec[4] <= float(t) <= spec[5]:
            _fail_bounds(spec, text, "a number")
        value = float(t)
        return int(value) if value.is_integer() else value  # 400, as the C++ writer prints it
    if kind == "choice":
        if t not in spec[6]:
            raise BadInput(f"{flag_name(spec[1])} must be one of {', '.join(spec[6])} (got {_quote(text)})")
        return t
    items = []
    for part in t.split(","):
        items.append(_parse_integer(spec, part.strip(" \t"), text))
        if len(items) > spec[7]:
            _fail_bounds(spec, text, "")
    return items


def _specs_of(workload):
    return [s for s in SPECS if s[0] in ("", workload)]


def _applies(spec, values):
    return not spec[8] or values.get("shape") == spec[8]


def get_task_count(workload, values):
    if workload == "primes":
        return values["chunks"] if values["shape"] == "chunked" else len(values["inputs"])
    if workload == "download":
        return values["count"]
    return len(values["inputs"]) * values["repeat"]


def parse_params(workload, given):
    """Checks `given` ({name: text}, only the flags that were typed) for `workload`; returns every value,
    defaults filled in. Raises BadInput with a one-line message, as parlab's parse_params does."""
    if workload not in WORKLOADS:
        raise BadInput(f"--workload must be one of {', '.join(WORKLOADS)} (got {_quote(workload)})")
    specs = {s[1]: s for s in _specs_of(workload)}
    values = {name: _parse_value(spec, spec[3]) for name, spec in specs.items()}
    for name, text in given.items():
        if name not in specs:
            raise BadInput(f"{flag_name(name)} does not apply to workload {workload}")
        values[name] = _parse_value(specs[name], text)
    for name in given:
        if not _applies(specs[name], values):
            raise BadInput(f"{flag_name(name)} applies only to shape {specs[name][8]} (shape is {values['shape']})")

    if workload == "primes" and values["shape"] == "chunked" and values["chunks"] > values["n"] - 1:
        raise BadInput(f"--chunks must be between 1 and n - 1 = {values['n'] - 1} (got {values['chunks']})")
    if workload == "download" and values["jitter_ms"] > values["latency_ms"]:
        raise BadInput(f"--jitter-ms must be between 0 and latency_ms = {_bound(values['latency_ms'])} "
                       f"(got {_bound(values['jitter_ms'])})")
    if workload == "factorials":
        tasks = len(values["inputs"]) * values["repeat"]
        if tasks > MAX_TASKS_PER_RUN:
            raise BadInput(f"--inputs x --repeat must make at most {MAX_TASKS_PER_RUN} tasks (got {tasks})")
    if values["crash_task"] >= 0:
        tasks = get_task_count(workload, values)
        if values["crash_task"] >= tasks:
            raise BadInput(f"--crash-task must be between -1 and task count - 1 = {tasks - 1} "
                           f"(got {values['crash_task']})")
    return values


def params_for_json(workload, values):
    """The run's `params` object: the parameters that applied, crash ones only when a crash was asked for."""
    crashing = values["crash_task"] >= 0
    out = {}
    for spec in _specs_of(workload):
        if not _applies(spec, values) or (spec[0] == "" and not crashing):
            continue
        out[spec[1]] = values[spec[1]]
    return out


def parse_list(text, flag, allowed_text, check):
    """'1,2,4' -> items, each passing check(item) (which returns the value or None); 1..64 of them."""
    message = f"{flag} must be a comma-separated list of 1 to {MAX_LIST_ITEMS} {allowed_text} (got {_quote(text)})"
    items = [part.strip(" \t") for part in text.split(",")]
    if len(items) > MAX_LIST_ITEMS:
        raise BadInput(message)
    out = []
    for item in items:
        value = check(item)
        if value is None:
            raise BadInput(message)
        out.append(value)
    return out
