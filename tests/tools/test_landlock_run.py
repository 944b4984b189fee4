# SPDX-License-Identifier: LGPL-2.1-or-later
"""landlock-run on the real kernel.

Every enforcement test checks both sides: what an option allows works, and
what it does not allow fails with the errno Landlock gives. landlock-run
restricts itself and then execs the command, so the test runner itself is
never restricted. The path of the tool comes from $LANDLOCK_RUN (set by
tests/tools/meson.build).
"""

import ctypes
import os
import re
import shutil
import socket
import subprocess

import pytest

LANDLOCK_RUN = os.environ.get("LANDLOCK_RUN", "landlock-run")
PYTHON = "/usr/bin/python3"
SETUP_FAILED, CANNOT_INVOKE, NOT_FOUND = 125, 126, 127


def kernel_abi():
    """The Landlock ABI of the running kernel, asked directly (syscall 444
    on every architecture Landlock supports), so that the tests do not
    trust the tool under test to tell them. 0: no Landlock."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    create_ruleset_version = 1 << 0
    abi = libc.syscall(444, None, ctypes.c_size_t(0), ctypes.c_uint32(create_ruleset_version))
    return max(abi, 0)


ABI = kernel_abi()

# Slower machines (QEMU's emulated CPUs) scale every timeout.
TIMEOUT = 60 * max(float(os.environ.get("LL_TEST_TIMEOUT_MULTIPLIER", "1")), 1.0)

needs_landlock = pytest.mark.skipif(ABI < 1, reason="the kernel has no usable Landlock")


def needs_abi(abi, what):
    return pytest.mark.skipif(ABI < abi, reason=f"{what} needs Landlock ABI {abi}, the kernel has {ABI}")


def lacks_abi(abi, what):
    return pytest.mark.skipif(ABI >= abi, reason=f"this kernel has {what} (ABI {ABI} >= {abi})")


def run(*args, env=None, **kwargs):
    return subprocess.run([LANDLOCK_RUN, *args], capture_output=True, text=True,
                          env=env, timeout=TIMEOUT, **kwargs)


def hostname_file():
    with open("/etc/hostname") as f:
        return f.read()


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def assert_one_error_line(result):
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("landlock-run: "), result.stderr


# A Python snippet that binds or connects to port argv[2] and says so; a
# denial raises PermissionError (EACCES), exit status 1.
NET_SNIPPET = """
import socket, sys
s = socket.socket()
if sys.argv[1] == "bind":
    s.bind(("127.0.0.1", int(sys.argv[2])))
else:
    s.connect(("127.0.0.1", int(sys.argv[2])))
print(sys.argv[1], "ok")
"""


# Filesystem ------------------------------------------------------------------

@needs_landlock
def test_ro_allows_reading():
    result = run("--rx", "/usr", "--ro", "/etc", "--", "cat", "/etc/hostname")
    assert result.returncode == 0, result.stderr
    assert result.stdout == hostname_file()


@needs_landlock
def test_reading_outside_the_rules_is_denied():
    result = run("--rx", "/usr", "--", "cat", "/etc/hostname")
    assert result.returncode == 1
    assert "Permission denied" in result.stderr
    assert result.stdout == ""


@needs_landlock
def test_ro_does_not_allow_writing(tmp_path):
    result = run("--rx", "/usr", "--ro", str(tmp_path), "--", "touch", str(tmp_path / "new"))
    assert result.returncode == 1
    assert "Permission denied" in result.stderr
    assert not (tmp_path / "new").exists()


@needs_landlock
def test_rw_allows_writing_beneath_its_path_only(tmp_path):
    inside = tmp_path / "inside"
    outside = tmp_path / "outside"
    inside.mkdir()
    outside.mkdir()

    result = run("--rx", "/usr", "--rw", str(inside), "--",
                 "sh", "-c", 'echo hello > "$1/file" && cat "$1/file"', "sh", str(inside))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "hello\n"

    result = run("--rx", "/usr", "--rw", str(inside), "--", "touch", str(outside / "file"))
    assert result.returncode == 1
    assert "Permission denied" in result.stderr
    assert not (outside / "file").exists()


@needs_landlock
def test_rx_and_exec_allow_executing(tmp_path):
    script = tmp_path / "script"
    script.write_text("#!/bin/sh\necho script ran\n")
    script.chmod(0o755)

    for option in ("--rx", "--exec"):
        result = run("--rx", "/usr", option, str(tmp_path), "--", str(script))
        assert result.returncode == 0, result.stderr
        assert result.stdout == "script ran\n"


@needs_landlock
def test_executing_outside_the_rules_is_126_permission_denied(tmp_path):
    script = tmp_path / "script"
    script.write_text("#!/bin/sh\necho script ran\n")
    script.chmod(0o755)

    # Readable is not executable.
    result = run("--rx", "/usr", "--ro", str(tmp_path), "--", str(script))
    assert result.returncode == CANNOT_INVOKE
    assert result.stdout == ""
    assert_one_error_line(result)
    assert "Permission denied" in result.stderr


@needs_landlock
def test_ignore_missing_skips_without_a_warning():
    """A skipped path grants less, never more: no warning (the status is
    not lowered), and a note with --verbose."""
    result = run("--ignore-missing", "--ro", "/does/not/exist", "--rx", "/usr", "--", "true")
    assert result.returncode == 0
    assert result.stderr == ""

    result = run("-v", "--ignore-missing", "--ro", "/does/not/exist", "--rx", "/usr", "--", "true")
    assert result.returncode == 0
    assert "note: skipped the rule for /does/not/exist" in result.stderr
    assert "warning" not in result.stderr


# Network ---------------------------------------------------------------------

@needs_abi(4, "TCP rules")
def test_bind_tcp_allows_its_port_only():
    allowed, other = free_port(), free_port()
    while other == allowed:
        other = free_port()

    result = run("--bind-tcp", str(allowed), "--rx", "/usr", "--",
                 PYTHON, "-c", NET_SNIPPET, "bind", str(allowed))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "bind ok\n"

    result = run("--bind-tcp", str(allowed), "--rx", "/usr", "--",
                 PYTHON, "-c", NET_SNIPPET, "bind", str(other))
    assert result.returncode == 1
    assert "PermissionError" in result.stderr


@needs_abi(4, "TCP rules")
def test_connect_tcp_allows_its_port_only():
    with socket.socket() as allowed, socket.socket() as other:
        for listener in (allowed, other):
            listener.bind(("127.0.0.1", 0))
            listener.listen()
        allowed_port = allowed.getsockname()[1]
        other_port = other.getsockname()[1]

        result = run("--connect-tcp", str(allowed_port), "--rx", "/usr", "--",
                     PYTHON, "-c", NET_SNIPPET, "connect", str(allowed_port))
        assert result.returncode == 0, result.stderr
        assert result.stdout == "connect ok\n"

        result = run("--connect-tcp", str(allowed_port), "--rx", "/usr", "--",
                     PYTHON, "-c", NET_SNIPPET, "connect", str(other_port))
        assert result.returncode == 1
        assert "PermissionError" in result.stderr


@needs_abi(4, "TCP rules")
def test_allow_all_network_stops_restricting_tcp():
    port = free_port()
    result = run("--rx", "/usr", "--", PYTHON, "-c", NET_SNIPPET, "bind", str(port))
    assert result.returncode == 1
    assert "PermissionError" in result.stderr

    result = run("--allow-all-network", "--rx", "/usr", "--", PYTHON, "-c", NET_SNIPPET, "bind", str(port))
    assert result.returncode == 0, result.stderr


UDP_CLIENT_SNIPPET = """
import errno, socket, sys
for port in sys.argv[1:]:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)   # never bound
    try:
        s.sendto(b"ping", ("127.0.0.1", int(port)))
        print(port, "sent")
    except OSError as e:
        print(port, errno.errorcode[e.errno])
"""


@needs_abi(10, "UDP rules")
def test_connect_udp_lets_a_client_reach_its_port_only():
    """--connect-udp P: a client sending from a socket it never bound (the
    kernel autobinds it, checked as binding port 0) reaches P, not Q."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as allowed, \
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as other:
        allowed.bind(("127.0.0.1", 0))
        other.bind(("127.0.0.1", 0))
        p, q = allowed.getsockname()[1], other.getsockname()[1]
        result = run("--rx", "/usr", "--ro", "/etc", "--connect-udp", str(p), "--",
                     PYTHON, "-c", UDP_CLIENT_SNIPPET, str(p), str(q))
        assert result.returncode == 0, result.stderr
        assert result.stdout == f"{p} sent\n{q} EACCES\n"
        allowed.settimeout(TIMEOUT)
        assert allowed.recv(16) == b"ping"
        other.setblocking(False)
        with pytest.raises(BlockingIOError):
            other.recv(16)


@needs_landlock
@lacks_abi(10, "UDP rules")
def test_best_effort_drops_udp_with_a_warning():
    result = run("--best-effort", "--bind-udp", "53", "--rx", "/usr", "--", "true")
    assert result.returncode == 0
    assert_one_error_line(result)
    assert "warning" in result.stderr and "bind-udp" in result.stderr

    result = run("--quiet", "--best-effort", "--bind-udp", "53", "--rx", "/usr", "--", "true")
    assert result.returncode == 0
    assert result.stderr == ""


# Scopes and audit flags --------------------------------------------------------

SIGNAL_SNIPPET = "import os, sys; os.kill(int(sys.argv[1]), 0); print('signal ok')"
ABSTRACT_SNIPPET = """
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(b"\\0" + sys.argv[1].encode())
print("connect ok")
"""


@needs_abi(6, "signal scoping")
def test_signals_out_of_the_sandbox_are_denied_unless_allowed():
    me = str(os.getpid())
    result = run("--rx", "/usr", "--", PYTHON, "-c", SIGNAL_SNIPPET, me)
    assert result.returncode == 1
    assert "PermissionError" in result.stderr

    for options in (["--allow-scope", "signal"], ["--allow-all-scope"]):
        result = run(*options, "--rx", "/usr", "--", PYTHON, "-c", SIGNAL_SNIPPET, me)
        assert result.returncode == 0, result.stderr
        assert result.stdout == "signal ok\n"


@needs_abi(6, "abstract UNIX socket scoping")
def test_abstract_unix_sockets_out_of_the_sandbox_are_denied_unless_allowed():
    name = f"landlock-run-test-{os.getpid()}"
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(b"\0" + name.encode())
        listener.listen()

        result = run("--rx", "/usr", "--", PYTHON, "-c", ABSTRACT_SNIPPET, name)
        assert result.returncode == 1
        assert "PermissionError" in result.stderr

        result = run("--allow-scope", "abstract-unix", "--rx", "/usr", "--",
                     PYTHON, "-c", ABSTRACT_SNIPPET, name)
        assert result.returncode == 0, result.stderr


@needs_abi(7, "audit log flags")
def test_audit_log_flags_are_accepted():
    result = run("--log-same-exec-off", "--log-new-exec-on", "--log-subdomains-off",
                 "--rx", "/usr", "--", "true")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


# --env-compat: the kernel sample sandboxer's variables ---------------------

def sample_env(**variables):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LL_")}
    env.update(variables)
    return env


@needs_landlock
def test_env_compat_paths(tmp_path):
    rw = tmp_path / "rw"
    other = tmp_path / "other"
    rw.mkdir()
    other.mkdir()
    script = f'cat /etc/hostname && echo x > "{rw}/file" && echo written'

    result = run("--env-compat", "--", "sh", "-c", script,
                 env=sample_env(LL_FS_RO="/usr:/etc", LL_FS_RW=str(rw)))
    assert result.returncode == 0, result.stderr
    assert result.stdout == hostname_file() + "written\n"

    # LL_FS_RW empty: an empty list, so writing is denied.
    result = run("--env-compat", "--", "sh", "-c", script,
                 env=sample_env(LL_FS_RO="/usr:/etc", LL_FS_RW=""))
    assert result.returncode != 0
    assert "Permission denied" in result.stderr

    # LL_FS_RO grants no writing, and nothing outside the lists is reachable.
    result = run("--env-compat", "--", "touch", str(other / "file"),
                 env=sample_env(LL_FS_RO=f"/usr:{other}", LL_FS_RW=str(rw)))
    assert result.returncode == 1
    assert "Permission denied" in result.stderr


@needs_landlock
def test_env_compat_hides_its_variables_and_skips_missing_paths():
    result = run("--env-compat", "--", "env",
                 env=sample_env(LL_FS_RO="/usr:/does/not/exist", LL_FS_RW="",
                                LL_TCP_BIND="", LL_SCOPED=""))
    assert result.returncode == 0, result.stderr
    assert not [line for line in result.stdout.splitlines() if line.startswith("LL_")]
    assert "/does/not/exist" in result.stderr


@needs_landlock
@pytest.mark.parametrize("variables", [
    {"LL_FS_RO": "/usr"},                              # LL_FS_RW is mandatory
    {"LL_FS_RW": ""},                                  # and LL_FS_RO
    {"LL_FS_RO": "/usr", "LL_FS_RW": "", "LL_SCOPED": "x"},
    {"LL_FS_RO": "/usr", "LL_FS_RW": "", "LL_SCOPED": "a:a"},
    {"LL_FS_RO": "/usr", "LL_FS_RW": "", "LL_TCP_BIND": "http"},
], ids=["no-LL_FS_RW", "no-LL_FS_RO", "bad-scope", "duplicate-scope", "bad-port"])
def test_env_compat_bad_settings_are_125(variables, tmp_path):
    marker = tmp_path / "ran"
    result = run("--env-compat", "--rw", str(tmp_path), "--", "touch", str(marker),
                 env=sample_env(**variables))
    assert result.returncode == SETUP_FAILED
    assert_one_error_line(result)
    assert not marker.exists()


@needs_abi(4, "TCP rules")
def test_env_compat_tcp_follows_the_sample():
    allowed, other = free_port(), free_port()
    while other == allowed:
        other = free_port()

    # Unset: the sample does not restrict binding at all.
    result = run("--env-compat", "--", PYTHON, "-c", NET_SNIPPET, "bind", str(other),
                 env=sample_env(LL_FS_RO="/usr", LL_FS_RW=""))
    assert result.returncode == 0, result.stderr

    env = sample_env(LL_FS_RO="/usr", LL_FS_RW="", LL_TCP_BIND=str(allowed))
    result = run("--env-compat", "--", PYTHON, "-c", NET_SNIPPET, "bind", str(allowed), env=env)
    assert result.returncode == 0, result.stderr
    result = run("--env-compat", "--", PYTHON, "-c", NET_SNIPPET, "bind", str(other), env=env)
    assert result.returncode == 1
    assert "PermissionError" in result.stderr


@needs_abi(6, "signal scoping")
def test_env_compat_scopes_follow_the_sample():
    me = str(os.getpid())

    # Unset: the sample restricts no scope.
    result = run("--env-compat", "--", PYTHON, "-c", SIGNAL_SNIPPET, me,
                 env=sample_env(LL_FS_RO="/usr", LL_FS_RW=""))
    assert result.returncode == 0, result.stderr

    result = run("--env-compat", "--", PYTHON, "-c", SIGNAL_SNIPPET, me,
                 env=sample_env(LL_FS_RO="/usr", LL_FS_RW="", LL_SCOPED="s"))
    assert result.returncode == 1
    assert "PermissionError" in result.stderr


# Information -----------------------------------------------------------------

def test_check_prints_the_feature_table():
    result = run("--check")
    assert result.returncode == 0, result.stderr
    if ABI > 0:
        assert re.search(rf"\bABI {ABI}\b", result.stdout.splitlines()[0]), result.stdout
    for feature in ("execute", "read-file", "refer", "truncate", "ioctl-dev", "resolve-unix",
                    "bind-tcp", "connect-tcp", "bind-udp", "connect-send-udp",
                    "abstract-unix-socket", "signal", "log-same-exec-off",
                    "log-new-exec-on", "log-subdomains-off", "tsync", "no-new-privs", "quiet"):
        rows = [line for line in result.stdout.splitlines() if re.search(rf" {feature}\s+ABI", line)]
        assert len(rows) == 1, (feature, result.stdout)
    rows = [line for line in result.stdout.splitlines() if line.strip().startswith("filesystem ")]
    assert len(rows) == 17
    assert "Errata" in result.stdout
    # What a sandbox here leaves open, never more than the kernel lacks.
    (open_line,) = [line for line in result.stdout.splitlines() if line.startswith("A sandbox here:")]
    if ABI >= 10:
        assert "everything landlock-glib knows can be restricted" in open_line
    elif ABI > 0:
        assert f"not restricted by this kernel (Landlock ABI {ABI})" in open_line
        assert "UDP (ABI 10)" in open_line


@pytest.mark.parametrize("abi,shown,gaps", [
    (2, "ABI 2 (landlock-glib", "truncating files (ABI 3), TCP (ABI 4)"),
    (12, "ABI 12 (landlock-glib", None),
])
def test_check_shows_the_kernel_s_own_abi(abi, shown, gaps):
    """--check on emulated kernels: a kernel newer than the library is shown
    with its own number (the library uses what it knows), an older one with
    what it cannot restrict."""
    result = run_emulated(["--abi", str(abi)], "--check")
    if result.returncode == 125 and "seccomp" in result.stderr:
        pytest.skip("seccomp user notification is unavailable here")
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert shown in first, first
    if abi > 11:
        assert "uses what ABI 11 has" in first
        assert "everything landlock-glib knows can be restricted" in result.stdout
    else:
        assert gaps in result.stdout


@needs_landlock
def test_explain_prints_and_runs_nothing(tmp_path):
    marker = tmp_path / "ran"
    result = run("--explain", "--rx", "/usr", "--rw", str(tmp_path), "--ro", "/etc/hostname",
                 "--", "touch", str(marker))
    assert result.returncode == 0, result.stderr
    assert not marker.exists()
    out = result.stdout
    assert f"--rx /usr: execute, read-file, read-dir" in out
    assert "--ro /etc/hostname: read-file [not a directory]" in out
    assert f"--rw {tmp_path}:" in out
    assert "Result: fully enforced" in out
    assert "touch" in out


@needs_landlock
@lacks_abi(10, "UDP rules")
def test_explain_says_what_would_fail():
    result = run("--explain", "--bind-udp", "53", "--", "true")
    assert result.returncode == 0
    assert "this kernel lacks: bind-udp (ABI 10)" in result.stdout
    assert "Result: would fail:" in result.stdout


def test_version():
    result = run("--version")
    assert result.returncode == 0
    assert re.fullmatch(r"landlock-run \(landlock-glib\) \d+\.\d+\.\d+\n", result.stdout)


def test_help_shows_examples():
    result = run("--help")
    assert result.returncode == 0
    assert "Examples:" in result.stdout
    assert "--rx /usr" in result.stdout


# Exit statuses -----------------------------------------------------------------

SETUP_ERRORS = [
    pytest.param(["--no-such-option"], "Unknown option", id="unknown-option"),
    pytest.param(["--bind-tcp", "70000"], "70000", id="port-out-of-range"),
    pytest.param(["--bind-tcp", "abc"], "abc", id="port-not-a-number"),
    pytest.param(["--connect-tcp", "-1"], "-1", id="negative-port"),
    # Without Landlock, strict mode fails first, on that.
    pytest.param(["--ro", "/does/not/exist"], "/does/not/exist" if ABI > 0 else "Landlock",
                 id="missing-path"),
    pytest.param(["--allow-scope", "everything"], "everything", id="unknown-scope"),
    pytest.param(["--bind-udp", "53"], "ABI", id="udp-strict",
                 marks=[needs_landlock, lacks_abi(10, "UDP rules")]),
    pytest.param(["--unix", "/tmp"], "ABI", id="resolve-unix-strict",
                 marks=[needs_landlock, lacks_abi(9, "RESOLVE_UNIX")]),
]


@pytest.mark.parametrize("options,mentions", SETUP_ERRORS)
def test_setup_errors_are_125_with_one_line(options, mentions, tmp_path):
    marker = tmp_path / "ran"
    result = run(*options, "--rx", "/usr", "--rw", str(tmp_path), "--", "touch", str(marker))
    assert result.returncode == SETUP_FAILED, result.stderr
    assert_one_error_line(result)
    assert mentions in result.stderr
    assert result.stdout == ""
    assert not marker.exists()


def test_no_command_is_125():
    result = run("--rx", "/usr")
    assert result.returncode == SETUP_FAILED
    assert_one_error_line(result)
    assert "no command" in result.stderr


@needs_landlock
def test_missing_command_is_127():
    result = run("--rx", "/usr", "--", "no-such-command-landlock-run-test")
    assert result.returncode == NOT_FOUND
    assert_one_error_line(result)
    assert "not found" in result.stderr


@needs_landlock
def test_non_executable_file_is_126(tmp_path):
    script = tmp_path / "not-executable"
    script.write_text("#!/bin/sh\necho script ran\n")
    script.chmod(0o644)

    # Allowed to execute by the sandbox: only the file mode stands in the way.
    result = run("--rx", "/usr", "--rx", str(tmp_path), "--", str(script))
    assert result.returncode == CANNOT_INVOKE
    assert_one_error_line(result)
    assert "Permission denied" in result.stderr
    assert result.stdout == ""


@needs_landlock
def test_the_command_status_is_ours():
    result = run("--rx", "/usr", "--", "sh", "-c", "exit 42")
    assert result.returncode == 42


@needs_landlock
def test_options_after_the_command_belong_to_it():
    result = run("--rx", "/usr", "--", "sh", "-c", 'echo "$@"', "sh", "--ro", "/etc")
    assert result.stdout == "--ro /etc\n"

    # Without "--", parsing stops at the command too.
    result = run("--rx", "/usr", "echo", "--ro", "/etc")
    assert result.returncode == 0
    assert result.stdout == "--ro /etc\n"


# Process ---------------------------------------------------------------------

@needs_landlock
def test_no_extra_process_is_left():
    # The shell must be landlock-run itself (same PID), and its parent the
    # test runner: no supervisor in between.
    proc = subprocess.Popen([LANDLOCK_RUN, "--rx", "/usr", "--ro", "/proc", "--",
                             "sh", "-c", 'echo $$; grep PPid: /proc/$$/status'],
                            stdout=subprocess.PIPE, text=True)
    out, _ = proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == 0
    pid_line, ppid_line = out.splitlines()
    assert int(pid_line) == proc.pid
    assert int(ppid_line.split()[1]) == os.getpid()


@needs_landlock
def test_the_parent_is_unaffected():
    # The shell that runs landlock-run keeps its freedom afterwards.
    result = subprocess.run(["sh", "-c", '"$0" --rx /usr -- cat /etc/hostname; echo "status $?"; cat /etc/hostname',
                             LANDLOCK_RUN], capture_output=True, text=True, timeout=TIMEOUT)
    assert result.stdout == "status 1\n" + hostname_file()
    assert "Permission denied" in result.stderr


@needs_landlock
@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("setpriv") is None,
                    reason="needs root and setpriv(1) to switch to an unprivileged user")
def test_unprivileged_user():
    # Without CAP_SYS_ADMIN the library must set no_new_privs itself.
    unprivileged = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", LANDLOCK_RUN]
    result = subprocess.run(unprivileged + ["--rx", "/usr", "--ro", "/etc", "--", "cat", "/etc/hostname"],
                            capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode == 0, result.stderr
    assert result.stdout == hostname_file()

    result = subprocess.run(unprivileged + ["--rx", "/usr", "--", "cat", "/etc/hostname"],
                            capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode == 1
    assert "Permission denied" in result.stderr

    result = subprocess.run(unprivileged + ["--rx", "/usr", "--ro", "/proc", "--",
                                            "grep", "NoNewPrivs:", "/proc/self/status"],
                            capture_output=True, text=True, timeout=TIMEOUT)
    assert result.stdout.split() == ["NoNewPrivs:", "1"]


# Policy files (landlockconfig JSON) --------------------------------------------

EXAMPLE_POLICIES = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "examples", "policies")


@needs_landlock
def test_policy_viewer_allows_reading_and_denies_writing(tmp_path):
    viewer = os.path.join(EXAMPLE_POLICIES, "viewer.json")
    result = run("--policy", viewer, "--", "cat", "/etc/hostname")
    assert result.returncode == 0, result.stderr
    assert result.stdout == hostname_file()
    secret = tmp_path / "secret"
    secret.write_text("no")
    result = run("--policy", viewer, "--", "cat", str(secret))
    assert result.returncode == 1
    assert "Permission denied" in result.stderr
    result = run("--policy", viewer, "--", "touch", str(tmp_path / "new"))
    assert result.returncode == 1
    assert not (tmp_path / "new").exists()


@needs_landlock
def test_policy_composes_and_command_line_rules_add_on_top(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "file").write_text("yes")
    system = tmp_path / "system.json"
    system.write_text('{"abi": 4, "ruleset": [{"handledAccessFs": ["abi.all"]}],'
                      ' "pathBeneath": [{"allowedAccess": ["abi.read_execute"], "parent": ["/usr", "/etc"]}]}')
    # A second policy that handles less: the composition handles the intersection.
    narrower = tmp_path / "narrower.json"
    narrower.write_text('{"ruleset": [{"handledAccessFs": ["read_file", "execute"]}],'
                        ' "pathBeneath": [{"allowedAccess": ["read_file", "execute"], "parent": ["/usr", "/etc"]}]}')
    result = run("--policy", str(system), "--policy", str(narrower), "--print-policy")
    assert result.returncode == 0, result.stderr
    assert '"execute"' in result.stdout and '"read_file"' in result.stdout
    assert "read_dir" not in result.stdout
    result = run("--policy", str(system), "--", "cat", str(data / "file"))
    assert result.returncode == 1
    result = run("--policy", str(system), "--ro", str(data), "--", "cat", str(data / "file"))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "yes"


def test_print_policy_round_trips(tmp_path):
    result = run("--rx", "/usr", "--ro", "/etc", "--connect-tcp", "443", "--print-policy")
    assert result.returncode == 0, result.stderr
    assert '"connect_tcp"' in result.stdout and '"/etc"' in result.stdout
    policy = tmp_path / "printed.json"
    policy.write_text(result.stdout)
    again = run("--policy", str(policy), "--print-policy")
    assert again.returncode == 0, again.stderr
    assert again.stdout == result.stdout


def test_explain_shows_the_normalised_policy(tmp_path):
    result = run("--explain", "--policy", os.path.join(EXAMPLE_POLICIES, "network-client.json"),
                 "--", "true")
    assert result.returncode == 0, result.stderr
    assert "Policy (landlockconfig JSON, normalised):" in result.stdout
    assert '"connect_tcp"' in result.stdout


def test_bad_policy_names_file_line_and_path(tmp_path):
    policy = tmp_path / "bad.json"
    policy.write_text('{\n  "pathBeneath": [\n    {"allowedAccess": ["read_files"], "parent": ["/usr"]}\n  ]\n}\n')
    result = run("--policy", str(policy), "--", "true")
    assert result.returncode == SETUP_FAILED
    assert_one_error_line(result)
    assert f"{policy}:3:" in result.stderr
    assert "pathBeneath[0].allowedAccess[0]" in result.stderr
    assert "did you mean 'read_file'?" in result.stderr


# What the review found (docs/security.md) ---------------------------------------

EMULATE = os.environ.get("LL_EMULATE")


def run_emulated(emulator_args, *args):
    """landlock-run under ll-emulate: a kernel without Landlock, on any host."""
    if not EMULATE:
        pytest.skip("LL_EMULATE is not set: run through meson test --suite tools")
    return subprocess.run([EMULATE, *emulator_args, "--", LANDLOCK_RUN, *args],
                          capture_output=True, text=True, timeout=TIMEOUT)


@pytest.mark.parametrize("options", [
    ["--best-effort"], ["--best-effort", "--quiet"], ["--best-effort", "-q", "-v"],
    ["--policy", os.path.join(EXAMPLE_POLICIES, "viewer.json"), "--quiet"],
], ids=["best-effort", "quiet", "quiet-verbose", "policy-quiet"])
@pytest.mark.parametrize("kernel", ["--enosys", "--eopnotsupp"])
def test_running_without_a_sandbox_is_always_said(options, kernel):
    """Best-effort without Landlock runs the command unsandboxed: that is
    said on stderr even with --quiet (it said nothing before)."""
    result = run_emulated([kernel], *options, "--rx", "/usr", "--", "true")
    if result.returncode == 125 and "seccomp" in result.stderr:
        pytest.skip("seccomp user notification is unavailable here")
    assert result.returncode == 0, result.stderr
    assert "WITHOUT a sandbox" in result.stderr


@needs_abi(4, "TCP rules")
def test_env_compat_does_not_drop_a_policy_s_restrictions():
    """--env-compat with --policy: the variables add to what the policy
    restricts. Before, they replaced its handled sets, so without LL_TCP_*
    variables the policy's TCP restriction was gone (and the status said
    FULLY)."""
    policy = os.path.join(EXAMPLE_POLICIES, "network-client.json")
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        result = run("--env-compat", "--policy", policy, "--",
                     PYTHON, "-c", NET_SNIPPET, "connect", str(port),
                     env=sample_env(LL_FS_RO="/usr:/etc", LL_FS_RW=""))
        assert result.returncode == 1, result.stdout
        assert "PermissionError" in result.stderr
        result = run("--env-compat", "--policy", policy, "--connect-tcp", str(port), "--",
                     PYTHON, "-c", NET_SNIPPET, "connect", str(port),
                     env=sample_env(LL_FS_RO="/usr:/etc", LL_FS_RW=""))
        assert result.returncode == 0, result.stderr


@needs_landlock
def test_env_compat_is_best_effort_like_the_sample():
    """The kernel's sandboxer.c is best-effort: so is --env-compat. Asking for
    UDP on a kernel below ABI 10 only warns."""
    result = run("--env-compat", "--bind-udp", "53", "--", "true",
                 env=sample_env(LL_FS_RO="/usr", LL_FS_RW=""))
    assert result.returncode == 0, result.stderr
    assert ("partially enforced" in result.stderr) == (ABI < 10)
    result = run("--env-compat", "--strict", "--bind-udp", "53", "--", "true",
                 env=sample_env(LL_FS_RO="/usr", LL_FS_RW=""))
    assert result.returncode == (0 if ABI >= 10 else SETUP_FAILED)


@needs_landlock
def test_command_line_paths_must_exist_with_a_policy_too():
    """A policy skips its own missing parents (as the reference does); that
    did not extend to the command line's paths, which --ignore-missing
    governs."""
    viewer = os.path.join(EXAMPLE_POLICIES, "viewer.json")
    result = run("--policy", viewer, "--ro", "/does/not/exist", "--", "true")
    assert result.returncode == SETUP_FAILED
    assert_one_error_line(result)
    assert "/does/not/exist" in result.stderr and "--ignore-missing" in result.stderr
    result = run("--policy", viewer, "--ignore-missing", "--ro", "/does/not/exist", "--", "true")
    assert result.returncode == 0, result.stderr


@needs_landlock
def test_skipped_paths_are_no_warning():
    """viewer.json names /lib64, missing on many systems: that grants less,
    and is a note for -v, not a warning that teaches to ignore warnings."""
    viewer = os.path.join(EXAMPLE_POLICIES, "viewer.json")
    result = run("--policy", viewer, "--", "true")
    assert result.returncode == 0, result.stderr
    if ABI >= 6:
        assert result.stderr == ""
    else:
        # Best-effort: what the policy asks and this kernel lacks is said.
        assert "partially enforced" in result.stderr
    assert "/lib64" not in result.stderr or os.path.exists("/lib64")


@needs_landlock
def test_symlinks_in_rule_paths(tmp_path):
    """A rule follows a link in its path to the target, which --explain
    shows; --no-symlinks refuses such a path."""
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "file").write_text("secret")
    (tmp_path / "planted").symlink_to(secret)
    result = run("--explain", "--ro", str(tmp_path / "planted"), "--rx", "/usr", "--", "true")
    assert result.returncode == 0, result.stderr
    assert f"{tmp_path / 'planted'} leads to {secret}" in result.stdout
    result = run("--ro", str(tmp_path / "planted"), "--rx", "/usr", "--",
                 "cat", str(tmp_path / "planted" / "file"))
    assert result.returncode == 0 and result.stdout == "secret"
    result = run("--no-symlinks", "--ro", str(tmp_path / "planted"), "--rx", "/usr", "--",
                 "cat", str(tmp_path / "planted" / "file"))
    assert result.returncode == SETUP_FAILED
    assert "symbolic link" in result.stderr
    assert result.stdout == ""


@needs_landlock
def test_policy_variables_from_the_command_line(tmp_path):
    """thumbnailer.json has no paths of its own for its input and output:
    --var gives them, and a name no policy declares is refused."""
    policy = os.path.join(EXAMPLE_POLICIES, "thumbnailer.json")
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "in.txt").write_text("input")
    script = f'cat "{tmp_path}/in.txt" > "{out}/copy" && cat "{out}/copy"'
    result = run("--policy", policy, "--var", f"input={tmp_path}/in.txt", "--var", f"output={out}",
                 "--", "sh", "-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "input"
    result = run("--policy", policy, "--", "sh", "-c", script)
    assert result.returncode != 0
    result = run("--policy", policy, "--var", "inptu=/x", "--", "true")
    assert result.returncode == SETUP_FAILED
    assert "inptu" in result.stderr


def test_a_policy_variable_without_a_value_is_said(tmp_path):
    """A rule on a variable nobody set grants nothing; the command would
    only see EACCES, so landlock-run names the variable and the option
    that sets it (not with --quiet), and --explain lists it."""
    policy = os.path.join(EXAMPLE_POLICIES, "thumbnailer.json")
    warning = ("landlock-run: warning: the policy variable “{0}” has no value, so the rules "
               "that use it grant nothing: give it one with --var {0}=VALUE")
    result = run("--best-effort", "--policy", policy, "--", "true")
    assert result.returncode == 0, result.stderr
    assert warning.format("input") in result.stderr
    assert warning.format("output") in result.stderr
    result = run("--best-effort", "--policy", policy, "--var", f"input={tmp_path}", "--", "true")
    assert result.returncode == 0, result.stderr
    assert "“input”" not in result.stderr
    assert warning.format("output") in result.stderr
    result = run("--best-effort", "--quiet", "--policy", policy, "--", "true")
    assert "policy variable" not in result.stderr
    result = run("--explain", "--policy", policy, "--", "true")
    assert result.returncode == 0, result.stderr
    assert ("Policy variables without a value (the rules that use them grant nothing; "
            "--var NAME=VALUE sets one): input, output\n") in result.stdout
    # A variable without a value that no template uses is no loss.
    unused = tmp_path / "unused.json"
    unused.write_text('{"variable": [{"name": "nobody"}], "ruleset": [{"handledAccessFs": ["read_file"]}],'
                      ' "pathBeneath": [{"allowedAccess": ["read_file"], "parent": ["/usr"]}]}')
    result = run("--best-effort", "--policy", str(unused), "--", "true")
    assert result.returncode == 0, result.stderr
    assert "policy variable" not in result.stderr
    # `$$` is a `$` of the path, not a reference.
    literal = tmp_path / "literal.json"
    literal.write_text('{"variable": [{"name": "v"}], "ruleset": [{"handledAccessFs": ["read_file"]}],'
                       ' "pathBeneath": [{"allowedAccess": ["read_file"], "parent": ["/usr", "/usr/$${v}"]}]}')
    result = run("--best-effort", "--policy", str(literal), "--", "true")
    assert result.returncode == 0, result.stderr
    assert "policy variable" not in result.stderr

