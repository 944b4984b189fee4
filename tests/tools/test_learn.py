# SPDX-License-Identifier: LGPL-2.1-or-later
"""landlock-run --learn: learn a real program's policy, then run it under it.

The proof is the round trip, on real Debian programs doing real work: the
learning run and the sandboxed run give the same output with status 0, and
an access the learning run did not make is denied by the kernel (EACCES).
Learning needs seccomp user notification; without it every test here
skips, and says why (the probe below asks the kernel directly, not the
tool under test). The sandboxed half needs Landlock.
"""

import ctypes
import json
import os
import platform
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import zlib

import pytest

LANDLOCK_RUN = os.environ.get("LANDLOCK_RUN", "landlock-run")
PYTHON = "/usr/bin/python3"
TIMEOUT = 120 * max(float(os.environ.get("LL_TEST_TIMEOUT_MULTIPLIER", "1")), 1.0)
BANNER = "*** LEARNING MODE: NO SANDBOX ***"

# The rights of each ABI (the kernel's include/uapi/linux/landlock.h), as
# landlockconfig names them.
FS_RIGHTS = ["execute", "write_file", "read_file", "read_dir", "remove_dir", "remove_file",
             "make_char", "make_dir", "make_reg", "make_sock", "make_fifo", "make_block",
             "make_sym", "refer", "truncate", "ioctl_dev", "resolve_unix"]
FS_RIGHTS_BY_ABI = {1: 13, 2: 14, 3: 15, 4: 15, 5: 16, 6: 16, 7: 16, 8: 16}
NET_RIGHTS = ["bind_tcp", "connect_tcp", "bind_udp", "connect_send_udp"]


def kernel_abi():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    abi = libc.syscall(444, None, ctypes.c_size_t(0), ctypes.c_uint32(1))
    return max(abi, 0)


ABI = kernel_abi()

# Asks the kernel, in a child, for a seccomp filter with a listener (what
# learning needs), without landlock-run.
_PROBE = r"""
import ctypes, platform, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
if libc.prctl(38, 1, 0, 0, 0) != 0:                      # PR_SET_NO_NEW_PRIVS
    print("prctl(PR_SET_NO_NEW_PRIVS): errno", ctypes.get_errno()); sys.exit(1)
class Insn(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]
class Prog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(Insn))]
allow = (Insn * 1)(Insn(0x06, 0, 0, 0x7fff0000))        # BPF_RET | BPF_K, SECCOMP_RET_ALLOW
nr = {"x86_64": 317, "aarch64": 277}.get(platform.machine())
if nr is None:
    print("no seccomp system call number known for", platform.machine()); sys.exit(1)
fd = libc.syscall(nr, 1, 8, ctypes.byref(Prog(1, allow)))  # SET_MODE_FILTER, FLAG_NEW_LISTENER
if fd < 0:
    print("seccomp(SECCOMP_FILTER_FLAG_NEW_LISTENER): errno", ctypes.get_errno()); sys.exit(1)
"""


def _seccomp_unavailable():
    if platform.machine() not in ("x86_64", "aarch64"):
        return f"learning knows the system calls of x86_64 and aarch64, not {platform.machine()}"
    probe = subprocess.run([PYTHON, "-c", _PROBE], capture_output=True, text=True, timeout=60)
    if probe.returncode != 0:
        return "seccomp user notification is unavailable here: " + probe.stdout.strip()
    return None


SECCOMP_UNAVAILABLE = _seccomp_unavailable()
pytestmark = pytest.mark.skipif(SECCOMP_UNAVAILABLE is not None, reason=SECCOMP_UNAVAILABLE or "")
needs_landlock = pytest.mark.skipif(ABI < 1, reason="the sandboxed run needs Landlock, the kernel has none")


def needs_abi(abi, what):
    return pytest.mark.skipif(ABI < abi, reason=f"{what} needs Landlock ABI {abi}, the kernel has {ABI}")


def needs_program(name, package):
    return pytest.mark.skipif(shutil.which(name) is None,
                              reason=f"{name} is not installed (Debian package {package}, in .ci/install-deps)")


def environment(tmp_path, **extra):
    """A fixed environment, the same for both runs: HOME and the XDG
    directories in the test's directory, temporary files in one of ours
    rather than in /tmp."""
    home = tmp_path / "home"
    scratch = tmp_path / "scratch"
    home.mkdir(exist_ok=True)
    scratch.mkdir(exist_ok=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("XDG_", "GSETTINGS_"))}
    env.update(HOME=str(home), TMPDIR=str(scratch), LC_ALL="C.UTF-8",
               XDG_CACHE_HOME=str(home / ".cache"), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_DATA_HOME=str(home / ".local" / "share"))
    env.update(extra)
    return env


def learn(policy, command, cwd, env, *options):
    return subprocess.run([LANDLOCK_RUN, "--learn", str(policy), *options, "--", *command],
                          cwd=cwd, env=env, capture_output=True, timeout=TIMEOUT)


def sandboxed(policy, command, cwd, env, *options):
    return subprocess.run([LANDLOCK_RUN, *options, "--policy", str(policy), "--", *command],
                          cwd=cwd, env=env, capture_output=True, timeout=TIMEOUT)


def policy_rules(policy):
    """{parent: set of rights} and {port: set of rights} of a policy file."""
    with open(policy) as f:
        document = json.load(f)
    paths, ports = {}, {}
    for item in document.get("pathBeneath", []):
        for parent in item["parent"]:
            paths.setdefault(parent, set()).update(item["allowedAccess"])
    for item in document.get("netPort", []):
        for port in item["port"]:
            ports.setdefault(port, set()).update(item["allowedAccess"])
    return document, paths, ports


def round_trip(tmp_path, command, cwd, env, denied=None, output_file=None):
    """Learns @command's policy, runs @command under it, compares; then
    runs @denied (a command making an access the learning run did not
    make) under it and checks that the kernel refused it."""
    policy = tmp_path / "learned.json"
    learned = learn(policy, command, cwd, env)
    assert learned.returncode == 0, learned.stderr.decode()
    assert learned.stderr.decode().splitlines()[0].endswith(BANNER)
    learned_output = output_file.read_bytes() if output_file else learned.stdout
    if output_file:
        output_file.unlink()

    if ABI < 1:
        pytest.skip("learned; the sandboxed run needs Landlock, which the kernel lacks")
    again = sandboxed(policy, command, cwd, env)
    assert again.returncode == 0, again.stderr.decode()
    assert (output_file.read_bytes() if output_file else again.stdout) == learned_output
    assert b"Permission denied" not in again.stderr

    if denied is not None:
        refused = sandboxed(policy, denied, cwd, env)
        assert refused.returncode != 0, refused.stdout.decode()
        assert b"Permission denied" in refused.stderr + refused.stdout, refused.stderr.decode()
    return policy


def png(path, width, height, seed):
    """A deterministic RGB PNG, with nothing but the standard library."""
    rows = b"".join(b"\0" + bytes(((x * seed + y * 3) & 255) for x in range(width * 3))
                    for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    path.write_bytes(b"\x89PNG\r\n\x1a\n" +
                     chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) +
                     chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


# What landlock-run says and does -----------------------------------------------

def test_says_first_that_nothing_is_sandboxed_and_passes_the_status(tmp_path):
    policy = tmp_path / "p.json"
    result = learn(policy, ["sh", "-c", "echo out; exit 3"], tmp_path, environment(tmp_path))
    stderr = result.stderr.decode().splitlines()
    assert result.returncode == 3
    assert result.stdout == b"out\n"
    assert stderr[0] == "landlock-run: " + BANNER
    assert "UNRESTRICTED" in stderr[1] and "“sh”" in stderr[1]
    assert "did not succeed" in result.stderr.decode()
    assert policy.exists() and (tmp_path / "p.json.observed").exists()


def test_the_banner_is_said_even_with_quiet(tmp_path):
    result = learn(tmp_path / "p.json", ["true"], tmp_path, environment(tmp_path), "--quiet")
    assert result.returncode == 0
    assert result.stderr.decode().splitlines()[0].endswith(BANNER)
    assert "learned" not in result.stderr.decode()


def test_a_signal_kills_landlock_run_with_the_command(tmp_path):
    result = learn(tmp_path / "p.json", ["sh", "-c", "kill -TERM $$"], tmp_path, environment(tmp_path))
    assert result.returncode == -signal.SIGTERM
    assert (tmp_path / "p.json").exists()


def test_a_command_that_cannot_run_teaches_nothing(tmp_path):
    result = learn(tmp_path / "p.json", ["no-such-command-here"], tmp_path, environment(tmp_path))
    assert result.returncode == 127
    assert "command not found" in result.stderr.decode()
    assert not (tmp_path / "p.json").exists()


def test_a_policy_that_cannot_be_merged_into_stops_before_the_command(tmp_path):
    (tmp_path / "p.json").write_text('{ "ruleset": [ { "handledAccessFs": [ "read_files" ] } ] }')
    marker = tmp_path / "ran"
    result = learn(tmp_path / "p.json", ["touch", str(marker)], tmp_path, environment(tmp_path))
    assert result.returncode == 125
    assert "cannot add what is learned" in result.stderr.decode()
    assert not marker.exists()


def test_the_policy_handles_everything_the_kernel_can_restrict(tmp_path):
    policy = tmp_path / "p.json"
    assert learn(policy, ["true"], tmp_path, environment(tmp_path)).returncode == 0
    document, paths, _ = policy_rules(policy)
    handled = document["ruleset"][0]
    if ABI < 1:
        return
    assert document["abi"] == min(ABI, 11)
    assert handled["handledAccessFs"] == FS_RIGHTS[:FS_RIGHTS_BY_ABI.get(ABI, 17)]
    if ABI >= 4:
        assert handled["handledAccessNet"] == NET_RIGHTS[:2 if ABI < 10 else 4]
    if ABI >= 6:
        assert handled["scoped"] == ["abstract_unix_socket", "signal"]
    # true needs its program and its libraries, read and executed in /usr.
    assert paths["/usr"] >= {"execute", "read_file"}


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("setpriv") is None,
                    reason="needs root and setpriv(1) to switch to an unprivileged user")
def test_learning_needs_no_privilege(tmp_path):
    # pytest's directories are root's alone: one that uid 65534 may use.
    work = tempfile.mkdtemp(prefix="ll-learn-")
    try:
        os.chmod(work, 0o777)
        result = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                                 "--inh-caps=-all", LANDLOCK_RUN, "--learn", os.path.join(work, "p.json"),
                                 "--", "cat", "/etc/hostname"],
                                capture_output=True, timeout=TIMEOUT, cwd=work)
        assert result.returncode == 0, result.stderr.decode()
        _, paths, _ = policy_rules(os.path.join(work, "p.json"))
        assert "read_file" in paths["/etc"]
    finally:
        shutil.rmtree(work)


# Round trips on real programs ---------------------------------------------------

def test_round_trip_shell_pipeline(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "in" / "words.txt").write_text("pear\napple\nfig\napple\npear\napple\n")
    (tmp_path / "in" / "secret.txt").write_text("not for the pipeline\n")
    command = ["sh", "-c", "cat in/words.txt | tr a-z A-Z | sort | uniq -c | sort -rn > out/counts.txt; "
                           "cat out/counts.txt"]
    policy = round_trip(tmp_path, command, tmp_path, environment(tmp_path),
                        denied=["sh", "-c", "cat in/secret.txt"])
    _, paths, _ = policy_rules(policy)
    # Read only where only reading happened; the output directory gets
    # the creating rights, not its file.
    assert paths[str(tmp_path / "in" / "words.txt")] == {"read_file"}
    assert {"make_reg", "write_file"} <= paths[str(tmp_path / "out")]
    assert str(tmp_path / "out" / "counts.txt") not in paths
    assert not any(p.startswith(str(tmp_path / "in")) and "write_file" in r for p, r in paths.items())


def test_round_trip_forking_workers(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for i in range(12):
        (data / f"part{i:02}.txt").write_text("".join(f"{i} {n}\n" for n in range(200)))
    other = tmp_path / "other"
    other.mkdir()
    (other / "part.txt").write_text("unseen\n")
    # xargs forks four sha256sum workers at a time.
    command = ["sh", "-c", "find data -name '*.txt' -print0 | xargs -0 -P 4 -n 2 sha256sum | sort"]
    policy = round_trip(tmp_path, command, tmp_path, environment(tmp_path),
                        denied=["sh", "-c", "find other -name '*.txt' -print0 | xargs -0 -P 4 sha256sum"])
    _, paths, _ = policy_rules(policy)
    # Twelve files read in one directory that was listed: one rule.
    assert paths[str(data)] == {"read_file", "read_dir"}
    assert not any(p.startswith(str(data) + "/") for p in paths)


def test_round_trip_multithreaded_with_temporary_files(tmp_path):
    numbers = tmp_path / "numbers.txt"
    numbers.write_text("".join(f"{(n * 7919) % 100003}\n" for n in range(60000)))
    (tmp_path / "unseen.txt").write_text("3\n1\n2\n")
    sort_tmp = tmp_path / "sort-tmp"
    sort_tmp.mkdir()
    # Four threads, and a buffer small enough for temporary files.
    command = ["sh", "-c", f"sort --parallel=4 -S 256K -T {sort_tmp} -n numbers.txt | md5sum"]
    policy = round_trip(tmp_path, command, tmp_path, environment(tmp_path),
                        denied=["sort", "--parallel=4", "-n", "unseen.txt"])
    _, paths, _ = policy_rules(policy)
    # sort's temporary files were made and removed: one rule on their
    # directory, no temporary name.
    assert {"make_reg", "write_file", "read_file", "remove_file"} <= paths[str(sort_tmp)]
    assert not any(p.startswith(str(sort_tmp) + "/") for p in paths)
    with open(tmp_path / "learned.json.observed") as f:
        observed = json.load(f)
    made = [seen for seen in observed["filesystem"] if seen["path"].startswith(str(sort_tmp) + "/")]
    assert made and all(seen["rule"] == str(sort_tmp) for seen in made)


@needs_program("gsettings", "libglib2.0-bin")
@needs_program("glib-compile-schemas", "libglib2.0-bin")
def test_round_trip_glib_program_reading_its_settings(tmp_path):
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    (schemas / "org.example.Learn.gschema.xml").write_text("""<schemalist>
  <schema id="org.example.Learn" path="/org/example/learn/">
    <key name="greeting" type="s"><default>'hello'</default></key>
    <key name="count" type="i"><default>1</default></key>
  </schema>
</schemalist>
""")
    subprocess.run(["glib-compile-schemas", str(schemas)], check=True, timeout=TIMEOUT)
    env = environment(tmp_path, GSETTINGS_SCHEMA_DIR=str(schemas), GSETTINGS_BACKEND="keyfile")
    keyfile = tmp_path / "home" / ".config" / "glib-2.0" / "settings" / "keyfile"
    keyfile.parent.mkdir(parents=True)
    keyfile.write_text("[org/example/learn]\ngreeting='bonjour'\ncount=42\n")

    command = ["gsettings", "list-recursively", "org.example.Learn"]
    policy = round_trip(tmp_path, command, tmp_path, env, denied=["cat", str(schemas / "org.example.Learn.gschema.xml")])
    assert b"bonjour" in subprocess.run(command, env=env, capture_output=True, timeout=TIMEOUT).stdout
    _, paths, _ = policy_rules(policy)
    assert paths[str(keyfile)] == {"read_file"}
    assert paths[str(schemas / "gschemas.compiled")] == {"read_file"}


def test_round_trip_python_script(tmp_path):
    script = tmp_path / "report.py"
    script.write_text("""
import csv, hashlib, json, os, statistics, sys, tempfile, threading
rows = list(csv.DictReader(open(sys.argv[1])))
digests = {}
def digest(name):
    digests[name] = hashlib.sha256(name.encode()).hexdigest()[:12]
threads = [threading.Thread(target=digest, args=(row["name"],)) for row in rows]
for t in threads: t.start()
for t in threads: t.join()
summary = {"rows": len(rows), "mean": statistics.mean(int(r["n"]) for r in rows),
           "digests": digests}
fd, temporary = tempfile.mkstemp(dir=sys.argv[2], prefix=".summary-")
with os.fdopen(fd, "w") as f:
    json.dump(summary, f, sort_keys=True)
os.replace(temporary, os.path.join(sys.argv[2], "summary.json"))
print(json.dumps(summary, sort_keys=True))
""")
    (tmp_path / "data").mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "data" / "sales.csv").write_text("name,n\nfig,3\npear,5\napple,13\n")
    (tmp_path / "data" / "payroll.csv").write_text("name,n\nalice,1\n")
    command = [PYTHON, str(script), "data/sales.csv", "out"]
    policy = round_trip(tmp_path, command, tmp_path, environment(tmp_path),
                        denied=[PYTHON, str(script), "data/payroll.csv", "out"])
    _, paths, _ = policy_rules(policy)
    assert paths[str(tmp_path / "data" / "sales.csv")] == {"read_file"}
    assert not any(".summary-" in p for p in paths)
    # Written by a temporary file renamed over the result: the directory
    # may make, write and remove, since the next run replaces the result.
    assert {"make_reg", "write_file", "remove_file"} <= paths[str(tmp_path / "out")]


@needs_program("gdk-pixbuf-thumbnailer", "libgdk-pixbuf2.0-bin")
def test_round_trip_thumbnailer(tmp_path):
    (tmp_path / "Pictures").mkdir()
    (tmp_path / "thumbnails").mkdir()
    png(tmp_path / "Pictures" / "photo.png", 800, 600, 7)
    png(tmp_path / "Pictures" / "private.png", 300, 200, 3)
    thumbnail = tmp_path / "thumbnails" / "photo.png"
    command = ["gdk-pixbuf-thumbnailer", "-s", "128", "Pictures/photo.png", str(thumbnail)]
    policy = round_trip(tmp_path, command, tmp_path, environment(tmp_path), output_file=thumbnail,
                        denied=["gdk-pixbuf-thumbnailer", "-s", "128", "Pictures/private.png",
                                str(tmp_path / "thumbnails" / "private.png")])
    _, paths, _ = policy_rules(policy)
    assert paths[str(tmp_path / "Pictures" / "photo.png")] == {"read_file"}
    assert str(tmp_path / "Pictures") not in paths


# Merging, the base, and what --explain says -------------------------------------

def test_runs_over_different_inputs_merge(tmp_path):
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.txt").write_text(name * 10 + "\n")
    env = environment(tmp_path)
    policy = tmp_path / "p.json"
    assert learn(policy, ["wc", "-c", "a.txt"], tmp_path, env).returncode == 0
    second = learn(policy, ["wc", "-c", "b.txt"], tmp_path, env)
    assert second.returncode == 0
    assert "merged with what it held" in second.stderr.decode()
    _, paths, _ = policy_rules(policy)
    assert {str(tmp_path / "a.txt"), str(tmp_path / "b.txt")} <= set(paths)
    with open(tmp_path / "p.json.observed") as f:
        assert [run["command"] for run in json.load(f)["runs"]] == [["wc", "-c", "a.txt"], ["wc", "-c", "b.txt"]]
    if ABI >= 1:
        for name in ("a", "b"):
            assert sandboxed(policy, ["wc", "-c", f"{name}.txt"], tmp_path, env).returncode == 0
        assert b"Permission denied" in sandboxed(policy, ["wc", "-c", "c.txt"], tmp_path, env).stderr


def test_a_policy_written_by_hand_keeps_its_rules(tmp_path):
    (tmp_path / "kept").mkdir()
    policy = tmp_path / "p.json"
    policy.write_text(json.dumps({"abi": 1, "ruleset": [{"handledAccessFs": ["abi.all"]}],
                                  "pathBeneath": [{"allowedAccess": ["read_dir"], "parent": [str(tmp_path / "kept")]}]}))
    assert learn(policy, ["cat", "/etc/hostname"], tmp_path, environment(tmp_path)).returncode == 0
    document, paths, _ = policy_rules(policy)
    assert paths[str(tmp_path / "kept")] == {"read_dir"}
    # What the hand-written policy left unrestricted (it is ABI 1) stays so.
    assert "truncate" not in document["ruleset"][0]["handledAccessFs"]
    assert "handledAccessNet" not in document["ruleset"][0]


def test_what_the_base_grants_is_not_repeated(tmp_path):
    (tmp_path / "input.txt").write_text("x\n")
    env = environment(tmp_path)
    policy = tmp_path / "p.json"
    base = ["--rx", "/usr", "--ro", "/etc"]
    result = learn(policy, ["cat", "input.txt", "/etc/hostname"], tmp_path, env, *base)
    assert result.returncode == 0, result.stderr.decode()
    _, paths, _ = policy_rules(policy)
    assert set(paths) == {str(tmp_path / "input.txt")}
    if ABI >= 1:
        again = sandboxed(policy, ["cat", "input.txt", "/etc/hostname"], tmp_path, env, *base)
        assert again.returncode == 0, again.stderr.decode()
        assert again.stdout == result.stdout


def test_explain_says_which_program_did_what_and_how_often(tmp_path):
    (tmp_path / "input.txt").write_text("x\n")
    policy = tmp_path / "p.json"
    env = environment(tmp_path)
    assert learn(policy, ["sh", "-c", "cat input.txt input.txt > /dev/null"], tmp_path, env).returncode == 0
    explained = subprocess.run([LANDLOCK_RUN, "--explain", "--policy", str(policy)], env=env,
                               capture_output=True, text=True, timeout=TIMEOUT)
    assert explained.returncode == 0, explained.stderr
    lines = explained.stdout.splitlines()
    rule = lines.index(f"  {tmp_path / 'input.txt'}: read_file [as seen]")
    assert lines[rule + 1].strip() == f"/usr/bin/cat: openat (read_file), 2 times, on {tmp_path / 'input.txt'}"
    assert any(line.startswith("  /usr: ") and "[system tree]" in line for line in lines)
    assert "review every rule" in explained.stdout


def test_fds_from_outside_are_left_out_and_said(tmp_path):
    policy = tmp_path / "p.json"
    # stdin is /dev/null, opened by the test: stty's ioctl on it is not
    # restricted, so it must not be granted.
    result = subprocess.run([LANDLOCK_RUN, "--learn", str(policy), "--", "sh", "-c", "stty -a <&0 || true"],
                            stdin=subprocess.DEVNULL, cwd=tmp_path, env=environment(tmp_path),
                            capture_output=True, timeout=TIMEOUT)
    assert result.returncode == 0
    assert "inherited the file descriptors 0 (/dev/null)" in result.stderr.decode()
    _, paths, _ = policy_rules(policy)
    assert "/dev/null" not in paths


def test_io_uring_is_refused_while_learning_and_said(tmp_path):
    probe = ("import ctypes; libc = ctypes.CDLL(None, use_errno=True); "
             "params = (ctypes.c_char * 120)(); r = libc.syscall(425, 4, params); "
             "print(r, ctypes.get_errno())")
    result = learn(tmp_path / "p.json", [PYTHON, "-c", probe], tmp_path, environment(tmp_path))
    assert result.returncode == 0
    assert result.stdout.split() == [b"-1", b"38"]          # ENOSYS
    assert "io_uring was refused" in result.stderr.decode()


def test_moves_between_directories_get_what_they_need(tmp_path):
    # Made in one directory, moved to another: Landlock refuses a move that
    # gives the file more rights (EXDEV); learning must give the source
    # what the destination has.
    for name in ("drafts", "published", "archive"):
        (tmp_path / name).mkdir()
    (tmp_path / "archive" / "old.txt").write_text("old\n")
    script = ("import os, sys\n"
              "open('drafts/post.txt', 'w').write('hello')\n"
              "os.rename('drafts/post.txt', 'published/post.txt')\n"
              "print(open('published/post.txt').read())\n")
    env = environment(tmp_path)
    policy = round_trip(tmp_path, [PYTHON, "-c", script], tmp_path, env,
                        denied=[PYTHON, "-c", "open('archive/old.txt')"])
    if ABI >= 2:
        _, paths, _ = policy_rules(policy)
        assert "refer" in paths[str(tmp_path / "drafts")] and "refer" in paths[str(tmp_path / "published")]


def test_own_proc_entries(tmp_path):
    # cat is the command's first process (sh execs it): /proc/self stays.
    policy = tmp_path / "p.json"
    env = environment(tmp_path)
    assert learn(policy, ["cat", "/proc/self/status"], tmp_path, env).returncode == 0
    _, paths, _ = policy_rules(policy)
    assert paths["/proc/self/status"] == {"read_file"}
    assert "/proc" not in paths
    if ABI >= 1:
        assert sandboxed(policy, ["cat", "/proc/self/status"], tmp_path, env).returncode == 0
        assert b"Permission denied" in sandboxed(policy, ["cat", "/proc/self/environ"], tmp_path, env).stderr


ECHO_SERVER = """
import socket, sys, threading
port = int(sys.argv[1])
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", port))
server.listen()
def echo():
    connection, _ = server.accept()
    connection.sendall(connection.recv(64).upper())
    connection.close()
thread = threading.Thread(target=echo)
thread.start()
client = socket.create_connection(("127.0.0.1", port))
client.sendall(b"ping")
print(client.recv(64).decode())
thread.join()
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@needs_abi(4, "TCP rules")
def test_round_trip_tcp_ports(tmp_path):
    script = tmp_path / "echo.py"
    script.write_text(ECHO_SERVER)
    port, other_port = free_port(), free_port()
    policy = round_trip(tmp_path, [PYTHON, str(script), str(port)], tmp_path, environment(tmp_path),
                        denied=[PYTHON, str(script), str(other_port)])
    _, _, ports = policy_rules(policy)
    assert ports == {port: {"bind_tcp", "connect_tcp"}}


@needs_abi(6, "scopes")
def test_scopes_stay_restricted_unless_used_outside(tmp_path):
    env = environment(tmp_path)
    quiet = tmp_path / "quiet.json"
    assert learn(quiet, ["true"], tmp_path, env).returncode == 0
    document, _, _ = policy_rules(quiet)
    assert document["ruleset"][0]["scoped"] == ["abstract_unix_socket", "signal"]

    # Signalling its parent (outside the traced programs) needs the scope
    # lifted; signalling its own child does not.
    signalling = tmp_path / "signal.json"
    command = ["sh", "-c", "sleep 5 & kill $!; wait; kill -0 $PPID && echo parent"]
    assert learn(signalling, command, tmp_path, env).returncode == 0
    document, _, _ = policy_rules(signalling)
    assert document["ruleset"][0]["scoped"] == ["abstract_unix_socket"]
    if ABI >= 1:
        assert sandboxed(signalling, command, tmp_path, env).stdout == b"parent\n"
        refused = sandboxed(quiet, ["sh", "-c", "kill -0 $PPID"], tmp_path, env, "--rx", "/usr")
        assert refused.returncode != 0


def test_round_trip_special_files(tmp_path):
    # A FIFO, a symbolic link, a hard link into another directory, a
    # directory tree made and removed, a truncation and a rename.
    (tmp_path / "work").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "source.txt").write_text("hello\n")
    (tmp_path / "unseen.txt").write_text("unseen\n")
    script = tmp_path / "special.sh"
    script.write_text("set -e\ncd work\nmkfifo pipe\nln -s ../data/source.txt link\n"
                      "ln ../data/source.txt hard\nmkdir -p sub/deeper\necho x > sub/deeper/f\n"
                      "truncate -s 1 sub/deeper/f\nmv sub/deeper/f sub/g\ncat link hard sub/g\n"
                      "rm -r sub pipe link hard\n")
    policy = round_trip(tmp_path, ["sh", str(script)], tmp_path, environment(tmp_path),
                        denied=["cat", "unseen.txt"])
    _, paths, _ = policy_rules(policy)
    made = {"make_fifo", "make_sym", "make_dir", "make_reg", "remove_dir", "remove_file"}
    if ABI >= 2:
        made.add("refer")
    assert made <= paths[str(tmp_path / "work")]
    assert not any(p.startswith(str(tmp_path / "work") + "/") for p in paths)
    if ABI >= 2:
        # The hard link must not give the file more rights in work/ than it
        # had in data/ (EXDEV): data/ gets work/'s file rights (rule 10).
        file_rights = {"read_file", "write_file", "truncate", "execute", "ioctl_dev", "resolve_unix"}
        assert paths[str(tmp_path / "work")] & file_rights <= paths[str(tmp_path / "data")]


UNIX_ECHO = """
import os, socket, sys, threading
path = sys.argv[1]
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(path)
server.listen()
def echo():
    connection, _ = server.accept()
    connection.sendall(connection.recv(16).upper())
    connection.close()
thread = threading.Thread(target=echo)
thread.start()
client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
client.connect(path)
client.sendall(b"hello")
print(client.recv(16).decode())
thread.join()
os.unlink(path)
"""


def test_round_trip_unix_socket_bound_to_a_path(tmp_path):
    (tmp_path / "run").mkdir()
    (tmp_path / "elsewhere").mkdir()
    script = tmp_path / "echo.py"
    script.write_text(UNIX_ECHO)
    policy = round_trip(tmp_path, [PYTHON, str(script), "run/echo.sock"], tmp_path, environment(tmp_path),
                        denied=[PYTHON, str(script), "elsewhere/echo.sock"])
    _, paths, _ = policy_rules(policy)
    assert {"make_sock", "remove_file"} <= paths[str(tmp_path / "run")]
    # Reaching it is resolve_unix (ABI 9): on the directory where it was made.
    assert ("resolve_unix" in paths[str(tmp_path / "run")]) == (ABI >= 9)


def test_round_trip_python_multiprocessing(tmp_path):
    script = tmp_path / "pool.py"
    script.write_text("import hashlib, multiprocessing\n"
                      "def digest(n):\n"
                      "    return hashlib.sha256(str(n).encode()).hexdigest()[:8]\n"
                      "if __name__ == '__main__':\n"
                      "    with multiprocessing.Pool(4) as pool:\n"
                      "        print(' '.join(pool.map(digest, range(32))))\n")
    (tmp_path / "other.py").write_text("print('unseen')\n")
    round_trip(tmp_path, [PYTHON, str(script)], tmp_path, environment(tmp_path),
               denied=[PYTHON, str(tmp_path / "other.py")])


UDP_ECHO = """
import socket, sys
port = int(sys.argv[1])
server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
server.bind(("127.0.0.1", port))
client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
client.sendto(b"ping", ("127.0.0.1", port))
data, peer = server.recvfrom(16)
server.sendto(data.upper(), peer)
print(client.recv(16).decode())
"""


@needs_abi(10, "UDP rules")
def test_round_trip_udp(tmp_path):
    script = tmp_path / "udp.py"
    script.write_text(UDP_ECHO)
    port, other_port = free_port(), free_port()
    policy = round_trip(tmp_path, [PYTHON, str(script), str(port)], tmp_path, environment(tmp_path),
                        denied=[PYTHON, str(script), str(other_port)])
    document, _, ports = policy_rules(policy)
    # The client's unbound socket is bound to port 0 by the kernel when it
    # sends: Landlock checks that as bind_udp on port 0.
    assert ports[port] == {"bind_udp"}
    assert ports[0] == {"bind_udp"}
    # The server answers to the client's temporary port, new on every run:
    # no rule can name it, so sending is left unrestricted, and said.
    assert "connect_send_udp" not in document["ruleset"][0]["handledAccessNet"]
    with open(tmp_path / "learned.json.observed") as f:
        assert any(seen.get("toPeer") for seen in json.load(f)["network"])
