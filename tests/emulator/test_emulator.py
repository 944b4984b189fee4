# SPDX-License-Identifier: LGPL-2.1-or-later
"""Tests of ll-emulate itself, with raw system calls (ll-rawcall).

Before the emulator can judge the library, its own answers must be those
of a kernel of ABI N: the rights and flags of the kernel's
include/uapi/linux/landlock.h up to that ABI, and the checks and errors of
the system calls (Documentation/userspace-api/landlock.rst, section
"Kernel interface"). These tests pin every check it makes.
"""

import errno
import os

import pytest

import llemu
from llemu import rawcall

problem = llemu.emulator_problem()
if problem is not None:
    pytest.skip(problem, allow_module_level=True)

E = errno
ALL_ABIS = list(range(1, 13))


@pytest.mark.parametrize("abi", ALL_ABIS)
def test_version(abi):
    (result,), run = rawcall(["--abi", abi], "version")
    assert result == abi
    assert run.log == [{"call": "create_ruleset", "pid": run.log[0]["pid"], "flags": 1,
                        "result": abi}]


@pytest.mark.parametrize("option,err", [("--enosys", E.ENOSYS), ("--eopnotsupp", E.EOPNOTSUPP)])
def test_no_landlock(option, err):
    results, run = rawcall([option, "--errata", "1"], "version", "errata",
                           "create", 8, 1, 0, 0, 0, 0, 0, "use", 3,
                           "path", "/", 1, 0, "restrict", 0)
    assert results == [-err, -err, -err, 3, -err, -err]
    assert [c.get("errno") for c in run.log] == [err] * 5
    assert [c["call"] for c in run.log] == ["create_ruleset"] * 3 + ["add_rule", "restrict_self"]


def test_errata():
    assert rawcall(["--abi", 7], "errata")[0] == [-E.EINVAL]
    assert rawcall(["--abi", 3, "--errata", "0x5"], "errata")[0] == [5]
    # The query flags take no attr and no size, and only one at a time.
    assert rawcall(["--abi", 7], "create", 8, 1, 0, 0, 0, 0, 0)[0][0] >= 0


def create(abi, size, fs=0, net=0, scoped=0, qfs=0, qnet=0, qscoped=0):
    (result,), run = rawcall(["--abi", abi], "create", size, fs, net, scoped, qfs, qnet, qscoped)
    return result, run


@pytest.mark.parametrize("abi,size,fields,expected", [
    # size < 8, size > a page
    (7, 0, (1,), -E.EINVAL),
    (7, 4, (1,), -E.EINVAL),
    (7, 4097, (1,), -E.E2BIG),
    # non-zero bytes past what the ABI knows: E2BIG; zeros there are fine
    (3, 16, (0x7FFF, 1), -E.E2BIG),
    (3, 48, (0x7FFF,), 0),
    (4, 16, (0x7FFF, 1), 0),
    (5, 24, (0xFFFF, 3, 1), -E.E2BIG),
    (6, 24, (0xFFFF, 3, 1), 0),
    (9, 48, (0x1FFFF, 3, 3, 2), -E.E2BIG),
    (10, 48, (0x1FFFF, 0xF, 3, 2, 1, 2), 0),
    (11, 48, (0x1FFFF, 0xF, 3, 2, 1, 2), 0),
    (12, 48, (0x1FFFF, 0xF, 3, 2, 1, 2), 0),
    # bits the ABI does not know: EINVAL
    (1, 8, (0x3FFF,), -E.EINVAL),
    (2, 8, (0x3FFF,), 0),
    (2, 8, (0x7FFF,), -E.EINVAL),
    (3, 8, (0x7FFF,), 0),
    (4, 8, (0xFFFF,), -E.EINVAL),
    (5, 8, (0xFFFF,), 0),
    (8, 8, (0x1FFFF,), -E.EINVAL),
    (9, 8, (0x1FFFF,), 0),
    (9, 16, (1, 0x4), -E.EINVAL),
    (10, 16, (1, 0xF), 0),
    (12, 16, (1, 0x10), -E.EINVAL),
    (6, 24, (1, 0, 0x4), -E.EINVAL),
    # quiet masks name handled rights only
    (10, 48, (1, 0, 0, 2), -E.EINVAL),
    # nothing handled
    (7, 24, (), -E.ENOMSG),
    (10, 48, (0, 0, 0, 0, 0, 0), -E.ENOMSG),
])
def test_create_ruleset(abi, size, fields, expected):
    result, run = create(abi, size, *fields)
    if expected == 0:
        assert result >= 3
    else:
        assert result == expected
    (call,) = run.calls("create_ruleset")
    assert call["size"] == size and call["flags"] == 0
    # The log names exactly the fields the size covers, as passed.
    names = ["handled_access_fs", "handled_access_net", "scoped",
             "quiet_access_fs", "quiet_access_net", "quiet_scoped"]
    padded = list(fields) + [0] * 6
    for i, name in enumerate(names):
        if 8 <= size <= 4096 and (i + 1) * 8 <= size:
            assert call[name] == padded[i]
        else:
            assert name not in call


def rules(abi, *ops, fs=0x1FFF, net=0, size=None):
    size = size or llemu.attr_size_known(abi)
    results, run = rawcall(["--abi", abi], "create", size, fs, net, 0, 0, 0, 0, *ops)
    assert results[0] >= 3, run.log
    return results[1:], run


def test_add_rule(tmp_path):
    d, f = str(tmp_path), str(tmp_path / "file")
    open(f, "w").close()
    # ENOMSG for nothing, EINVAL for unhandled rights and for directory
    # rights on a file, EBADF for a path that cannot be opened.
    results, run = rules(3, "path", d, 0xC, 0, "path", d, 0, 0, "path", d, 0x2000, 0,
                         "path", f, 0x8, 0, "path", f, 0x4, 0, "path", d + "/none", 4, 0, fs=0x1FFF)
    assert results == [0, -E.ENOMSG, -E.EINVAL, -E.EINVAL, 0, -E.EBADF]
    first = run.calls("add_rule")[0]
    assert first["type"] == 1 and first["allowed_access"] == 0xC and first["flags"] == 0
    # QUIET: unknown before ABI 10, then allows a rule granting nothing.
    assert rules(9, "path", d, 4, 1)[0] == [-E.EINVAL]
    assert rules(10, "path", d, 0, 1, "path", d, 0, 2)[0] == [0, -E.EINVAL]
    # Net rules: no such rule type before ABI 4; port and rights checked.
    assert rules(3, "net", 80, 1, 0)[0] == [-E.EINVAL]
    results, run = rules(4, "net", 80, 3, 0, "net", 65535, 1, 0, "net", 65536, 1, 0,
                         "net", 80, 0, 0, "net", 80, 4, 0, net=3)
    assert results == [0, 0, -E.EINVAL, -E.ENOMSG, -E.EINVAL]
    assert run.calls("add_rule")[0]["port"] == 80
    assert rules(10, "net", 53, 0xC, 0, net=0xF)[0] == [0]
    # A ruleset that handles no network right takes no net rule.
    assert rules(4, "net", 80, 1, 0, net=0)[0] == [-E.EINVAL]
    # Not a ruleset: EBADFD; not open: EBADF.
    assert rules(7, "use", 0, "path", d, 4, 0, "use", 99, "path", d, 4, 0)[0] == \
        [0, -E.EBADFD, 99, -E.EBADF]


@pytest.mark.parametrize("abi,flags,expected", [
    (6, 0, 0), (6, 1, -E.EINVAL), (7, 7, 0), (7, 8, -E.EINVAL),
    (8, 0xF, 0), (10, 0xF, 0), (10, 0x10, -E.EINVAL), (11, 0x1F, 0), (12, 0x20, -E.EINVAL),
])
def test_restrict_self(abi, flags, expected):
    results, run = rules(abi, "restrict", flags)
    assert results == [expected]
    (call,) = run.calls("restrict_self")
    assert call["flags"] == flags and call["fd"] >= 3


def test_restrict_self_without_ruleset():
    # From ABI 7, (-1, LOG_SUBDOMAINS_OFF) is valid; other fds are not.
    assert rawcall(["--abi", 7], "use", -1, "restrict", 4)[0] == [-1, 0]
    assert rawcall(["--abi", 7], "use", -1, "restrict", 5)[0] == [-1, -E.EBADF]
    assert rawcall(["--abi", 6], "use", -1, "restrict", 4)[0] == [-1, -E.EINVAL]


def test_exit_status():
    assert llemu.emulate(["--abi", 1], ["/bin/sh", "-c", "exit 7"]).returncode == 7
    assert llemu.emulate(["--abi", 1], ["/bin/sh", "-c", "kill -9 $$"]).returncode == 128 + 9
    assert llemu.emulate(["--abi", 1], ["/nonexistent"]).returncode == 127


def test_bad_usage():
    for args in (["--abi", "0"], ["--abi", "13"], ["--bogus"]):
        run = llemu.emulate(args, ["/bin/true"])
        assert run.returncode == llemu.EXIT_EMU_FAILED


def test_continue_needs_real_abi():
    real = llemu.real_abi()
    if real >= 12:
        pytest.skip("the running kernel has every ABI the emulator knows")
    run = llemu.emulate(["--abi", real + 1, "--continue"], ["/bin/true"])
    assert run.returncode == llemu.EXIT_EMU_FAILED


def test_continue_enforces(tmp_path):
    """--continue: the real kernel enforces what passed the emulated checks."""
    real = llemu.real_abi()
    if real < 3:
        pytest.skip("the running kernel has Landlock ABI %d, --continue --abi 3 needs 3" % real)
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    (allowed / "file").write_text("in")
    (tmp_path / "outside").write_text("out")
    results, run = rawcall(["--abi", 3, "--continue"], "version",
                           "create", 8, 0x7FFF, 0, 0, 0, 0, 0,
                           "path", allowed, 0xC, 0, "restrict", 0,
                           "read", allowed / "file", "read", tmp_path / "outside")
    assert results[0] == 3
    assert results[1] >= 3
    assert results[2:] == [0, 0, 0, -E.EACCES]
    assert [c.get("continue") for c in run.log[1:]] == [True] * 3
    # What ABI 3 cannot express is refused by the emulator, not the kernel.
    results, _ = rawcall(["--abi", 3, "--continue"], "create", 16, 0x7FFF, 1, 0, 0, 0, 0)
    assert results == [-E.E2BIG]


def test_ruleset_fd_is_usable():
    """The fake ruleset fd is what the call returned, and is logged as such."""
    results, run = rawcall(["--abi", 7], "create", 8, 1, 0, 0, 0, 0, 0)
    (call,) = run.calls("create_ruleset")
    assert call["result"] == results[0] >= 3
