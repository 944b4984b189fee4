# test_overrides.py: gi/overrides/Landlock.py, the Pythonic layer
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The overrides must be loaded from the build tree (tests/meson.build puts
# it on PYTHONPATH), read like py-landlock, keep the typelib's call forms
# working, and never turn the library's errors into Python ones.

import errno
import os
import pathlib
import subprocess
import sys

from lltest import (ABI, GLib, Landlock, assert_ll_error, errno_of, error_of,
                    free_tcp_port, in_child, needs_landlock, tcp_bind_errno,
                    tcp_connect_errno, tcp_listener)

import gi.overrides
import pytest

SOURCE = pathlib.Path(__file__).resolve().parents[2] / "landlock-glib" / "overrides" / "Landlock.py"


def test_overrides_are_loaded():
    module = sys.modules["gi.overrides.Landlock"]
    assert Landlock.Ruleset.__module__ == "gi.overrides.Landlock"
    assert Landlock.Ruleset is module.Ruleset
    assert module.__all__ == ["Ruleset"]
    assert isinstance(Landlock.Ruleset(), gi.repository.GObject.Object)
    assert module.__doc__ and "py-landlock" in module.__doc__
    for name in ("allow_read", "allow_write", "allow_execute", "allow_read_write",
                 "add_path_rule", "add_net_rule", "allow_network", "allow_udp", "spawn"):
        assert getattr(Landlock.Ruleset, name).__doc__, name


def test_overrides_come_from_the_build_tree():
    """gi.overrides extends its __path__ with every gi/overrides folder on
    sys.path: the build tree's copy is found through PYTHONPATH, and it is
    the current source."""
    entries = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if not any(os.path.isfile(os.path.join(p, "gi", "overrides", "Landlock.py")) for p in entries):
        pytest.skip("run through meson test: PYTHONPATH holds no gi/overrides/Landlock.py")
    loaded = pathlib.Path(sys.modules["gi.overrides.Landlock"].__file__).resolve()
    assert any(loaded.is_relative_to(pathlib.Path(p).resolve()) for p in entries), loaded
    assert loaded.parent in [pathlib.Path(p).resolve() for p in gi.overrides.__path__]
    if SOURCE.is_file():
        assert loaded.read_bytes() == SOURCE.read_bytes(), "stale copy: rebuild"


def rules_of(ruleset):
    text = repr(ruleset)
    return text[text.index("rules=[") + 7:text.rindex("]")]


def test_paths_as_varargs():
    ruleset = Landlock.Ruleset()
    assert ruleset.allow_read("/usr", b"/etc", pathlib.Path("/opt")) is ruleset
    assert ruleset.allow_write(["/tmp", pathlib.PurePath("/var/tmp")]) is ruleset
    assert ruleset.allow_execute(("/usr/bin",)) is ruleset
    assert ruleset.allow_read_write("/srv") is ruleset
    assert ruleset.allow_read() is ruleset  # no path, no rule, no problem
    assert ruleset.check()
    assert rules_of(ruleset) == (
        "allow_read('/usr', b'/etc', '/opt'), allow_write('/tmp', '/var/tmp'), "
        "allow_execute('/usr/bin'), allow_read_write('/srv'), allow_read()")


def test_paths_must_be_paths():
    with pytest.raises(TypeError):
        Landlock.Ruleset().allow_read("/usr", 42)


def test_chaining_returns_the_same_object():
    ruleset = Landlock.Ruleset(strict=False)
    chained = (ruleset.allow_read("/usr").allow_write("/tmp")
               .add_path_rule("/etc", access=Landlock.AccessFs.READ_FILE)
               .allow_network(443, bind=False).allow_udp(53).add_net_rule(80, Landlock.AccessNet.BIND_TCP)
               .allow_all_scope().allow_all_network())
    assert chained is ruleset


def test_add_path_rule_needs_access():
    with pytest.raises(TypeError, match="access="):
        Landlock.Ruleset().add_path_rule("/usr")
    ruleset = Landlock.Ruleset()
    ruleset.add_path_rule("/usr", "/etc", access=Landlock.AccessFs.READ_FILE | Landlock.AccessFs.READ_DIR)
    ruleset.add_path_rule("/tmp", access=int(Landlock.AccessFs.WRITE_FILE))  # an int is fine
    ruleset.add_path_rule("/var", access=Landlock.AccessFs.READ_FILE, flags=Landlock.RuleFlags.QUIET)
    assert ruleset.check()
    assert rules_of(ruleset) == (
        "add_path_rule('/usr', '/etc', access=READ_FILE|READ_DIR), "
        "add_path_rule('/tmp', access=WRITE_FILE), "
        "add_path_rule('/var', access=READ_FILE, flags=QUIET)")


def test_ports_as_varargs():
    ruleset = Landlock.Ruleset()
    ruleset.allow_network(80, 443, bind=False)
    ruleset.allow_network([8080], connect=False)
    ruleset.allow_udp(53, connect_send=False)
    ruleset.add_net_rule(22, Landlock.AccessNet.CONNECT_TCP)
    assert rules_of(ruleset) == (
        "add_net_rule(80, access=CONNECT_TCP), add_net_rule(443, access=CONNECT_TCP), "
        "add_net_rule(8080, access=BIND_TCP), add_net_rule(53, access=BIND_UDP), "
        "add_net_rule(22, access=CONNECT_TCP)")
    assert ruleset.check()


def test_typelib_call_forms_still_work():
    """Code written against the plain typelib keeps working."""
    ruleset = Landlock.Ruleset()
    ruleset.allow_read(["/usr", "/etc"])
    ruleset.add_path_rule(["/opt"], Landlock.AccessFs.EXECUTE)
    ruleset.add_path_rule_full(["/srv"], Landlock.AccessFs.READ_FILE, Landlock.RuleFlags.NONE)
    ruleset.allow_network([80, 443], False, True)
    ruleset.allow_udp([53], True, False)
    assert ruleset.check()
    rules = rules_of(ruleset)
    assert "allow_read('/usr', '/etc'), add_path_rule('/opt', access=EXECUTE)" in rules
    assert "add_net_rule(443, access=CONNECT_TCP), add_net_rule(53, access=BIND_UDP)" in rules


def test_bad_ports_are_the_library_error():
    ruleset = Landlock.Ruleset().allow_network(80, 65536, -1, True, "443", 2 ** 64)
    assert_ll_error(error_of(ruleset.check), Landlock.Error.INVALID, "65536", "and more problems")
    assert "add_net_rule(True, " in repr(ruleset)
    assert "add_net_rule('443', " in repr(ruleset)


def test_repr():
    ruleset = Landlock.Ruleset(strict=False, ignore_missing=True)
    ruleset.allow_read("/usr").allow_network(443, bind=False)
    text = repr(ruleset)
    assert text.startswith("<Landlock.Ruleset best-effort ")
    assert f"abi={ruleset.props.abi} " in text
    assert "ignore_missing" in text
    assert "rules=[allow_read('/usr'), add_net_rule(443, access=CONNECT_TCP)]" in text
    if ruleset.props.abi >= 6:
        assert "fs=ALL net=ALL scoped=ALL" in text
        ruleset.allow_all_network().allow_scope(Landlock.Scope.SIGNAL)
        assert "net=0 scoped=ABSTRACT_UNIX_SOCKET" in repr(ruleset)
    assert "status=" not in text
    assert repr(Landlock.Ruleset()).startswith("<Landlock.Ruleset strict ")


def test_repr_of_a_policy():
    # Not built from Python: repr() shows the policy's rules, then what
    # Python adds.
    ruleset = Landlock.Ruleset.new_from_data(
        '{"ruleset": [{"handledAccessFs": ["read_file", "read_dir", "execute"],'
        ' "handledAccessNet": ["bind_tcp"]}],'
        ' "pathBeneath": [{"allowedAccess": ["read_file", "read_dir"], "parent": ["/usr/./share", "/a$$b"]}],'
        ' "netPort": [{"allowedAccess": ["bind_tcp"], "port": [8080]}]}', -1)
    text = repr(ruleset)
    assert ("rules=[add_path_rule('/a$b', '/usr/share', access=READ_FILE|READ_DIR), "
            "add_net_rule(8080, access=BIND_TCP)]") in text, text
    ruleset.allow_execute("/usr/bin")
    assert "add_net_rule(8080, access=BIND_TCP), allow_execute('/usr/bin')]" in repr(ruleset)


@needs_landlock
def test_py_landlock_quick_start(tmp_path):
    """The seed's quick start, Landlock() spelled Landlock.Ruleset()."""
    (tmp_path / "secret").write_text("no")
    program = tmp_path / "program"
    program.write_text("#!/bin/sh\nexit 0\n")
    program.chmod(0o755)

    def child():
        status = Landlock.Ruleset().allow_read("/usr", "/etc").allow_execute("/usr/bin").apply()
        return (status, int(status),
                errno_of(os.open, "/etc/passwd", os.O_RDONLY),
                errno_of(os.listdir, "/usr/bin"),
                errno_of(os.open, tmp_path / "secret", os.O_RDONLY),
                errno_of(os.open, "/etc/passwd", os.O_WRONLY),
                errno_of(os.mkdir, tmp_path / "new"),
                errno_of(subprocess.run, [str(program)]))

    is_status, status, etc, usr_bin, secret, write_etc, mkdir, run = in_child(child)
    assert isinstance(is_status, Landlock.Status)
    assert status == int(Landlock.Status.FULLY_ENFORCED)
    assert (etc, usr_bin) == (0, 0)
    assert secret == errno.EACCES
    assert write_etc == errno.EACCES
    assert mkdir == errno.EACCES
    assert run == errno.EACCES


@needs_landlock
def test_py_landlock_best_effort_example(tmp_path):
    app = tmp_path / "app"
    app.mkdir()
    (tmp_path / "outside").write_text("no")

    def child():
        listening = tcp_listener()
        port = free_tcp_port()
        status = Landlock.Ruleset(strict=False).allow_read_write(app) \
            .allow_network(443, bind=False, connect=True).apply()
        with open(app / "data", "w") as f:
            f.write("yes")
        return (int(status), (app / "data").read_text(),
                errno_of(os.open, tmp_path / "outside", os.O_RDONLY),
                errno_of(os.unlink, app / "data"),
                tcp_bind_errno(port), tcp_connect_errno(listening.getsockname()[1]))

    status, data, outside, unlink, bind, connect = in_child(child)
    assert data == "yes"
    assert outside == errno.EACCES
    assert unlink == 0
    if ABI >= 4:
        assert status == int(Landlock.Status.FULLY_ENFORCED)
        assert (bind, connect) == (errno.EACCES, errno.EACCES)
    else:
        # Best-effort: the TCP rule is dropped, and TCP is not restricted at all.
        assert status == int(Landlock.Status.PARTIALLY_ENFORCED)
        assert (bind, connect) == (0, 0)


@needs_landlock
def test_spawn(tmp_path):
    """spawn() sandboxes only the new process. It runs in a forked child
    so that GLib's worker thread never starts in pytest itself."""
    secret = tmp_path / "secret"
    secret.write_text("secret")
    readable = os.path.realpath(gi.__file__)

    def child():
        from gi.repository import Gio

        ruleset = Landlock.Ruleset().allow_read("/").allow_execute("/usr")
        denied = Landlock.Ruleset().allow_read("/usr", "/etc").allow_execute("/usr")
        pipes = Gio.SubprocessFlags.STDOUT_PIPE | Gio.SubprocessFlags.STDERR_SILENCE
        allowed_proc = ruleset.spawn("/bin/cat", secret, flags=pipes)
        denied_proc = denied.spawn(["/bin/cat", secret], flags=pipes)
        usr_proc = denied.spawn("/bin/head", "-c", "1", readable, flags=pipes)
        results = []
        for proc in (allowed_proc, denied_proc, usr_proc):
            ok, out, _ = proc.communicate_utf8(None, None)
            results.append((proc.get_exit_status(), out))
        results.append(secret.read_text())  # the caller is not sandboxed
        results.append(error_of(Landlock.Ruleset().allow_read("/missing-ll").spawn, "/bin/true"))
        return results

    allowed, denied, usr, own, missing = in_child(child)
    assert allowed == (0, "secret")
    assert denied[0] != 0 and denied[1] == ""
    assert usr[0] == 0 and len(usr[1]) == 1
    assert own == "secret"
    assert_ll_error(missing, Landlock.Error.PATH, "/missing-ll")


def test_errors_stay_glib_errors():
    error = error_of(Landlock.Ruleset().allow_read("").check)
    assert_ll_error(error, Landlock.Error.INVALID, "empty")
    with pytest.raises(GLib.Error) as excinfo:
        Landlock.Ruleset().allow_read("").check()
    assert excinfo.value.matches(Landlock.error_quark(), Landlock.Error.INVALID)
    assert not isinstance(excinfo.value, (ValueError, OSError))
