#!/usr/bin/python3
# bench-cli.py: landlock-run against /bin/true and bubblewrap
#
# SPDX-License-Identifier: LGPL-2.1-or-later

"""Times `landlock-run --rx /usr -- /bin/true` against `/bin/true` alone
(the overhead of the sandbox, in ms) and against `bwrap --ro-bind / /
/bin/true` (what GNOME users know), plus `landlock-run --version` (the cost
of starting landlock-run at all) and the floors: bench-exec-floor (the same
sandbox with nothing but libc and the system calls: the least any launcher
costs), the same linked statically (the least one more exec costs), and the
same linked with GLib and GObject (the least a GObject launcher costs).
Every run is a fresh process, spawned and reaped by this script; the
commands are interleaved, round after round, and the table shows medians
of the wall-clock time and of the CPU time (user + system of the process
and what it waited for, from wait4(), which leaves out the time spent
waiting for a CPU on a loaded machine).

Run by <builddir>/bench/run-all; by hand::

    bench-cli.py --landlock-run _build-bench/tools/landlock-run [--rounds 301]
"""

import argparse
import os
import shutil
import statistics
import sys
import time


def spawn_time(argv, devnull):
    """(wall ns, CPU ns, page faults) of one fresh process, from spawn to
    reaped."""
    start = time.perf_counter_ns()
    pid = os.posix_spawn(argv[0], argv, os.environ,
                         file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1)])
    _, wstatus, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter_ns() - start
    code = os.waitstatus_to_exitcode(wstatus)
    if code != 0:
        raise RuntimeError('%s exited with %d' % (' '.join(argv), code))
    return elapsed, (usage.ru_utime + usage.ru_stime) * 1e9, usage.ru_minflt + usage.ru_majflt


def load_average():
    with open('/proc/loadavg') as f:
        return ' '.join(f.read().split()[:3])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--landlock-run', required=True)
    parser.add_argument('--floor', help='bench-exec-floor, the least a launcher can do')
    parser.add_argument('--floor-static', help='bench-exec-floor-static: the same, linked statically')
    parser.add_argument('--floor-gobject',
                        help='bench-exec-floor-gobject: the same, linked with GLib and GObject')
    parser.add_argument('--rounds', type=int, default=301,
                        help='runs of each command (default 301)')
    parser.add_argument('--runs', '-r', type=int, default=7,
                        help='ignored unless larger than --rounds')
    args, _ = parser.parse_known_args()   # run-all passes every bench the same options

    true = shutil.which('true', path='/bin') or '/bin/true'
    landlock_run = os.path.abspath(args.landlock_run)
    commands = {
        '/bin/true': [true],
        'landlock-run --version': [landlock_run, '--version'],
        'landlock-run --rx /usr -- /bin/true': [landlock_run, '--rx', '/usr', '--', true],
    }
    floors = [(args.floor, 'floor: bench-exec-floor /usr /bin/true'),
              (args.floor_static, 'floor, static: bench-exec-floor-static'),
              (args.floor_gobject, 'floor, GObject: bench-exec-floor-gobject')]
    for path, name in floors:
        if path:
            commands[name] = [os.path.abspath(path), '/usr', true]
    bwrap = shutil.which('bwrap')
    bwrap_note = None
    if bwrap is None:
        bwrap_note = 'bwrap is not installed (apt-get install bubblewrap): no comparison'
    else:
        argv = [bwrap, '--ro-bind', '/', '/', true]
        with open(os.devnull, 'w') as devnull:
            try:
                spawn_time(argv, devnull.fileno())
                commands['bwrap --ro-bind / / /bin/true'] = argv
            except RuntimeError as e:
                bwrap_note = 'bwrap cannot run here (%s): no comparison' % e

    rounds = max(args.rounds, args.runs, 7)
    times = {name: [] for name in commands}
    names = list(commands)
    load_before = load_average()
    with open(os.devnull, 'w') as devnull:
        for name in names:                          # warm the page cache
            spawn_time(commands[name], devnull.fileno())
        for r in range(rounds):
            for name in (names if r % 2 == 0 else names[::-1]):
                times[name].append(spawn_time(commands[name], devnull.fileno()))
    load_after = load_average()

    wall = {name: statistics.median(t[0] for t in times[name]) / 1e6 for name in names}
    cpu = {name: statistics.median(t[1] for t in times[name]) / 1e6 for name in names}
    faults = {name: statistics.median(t[2] for t in times[name]) for name in names}
    print('Command line: %d runs of each command, interleaved, medians from spawn to reaped\n'
          '(this script\'s own spawning is in every wall figure; faults: the page faults\n'
          'of the process and what it waited for, which on a virtual machine cost much).'
          % rounds)
    print('Load average before: %s, after: %s\n' % (load_before, load_after))
    print('%-40s | %8s %14s | %8s %14s | %6s' % ('', 'wall ms', 'over true', 'CPU ms', 'over true',
                                               'faults'))
    print('-' * 41 + '+' + '-' * 25 + '+' + '-' * 24 + '+' + '-' * 7)
    for name in names:
        print('%-40s | %8.3f %11.3f ms | %8.3f %11.3f ms | %6d'
              % (name, wall[name], wall[name] - wall['/bin/true'], cpu[name],
                 cpu[name] - cpu['/bin/true'], faults[name]))

    def over(name):
        return wall[name] - wall['/bin/true']

    landlock = 'landlock-run --rx /usr -- /bin/true'
    print('\nlandlock-run overhead over /bin/true: %.3f ms wall, %.3f ms CPU (target: under 1.5 ms)'
          % (over(landlock), cpu[landlock] - cpu['/bin/true']))
    for _, name in floors:
        if name in wall:
            print('  %s: %.3f ms over /bin/true' % (name.split(':')[0], over(name)))
    bwrap_name = 'bwrap --ro-bind / / /bin/true'
    if bwrap_name in wall:
        print('landlock-run / bwrap: %.3f wall, %.3f CPU (target: at most 0.5); overheads over '
              '/bin/true: %.3f'
              % (wall[landlock] / wall[bwrap_name], cpu[landlock] / cpu[bwrap_name],
                 over(landlock) / over(bwrap_name)))
        for _, name in floors:
            if name in wall:
                print('  %s / bwrap: %.3f wall' % (name.split(':')[0], wall[name] / wall[bwrap_name]))
    else:
        print(bwrap_note)

    if '--machine' in sys.argv or '-m' in sys.argv:
        for name in names:
            print('RESULT bench=cli command=%s wall_ns=%.0f cpu_ns=%.0f faults=%d'
                  % (name.replace(' ', '_').replace(':', '').replace(',', ''), wall[name] * 1e6,
                     cpu[name] * 1e6, faults[name]))
    return 0


if __name__ == '__main__':
    sys.exit(main())
