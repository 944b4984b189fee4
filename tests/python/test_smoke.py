# test_smoke.py: landlock-glib through PyGObject and the typelib
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# These tests use the raw typelib API (lists of paths, apply() returning the
# status): the gi.overrides module is tested on its own. Anything that
# applies a ruleset runs in a child interpreter, never in pytest itself,
# since a Landlock restriction cannot be undone.

import errno
import json
import os
import subprocess
import sys
import textwrap

import gi

gi.require_version("Landlock", "1")
from gi.repository import GLib, Landlock  # noqa: E402

import pytest  # noqa: E402

# The kernel's own answer, bypassing the library, and the skip marker.
from lltest import RAW_ABI, needs_landlock, timeout  # noqa: E402


def run_child(code):
    """Runs @code in a fresh interpreter (same one, same environment, so
    the same typelib) and returns what it printed as JSON."""
    prelude = textwrap.dedent(
        """
        import errno, json, os, sys
        import gi
        gi.require_version('Landlock', '1')
        from gi.repository import GLib, Landlock
        """
    )
    proc = subprocess.run(
        [sys.executable, "-B", "-c", prelude + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout(60),
    )
    assert proc.returncode == 0, (
        f"child failed with {proc.returncode}\n"
        f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def a_file_under_usr():
    # PyGObject itself lives under /usr for /usr/bin/python3.
    path = os.path.realpath(gi.__file__)
    if not path.startswith("/usr/"):
        pytest.skip(f"gi is not installed under /usr ({path}): no known file to read there")
    return path


def test_abi_version_matches_kernel():
    if RAW_ABI < 1:
        with pytest.raises(GLib.Error) as excinfo:
            Landlock.get_abi_version()
        assert excinfo.value.domain == "ll-error-quark"
        assert excinfo.value.code in (
            int(Landlock.Error.NOT_AVAILABLE),
            int(Landlock.Error.DISABLED),
        )
        return

    abi = Landlock.get_abi_version()
    assert abi == min(RAW_ABI, Landlock.ABI_MAX)
    assert 1 <= abi <= Landlock.ABI_MAX == 11


def test_masks_per_abi():
    assert int(Landlock.access_fs_for_abi(1)) == 0x1FFF
    assert int(Landlock.access_fs_for_abi(7)) == 0xFFFF
    assert int(Landlock.access_net_for_abi(4)) == 0x3
    assert int(Landlock.scope_for_abi(5)) == 0
    assert int(Landlock.scope_for_abi(6)) == 0x3


def test_enums_are_the_kernel_bits():
    fs = Landlock.AccessFs
    assert int(fs.EXECUTE) == 1 << 0
    assert int(fs.READ_FILE) == 1 << 2
    assert int(fs.READ_DIR) == 1 << 3
    assert int(fs.REFER) == 1 << 13
    assert int(fs.IOCTL_DEV) == 1 << 15
    assert int(fs.RESOLVE_UNIX) == 1 << 16
    assert int(Landlock.AccessNet.BIND_TCP) == 1 << 0
    assert int(Landlock.AccessNet.CONNECT_SEND_UDP) == 1 << 3
    assert int(Landlock.Scope.SIGNAL) == 1 << 1
    assert int(Landlock.RestrictFlags.TSYNC) == 1 << 3
    assert isinstance(fs.READ_FILE | fs.READ_DIR, Landlock.AccessFs)

    statuses = {Landlock.Status.NOT_ENFORCED, Landlock.Status.PARTIALLY_ENFORCED,
                Landlock.Status.FULLY_ENFORCED}
    assert len(statuses) == 3
    assert int(Landlock.Error.PATH) == 3
    assert int(Landlock.Error.INCOMPATIBLE) == 2
    assert GLib.quark_to_string(Landlock.error_quark()) == "ll-error-quark"


def test_ruleset_properties():
    ruleset = Landlock.Ruleset(strict=False)
    assert ruleset.props.strict is False
    assert ruleset.get_strict() is False
    assert Landlock.Ruleset().props.strict is True
    if RAW_ABI >= 1:
        assert ruleset.props.abi == Landlock.get_abi_version()
    # Builders return the ruleset itself, so calls chain.
    assert ruleset.allow_read(["/usr"]) is ruleset


@needs_landlock
def test_best_effort_read_usr_in_child():
    usr_file = a_file_under_usr()
    with open("/etc/passwd", "rb"):
        pass  # readable before: a denial below is Landlock's doing

    result = run_child(
        f"""
        status = Landlock.Ruleset(strict=False).allow_read(["/usr"]).apply()
        result = {{"status": int(status),
                   "is_status": isinstance(status, Landlock.Status)}}
        try:
            with open({usr_file!r}, "rb") as f:
                result["usr_read"] = len(f.read(16))
        except OSError as e:
            result["usr_read"] = -e.errno
        try:
            open("/etc/passwd", "rb").close()
            result["etc_errno"] = 0
        except PermissionError as e:
            result["etc_errno"] = e.errno
        print(json.dumps(result))
        """
    )
    assert result["is_status"]
    assert result["status"] == int(Landlock.Status.FULLY_ENFORCED)
    assert result["usr_read"] > 0
    assert result["etc_errno"] == errno.EACCES


@needs_landlock
def test_strict_missing_path_raises_in_child():
    missing = "/nonexistent/ll-python-smoke-missing"
    result = run_child(
        f"""
        result = {{"raised": False}}
        try:
            Landlock.Ruleset().allow_read([{missing!r}]).apply()
        except GLib.Error as e:
            result = {{"raised": True, "domain": e.domain, "code": e.code,
                       "message": e.message,
                       "matches": e.matches(Landlock.error_quark(), Landlock.Error.PATH)}}
        # Nothing was applied: /etc is still readable.
        open("/etc/passwd", "rb").close()
        print(json.dumps(result))
        """
    )
    assert result["raised"], "apply() with a missing path did not raise"
    assert result["domain"] == "ll-error-quark"
    assert result["code"] == int(Landlock.Error.PATH)
    assert result["matches"]
    assert missing in result["message"]
