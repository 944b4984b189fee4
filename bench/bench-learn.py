#!/usr/bin/python3
# bench-learn.py: what landlock-run --learn costs the program it watches
#
# SPDX-License-Identifier: LGPL-2.1-or-later

"""Times workloads run as they are and run under `landlock-run --learn`
(traced by seccomp user notification, the policy written at the end), and
prints the ratios. Goals: under 3x for a syscall-heavy workload, under
1.2x for a typical one.

- syscall-heavy: `tar -cf - TREE | wc -c` over a generated tree of 4000
  files of 2 KiB (the size of a source file): one open() reported per
  file, little else done per file; and the same over files of 50 bytes,
  where nearly nothing else is done;
- typical: gdk-pixbuf-thumbnailer making a 256-pixel thumbnail of a
  2400x1600 PNG (a GNOME helper doing its work), gzip -6 of 8 MiB, and a
  Python script reading a CSV file (interpreter start-up: ~150 opens);
- the floor: a loop of open() and close() on one file, nothing else: what
  one reported system call costs, in microseconds.

Every run is a fresh process; the variants are interleaved, round after
round; the figures are medians of the wall-clock time and of the CPU time
(user + system of landlock-run, the tracer, and the traced programs, from
wait4()). Run by <builddir>/bench/run-all; by hand::

    bench-learn.py --landlock-run _build-bench/tools/landlock-run [--runs 11]
"""

import argparse
import os
import shutil
import statistics
import struct
import sys
import tempfile
import time
import zlib

OPEN_LOOP = 20000


def spawn_time(argv, devnull, cwd):
    start = time.perf_counter_ns()
    pid = os.fork()
    if pid == 0:
        try:
            os.chdir(cwd)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            os.execv(argv[0], argv)
        finally:
            os._exit(127)
    _, wstatus, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter_ns() - start
    code = os.waitstatus_to_exitcode(wstatus)
    if code != 0:
        raise RuntimeError('%s exited with %d' % (' '.join(argv), code))
    return elapsed, (usage.ru_utime + usage.ru_stime) * 1e9


def load_average():
    with open('/proc/loadavg') as f:
        return ' '.join(f.read().split()[:3])


def png(path, width, height):
    rows = b''.join(b'\0' + bytes(((x * 7 + y * 3) & 255) for x in range(width * 3)) for y in range(height))

    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))

    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0)) +
                chunk(b'IDAT', zlib.compress(rows, 6)) + chunk(b'IEND', b''))


def make_tree(root, line_count):
    for d in range(40):
        os.makedirs(os.path.join(root, 'd%02d' % d))
        for f in range(100):
            with open(os.path.join(root, 'd%02d' % d, 'f%03d.c' % f), 'w') as out:
                out.write(''.join('int value_%d_%d_%d = %d;\n' % (d, f, n, n) for n in range(line_count)))


def make_workloads(work):
    make_tree(os.path.join(work, 'src'), 80)        # 2 KiB a file: a source tree
    make_tree(os.path.join(work, 'tiny'), 2)        # 50 bytes a file
    with open(os.path.join(work, 'big.bin'), 'wb') as out:
        block = bytes(range(256)) * 64
        for i in range(512):
            out.write(block[i % 97:] + block[:i % 97])
    with open(os.path.join(work, 'sales.csv'), 'w') as out:
        out.write('name,n\n' + ''.join('item%d,%d\n' % (i, i * 7 % 101) for i in range(2000)))
    with open(os.path.join(work, 'report.py'), 'w') as out:
        out.write('import csv, json, statistics, sys\n'
                  'rows = list(csv.DictReader(open(sys.argv[1])))\n'
                  'print(json.dumps({"rows": len(rows), "mean": statistics.mean(int(r["n"]) for r in rows)}))\n')
    with open(os.path.join(work, 'loop.py'), 'w') as out:
        out.write('import os, sys\n'
                  'for i in range(int(sys.argv[1])):\n'
                  '    os.close(os.open(sys.argv[2], os.O_RDONLY))\n')

    sh = shutil.which('sh') or '/bin/sh'
    python = '/usr/bin/python3' if os.path.exists('/usr/bin/python3') else sys.executable
    workloads = [
        ('syscall-heavy', 'tar of 4000 files of 2 KiB (a source tree)', [sh, '-c', 'tar -cf - src | wc -c']),
        ('harder', 'tar of 4000 files of 50 bytes', [sh, '-c', 'tar -cf - tiny | wc -c']),
    ]
    thumbnailer = shutil.which('gdk-pixbuf-thumbnailer')
    if thumbnailer:
        png(os.path.join(work, 'photo.png'), 2400, 1600)
        workloads.append(('typical', 'gdk-pixbuf-thumbnailer, 2400x1600 PNG',
                          [thumbnailer, '-s', '256', 'photo.png', os.path.join(work, 'thumbnail.png')]))
    gzip = shutil.which('gzip')
    if gzip:
        workloads.append(('typical', 'gzip -6 of 8 MiB', [sh, '-c', 'gzip -6 -c big.bin | wc -c']))
    workloads.append(('typical', 'Python script reading a CSV file', [python, 'report.py', 'sales.csv']))
    workloads.append(('floor', '%d open() + close(), nothing else' % OPEN_LOOP,
                      [python, 'loop.py', str(OPEN_LOOP), 'sales.csv']))
    return workloads, thumbnailer is not None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--landlock-run', required=True)
    parser.add_argument('--runs', '-r', type=int, default=11, help='runs of each variant (default 11)')
    args, _ = parser.parse_known_args()   # run-all passes every bench the same options

    landlock_run = os.path.abspath(args.landlock_run)
    with tempfile.TemporaryDirectory(prefix='bench-learn-') as work:
        workloads, have_thumbnailer = make_workloads(work)
        policy = os.path.join(work, 'learned.json')

        def learning(argv):
            return [landlock_run, '--quiet', '--learn', policy, '--'] + argv

        def fresh_policy():
            for path in (policy, policy + '.observed'):
                if os.path.exists(path):
                    os.unlink(path)

        def operations():
            import json
            with open(policy + '.observed') as f:
                observed = json.load(f)
            return sum(item['count'] for key in ('filesystem', 'network', 'scopes') for item in observed[key])

        times = {}
        counted = {}
        load_before = load_average()
        with open(os.devnull, 'w') as devnull:
            for _, name, argv in workloads:
                spawn_time(argv, devnull.fileno(), work)        # warm the page cache
                fresh_policy()
                try:
                    spawn_time(learning(argv), devnull.fileno(), work)
                except RuntimeError as e:
                    print('Learning cannot run here (%s): no figures' % e)
                    return 0
                counted[name] = operations()
                times[name] = ([], [])
            for r in range(args.runs):
                for _, name, argv in (workloads if r % 2 == 0 else workloads[::-1]):
                    order = (0, 1) if r % 2 == 0 else (1, 0)
                    for variant in order:
                        fresh_policy()
                        command = argv if variant == 0 else learning(argv)
                        times[name][variant].append(spawn_time(command, devnull.fileno(), work))
        load_after = load_average()

    print('Learning (landlock-run --learn): %d runs of each variant, interleaved, medians;\n'
          'learning includes starting landlock-run and writing the policy.' % args.runs)
    print('Load average before: %s, after: %s\n' % (load_before, load_after))
    print('%-13s %-42s | %9s %9s %6s | %8s %8s %6s | %7s %8s'
          % ('', 'workload', 'as is ms', 'learn ms', 'ratio', 'CPU ms', 'learn', 'ratio', 'calls', 'µs/call'))
    print('-' * 57 + '+' + '-' * 28 + '+' + '-' * 25 + '+' + '-' * 17)
    machine = []
    for kind, name, _ in workloads:
        plain, traced = times[name]
        wall = [statistics.median(t[0] for t in v) / 1e6 for v in (plain, traced)]
        cpu = [statistics.median(t[1] for t in v) / 1e6 for v in (plain, traced)]
        # Per call only where calls are many: elsewhere the fixed cost
        # (starting landlock-run, writing the policy) is most of it.
        per_call = ('%8.1f' % ((wall[1] - wall[0]) * 1000 / counted[name])
                    if counted[name] >= 1000 else '%8s' % '-')
        print('%-13s %-42s | %9.1f %9.1f %6.2f | %8.1f %8.1f %6.2f | %7d %s'
              % (kind, name, wall[0], wall[1], wall[1] / wall[0], cpu[0], cpu[1],
                 cpu[1] / cpu[0] if cpu[0] else 0, counted[name], per_call))
        machine.append('RESULT bench=learn workload=%s plain_wall_ns=%.0f learn_wall_ns=%.0f ratio=%.3f calls=%d'
                       % (name.split(',')[0].replace(' ', '_'), wall[0] * 1e6, wall[1] * 1e6,
                          wall[1] / wall[0], counted[name]))
    print('\nGoals: syscall-heavy under 3x, typical under 1.2x (wall). calls: operations recorded\n'
          '(reported system calls that Landlock would check); µs/call: the extra wall time per call.')
    if not have_thumbnailer:
        print('gdk-pixbuf-thumbnailer is not installed (libgdk-pixbuf2.0-bin): its row is missing')
    if '--machine' in sys.argv or '-m' in sys.argv:
        print('\n'.join(machine))
    return 0


if __name__ == '__main__':
    sys.exit(main())
