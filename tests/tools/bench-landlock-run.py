#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Start-up overhead of landlock-run, not a test (meson does not run it).

    tests/tools/bench-landlock-run.py [PATH-TO-landlock-run] [RUNS]

Times RUNS (default 200) starts of /bin/true bare, under landlock-run, and
under bwrap(1) when it is installed and works here, interleaved so that a
noisy moment hits every variant alike, and prints each median and its
overhead over the bare run.
"""

import os
import shutil
import statistics
import subprocess
import sys
import time


def time_once(argv):
    start = time.perf_counter_ns()
    pid = os.posix_spawn(argv[0], argv, os.environ)
    _, status = os.waitpid(pid, 0)
    elapsed = time.perf_counter_ns() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(argv)} failed with status {status}")
    return elapsed


def main():
    landlock_run = sys.argv[1] if len(sys.argv) > 1 else shutil.which("landlock-run")
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    if landlock_run is None:
        sys.exit("usage: bench-landlock-run.py PATH-TO-landlock-run [RUNS]")

    variants = {
        "/bin/true": ["/bin/true"],
        "landlock-run --rx /usr -- /bin/true": [os.path.abspath(landlock_run), "--rx", "/usr", "--", "/bin/true"],
    }

    bwrap = shutil.which("bwrap")
    if bwrap is None:
        print("bwrap: not installed (apt-get install bubblewrap)")
    else:
        argv = [bwrap, "--ro-bind", "/", "/", "/bin/true"]
        probe = subprocess.run(argv, capture_output=True, text=True)
        if probe.returncode == 0:
            variants["bwrap --ro-bind / / /bin/true"] = argv
        else:
            print(f"bwrap: cannot run here (status {probe.returncode}): {probe.stderr.strip()}")

    samples = {name: [] for name in variants}
    for _ in range(runs):
        for name, argv in variants.items():
            samples[name].append(time_once(argv))

    baseline = statistics.median(samples["/bin/true"])
    print(f"median of {runs} runs each:")
    for name, values in samples.items():
        median = statistics.median(values)
        print(f"  {name:40} {median / 1e6:8.3f} ms   overhead {(median - baseline) / 1e6:+8.3f} ms")


if __name__ == "__main__":
    main()
