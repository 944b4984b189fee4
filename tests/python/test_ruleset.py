# test_ruleset.py: LlRuleset's properties, notifications, flag types,
# strict versus best-effort, and the honest status with threads
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import errno
import os
import threading

from lltest import (ABI, Landlock, below_abi, errno_of, in_child,
                    needs_landlock)

import pytest


# The kernel's values (include/uapi/linux/landlock.h; the repository's copy
# is landlock-glib/ll-uapi-private.h), which the GLib types must equal.
KERNEL_ACCESS_FS = {
    "EXECUTE": (0, 1), "WRITE_FILE": (1, 1), "READ_FILE": (2, 1), "READ_DIR": (3, 1),
    "REMOVE_DIR": (4, 1), "REMOVE_FILE": (5, 1), "MAKE_CHAR": (6, 1), "MAKE_DIR": (7, 1),
    "MAKE_REG": (8, 1), "MAKE_SOCK": (9, 1), "MAKE_FIFO": (10, 1), "MAKE_BLOCK": (11, 1),
    "MAKE_SYM": (12, 1), "REFER": (13, 2), "TRUNCATE": (14, 3), "IOCTL_DEV": (15, 5),
    "RESOLVE_UNIX": (16, 9),
}
KERNEL_ACCESS_NET = {"BIND_TCP": (0, 4), "CONNECT_TCP": (1, 4),
                     "BIND_UDP": (2, 10), "CONNECT_SEND_UDP": (3, 10)}
KERNEL_SCOPE = {"ABSTRACT_UNIX_SOCKET": (0, 6), "SIGNAL": (1, 6)}
KERNEL_RESTRICT_FLAGS = {"LOG_SAME_EXEC_OFF": (0, 7), "LOG_NEW_EXEC_ON": (1, 7),
                         "LOG_SUBDOMAINS_OFF": (2, 7), "TSYNC": (3, 8),
                         "NO_NEW_PRIVS": (4, 11)}


@pytest.mark.parametrize("flags_type, table, for_abi", [
    (Landlock.AccessFs, KERNEL_ACCESS_FS, Landlock.access_fs_for_abi),
    (Landlock.AccessNet, KERNEL_ACCESS_NET, Landlock.access_net_for_abi),
    (Landlock.Scope, KERNEL_SCOPE, Landlock.scope_for_abi),
    (Landlock.RestrictFlags, KERNEL_RESTRICT_FLAGS, Landlock.restrict_flags_for_abi),
], ids=["AccessFs", "AccessNet", "Scope", "RestrictFlags"])
def test_flags_are_the_kernel_bits(flags_type, table, for_abi):
    prefix = {Landlock.AccessFs: "LL_ACCESS_FS_", Landlock.AccessNet: "LL_ACCESS_NET_",
              Landlock.Scope: "LL_SCOPE_", Landlock.RestrictFlags: "LL_RESTRICT_FLAGS_"}[flags_type]
    for name, (shift, abi) in table.items():
        value = getattr(flags_type, name)
        assert isinstance(value, flags_type)
        assert int(value) == 1 << shift, name
        # int -> flags -> int, and the names both ways.
        assert flags_type(1 << shift) == value
        assert value.first_value_name == prefix + name
        assert value.first_value_nick == name.lower().replace("_", "-")
        assert prefix + name in str(value)
        # The right belongs to its ABI and to no earlier one.
        assert int(for_abi(abi)) & value
        assert not int(for_abi(abi - 1)) & value
    every = 0
    for shift, _ in table.values():
        every |= 1 << shift
    assert int(for_abi(Landlock.ABI_MAX)) == every


def test_flags_arithmetic():
    read = Landlock.AccessFs.READ_FILE | Landlock.AccessFs.READ_DIR
    assert isinstance(read, Landlock.AccessFs)
    assert int(read) == 0xC
    # PyGObject lists NONE (value 0) among the names of every value.
    assert sorted(set(read.value_names) - {"LL_ACCESS_FS_NONE"}) == \
        ["LL_ACCESS_FS_READ_DIR", "LL_ACCESS_FS_READ_FILE"]
    assert Landlock.AccessFs(0xC) == read
    assert read & Landlock.AccessFs.READ_DIR
    assert not read & Landlock.AccessFs.EXECUTE
    assert int(Landlock.AccessFs.NONE) == 0
    assert int(Landlock.RuleFlags.QUIET) == 1
    assert [int(Landlock.access_fs_for_abi(abi)) for abi in (1, 2, 3, 4, 5, 8, 9, 10)] == \
        [0x1FFF, 0x3FFF, 0x7FFF, 0x7FFF, 0xFFFF, 0xFFFF, 0x1FFFF, 0x1FFFF]
    assert int(Landlock.access_net_for_abi(3)) == 0
    assert int(Landlock.access_net_for_abi(10)) == 0xF


def test_status_enum():
    statuses = [Landlock.Status.NOT_ENFORCED, Landlock.Status.PARTIALLY_ENFORCED,
                Landlock.Status.FULLY_ENFORCED]
    assert [int(s) for s in statuses] == [0, 1, 2]
    assert [s.value_nick for s in statuses] == ["not-enforced", "partially-enforced",
                                                "fully-enforced"]
    assert Landlock.Status(2) == Landlock.Status.FULLY_ENFORCED
    assert Landlock.Status.FULLY_ENFORCED.value_name == "LL_STATUS_FULLY_ENFORCED"


def test_default_properties():
    ruleset = Landlock.Ruleset()
    props = ruleset.props
    assert props.strict is True
    assert props.ignore_missing is False
    assert props.all_threads is True
    assert props.restrict_flags == Landlock.RestrictFlags.NONE
    assert props.applied is False
    assert props.status == Landlock.Status.NOT_ENFORCED
    assert props.status_reason is None
    assert props.unrestricted_threads == 0
    if ABI >= 1:
        assert props.abi == Landlock.get_abi_version() == ABI
        assert props.handled_access_fs == Landlock.access_fs_for_abi(ABI)
        assert props.handled_access_net == Landlock.access_net_for_abi(ABI)
        assert props.scoped == Landlock.scope_for_abi(ABI)


def test_keyword_construction():
    ruleset = Landlock.Ruleset(strict=False, ignore_missing=True, all_threads=False,
                               restrict_flags=Landlock.RestrictFlags.LOG_SAME_EXEC_OFF)
    assert ruleset.props.strict is False
    assert ruleset.get_strict() is False
    assert ruleset.props.ignore_missing is True
    assert ruleset.get_ignore_missing() is True
    assert ruleset.props.all_threads is False
    assert ruleset.get_restrict_flags() == Landlock.RestrictFlags.LOG_SAME_EXEC_OFF
    with pytest.raises(TypeError):
        Landlock.Ruleset(no_such_property=True)


def test_read_only_properties():
    ruleset = Landlock.Ruleset()
    for name in ("abi", "applied", "status", "status_reason", "unrestricted_threads",
                 "handled_access_fs"):
        with pytest.raises(TypeError):
            setattr(ruleset.props, name, getattr(ruleset.props, name))


def test_notify():
    ruleset = Landlock.Ruleset()
    seen = []
    ruleset.connect("notify::strict", lambda obj, pspec: seen.append((pspec.name, obj.props.strict)))
    ruleset.connect("notify::scoped", lambda obj, pspec: seen.append((pspec.name, int(obj.props.scoped))))

    ruleset.set_strict(False)
    assert seen == [("strict", False)]
    ruleset.set_strict(False)  # no change, no notification (explicit notify)
    assert seen == [("strict", False)]
    ruleset.props.strict = True
    assert seen == [("strict", False), ("strict", True)]

    if ABI >= 6:
        seen.clear()
        ruleset.allow_scope(Landlock.Scope.SIGNAL)
        assert seen == [("scoped", int(Landlock.Scope.ABSTRACT_UNIX_SOCKET))]


@needs_landlock
def test_status_notifications_on_apply():
    def child():
        ruleset = Landlock.Ruleset().allow_read("/")
        seen = []
        for name in ("applied", "status", "status-reason", "unrestricted-threads"):
            ruleset.connect("notify::" + name, lambda obj, pspec: seen.append(pspec.name))
        status = ruleset.apply()
        return int(status), sorted(seen), ruleset.props.applied, int(ruleset.props.status)

    status, seen, applied, prop_status = in_child(child)
    assert status == prop_status == int(Landlock.Status.FULLY_ENFORCED)
    assert applied
    assert seen == ["applied", "status"]


@needs_landlock
@below_abi(10)
def test_best_effort_udp_is_partial_but_enforced(tmp_path):
    (tmp_path / "secret").write_text("no")

    def child():
        ruleset = Landlock.Ruleset(strict=False).allow_read("/usr", "/etc").allow_udp(53)
        status = ruleset.apply()
        return (int(status), ruleset.props.status_reason,
                errno_of(os.open, "/etc/passwd", os.O_RDONLY),
                errno_of(os.open, tmp_path / "secret", os.O_RDONLY))

    status, reason, etc, secret = in_child(child)
    assert status == int(Landlock.Status.PARTIALLY_ENFORCED)
    assert "udp" in reason.lower()
    assert f"ABI {ABI}" in reason
    # What the kernel has is still enforced.
    assert etc == 0
    assert secret == errno.EACCES


@needs_landlock
def test_best_effort_ignore_missing(tmp_path):
    missing = str(tmp_path / "missing")
    (tmp_path / "secret").write_text("no")

    def child():
        ruleset = Landlock.Ruleset(strict=False, ignore_missing=True).allow_read("/etc", missing)
        status = ruleset.apply()
        return (int(status), list(ruleset.props.skipped_paths),
                errno_of(os.open, "/etc/passwd", os.O_RDONLY),
                errno_of(os.open, tmp_path / "secret", os.O_RDONLY))

    status, skipped, etc, secret = in_child(child)
    # Skipping grants less, never more: the status stays, the path is listed.
    assert status == int(Landlock.Status.FULLY_ENFORCED)
    assert skipped == [missing]
    assert (etc, secret) == (0, errno.EACCES)


def thread_child(file, start_thread, all_threads=True):
    """Applies a ruleset granting nothing to @file, with or without a
    thread started before; that thread then tries to read @file."""
    ready, go = threading.Event(), threading.Event()
    seen = {}

    def worker():
        ready.set()
        go.wait()
        seen["thread"] = errno_of(os.open, file, os.O_RDONLY)

    thread = None
    if start_thread:
        thread = threading.Thread(target=worker)
        thread.start()
        ready.wait()
    ruleset = Landlock.Ruleset(all_threads=all_threads).allow_read("/usr")
    status = ruleset.apply()
    main = errno_of(os.open, file, os.O_RDONLY)
    if thread:
        go.set()
        thread.join()
    return (int(status), ruleset.props.unrestricted_threads, ruleset.props.status_reason,
            main, seen.get("thread"))


@needs_landlock
def test_status_single_thread(tmp_path):
    (tmp_path / "file").write_text("x")
    status, unrestricted, reason, main, _ = in_child(thread_child, tmp_path / "file", False)
    assert status == int(Landlock.Status.FULLY_ENFORCED)
    assert unrestricted == 0
    assert reason is None
    assert main == errno.EACCES


@needs_landlock
@below_abi(8)
@pytest.mark.parametrize("all_threads", [True, False], ids=["all_threads", "calling_thread"])
def test_status_with_an_earlier_thread(tmp_path, all_threads):
    """Below ABI 8 the kernel restricts only the calling thread: the status
    says so, and the other thread really is free."""
    (tmp_path / "file").write_text("x")
    status, unrestricted, reason, main, thread = in_child(
        thread_child, tmp_path / "file", True, all_threads)
    assert status == int(Landlock.Status.PARTIALLY_ENFORCED)
    assert unrestricted == 1
    assert "1 other thread" in reason
    assert ("ABI 8" in reason) if all_threads else ("all-threads" in reason)
    assert main == errno.EACCES
    assert thread == 0


def test_get_thread_count():
    assert Landlock.get_thread_count() == threading.active_count()
