# SPDX-License-Identifier: LGPL-2.1-or-later
"""Helpers to run programs under ll-emulate (see README.md).

The test programs come from the environment meson sets: LL_EMULATE,
LL_PROBE and LL_RAWCALL hold their paths in the build tree.
"""

import json
import os
import subprocess
import tempfile

EMULATE = os.environ.get("LL_EMULATE")
PROBE = os.environ.get("LL_PROBE")
RAWCALL = os.environ.get("LL_RAWCALL")

EXIT_EMU_FAILED = 125

# How many commands ran under ll-emulate, and which of them were cases of
# the ABI matrix: conftest.py prints both at the end of the session.
COUNTS = {"runs": 0, "matrix": 0, "matrix_passed": 0}


# --- What a kernel of ABI N knows (the kernel's include/uapi/linux/landlock.h;
# Documentation/userspace-api/landlock.rst, "Landlock ABI versions"),
# independent of the library's own tables (landlock-glib/ll-uapi-private.h)
# so that the two are checked against each other. ---

def eff(abi):
    """The ABI the library must target: a newer kernel counts as 11."""
    return min(abi, 11)


def fs_mask(abi):
    return (0 if abi < 1 else 0x1FFF if abi < 2 else 0x3FFF if abi < 3 else
            0x7FFF if abi < 5 else 0xFFFF if abi < 9 else 0x1FFFF)


def net_mask(abi):
    return 0 if abi < 4 else 0x3 if abi < 10 else 0xF


def scope_mask(abi):
    return 0 if abi < 6 else 0x3


def restrict_mask(abi):
    return 0 if abi < 7 else 0x7 if abi < 8 else 0xF if abi < 11 else 0x1F


def rule_flags_mask(abi):
    return 0x1 if abi >= 10 else 0


def attr_size_known(abi):
    return 48 if abi >= 10 else 24 if abi >= 6 else 16 if abi >= 4 else 8


def emulator_problem():
    """None if ll-emulate works here, else why not (for a skip)."""
    if not EMULATE or not os.path.exists(EMULATE):
        return "LL_EMULATE is not set: run through meson test --suite emulator"
    try:
        proc = subprocess.run([EMULATE, "--abi", "1", "--", "/bin/true"],
                              capture_output=True, text=True, timeout=30)
    except OSError as e:
        return "cannot run ll-emulate: %s" % e
    if proc.returncode != 0:
        return ("seccomp user notification is unavailable here (ll-emulate exit %d: %s)"
                % (proc.returncode, proc.stderr.strip()))
    return None


def real_abi():
    """The running kernel's Landlock ABI, 0 without Landlock."""
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    r = libc.syscall(ctypes.c_long(444), None, ctypes.c_size_t(0), ctypes.c_uint32(1))
    return max(int(r), 0)


class Run:
    """One command run under ll-emulate: exit status, output, parsed log."""

    def __init__(self, returncode, stdout, stderr, log):
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.log = log

    def calls(self, name):
        return [c for c in self.log if c["call"] == name]

    @property
    def json(self):
        lines = [l for l in self.stdout.splitlines() if l.startswith("{")]
        assert len(lines) == 1, "no JSON line from the probe: %r %r" % (self.stdout, self.stderr)
        return json.loads(lines[0])


UNPRIVILEGED = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def emulate(emu_args, command, timeout=60, wrapper=()):
    """Runs COMMAND under `ll-emulate EMU_ARGS`, returns a Run. WRAPPER
    (such as UNPRIVILEGED) is put before ll-emulate."""
    with tempfile.TemporaryDirectory(prefix="ll-emulate-") as tmp:
        os.chmod(tmp, 0o777)      # the log is written by whoever WRAPPER makes us
        log_path = os.path.join(tmp, "log.jsonl")
        argv = [*wrapper, EMULATE, *emu_args, "--log", log_path, "--", *command]
        proc = subprocess.run([str(a) for a in argv],
                              capture_output=True, text=True, timeout=timeout)
        COUNTS["runs"] += 1
        log = []
        if os.path.exists(log_path):
            with open(log_path) as f:
                log = [json.loads(line) for line in f if line.strip()]
    return Run(proc.returncode, proc.stdout, proc.stderr, log)


def rawcall(emu_args, *ops):
    """Runs ll-rawcall OPS under ll-emulate; returns ([results], Run)."""
    run = emulate(list(emu_args), [RAWCALL, *[str(o) for o in ops]])
    assert run.returncode == 0, run.stderr
    results = [int(line.split()[1]) for line in run.stdout.splitlines()]
    return results, run
