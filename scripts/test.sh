#!/usr/bin/env bash
# Runs every test suite against what scripts/build.sh built; stops at the first suite that fails.
# `npm test` runs set-up and build first; run this directly to re-test without rebuilding.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

passed=()
started=$SECONDS

# The names of the suites that passed, comma-separated.
passed_list() {
    [ ${#passed[@]} -gt 0 ] || { echo none; return; }
    local joined
    printf -v joined '%s, ' "${passed[@]}"
    echo "${joined%, }"
}

finish_failed() {
    echo "parlab test: FAILED in $1 (passed before it: $(passed_list); $((SECONDS - started)) s)" >&2
    exit 1
}

# run_suite NAME COMMAND...: runs one suite, records it, or stops everything.
run_suite() {
    local name=$1
    shift
    echo "parlab test: $name"
    "$@" || finish_failed "$name"
    passed+=("$name")
}

# run_node_suite NAME DIR: runs DIR/*.test.mjs with node's test runner. The files are named explicitly
# (node 20 and 22 read a bare folder argument differently), and a folder without tests is a failure, not a pass.
run_node_suite() {
    local files=("$2"/*.test.mjs)
    [ -f "${files[0]}" ] || { echo "parlab test: no *.test.mjs in $2" >&2; finish_failed "$1"; }
    run_suite "$1" node --test --test-reporter=spec "${files[@]}"
}

[ -f build/native/CTestTestfile.cmake ] || { echo "parlab test: build/native is not built: run scripts/build.sh" >&2; exit 1; }

run_suite "C++ (ctest)" ctest --test-dir build/native --output-on-failure --no-tests=error
if [ "${PARLAB_SANITIZERS:-1}" != 0 ]; then
    for preset in asan tsan; do
        [ -f "build/$preset/CTestTestfile.cmake" ] || { echo "parlab test: build/$preset is not built: run scripts/build.sh" >&2; finish_failed "C++ ($preset)"; }
    done
    [ -x build/fuzz/parlab_fuzz_params ] || { echo "parlab test: build/fuzz is not built: run scripts/build.sh" >&2; finish_failed "fuzz"; }
    run_suite "C++ under ASan+UBSan (ctest)" ctest --preset asan --no-tests=error
    run_suite "C++ under TSan (ctest)" ctest --preset tsan --no-tests=error
    # Bounded: at most PARLAB_FUZZ_RUNS inputs or PARLAB_FUZZ_SECONDS, from the committed seeds; new inputs go to a
    # scratch folder (the committed corpus never changes), a crashing input to build/fuzz/.
    fuzz_scratch=$(mktemp -d)
    run_suite "fuzz (parse_params, worker and mode lists)" build/fuzz/parlab_fuzz_params \
        -runs="${PARLAB_FUZZ_RUNS:-200000}" -max_total_time="${PARLAB_FUZZ_SECONDS:-30}" -max_len=512 \
        -artifact_prefix=build/fuzz/ -print_final_stats=1 "$fuzz_scratch" tests/fuzz/corpus
    rm -rf "$fuzz_scratch"
fi
# parlab-mpi under mpirun (Open MPI, oversubscribed on a machine with fewer cores than ranks).
run_node_suite "MPI (tests/mpi)" tests/mpi
run_node_suite "CPython reference (tests/reference)" tests/reference
run_node_suite "web (tests/web)" tests/web
run_node_suite "browser (tests/e2e)" tests/e2e

echo "parlab test: all ${#passed[@]} suites passed ($((SECONDS - started)) s): $(passed_list)"
