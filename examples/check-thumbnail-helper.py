#!/usr/bin/env python3
# check-thumbnail-helper.py: the test of the thumbnail-helper examples (C,
# Python, GJS, Vala)
#
# SPDX-License-Identifier: LGPL-2.1-or-later

"""Runs a thumbnail-helper example and checks both sides of its sandbox.

    check-thumbnail-helper.py [--partial-below N] -- HELPER_COMMAND...

In a fresh directory, with a fake HOME there:

    pictures/photo.png     the input (a PNG made here, 64x48)
    pictures/beside.png    another picture beside the input
    home/private.png       a picture in $HOME
    thumbnails/            the output directory
    elsewhere/             a directory the sandbox does not grant

the helper runs as `HELPER_COMMAND... --size 32 --try-read
pictures/beside.png --try-read home/private.png --try-write
elsewhere/photo.png --try-write home/photo.png pictures/photo.png
thumbnails` (relative paths: the helper makes them absolute, as a ruleset
for a child requires). First, gdk-pixbuf-thumbnailer unsandboxed makes a
thumbnail of each picture and writes in each directory, so that a refusal
can only come from the sandbox. Checked then:

* allowed: thumbnails/photo.png is a PNG of 32x24, and the helper says it
  made it, in a FULLY_ENFORCED sandbox (a forked child has one thread;
  with --partial-below N, PARTIALLY_ENFORCED below Landlock ABI N, for a
  best-effort policy that asks for the rights of ABI N);
* denied: the sandboxed thumbnailer cannot read beside.png nor
  private.png, nor write in elsewhere/ or $HOME: the helper reports each
  refusal with the kernel's "Permission denied", and nothing appears
  anywhere but thumbnails/photo.png;
* honest: what the kernel leaves open is said (below Landlock ABI 10 there
  is always something: UDP), and a kernel without TCP rules (ABI 1 to 3)
  is said to leave TCP open.

On a kernel without Landlock the helper is strict: it must refuse to run
the thumbnailer ("not running it"), exit with status 1, and make nothing.

Exit status: 0 when all held, 1 otherwise, 77 (skipped) when
gdk-pixbuf-thumbnailer is not installed.
"""

import errno
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

from llcheck import SKIPPED, CheckFailed, check, kernel_abi, png

TCP_ABI = 4
UDP_ABI = 10
SIZE = 32
TIMEOUT_MULTIPLIER = max(float(os.environ.get('LL_TEST_TIMEOUT_MULTIPLIER', '1')), 1.0)
TIMEOUT = 60 * TIMEOUT_MULTIPLIER
DENIED = os.strerror(errno.EACCES)   # "Permission denied"


def png_size(path):
    """(width, height) of a PNG file, or None if it is not one."""
    with open(path, 'rb') as f:
        head = f.read(24)
    if len(head) < 24 or head[:8] != b'\x89PNG\r\n\x1a\n' or head[12:16] != b'IHDR':
        return None
    return struct.unpack('>II', head[16:24])


def files_under(root):
    found = []
    for directory, _, names in os.walk(root):
        found += [os.path.relpath(os.path.join(directory, name), root) for name in names]
    return sorted(found)


def prepare(root):
    for name in ('pictures', 'home', 'thumbnails', 'elsewhere'):
        os.mkdir(os.path.join(root, name))
    for name, colour in (('pictures/photo.png', (200, 80, 40)),
                         ('pictures/beside.png', (40, 160, 80)),
                         ('home/private.png', (40, 80, 200))):
        with open(os.path.join(root, name), 'wb') as f:
            f.write(png(64, 48, lambda y: bytes(colour) * 64))


def check_baseline(root, thumbnailer):
    """Unsandboxed, the thumbnailer reads every picture and writes in every
    directory: what the sandbox refuses later, it refuses by itself."""
    for source, target in (('pictures/beside.png', 'elsewhere/baseline.png'),
                           ('home/private.png', 'home/baseline.png')):
        result = subprocess.run([thumbnailer, '-s', str(SIZE), source, target], cwd=root,
                                capture_output=True, text=True, timeout=TIMEOUT)
        made = result.returncode == 0 and png_size(os.path.join(root, target)) is not None
        check(made, 'unsandboxed, the thumbnailer reads %s and writes %s' % (source, target))
        os.unlink(os.path.join(root, target))


def run_helper(command, root):
    home = os.path.join(root, 'home')
    argv = command + ['--size', str(SIZE),
                      '--try-read', 'pictures/beside.png', '--try-read', 'home/private.png',
                      '--try-write', 'elsewhere/photo.png', '--try-write', 'home/photo.png',
                      'pictures/photo.png', 'thumbnails']
    print('check-thumbnail-helper: running', ' '.join(argv), flush=True)
    result = subprocess.run(argv, cwd=root, env=dict(os.environ, HOME=home),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            timeout=TIMEOUT)
    for line in result.stdout.splitlines():
        print('  helper: ' + line)
    return result.returncode, result.stdout


def check_sandboxed(command, root, abi, partial_below):
    status, output = run_helper(command, root)
    root = os.path.realpath(root)

    def said(regex):
        return re.search(regex, output, re.M) is not None

    thumbnail = os.path.join(root, 'thumbnails', 'photo.png')
    check(status == 0, 'the helper exits with status 0 (%d)' % status)
    check(said(r'^thumbnail-helper: made %s$' % re.escape(thumbnail)),
          'allowed: the helper made %s' % thumbnail)
    size = png_size(thumbnail) if os.path.exists(thumbnail) else None
    check(size == (SIZE, SIZE * 48 // 64), 'allowed: the thumbnail is a PNG of 32x24: %s' % (size,))
    status_name = 'PARTIALLY_ENFORCED' if abi < partial_below else 'FULLY_ENFORCED'
    check(said(r'^thumbnail-helper: sandbox status: LL_STATUS_%s$' % status_name),
          'the child\'s sandbox is %s on ABI %d' % (status_name, abi))

    for what, path in (('try-read', 'pictures/beside.png'), ('try-read', 'home/private.png'),
                       ('try-write', 'elsewhere/photo.png'), ('try-write', 'home/photo.png')):
        full = os.path.join(root, path)
        check(said(r'^thumbnail-helper: %s %s: refused: .*%s' % (what, re.escape(full), DENIED)),
              'denied: %s %s, with "%s"' % (what, path, DENIED))

    check(files_under(root) == ['home/private.png', 'pictures/beside.png',
                                'pictures/photo.png', 'thumbnails/photo.png'],
          'nothing written but the thumbnail: %s' % files_under(root))

    left_open = re.search(r'^thumbnail-helper: not restricted by this kernel .*$', output, re.M)
    if abi < UDP_ABI:
        check(left_open is not None and 'UDP' in left_open.group(0),
              'what this kernel (ABI %d) leaves open is said, UDP among it' % abi)
    if abi < TCP_ABI:
        check(left_open is not None and 'TCP' in left_open.group(0),
              'this kernel (ABI %d) is said to leave TCP open' % abi)
    elif left_open is not None:
        check('TCP' not in left_open.group(0), 'TCP is not called open on ABI %d' % abi)


def check_refused_without_landlock(command, root):
    status, output = run_helper(command, root)
    check(status == 1, 'without Landlock, the helper exits with status 1 (%d)' % status)
    check(re.search(r'^thumbnail-helper: cannot sandbox the thumbnailer, not running it: ',
                    output, re.M) is not None,
          'without Landlock, the helper refuses to run the thumbnailer and says why')
    check(files_under(os.path.join(root, 'thumbnails')) == [],
          'without Landlock, no thumbnail is made')


def main():
    command = sys.argv[1:]
    partial_below = 0
    if command[:1] == ['--partial-below']:
        partial_below, command = int(command[1]), command[2:]
    if command[:1] == ['--']:
        command = command[1:]
    if not command:
        sys.exit('usage: check-thumbnail-helper.py -- HELPER_COMMAND...')
    # The helper runs in the test's directory: the program and the script
    # that meson names relative to the build directory are made absolute.
    command = [os.path.abspath(arg) if os.path.exists(arg) else arg for arg in command]

    thumbnailer = shutil.which('gdk-pixbuf-thumbnailer')
    if thumbnailer is None:
        print('check-thumbnail-helper: skipped: gdk-pixbuf-thumbnailer is not installed '
              '(Debian: libgdk-pixbuf2.0-bin)')
        return SKIPPED

    abi = kernel_abi()
    root = tempfile.mkdtemp(prefix='landlock-thumbnail-')
    try:
        prepare(root)
        check_baseline(root, thumbnailer)
        if abi < 1:
            check_refused_without_landlock(command, root)
        else:
            check_sandboxed(command, root, abi, partial_below)
    except CheckFailed as failure:
        print('check-thumbnail-helper: FAILED: %s' % failure)
        return 1
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print('check-thumbnail-helper: every check held')
    return 0


if __name__ == '__main__':
    sys.exit(main())
