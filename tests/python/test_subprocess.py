# test_subprocess.py: sandboxed child processes through PyGObject
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Ruleset.spawnv() and Ruleset.apply_to_launcher() restrict a child between
# fork() and exec() and leave the caller free. Each test proves both sides:
# the child's program is denied what the ruleset does not grant (cat exits
# 1 with EACCES's message) and allowed what it grants, while the caller
# still reads what the child could not.
#
# Spawning must not restrict the caller, but a bug could, and a Landlock
# restriction cannot be undone: so the test bodies (the child_* functions)
# run in a fresh interpreter that imports this module, never in pytest
# itself. Only the raw typelib API is used (lists of paths), not the
# gi.overrides module.

import errno
import json
import os
import subprocess
import sys
import threading
import time

import gi

gi.require_version("Gio", "2.0")
gi.require_version("Landlock", "1")
from gi.repository import Gio, GLib, Landlock  # noqa: E402

import pytest  # noqa: E402

from lltest import ABI, iterations, needs_landlock, timeout  # noqa: E402

PIPES = Gio.SubprocessFlags.STDOUT_PIPE | Gio.SubprocessFlags.STDERR_PIPE
N_SPAWNS = iterations(1000)
EACCES_MESSAGE = os.strerror(errno.EACCES)  # "Permission denied"


# In pytest ------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path):
    """allowed/file and denied/file, whose contents name them; the rulesets
    grant reading beneath allowed/ only."""
    for name in ("allowed", "denied"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "file").write_text(f"{name}\n")
    return str(tmp_path)


def in_child(func, *args):
    """Runs func(*args) in a fresh interpreter (the same one, with the same
    environment, so the same typelib) and fails with its output if it did."""
    module = os.path.splitext(os.path.basename(__file__))[0]
    code = (
        "import json, sys\n"
        f"sys.path.insert(0, {os.path.dirname(os.path.abspath(__file__))!r})\n"
        f"import {module} as m\n"
        f"m.{func.__name__}(*json.loads(sys.argv[1]))\n"
    )
    # The programs the children run report errors in English, which the
    # assertions match.
    env = dict(os.environ, LC_ALL="C")
    proc = subprocess.run(
        [sys.executable, "-B", "-c", code, json.dumps(args)],
        capture_output=True,
        text=True,
        timeout=timeout(120),
        env=env,
    )
    assert proc.returncode == 0, (
        f"{func.__name__} failed with {proc.returncode}\n"
        f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    )


# In the child interpreter ---------------------------------------------------


def sandbox(tree):
    """What a program needs to start, plus reading beneath tree/allowed."""
    ruleset = Landlock.Ruleset.new()
    programs = [d for d in ("/usr", "/lib", "/lib64", "/bin", "/sbin") if os.path.isdir(d)]
    ruleset.add_path_rule(
        programs,
        Landlock.AccessFs.READ_FILE | Landlock.AccessFs.READ_DIR | Landlock.AccessFs.EXECUTE,
    )
    if os.path.exists("/etc/ld.so.cache"):
        ruleset.allow_read(["/etc/ld.so.cache"])
    ruleset.allow_read([os.path.join(tree, "allowed")])
    return ruleset


def outcome(proc):
    """(exit status, stdout, stderr) of a child spawned with PIPES."""
    ok, out, err = proc.communicate_utf8(None, None)
    assert ok
    assert proc.get_if_exited(), "the child was killed by a signal"
    return proc.get_exit_status(), out or "", err or ""


def assert_cat_denied(proc, path):
    status, out, err = outcome(proc)
    assert status == 1, (status, out, err)
    assert out == ""
    assert f"{path}: {EACCES_MESSAGE}" in err


def assert_cat_allowed(proc, expected):
    status, out, err = outcome(proc)
    assert (status, out, err) == (0, expected, "")


def assert_caller_unrestricted(ruleset, tree):
    """The caller reads (and writes) what the child could not."""
    assert ruleset.props.applied is False
    denied_file = os.path.join(tree, "denied", "file")
    with open(denied_file) as f:
        assert f.read() == "denied\n"
    os.close(os.open(denied_file, os.O_WRONLY | os.O_APPEND))


def child_spawnv_threaded_parent(tree):
    allowed_file = os.path.join(tree, "allowed", "file")
    denied_file = os.path.join(tree, "denied", "file")

    # A thread that blocks while the parent spawns: the parent is
    # multi-threaded, the forked child is not.
    release = threading.Event()
    thread = threading.Thread(target=release.wait, name="ll-test-blocked")
    thread.start()
    try:
        assert threading.active_count() >= 2
        assert Landlock.get_thread_count() >= 2

        ruleset = sandbox(tree)
        proc = ruleset.spawnv(["/bin/cat", denied_file], PIPES)
        assert isinstance(proc, Gio.Subprocess)
        assert ruleset.props.status == Landlock.Status.FULLY_ENFORCED
        assert ruleset.props.unrestricted_threads == 0
        assert ruleset.props.status_reason is None
        assert_cat_denied(proc, denied_file)

        assert_cat_allowed(ruleset.spawnv(["/bin/cat", allowed_file], PIPES), "allowed\n")

        # Deny by default: the rule grants reading beneath allowed/, not
        # writing there.
        created = os.path.join(tree, "allowed", "created")
        status, _, err = outcome(ruleset.spawnv(["/bin/sh", "-c", f"echo x > '{created}'"], PIPES))
        assert status != 0
        assert EACCES_MESSAGE in err
        assert not os.path.exists(created)

        assert_caller_unrestricted(ruleset, tree)
        os.close(os.open(created, os.O_WRONLY | os.O_CREAT, 0o644))
    finally:
        release.set()
        thread.join()


def assert_launcher_sandboxed(launcher):
    """A shell from @launcher sees the launcher's environment and working
    directory, and is sandboxed: relative paths into the tree."""
    proc = launcher.spawnv(
        ["/bin/sh", "-c",
         'echo "$LL_TEST_GREETING"; /bin/cat allowed/file; /bin/cat denied/file']
    )
    status, out, err = outcome(proc)
    assert status == 1, (status, out, err)  # the last cat's
    assert out == "hello from the launcher\nallowed\n"
    assert f"denied/file: {EACCES_MESSAGE}" in err


def make_launcher(tree):
    launcher = Gio.SubprocessLauncher.new(PIPES)
    launcher.set_cwd(tree)
    launcher.setenv("LL_TEST_GREETING", "hello from the launcher", True)
    return launcher


def child_apply_to_launcher(tree):
    ruleset = sandbox(tree)

    first = make_launcher(tree)
    assert ruleset.apply_to_launcher(first) is True
    assert ruleset.props.status == Landlock.Status.FULLY_ENFORCED
    assert ruleset.props.applied is False
    assert_launcher_sandboxed(first)
    assert_launcher_sandboxed(first)  # every child, not only the first

    # The same ruleset, on a second launcher.
    second = make_launcher(tree)
    assert ruleset.apply_to_launcher(second) is True
    assert ruleset.props.status == Landlock.Status.FULLY_ENFORCED
    assert_launcher_sandboxed(second)
    assert_launcher_sandboxed(first)
    del first
    assert_launcher_sandboxed(second)

    assert_caller_unrestricted(ruleset, tree)


def count_fds_settled():
    """len(os.listdir('/proc/self/fd')) once it has stopped changing for
    20 ms (at most about 2 s, scaled for slow machines). GLib's worker thread closes the descriptors
    of a finished child (its pidfd) a moment
    after the waiter returns: counting at once would race with it."""
    count = len(os.listdir("/proc/self/fd"))
    stable = 0
    for _ in range(int(timeout(1000))):
        if stable >= 10:
            break
        time.sleep(0.002)
        now = len(os.listdir("/proc/self/fd"))
        stable = stable + 1 if now == count else 0
        count = now
    return count


def child_many_spawns_no_fd_leak(tree):
    ruleset = sandbox(tree)

    context = GLib.MainContext.default()

    def spawn_true():
        proc = ruleset.spawnv(["/bin/true"], Gio.SubprocessFlags.NONE)
        # Not wait_check(): from Python it leaves one GMainContext (an
        # eventfd) behind, with a plain Gio.Subprocess too, which would
        # blur the count. The default context is there already.
        results = []
        proc.wait_check_async(None, lambda p, res: results.append(p.wait_check_finish(res)))
        while not results:
            context.iteration(True)
        assert results == [True]

    # GLib keeps the descriptors it opens for its first child (the worker
    # context that watches children): count after one.
    spawn_true()
    fds_before = count_fds_settled()
    for _ in range(N_SPAWNS):
        spawn_true()
    assert count_fds_settled() == fds_before
    assert ruleset.props.status == Landlock.Status.FULLY_ENFORCED
    assert ruleset.props.applied is False


def assert_no_child_started():
    """Nothing was forked: there is no child to wait for."""
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def child_missing_path_raises(tree):
    missing = os.path.join(tree, "missing")
    marker = os.path.join(tree, "marker")
    ruleset = sandbox(tree)
    # Should the program run after all, it can leave its marker.
    ruleset.allow_read_write([tree])
    ruleset.allow_read([missing])

    with pytest.raises(GLib.Error) as excinfo:
        ruleset.spawnv(["/bin/touch", marker], Gio.SubprocessFlags.NONE)
    assert excinfo.value.matches(Landlock.error_quark(), Landlock.Error.PATH)
    assert missing in excinfo.value.message

    with pytest.raises(GLib.Error) as excinfo:
        ruleset.apply_to_launcher(Gio.SubprocessLauncher.new(Gio.SubprocessFlags.NONE))
    assert excinfo.value.matches(Landlock.error_quark(), Landlock.Error.PATH)

    assert_no_child_started()
    assert not os.path.exists(marker)
    assert ruleset.props.status == Landlock.Status.NOT_ENFORCED
    assert ruleset.props.applied is False


def child_strict_udp_incompatible(tree):
    marker = os.path.join(tree, "marker")
    ruleset = sandbox(tree)
    ruleset.allow_read_write([tree])
    ruleset.allow_udp([53], False, True)

    with pytest.raises(GLib.Error) as excinfo:
        ruleset.spawnv(["/bin/touch", marker], Gio.SubprocessFlags.NONE)
    assert excinfo.value.matches(Landlock.error_quark(), Landlock.Error.INCOMPATIBLE)

    assert_no_child_started()
    assert not os.path.exists(marker)


# The tests ------------------------------------------------------------------


@needs_landlock
def test_spawnv_from_threaded_parent(tree):
    in_child(child_spawnv_threaded_parent, tree)


@needs_landlock
def test_apply_to_launcher(tree):
    in_child(child_apply_to_launcher, tree)


@needs_landlock
def test_many_spawns_leak_no_fd(tree):
    in_child(child_many_spawns_no_fd_leak, tree)


@needs_landlock
def test_missing_path_raises(tree):
    in_child(child_missing_path_raises, tree)


@needs_landlock
@pytest.mark.skipif(ABI >= 10, reason=f"ABI {ABI} has UDP rules: nothing is missing to report")
def test_strict_udp_incompatible(tree):
    in_child(child_strict_udp_incompatible, tree)
