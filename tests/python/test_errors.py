# test_errors.py: every Landlock.Error code that Python can reach, as a
# GLib.Error in the ll-error-quark domain with a message that explains
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Builder problems are kept by the ruleset and reported by check() (safe in
# pytest itself) and apply() (in a child). Everything that could restrict
# runs in a forked child.

import errno
import os
import socket

from lltest import (ABI, RAW_ABI, GLib, Landlock, assert_ll_error, below_abi,
                    errno_of, error_of, in_child, needs_landlock, no_new_privs)

import pytest


E = Landlock.Error


def test_error_domain_and_codes():
    assert GLib.quark_to_string(Landlock.error_quark()) == "ll-error-quark"
    assert [int(code) for code in (E.NOT_AVAILABLE, E.DISABLED, E.INCOMPATIBLE, E.PATH,
                                   E.INVALID, E.RULESET, E.RESTRICT, E.LAYER_LIMIT,
                                   E.NETWORK_DISABLED)] == list(range(9))


def tcp_ip_available():
    try:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
        return True
    except OSError:
        return False


@pytest.mark.parametrize("code", ["NOT_AVAILABLE", "DISABLED", "NETWORK_DISABLED"])
def test_codes_of_other_kernels(code):
    """NOT_AVAILABLE (ENOSYS), DISABLED (EOPNOTSUPP) and NETWORK_DISABLED
    (EAFNOSUPPORT) need a kernel without Landlock, with Landlock disabled
    at boot, or without TCP/IP. On such a machine this test checks them
    for real; here it skips, and the C suite covers them by emulating the
    kernel at the syscall boundary (a seccomp filter)."""
    if code == "NETWORK_DISABLED":
        if RAW_ABI < 4 or tcp_ip_available():
            pytest.skip(f"{code} is unreachable here: needs Landlock ABI 4 or later on a "
                        f"kernel without TCP/IP (this one: ABI {ABI}, TCP/IP "
                        f"{'present' if tcp_ip_available() else 'absent'})")

        def child():
            return error_of(Landlock.Ruleset().allow_network(80).apply)

        assert_ll_error(in_child(child), E.NETWORK_DISABLED)
        return

    wanted = {"NOT_AVAILABLE": errno.ENOSYS, "DISABLED": errno.EOPNOTSUPP}[code]
    if RAW_ABI != -wanted:
        pytest.skip(f"{code} is unreachable here: needs a kernel whose "
                    f"landlock_create_ruleset() fails with {'ENOSYS' if wanted == errno.ENOSYS else 'EOPNOTSUPP'}, "
                    f"this one has Landlock ABI {RAW_ABI}")
    assert_ll_error(error_of(Landlock.get_abi_version), getattr(E, code))
    # Best effort runs unsandboxed without an error, and says so.
    assert Landlock.Ruleset(strict=False).props.abi == 0


@needs_landlock
def test_path_missing():
    missing = "/nonexistent/ll-python-missing"

    def child():
        error = error_of(Landlock.Ruleset().allow_read("/usr", missing).apply)
        return error, errno_of(os.open, "/etc/passwd", os.O_RDONLY) == 0

    error, still_free = in_child(child)
    assert_ll_error(error, E.PATH, missing, "No such file or directory", "ignore-missing")
    assert still_free  # nothing was applied


@pytest.mark.parametrize("port", [65536, -1, True, False, "80", 80.0, None, 2 ** 40, -(2 ** 40)],
                         ids=repr)
def test_invalid_port_check(port):
    """A bad port is the library's INVALID error, never an OverflowError
    or a TypeError from the binding, and it is kept until check()."""
    ruleset = Landlock.Ruleset().allow_network(port)
    assert_ll_error(error_of(ruleset.check), E.INVALID, "port", "between 0 and 65535")
    ruleset = Landlock.Ruleset(strict=False).allow_udp(port)
    assert_ll_error(error_of(ruleset.check), E.INVALID, "port")
    ruleset = Landlock.Ruleset().add_net_rule(port, Landlock.AccessNet.BIND_TCP)
    assert_ll_error(error_of(ruleset.check), E.INVALID, "port")


@needs_landlock
@pytest.mark.parametrize("port", [65536, -1, True])
def test_invalid_port_apply(port):
    def child():
        ruleset = Landlock.Ruleset().allow_network(80, port, bind=False)
        return error_of(ruleset.apply), ruleset.props.applied

    error, applied = in_child(child)
    assert_ll_error(error, E.INVALID, "port")
    assert not applied


def test_valid_port_bounds():
    assert Landlock.Ruleset().allow_network(0, 65535).check()


INVALID_BUILDERS = {
    "empty path": lambda r: r.allow_read(""),
    "unknown fs bits": lambda r: r.add_path_rule("/usr", access=1 << 30),
    "no fs right": lambda r: r.add_path_rule("/usr", access=0),
    "unknown net bits": lambda r: r.add_net_rule(80, 1 << 20),
    "no net right": lambda r: r.allow_network(80, bind=False, connect=False),
    "unknown scope": lambda r: r.allow_scope(Landlock.Scope(1 << 10)),
    "unknown restrict flags": lambda r: r.set_restrict_flags(Landlock.RestrictFlags(1 << 20)),
    "unknown handled bits": lambda r: r.set_handled_access(Landlock.AccessFs(1 << 30), 0, 0),
}


@pytest.mark.parametrize("what", list(INVALID_BUILDERS))
def test_invalid_builder(what):
    ruleset = Landlock.Ruleset()
    INVALID_BUILDERS[what](ruleset)
    assert_ll_error(error_of(ruleset.check), E.INVALID)


@needs_landlock
def test_invalid_handles_nothing_and_applied_twice():
    def child():
        nothing = Landlock.Ruleset().set_handled_access(0, 0, 0)
        once = Landlock.Ruleset().allow_read("/")
        first = once.apply()
        return (error_of(nothing.apply), int(first), error_of(once.apply),
                error_of(once.allow_read("/usr").check))

    nothing, first, twice, changed = in_child(child)
    assert_ll_error(nothing, E.INVALID, "handles no right")
    assert first == int(Landlock.Status.FULLY_ENFORCED)
    assert_ll_error(twice, E.INVALID, "already applied")
    assert_ll_error(changed, E.INVALID, "already applied")


@below_abi(10)
def test_incompatible_udp():
    def child():
        return error_of(Landlock.Ruleset().allow_udp(53).apply)

    assert_ll_error(in_child(child), E.INCOMPATIBLE, "udp", "ABI 10", f"ABI {ABI}")


@below_abi(9)
def test_incompatible_resolve_unix():
    def child():
        ruleset = Landlock.Ruleset().add_path_rule("/tmp", access=Landlock.AccessFs.RESOLVE_UNIX)
        return error_of(ruleset.apply)

    assert_ll_error(in_child(child), E.INCOMPATIBLE, "resolve-unix", "ABI 9", f"ABI {ABI}")


@below_abi(8)
def test_incompatible_tsync():
    def child():
        ruleset = Landlock.Ruleset(restrict_flags=Landlock.RestrictFlags.TSYNC)
        return error_of(ruleset.apply)

    assert_ll_error(in_child(child), E.INCOMPATIBLE, "tsync", "ABI 8", f"ABI {ABI}")


@needs_landlock
def test_layer_limit():
    def child():
        applied = 0
        while applied < 20:
            error = error_of(Landlock.Ruleset().allow_read("/").apply)
            if error is not None:
                return applied, error
            applied += 1
        return applied, None

    applied, error = in_child(child)
    assert_ll_error(error, E.LAYER_LIMIT, "16")
    assert applied == 16


@needs_landlock
def test_sys_ruleset_and_invalid():
    """The raw syscall wrappers map the kernel's errno to codes; none of
    these calls can restrict the process."""
    fs = Landlock.AccessFs.READ_FILE
    # Handling nothing: ENOMSG, the kernel refuses the ruleset.
    assert_ll_error(error_of(Landlock.sys_create_ruleset, 0, 0, 0), E.RULESET)
    # Unknown bits: EINVAL.
    assert_ll_error(error_of(Landlock.sys_create_ruleset, Landlock.AccessFs(1 << 30), 0, 0), E.INVALID)

    fd = Landlock.sys_create_ruleset(fs, 0, 0)
    path_fd = os.open("/usr", os.O_PATH | os.O_CLOEXEC)
    read_end, write_end = os.pipe()
    try:
        assert fd >= 0
        assert Landlock.sys_add_path_rule(fd, path_fd, fs, 0)
        # Bad ruleset fds: EBADF (-1, closed) and EBADFD (not a ruleset).
        assert_ll_error(error_of(Landlock.sys_add_path_rule, -1, path_fd, fs, 0), E.INVALID)
        assert_ll_error(error_of(Landlock.sys_add_path_rule, read_end, path_fd, fs, 0), E.INVALID)
        # A bad parent fd.
        assert_ll_error(error_of(Landlock.sys_add_path_rule, fd, -1, fs, 0), E.INVALID)
        # A right the ruleset does not handle: EINVAL.
        assert_ll_error(error_of(Landlock.sys_add_path_rule, fd, path_fd,
                                 Landlock.AccessFs.EXECUTE, 0), E.INVALID)
        # Ports out of range, before the kernel sees them.
        assert_ll_error(error_of(Landlock.sys_add_net_rule, fd, 65536,
                                 Landlock.AccessNet.BIND_TCP, 0), E.INVALID, "65536")
        assert_ll_error(error_of(Landlock.sys_add_net_rule, fd, -1,
                                 Landlock.AccessNet.BIND_TCP, 0), E.INVALID)
    finally:
        os.close(fd)
        os.close(path_fd)
        os.close(read_end)
        os.close(write_end)


@needs_landlock
def test_sys_restrict_self_bad_fds():
    # Without CAP_SYS_ADMIN the kernel refuses (EPERM) before it looks at
    # the descriptor: an unprivileged process needs no_new_privs to get as
    # far as the descriptor checks.
    privileged = os.geteuid() == 0

    def child():
        if not privileged:
            Landlock.sys_set_no_new_privs()
        read_end, _ = os.pipe()
        return (error_of(Landlock.sys_restrict_self, -1, 0),
                error_of(Landlock.sys_restrict_self, read_end, 0),
                no_new_privs())

    closed, not_ruleset, nnp = in_child(child)
    assert_ll_error(closed, E.INVALID, "Bad file descriptor")
    assert_ll_error(not_ruleset, E.INVALID)
    assert nnp == (not privileged)  # the failed calls changed nothing


@needs_landlock
def test_sys_restrict_self_without_no_new_privs():
    """restrict_self() needs no_new_privs or CAP_SYS_ADMIN: the raw wrapper
    does not set no_new_privs, so an unprivileged process gets EPERM."""
    if no_new_privs():
        pytest.skip("this test process already has no_new_privs")
    # Root has CAP_SYS_ADMIN, which replaces no_new_privs: its child drops
    # to uid 65534 (nobody), losing every capability. Any other user (the
    # unprivileged pass) is in that situation already.
    as_root = os.geteuid() == 0

    def child():
        if as_root:
            os.setresgid(65534, 65534, 65534)
            os.setresuid(65534, 65534, 65534)
        fd = Landlock.sys_create_ruleset(Landlock.AccessFs.READ_FILE, 0, 0)
        restrict = error_of(Landlock.sys_restrict_self, fd, 0)
        os.close(fd)
        # LlRuleset sets no_new_privs itself, so it works unprivileged.
        status = Landlock.Ruleset().allow_read("/").apply()
        return restrict, int(status), no_new_privs()

    restrict, status, nnp = in_child(child)
    assert_ll_error(restrict, E.RESTRICT, "Operation not permitted", "no_new_privs")
    assert status == int(Landlock.Status.FULLY_ENFORCED)
    assert nnp
