# parlab_ref: the CPython reference implementation of parlab's workloads, modes and results file (see run.py).
