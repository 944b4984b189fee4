# test_enforce.py: the kernel really denies what a ruleset does not grant,
# through PyGObject and the overrides (the Python twin of the C suite's
# test-enforce-*.c)
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Each right is tested on its own: a rule on / grants every filesystem
# right but the one under test, and a rule on tmp_path/allowed grants that
# one. The same operation then succeeds beneath allowed/ and fails with
# Landlock's errno beneath denied/. Both run in one forked child after
# apply(); the parent asserts.

import errno
import fcntl
import os
import shutil
import socket
import stat
import struct
import subprocess
import time

from lltest import (ABI, Landlock, errno_of, free_tcp_port, in_child,
                    needs_abi, needs_landlock, tcp_bind_errno,
                    tcp_connect_errno, tcp_listener)

import pytest

pytestmark = needs_landlock

RNDGETENTCNT = 0x80045200  # _IOR('R', 0x00, int): a driver ioctl, no privilege needed


def elf_interpreter(path):
    """The PT_INTERP of a 64-bit little-endian ELF program, or None."""
    with open(path, "rb") as f:
        data = f.read(1 << 16)
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return None
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    for i in range(phnum):
        p_type, _, p_offset, _, _, p_filesz = struct.unpack_from("<IIQQQQ", data, phoff + i * phentsize)
        if p_type == 3:  # PT_INTERP
            return data[p_offset:p_offset + p_filesz].rstrip(b"\0").decode()
    return None


def true_program():
    path = shutil.which("true", path="/usr/bin:/bin")
    if path is None:
        pytest.skip("no true(1) to execute")
    return os.path.realpath(path)


def prepare(base):
    """allowed/ and denied/ with the same content."""
    program = true_program()
    for side in ("allowed", "denied"):
        d = base / side
        (d / "sub").mkdir(parents=True)
        (d / "sub" / "entry").write_text("x")
        (d / "emptydir").mkdir()
        (d / "a").mkdir()
        (d / "b").mkdir()
        (d / "a" / "moved").write_text("refer")
        (d / "file").write_text("hello")
        shutil.copy(program, d / "true")


def mknod_errno(path, kind, device):
    return errno_of(os.mknod, path, kind | 0o600, device)


def unix_bind_errno(path):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        return errno_of(s.bind, str(path))


def unix_connect_errno(path):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        return errno_of(s.connect, str(path))


def unix_listener(path):
    """A pathname socket that accepts connections (the backlog holds them)
    for as long as the returned socket is open."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(str(path))
    s.listen(4)
    return s


def exec_errno(path):
    try:
        return subprocess.run([str(path)], check=False).returncode
    except OSError as e:
        return e.errno


def ioctl_errno(path):
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        return errno_of(fcntl.ioctl, fd, RNDGETENTCNT, struct.pack("i", 0))
    finally:
        os.close(fd)


# right: (operation on a side folder returning an errno, errno when denied, ABI)
FS_CASES = {
    "READ_FILE": (lambda d: errno_of(os.open, d / "file", os.O_RDONLY), errno.EACCES, 1),
    "READ_DIR": (lambda d: errno_of(os.listdir, d / "sub"), errno.EACCES, 1),
    "WRITE_FILE": (lambda d: errno_of(os.open, d / "file", os.O_WRONLY), errno.EACCES, 1),
    "TRUNCATE": (lambda d: errno_of(os.truncate, d / "file", 1), errno.EACCES, 3),
    "MAKE_REG": (lambda d: mknod_errno(d / "new-reg", stat.S_IFREG, 0), errno.EACCES, 1),
    "MAKE_DIR": (lambda d: errno_of(os.mkdir, d / "new-dir"), errno.EACCES, 1),
    "MAKE_SYM": (lambda d: errno_of(os.symlink, "file", d / "new-sym"), errno.EACCES, 1),
    "MAKE_FIFO": (lambda d: errno_of(os.mkfifo, d / "new-fifo"), errno.EACCES, 1),
    "MAKE_SOCK": (lambda d: unix_bind_errno(d / "new-sock"), errno.EACCES, 1),
    "MAKE_CHAR": (lambda d: mknod_errno(d / "new-chr", stat.S_IFCHR, os.makedev(1, 3)), errno.EACCES, 1),
    "MAKE_BLOCK": (lambda d: mknod_errno(d / "new-blk", stat.S_IFBLK, os.makedev(7, 0)), errno.EACCES, 1),
    "REMOVE_FILE": (lambda d: errno_of(os.unlink, d / "file"), errno.EACCES, 1),
    "REMOVE_DIR": (lambda d: errno_of(os.rmdir, d / "emptydir"), errno.EACCES, 1),
    "EXECUTE": (lambda d: exec_errno(d / "true"), errno.EACCES, 1),
    # Reparenting: renaming into another folder widens nothing only when
    # REFER is granted on both sides; else EXDEV (so mv(1) copies).
    "REFER": (lambda d: errno_of(os.rename, d / "a" / "moved", d / "b" / "moved"), errno.EXDEV, 2),
    # IOCTL_DEV is about device files: the rule is on /dev/urandom
    # (allowed), /dev/random stands for the denied side.
    "IOCTL_DEV": (None, errno.EACCES, 5),
    # Connecting to a socket bound to a path beneath the rule (a listener
    # on each side, started before applying).
    "RESOLVE_UNIX": (lambda d: unix_connect_errno(d / "listening"), errno.EACCES, 9),
}


def test_fs_cases_cover_every_right():
    """Every filesystem right the library knows has a case, whatever this
    kernel has (the cases of newer rights skip here)."""
    every = int(Landlock.access_fs_for_abi(Landlock.ABI_MAX))
    covered = 0
    for name in FS_CASES:
        covered |= int(getattr(Landlock.AccessFs, name))
    assert covered == every


def child_fs_right(name, base, extra_execute):
    right = getattr(Landlock.AccessFs, name)
    everything = int(Landlock.access_fs_for_abi(Landlock.get_abi_version()))
    operation = FS_CASES[name][0]

    ruleset = Landlock.Ruleset()
    ruleset.add_path_rule("/", access=Landlock.AccessFs(everything & ~int(right)))
    if name == "IOCTL_DEV":
        ruleset.add_path_rule("/dev/urandom", access=right)
        allowed, denied = "/dev/urandom", "/dev/random"
        operation = ioctl_errno
    else:
        ruleset.add_path_rule(base / "allowed", access=right)
        allowed, denied = base / "allowed", base / "denied"
    if extra_execute:
        # The dynamic loader is opened for execution too.
        ruleset.add_path_rule(*extra_execute, access=Landlock.AccessFs.EXECUTE)
    if name == "RESOLVE_UNIX":
        listeners = [unix_listener(allowed / "listening"), unix_listener(denied / "listening")]
    status = ruleset.apply()
    return int(status), operation(allowed), operation(denied)


@pytest.mark.parametrize("name", list(FS_CASES))
def test_fs_right(name, tmp_path):
    operation, denied_errno, abi = FS_CASES[name]
    if ABI < abi:
        pytest.skip(f"{name} needs Landlock ABI {abi}, the kernel has {ABI}")
    prepare(tmp_path)

    extra_execute = []
    if name == "EXECUTE":
        interpreter = elf_interpreter(true_program())
        if interpreter:
            extra_execute.append(os.path.dirname(os.path.realpath(interpreter)))
    if name in ("MAKE_CHAR", "MAKE_BLOCK"):
        kind = stat.S_IFCHR if name == "MAKE_CHAR" else stat.S_IFBLK
        result = mknod_errno(tmp_path / "probe", kind, os.makedev(1, 3))
        if result != 0:
            pytest.skip(f"cannot create device nodes here at all: {os.strerror(result)}")
    if name == "IOCTL_DEV":
        for dev in ("/dev/urandom", "/dev/random"):
            if not os.path.exists(dev) or ioctl_errno(dev) != 0:
                pytest.skip(f"needs {dev} and its RNDGETENTCNT ioctl")
    elif name == "RESOLVE_UNIX":
        # Without Landlock the operation works.
        (tmp_path / "unsandboxed").mkdir()
        with unix_listener(tmp_path / "unsandboxed" / "listening"):
            assert operation(tmp_path / "unsandboxed") == 0
    else:
        # Without Landlock the operation works (on a copy of the tree).
        prepare(tmp_path / "unsandboxed")
        assert operation(tmp_path / "unsandboxed" / "denied") == 0
    prepare(tmp_path / "sandboxed")

    status, allowed, denied = in_child(child_fs_right, name, tmp_path / "sandboxed", extra_execute)
    assert status == int(Landlock.Status.FULLY_ENFORCED)
    assert allowed == 0, f"{name} allowed: {os.strerror(allowed)}"
    assert denied == denied_errno, f"{name} denied: got {errno.errorcode.get(denied, denied)}"


def test_deny_by_default(tmp_path):
    """A ruleset with no rule denies every filesystem access; reading what
    was opened before stays possible (Landlock checks at open time)."""
    (tmp_path / "file").write_text("hello")

    def child():
        early = open(tmp_path / "file")
        Landlock.Ruleset().apply()
        return (errno_of(os.open, tmp_path / "file", os.O_RDONLY),
                errno_of(os.listdir, tmp_path),
                errno_of(os.open, "/etc/passwd", os.O_RDONLY),
                early.read())

    assert in_child(child) == (errno.EACCES, errno.EACCES, errno.EACCES, "hello")


@needs_abi(4)
def test_tcp_bind_and_connect():
    def child():
        listening_allowed = tcp_listener()
        listening_denied = tcp_listener()
        bind_allowed = free_tcp_port()
        bind_denied = free_tcp_port()
        while bind_denied == bind_allowed:
            bind_denied = free_tcp_port()
        connect_allowed = listening_allowed.getsockname()[1]
        connect_denied = listening_denied.getsockname()[1]

        status = (Landlock.Ruleset()
                  .allow_network(bind_allowed, bind=True, connect=False)
                  .allow_network(connect_allowed, bind=False, connect=True)
                  .apply())
        return (int(status),
                tcp_bind_errno(bind_allowed), tcp_bind_errno(bind_denied),
                tcp_connect_errno(connect_allowed), tcp_connect_errno(connect_denied),
                # A bind rule does not allow connecting, nor the reverse.
                tcp_connect_errno(bind_allowed) == errno.EACCES,
                tcp_bind_errno(connect_allowed))

    status, bind_ok, bind_no, connect_ok, connect_no, connect_bind_port, bind_connect_port = \
        in_child(child)
    assert status == int(Landlock.Status.FULLY_ENFORCED)
    assert bind_ok == 0
    assert bind_no == errno.EACCES
    assert connect_ok == 0
    assert connect_no == errno.EACCES
    assert connect_bind_port
    assert bind_connect_port == errno.EACCES


@needs_abi(4)
def test_allow_all_network():
    def child():
        listening = tcp_listener()
        port = free_tcp_port()
        Landlock.Ruleset().allow_all_network().apply()
        return tcp_bind_errno(port), tcp_connect_errno(listening.getsockname()[1])

    assert in_child(child) == (0, 0)


def abstract_connect_errno(name):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        return errno_of(s.connect, name)


def abstract_listener(name):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(name)
    s.listen(1)
    return s


@needs_abi(6)
@pytest.mark.parametrize("allow", [False, True], ids=["scoped", "allow_scope"])
def test_scope_abstract_unix_socket(allow):
    def child():
        outside_name = f"\0ll-python-outside-{os.getpid()}"
        inside_name = f"\0ll-python-inside-{os.getpid()}"
        outside = abstract_listener(outside_name)  # created before the sandbox
        assert abstract_connect_errno(outside_name) == 0
        ruleset = Landlock.Ruleset().allow_all_network()
        if allow:
            ruleset.allow_scope(Landlock.Scope.ABSTRACT_UNIX_SOCKET)
        ruleset.apply()
        inside = abstract_listener(inside_name)
        result = abstract_connect_errno(inside_name), abstract_connect_errno(outside_name)
        outside.close()
        inside.close()
        return result

    inside, outside = in_child(child)
    assert inside == 0
    assert outside == (0 if allow else errno.EPERM)


@needs_abi(6)
@pytest.mark.parametrize("allow", [False, True], ids=["scoped", "allow_scope"])
def test_scope_signal(allow):
    def child():
        outside = os.getppid()  # pytest: outside the sandbox
        ruleset = Landlock.Ruleset()
        if allow:
            ruleset.allow_scope(Landlock.Scope.SIGNAL)
        ruleset.apply()
        inside = os.fork()  # started in the sandbox
        if inside == 0:
            time.sleep(10)
            os._exit(0)
        result = (errno_of(os.kill, os.getpid(), 0),
                  errno_of(os.kill, inside, 0),
                  errno_of(os.kill, outside, 0))
        os.kill(inside, 9)
        os.waitpid(inside, 0)
        return result

    own, inside, outside = in_child(child)
    assert own == 0
    assert inside == 0
    assert outside == (0 if allow else errno.EPERM)


def test_enforced_unprivileged():
    """As nobody (uid 65534, no capability), apply() sets no_new_privs
    itself and the sandbox holds both ways, as docs/HACKING.md asks (section
    "How the sandbox is tested")."""
    if os.getuid() != 0:
        pytest.skip("needs root to become uid 65534 in the child")
    usr_file = os.path.realpath(shutil.which("true", path="/usr/bin:/bin") or "/usr")

    def child():
        os.setresgid(65534, 65534, 65534)
        os.setgroups([])
        os.setresuid(65534, 65534, 65534)
        before = errno_of(os.open, "/etc/passwd", os.O_RDONLY)
        status = Landlock.Ruleset().allow_read("/usr").apply()
        return (before, int(status), errno_of(os.open, usr_file, os.O_RDONLY),
                errno_of(os.open, "/etc/passwd", os.O_RDONLY))

    before, status, usr, etc = in_child(child)
    assert before == 0
    assert status == int(Landlock.Status.FULLY_ENFORCED)
    assert usr == 0
    assert etc == errno.EACCES
