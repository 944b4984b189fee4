# llcheck.py: what the examples' checkers share
#
# SPDX-License-Identifier: LGPL-2.1-or-later

"""The kernel's Landlock ABI, asked directly (the checkers need nothing from
the library under test), meson's exit status for a skipped test, a check
that prints what it found, and a PNG written without any image library.
The checkers (check-*.py) import it from their own directory."""

import ctypes
import struct
import zlib

SKIPPED = 77  # meson's "skipped"
SYS_LANDLOCK_CREATE_RULESET = 444  # the same number on every architecture
LANDLOCK_CREATE_RULESET_VERSION = 1 << 0


def kernel_abi():
    """The running kernel's Landlock ABI, 0 without Landlock."""
    libc = ctypes.CDLL(None, use_errno=True)
    abi = libc.syscall(SYS_LANDLOCK_CREATE_RULESET, None, ctypes.c_size_t(0),
                       ctypes.c_uint32(LANDLOCK_CREATE_RULESET_VERSION))
    return max(abi, 0)


class CheckFailed(Exception):
    pass


def check(condition, message):
    """Prints [ ok ] or [FAIL] and the claim; a failed claim raises."""
    print('  [%s] %s' % (' ok ' if condition else 'FAIL', message), flush=True)
    if not condition:
        raise CheckFailed(message)


def png(width, height, row):
    """A valid RGB PNG of width x height, row(y) giving each row's 3 * width bytes."""
    def chunk(kind, data):
        return (struct.pack('>I', len(data)) + kind + data +
                struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff))
    rows = b''.join(b'\x00' + row(y) for y in range(height))
    return (b'\x89PNG\r\n\x1a\n' +
            chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0)) +
            chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b''))
