# lltest.py: helpers shared by the pytest files of landlock-glib
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# A Landlock restriction cannot be undone, so everything that applies a
# ruleset runs in a forked child (in_child()), never in pytest itself.
# The child sends back what it saw (errnos, statuses) and the test asserts
# in the parent, where pytest shows a clear diff.

import ctypes
import os
import pickle
import socket
import traceback

import gi

gi.require_version("Landlock", "1")
from gi.repository import GLib, Landlock  # noqa: E402

import pytest  # noqa: E402

LANDLOCK_CREATE_RULESET = 444
LANDLOCK_CREATE_RULESET_VERSION = 1 << 0


def raw_abi_version():
    """The kernel's answer, bypassing the library (or -errno)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    result = libc.syscall(ctypes.c_long(LANDLOCK_CREATE_RULESET), None,
                          ctypes.c_size_t(0),
                          ctypes.c_uint32(LANDLOCK_CREATE_RULESET_VERSION))
    return result if result >= 0 else -ctypes.get_errno()


# Emulated CPUs (the real-kernel runs under QEMU) are many times slower:
# timeouts scale with LL_TEST_TIMEOUT_MULTIPLIER, and heavy loops run a
# tenth of their iterations with LL_TEST_QUICK (tests/kernels/README.md).
TIMEOUT_MULTIPLIER = max(float(os.environ.get("LL_TEST_TIMEOUT_MULTIPLIER", "1")), 1.0)
QUICK = "LL_TEST_QUICK" in os.environ


def timeout(seconds):
    """@seconds on this machine, scaled for a slower one."""
    return seconds * TIMEOUT_MULTIPLIER


def iterations(count):
    """@count, or a tenth of it in a quick run."""
    return max(count // 10, 1) if QUICK else count


RAW_ABI = raw_abi_version()
ABI = min(RAW_ABI, Landlock.ABI_MAX) if RAW_ABI > 0 else 0

needs_landlock = pytest.mark.skipif(
    RAW_ABI < 1, reason=f"Landlock is not usable here (errno {-RAW_ABI})")


def needs_abi(abi):
    return pytest.mark.skipif(ABI < abi, reason=f"needs Landlock ABI {abi}, the kernel has {ABI}")


def below_abi(abi):
    """For the strict-mode tests of features this kernel lacks."""
    return pytest.mark.skipif(
        ABI < 1 or ABI >= abi,
        reason=f"needs a kernel with Landlock but below ABI {abi} (this one has {ABI}); "
               "the emulated-ABI tests of the C suite cover it otherwise")


class ChildFailed(AssertionError):
    pass


def in_child(fn, *args, **kwargs):
    """Runs fn(*args, **kwargs) in a forked child and returns what it
    returned (pickled through a pipe). An exception in the child, or a
    child that dies, fails the test with the child's traceback."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.close(read_fd)
            try:
                payload = pickle.dumps(("ok", fn(*args, **kwargs)))
                code = 0
            except BaseException:  # noqa: B036: everything goes to the parent
                payload = pickle.dumps(("error", traceback.format_exc()))
            with os.fdopen(write_fd, "wb") as pipe:
                pipe.write(payload)
        finally:
            os._exit(code)  # never back into pytest

    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as pipe:
        data = pipe.read()
    _, wstatus = os.waitpid(pid, 0)
    if not data:
        raise ChildFailed(f"the child died without an answer (wait status {wstatus:#x})")
    kind, value = pickle.loads(data)
    if kind == "error":
        raise ChildFailed(f"the child raised:\n{value}")
    assert os.waitstatus_to_exitcode(wstatus) == 0
    return value


def errno_of(fn, *args, **kwargs):
    """0 if fn(*args) succeeds, else the errno of the OSError it raised."""
    try:
        result = fn(*args, **kwargs)
        if isinstance(result, int) and fn is os.open:
            os.close(result)
    except OSError as e:
        return e.errno
    return 0


def error_of(fn, *args, **kwargs):
    """None if fn(*args) succeeds, else (domain, code, message) of the
    GLib.Error it raised: picklable, for in_child()."""
    try:
        fn(*args, **kwargs)
    except GLib.Error as e:
        return (e.domain, e.code, e.message)
    return None


def free_tcp_port():
    """A loopback port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tcp_listener():
    """A loopback TCP socket listening on a free port."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(8)
    return s


def tcp_bind_errno(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        return errno_of(s.bind, ("127.0.0.1", port))


def tcp_connect_errno(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(timeout(5))
        return errno_of(s.connect, ("127.0.0.1", port))


def no_new_privs():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("NoNewPrivs:"):
                return int(line.split()[1]) != 0
    return False


def assert_ll_error(error, code, *words):
    """@error is (domain, code, message) from error_of()."""
    assert error is not None, f"expected Landlock.Error.{code.value_nick}, got no error"
    domain, got, message = error
    assert domain == "ll-error-quark", error
    assert got == int(code), f"expected {code.value_name}, got {Landlock.Error(got).value_name}: {message}"
    for word in words:
        assert str(word).lower() in message.lower(), f"{word!r} not in {message!r}"


