#!/usr/bin/python3
# bench-python.py: LlRuleset from Python through the typelib and overrides
#
# SPDX-License-Identifier: LGPL-2.1-or-later

"""Builds and applies the workload of bench-ruleset (N directory rules and
4 TCP port rules) from /usr/bin/python3 with the build tree's typelib,
library and overrides, each run in a fresh interpreter, interleaved with
runs of bench-ruleset's raw system calls and C LlRuleset, and prints the
medians with the ratio to the raw C figure. Then the import time of
``from gi.repository import Landlock``: fresh interpreters, minus the
interpreter's own start-up measured the same way.

Run by <builddir>/bench/run-all; by hand::

    bench-python.py --build-root _build-bench --bench-ruleset _build-bench/bench/bench-ruleset
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

LEAVES_PER_DIR = 100
PORTS = (80, 443, 8080, 8443)
PYTHON = '/usr/bin/python3'


def leaf_path(root, i):
    return '%s/%03u/%02u' % (root, i // LEAVES_PER_DIR, i % LEAVES_PER_DIR)


def make_tree(root, n):
    for i in range(n):
        os.makedirs(leaf_path(root, i), exist_ok=True)


def peak_rss_kb(status_fd):
    text = os.pread(status_fd, 4096, 0).decode()
    for line in text.splitlines():
        if line.startswith('VmHWM:'):
            return int(line.split()[1])
    return -1


def child(variant, n, root):
    """One measurement in this interpreter, which it leaves restricted."""
    import gi
    gi.require_version('Landlock', '1')
    from gi.repository import Landlock

    paths = [leaf_path(root, i) for i in range(n)]
    status_fd = os.open('/proc/self/status', os.O_RDONLY | os.O_CLOEXEC)

    start, start_cpu = time.perf_counter_ns(), time.process_time_ns()
    ruleset = Landlock.Ruleset()
    if variant == 'per-call':
        for path in paths:
            ruleset.allow_read(path)
    else:
        ruleset.allow_read(*paths)
    ruleset.allow_network(*PORTS)
    status = ruleset.apply()
    del ruleset
    end_cpu, end = time.process_time_ns(), time.perf_counter_ns()

    if status != Landlock.Status.FULLY_ENFORCED:
        sys.exit('bench-python: the sandbox is %s' % status.value_nick)
    os.close(os.open(paths[0], os.O_RDONLY | os.O_DIRECTORY))
    try:
        os.close(os.open('/etc', os.O_RDONLY | os.O_DIRECTORY))
        sys.exit('bench-python: the sandbox lets /etc be read')
    except PermissionError:
        pass
    print(end - start, end_cpu - start_cpu, peak_rss_kb(status_fd))


def run_measurement(argv, env):
    out = subprocess.run(argv, env=env, check=True, stdout=subprocess.PIPE, text=True).stdout
    wall, cpu, rss = (int(x) for x in out.split())
    return wall, cpu, rss


def spawn_time(argv, env):
    """Wall-clock time of one fresh process, from spawn to reaped."""
    start = time.perf_counter_ns()
    pid = os.posix_spawn(argv[0], argv, env)
    _, wstatus = os.waitpid(pid, 0)
    elapsed = time.perf_counter_ns() - start
    if os.waitstatus_to_exitcode(wstatus) != 0:
        raise RuntimeError('%s failed' % ' '.join(argv))
    return elapsed


def load_average():
    with open('/proc/loadavg') as f:
        return ' '.join(f.read().split()[:3])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--build-root', required=True)
    parser.add_argument('--bench-ruleset', required=True)
    parser.add_argument('--runs', '-r', type=int, default=7)
    parser.add_argument('--n', type=int, default=10000)
    parser.add_argument('--import-runs', type=int, default=21)
    parser.add_argument('--child', choices=('per-call', 'one-call'))
    parser.add_argument('--tree')
    args, _ = parser.parse_known_args()   # run-all passes every bench the same options

    if args.child:
        child(args.child, args.n, args.tree)
        return 0

    build = os.path.abspath(args.build_root)
    env = dict(os.environ)
    for name, value in (('GI_TYPELIB_PATH', build + '/landlock-glib'),
                        ('LD_LIBRARY_PATH', build + '/landlock-glib'),
                        ('PYTHONPATH', build + '/landlock-glib/overrides/python')):
        env[name] = value + (':' + env[name] if env.get(name) else '')
    runs = max(args.runs, 1)
    n = args.n

    root = tempfile.mkdtemp(prefix='ll-bench-py-')
    try:
        make_tree(root, n)
        me = os.path.abspath(__file__)
        variants = {
            'C raw system calls': [args.bench_ruleset, '--child', 'raw', '--n', str(n), '--tree', root],
            'C LlRuleset': [args.bench_ruleset, '--child', 'll', '--n', str(n), '--tree', root],
            'Python, allow_read() per dir': [PYTHON, me, '--build-root', build, '--bench-ruleset',
                                              args.bench_ruleset, '--child', 'per-call',
                                              '--n', str(n), '--tree', root],
            'Python, one allow_read(*dirs)': [PYTHON, me, '--build-root', build, '--bench-ruleset',
                                               args.bench_ruleset, '--child', 'one-call',
                                               '--n', str(n), '--tree', root],
        }
        load_before = load_average()
        samples = {name: [] for name in variants}
        names = list(variants)
        for r in range(runs):
            for name in (names if r % 2 == 0 else names[::-1]):
                samples[name].append(run_measurement(variants[name], env))
        load_after = load_average()
    finally:
        shutil.rmtree(root, ignore_errors=True)

    medians = {name: tuple(statistics.median(s[k] for s in samples[name]) for k in range(3))
               for name in names}
    raw_wall, raw_cpu, _ = medians['C raw system calls']
    print('The same workload from Python: N = %d directory rules + %d TCP port rules, each run in a\n'
          'fresh process, %d runs of each interleaved, medians (CPU = user + system time).'
          % (n, len(PORTS), runs, ))
    print('Load average before: %s, after: %s\n' % (load_before, load_after))
    print('%-30s | %10s %10s | %12s %12s | %10s' % ('', 'CPU µs', 'wall µs', 'CPU ratio', 'wall ratio',
                                                  'peak RSS'))
    print('%-30s | %10s %10s | %12s %12s | %10s' % ('variant', 'per rule', 'per rule', 'to raw C',
                                                  'to raw C', 'KiB'))
    print('-' * 31 + '+' + '-' * 23 + '+' + '-' * 27 + '+' + '-' * 11)
    for name in names:
        wall, cpu, rss = medians[name]
        print('%-30s | %10.3f %10.3f | %12.3f %12.3f | %10.0f'
              % (name, cpu / 1000 / n, wall / 1000 / n, cpu / raw_cpu, wall / raw_wall, rss))

    # Import time: fresh interpreters, interleaved, minus the bare start-up.
    statements = {
        'python3 -c pass (start-up)': 'pass',
        'import gi': 'import gi',
        'from gi.repository import Landlock': "import gi; gi.require_version('Landlock', '1'); "
                                              "from gi.repository import Landlock",
    }
    times = {name: [] for name in statements}
    load_before = load_average()
    import_runs = max(args.import_runs, 7)
    for r in range(import_runs):
        for name in (list(statements) if r % 2 == 0 else list(statements)[::-1]):
            times[name].append(spawn_time([PYTHON, '-c', statements[name]], env))
    load_after = load_average()
    startup = statistics.median(times['python3 -c pass (start-up)'])
    print('\nImport time: %d fresh /usr/bin/python3 each, interleaved, medians of the wall-clock time;\n'
          'load average before: %s, after: %s\n' % (import_runs, load_before, load_after))
    print('%-36s | %10s | %18s' % ('', 'total ms', 'minus start-up ms'))
    print('-' * 37 + '+' + '-' * 12 + '+' + '-' * 19)
    for name in statements:
        median = statistics.median(times[name])
        print('%-36s | %10.2f | %18.2f' % (name, median / 1e6, (median - startup) / 1e6))

    if '--machine' in sys.argv or '-m' in sys.argv:
        for name in names:
            wall, cpu, rss = medians[name]
            print('RESULT bench=python n=%d variant=%s wall_ns=%.0f cpu_ns=%.0f maxrss_kb=%.0f'
                  % (n, name.replace(' ', '_'), wall, cpu, rss))
        print('RESULT bench=python-import landlock_ns=%.0f startup_ns=%.0f'
              % (statistics.median(times['from gi.repository import Landlock']), startup))
    return 0


if __name__ == '__main__':
    sys.exit(main())
