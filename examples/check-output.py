#!/usr/bin/env python3
# check-output.py: run an example and check that its output shows what the
# example claims
#
# SPDX-License-Identifier: LGPL-2.1-or-later

"""Runs an example and checks its output against regular expressions.

    check-output.py [--tmpdir] [--require-abi N] [--expect REGEX]...
                    [--expect-abi-below N:REGEX]... [--expect-abi-from N:REGEX]...
                    [--reject REGEX]... [--without-landlock STATUS:REGEX]
                    -- PROGRAM [ARG]...

Every @TMPDIR@ in the program's arguments and in the expressions stands for
a fresh temporary directory (--tmpdir), made here and removed here: a
sandboxed example can create nothing outside what it is allowed, and can
clean up nothing either. Expressions are searched line by line (re.M).

With --without-landlock, a kernel without Landlock is no reason to skip:
the program must then refuse to run unsandboxed, exit with STATUS and say
why (REGEX), and every other expectation is set aside.

Exit status: 0 when the program exited 0 and every expectation held, 77
(meson's "skipped") when the kernel has no Landlock (without
--without-landlock) or an ABI below --require-abi, or when the program
itself exited 77, and 1 otherwise.
The kernel's ABI is asked directly (landlock_create_ruleset with the
VERSION flag), so this checker needs nothing from the library under test.
"""

import argparse
import re
import shutil
import subprocess
import sys
import tempfile

from llcheck import SKIPPED, kernel_abi



def abi_condition(text):
    abi, _, regex = text.partition(':')
    return int(abi), regex


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--tmpdir', action='store_true',
                        help='make a temporary directory for @TMPDIR@')
    parser.add_argument('--require-abi', type=int, default=1, metavar='N',
                        help='skip below this Landlock ABI')
    parser.add_argument('--expect', action='append', default=[], metavar='REGEX')
    parser.add_argument('--expect-abi-below', action='append', default=[],
                        type=abi_condition, metavar='N:REGEX')
    parser.add_argument('--expect-abi-from', action='append', default=[],
                        type=abi_condition, metavar='N:REGEX')
    parser.add_argument('--reject', action='append', default=[], metavar='REGEX')
    parser.add_argument('--without-landlock', type=abi_condition, metavar='STATUS:REGEX',
                        help='without Landlock, expect exit STATUS and REGEX instead of skipping')
    parser.add_argument('command', nargs='+')
    return parser.parse_args()


def main():
    args = parse_args()
    abi = kernel_abi()
    expected_status = 0
    expected = list(args.expect)
    if abi == 0 and args.without_landlock is not None:
        expected_status, regex = args.without_landlock
        expected = [regex]
        args.expect_abi_below = args.expect_abi_from = []
    elif abi < args.require_abi:
        print('check-output: skipped: the example needs Landlock ABI %d, this kernel has %d'
              % (args.require_abi, abi))
        return SKIPPED

    expected += [regex for below, regex in args.expect_abi_below if abi < below]
    expected += [regex for start, regex in args.expect_abi_from if abi >= start]
    rejected = list(args.reject)

    tmpdir = tempfile.mkdtemp(prefix='landlock-example-') if args.tmpdir else None
    try:
        def substitute(text, escape=lambda path: path):
            return text.replace('@TMPDIR@', escape(tmpdir)) if tmpdir else text

        command = [substitute(arg) for arg in args.command]
        print('check-output: running', ' '.join(command), flush=True)
        result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, check=False)
        print(result.stdout, end='')

        if result.returncode == SKIPPED:
            print('check-output: the example skipped')
            return SKIPPED

        failed = False
        if result.returncode != expected_status:
            print('check-output: the example exited with %d, not %d'
                  % (result.returncode, expected_status))
            failed = True
        for regex in expected:
            if not re.search(substitute(regex, re.escape), result.stdout, re.M):
                print('check-output: missing from the output: %s' % substitute(regex, re.escape))
                failed = True
        for regex in rejected:
            if re.search(substitute(regex, re.escape), result.stdout, re.M):
                print('check-output: in the output, but must not be: %s' % substitute(regex, re.escape))
                failed = True
        return 1 if failed else 0
    finally:
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
