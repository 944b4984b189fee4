# SPDX-License-Identifier: LGPL-2.1-or-later
"""The ABI matrix: the real library (ll-probe) on every emulated kernel.

For each kernel (ABI 1 to 11, ABI 12 standing for a kernel newer than the
library, no Landlock, Landlock disabled), each mode (strict, best-effort)
and each scenario below, ll-probe builds and applies one LlRuleset under
ll-emulate. The test then checks both sides of the boundary:

 - the emulator's log: exactly the calls the library must make, with the
   exact handled masks, attr size, rule rights, ports, rule flags and
   restrict flags a kernel of that ABI needs, and nothing newer;
 - the probe's JSON: the status, error code and unrestricted threads the
   library reports to its caller.

The expectations come from the kernel's include/uapi/linux/landlock.h (the
rights and flags of each ABI, see Documentation/userspace-api/landlock.rst,
section "Landlock ABI versions"), through llemu's own tables, never from
the library's.
"""

import errno

import pytest

import llemu
from llemu import eff, fs_mask, net_mask, scope_mask, restrict_mask, rule_flags_mask

problem = llemu.emulator_problem()
if problem is not None:
    pytest.skip(problem, allow_module_level=True)

# LlStatus and LlError values (ll-enums.h, ll-error.h).
NOT_ENFORCED, PARTIALLY_ENFORCED, FULLY_ENFORCED = 0, 1, 2
ERR_NOT_AVAILABLE, ERR_DISABLED, ERR_INCOMPATIBLE = 0, 1, 2

KERNELS = list(range(1, 13)) + ["enosys", "eopnotsupp"]
TCP_PORT, UDP_PORT = 8080, 5353
QUIET_MASKS = (0x2, 0x1, 0x2)   # WRITE_FILE, BIND_TCP, SIGNAL (ll-probe --quiet)


class Scenario:
    """A ruleset built by ll-probe, and what it asks of the kernel.

    need: the ABI a strict ruleset needs (below it: INCOMPATIBLE, and in
    best-effort PARTIALLY_ENFORCED with the newer parts dropped)."""

    def __init__(self, name, args=(), need=1, tcp=False, udp=False, resolve_unix=False,
                 quiet_rule=False, quiet_masks=False, restrict=0, all_threads=True, thread=False):
        self.name, self.args, self.need = name, list(args), need
        self.tcp, self.udp, self.resolve_unix = tcp, udp, resolve_unix
        self.quiet_rule, self.quiet_masks = quiet_rule, quiet_masks
        self.restrict, self.all_threads, self.thread = restrict, all_threads, thread


SCENARIOS = [
    Scenario("read"),
    Scenario("tcp", ["--tcp", TCP_PORT], need=4, tcp=True),
    Scenario("udp", ["--udp", UDP_PORT], need=10, udp=True),
    Scenario("tcp-udp", ["--tcp", TCP_PORT, "--udp", UDP_PORT], need=10, tcp=True, udp=True),
    Scenario("resolve-unix", ["--resolve-unix"], need=9, resolve_unix=True),
    Scenario("log-flags", ["--restrict-flags", 0x5], need=7, restrict=0x5),
    Scenario("log-subdomains-off", ["--restrict-flags", 0x4], need=7, restrict=0x4),
    Scenario("tsync-explicit", ["--restrict-flags", 0x8, "--no-all-threads"], need=8,
             restrict=0x8, all_threads=False),
    Scenario("no-all-threads", ["--no-all-threads"], all_threads=False),
    Scenario("no-new-privs-explicit", ["--restrict-flags", 0x10], need=11, restrict=0x10),
    Scenario("quiet", ["--quiet"], need=10, quiet_rule=True, quiet_masks=True),
    Scenario("quiet-masks", ["--quiet-masks"], need=10, quiet_masks=True),
    Scenario("thread", ["--thread"], thread=True),
    Scenario("thread-no-all-threads", ["--thread", "--no-all-threads"], thread=True,
             all_threads=False),
]

def expect(scn, kernel, strict):
    """What the library must do: the calls it makes and what it reports."""
    if kernel in ("enosys", "eopnotsupp"):
        code = ERR_NOT_AVAILABLE if kernel == "enosys" else ERR_DISABLED
        if strict:
            return dict(ok=False, error_code=code, calls=["version"])
        return dict(ok=True, status=NOT_ENFORCED, unrestricted=0, calls=["version"])

    abi = eff(kernel)
    missing = scn.need > abi
    if strict and missing:
        # Found before anything is created: not even a ruleset.
        return dict(ok=False, error_code=ERR_INCOMPATIBLE, calls=["version"])

    fields = dict(handled_access_fs=fs_mask(abi), handled_access_net=net_mask(abi),
                  scoped=scope_mask(abi), quiet_access_fs=0, quiet_access_net=0, quiet_scoped=0)
    if scn.quiet_masks and abi >= 10:
        fields.update(quiet_access_fs=QUIET_MASKS[0], quiet_access_net=QUIET_MASKS[1],
                      quiet_scoped=QUIET_MASKS[2])
    values = list(fields.values())
    size = 48 if any(values[3:]) else 24 if values[2] else 16 if values[1] else 8

    rules = [(1, 0xC, None, 0)]                      # allow_read(DIR/allowed)
    if scn.resolve_unix and abi >= 9:
        rules.append((1, 0x10000, None, 0))
    if scn.quiet_rule and abi >= 10:
        rules.append((1, 0, None, 1))
    if scn.tcp and abi >= 4:
        rules.append((2, 0x3, TCP_PORT, 0))
    if scn.udp and abi >= 10:
        rules.append((2, 0xC, UDP_PORT, 0))

    flags = scn.restrict & restrict_mask(abi)
    if scn.all_threads and abi >= 8:
        flags |= 0x8        # TSYNC whenever the kernel has it, threads or not
    if abi >= 11:
        flags |= 0x10       # the kernel sets no_new_privs itself
    unrestricted = 1 if scn.thread and not flags & 0x8 else 0
    status = PARTIALLY_ENFORCED if missing or unrestricted else FULLY_ENFORCED
    return dict(ok=True, status=status, unrestricted=unrestricted, fields=fields, size=size,
                rules=rules, restrict_flags=flags,
                calls=["version", "create"] + ["rule"] * len(rules) + ["restrict"])


def classify(call):
    if call["call"] == "create_ruleset":
        return {1: "version", 2: "errata"}.get(call["flags"], "create")
    return {"add_rule": "rule", "restrict_self": "restrict"}[call["call"]]


def check_nothing_newer(log, abi):
    """Whatever the scenario: no bit, size or flag the kernel lacks."""
    for call in log:
        if classify(call) == "create":
            assert call["size"] <= llemu.attr_size_known(abi), call
            assert call["handled_access_fs"] & ~fs_mask(abi) == 0, call
            assert call.get("handled_access_net", 0) & ~net_mask(abi) == 0, call
            assert call.get("scoped", 0) & ~scope_mask(abi) == 0, call
        elif classify(call) == "rule":
            assert call["flags"] & ~rule_flags_mask(abi) == 0, call
            mask = fs_mask(abi) if call["type"] == 1 else net_mask(abi)
            assert call["allowed_access"] & ~mask == 0, call
        elif classify(call) == "restrict":
            assert call["flags"] & ~restrict_mask(abi) == 0, call


def emu_args(kernel):
    return ["--" + kernel] if isinstance(kernel, str) else ["--abi", kernel]


def run_probe(kernel, probe_args, tmp_path, extra_emu=()):
    return llemu.emulate(emu_args(kernel) + list(extra_emu),
                         [llemu.PROBE, "--workdir", tmp_path / "work", "--fd-check", *probe_args])


def matrix_params():
    for kernel in KERNELS:
        for strict in (True, False):
            for scn in SCENARIOS:
                yield pytest.param(kernel, strict, scn,
                                   id="%s-%s-%s" % (kernel, "strict" if strict else "best-effort",
                                                    scn.name))


@pytest.mark.parametrize("kernel,strict,scn", matrix_params())
def test_matrix(kernel, strict, scn, tmp_path):
    llemu.COUNTS["matrix"] += 1
    exp = expect(scn, kernel, strict)
    run = run_probe(kernel, scn.args + ([] if strict else ["--best-effort"]), tmp_path)
    assert run.returncode == 0, run.stderr
    out = run.json

    # The library's side.
    assert out["ok"] is exp["ok"], out
    assert out["fds_before"] == out["fds_after"], "file descriptor leak: %r" % out
    if isinstance(kernel, int):
        assert out["abi"] == eff(kernel)
    else:
        assert out["abi"] == 0 and out["abi_error_code"] == exp.get("error_code", out["abi_error_code"])
    if exp["ok"]:
        assert out["error_code"] == -1, out
        assert out["status_code"] == exp["status"], out
        assert out["unrestricted_threads"] == exp["unrestricted"], out
        assert (out["status_reason"] is None) == (exp["status"] == FULLY_ENFORCED), out
    else:
        assert out["error_domain"] == "ll-error-quark", out
        assert out["error_code"] == exp["error_code"], out

    # The kernel's side.
    assert [classify(c) for c in run.log] == exp["calls"], run.log
    version = run.log[0]
    if isinstance(kernel, int):
        assert version["result"] == kernel
        check_nothing_newer(run.log, eff(kernel))
    else:
        assert version["errno"] == (errno.ENOSYS if kernel == "enosys" else errno.EOPNOTSUPP)
        llemu.COUNTS["matrix_passed"] += 1
        return
    if "create" not in exp["calls"]:
        llemu.COUNTS["matrix_passed"] += 1
        return
    for call in run.log:
        assert "errno" not in call, "the emulated kernel refused a call: %r" % call

    create = run.log[1]
    assert create["size"] == exp["size"]
    for i, (name, value) in enumerate(exp["fields"].items()):
        if (i + 1) * 8 <= exp["size"]:
            assert create[name] == value, (name, create)
        else:
            assert name not in create      # beyond the size passed: not passed at all
    ruleset_fd = create["result"]

    rules = [c for c in run.log if c["call"] == "add_rule"]
    got = [(c["type"], c["allowed_access"], c.get("port"), c["flags"]) for c in rules]
    assert got == exp["rules"]
    assert all(c["ruleset_fd"] == ruleset_fd for c in rules)
    assert all(c["parent_fd"] >= 0 for c in rules if c["type"] == 1)

    (restrict,) = run.calls("restrict_self")
    assert restrict["fd"] == ruleset_fd
    assert restrict["flags"] == exp["restrict_flags"]
    llemu.COUNTS["matrix_passed"] += 1


@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize("errata", [None, 5])
def test_errata(kernel, errata, tmp_path):
    """ll_get_errata(): the kernel's mask; 0 and no error on a kernel from
    before the errata query (EINVAL); an error without Landlock."""
    llemu.COUNTS["matrix"] += 1
    extra = ["--errata", errata] if errata is not None else []
    run = run_probe(kernel, ["--best-effort", "--errata"], tmp_path, extra)
    assert run.returncode == 0, run.stderr
    out = run.json
    queries = [c for c in run.log if classify(c) == "errata"]
    assert len(queries) == 1
    if kernel == "enosys":
        assert (out["errata"], out["errata_error_code"]) == (0, ERR_NOT_AVAILABLE)
    elif kernel == "eopnotsupp":
        assert (out["errata"], out["errata_error_code"]) == (0, ERR_DISABLED)
    elif errata is None:
        assert queries[0]["errno"] == errno.EINVAL
        assert (out["errata"], out["errata_error_code"]) == (0, -1)
    else:
        assert queries[0]["result"] == errata
        assert (out["errata"], out["errata_error_code"]) == (errata, -1)
    llemu.COUNTS["matrix_passed"] += 1


@pytest.mark.parametrize("abi", [7, 8, 10])
def test_thread_coverage(abi, tmp_path):
    """A GThread running at apply time: from ABI 8 TSYNC covers it (the
    library passes flag 8 and reports FULLY_ENFORCED), at ABI 7 it stays
    unrestricted and the library says so."""
    llemu.COUNTS["matrix"] += 1
    run = run_probe(abi, ["--thread"], tmp_path)
    out = run.json
    (restrict,) = run.calls("restrict_self")
    if abi >= 8:
        assert restrict["flags"] & 0x8
        assert (out["status_code"], out["unrestricted_threads"]) == (FULLY_ENFORCED, 0)
    else:
        assert restrict["flags"] == 0
        assert (out["status_code"], out["unrestricted_threads"]) == (PARTIALLY_ENFORCED, 1)
        assert "1 other thread" in out["status_reason"]
    llemu.COUNTS["matrix_passed"] += 1


@pytest.mark.parametrize("abi", [7, 8, 11])
@pytest.mark.parametrize("strict", [True, False])
def test_tsync_never_widens_a_thread(abi, strict, tmp_path):
    """A thread that restricted itself alone (all-threads FALSE) while the
    main thread ran: TSYNC from the main thread would give it the main
    thread's sandbox instead of its own. From ABI 8 a strict ruleset fails
    (before creating anything), a best-effort one restricts the calling
    thread only and says why; below ABI 8 nothing could be widened."""
    llemu.COUNTS["matrix"] += 1
    run = run_probe(abi, ["--thread-sandboxed"] + ([] if strict else ["--best-effort"]), tmp_path)
    assert run.returncode == 0, run.stderr
    out = run.json
    restricts = run.calls("restrict_self")
    assert restricts[0]["flags"] & 0x8 == 0         # the thread's own, alone
    if abi >= 8 and strict:
        assert not out["ok"] and out["error_code"] == 4, out     # LL_ERROR_INVALID
        assert "widening" in out["error_message"]
        assert len(restricts) == 1
    else:
        assert out["ok"], out
        assert len(restricts) == 2 and restricts[1]["flags"] & 0x8 == 0
        assert (out["status_code"], out["unrestricted_threads"]) == (PARTIALLY_ENFORCED, 1)
        assert ("widening" in out["status_reason"]) == (abi >= 8), out
    llemu.COUNTS["matrix_passed"] += 1


CONTINUE_ABIS = [1, 2, 3, 4, 5, 6, 7]


@pytest.mark.parametrize("abi", CONTINUE_ABIS)
def test_continue_real_enforcement(abi, tmp_path):
    """ll-emulate --continue: the library sees ABI N, the real kernel
    enforces what it asked. The read outside the allowed directory must be
    denied, and the create call carries nothing ABI N lacks."""
    real = llemu.real_abi()
    if real < abi:
        pytest.skip("the running kernel has Landlock ABI %d, this case needs %d" % (real, abi))
    llemu.COUNTS["matrix"] += 1
    args = ["--tcp", TCP_PORT] if abi >= 4 else []
    run = llemu.emulate(["--abi", abi, "--continue"],
                        [llemu.PROBE, "--real", "--workdir", tmp_path / "work", *args])
    assert run.returncode == 0, run.stderr
    out = run.json
    assert out["ok"] and out["status_code"] == FULLY_ENFORCED, out
    assert out["read_allowed"] == 0
    assert out["read_outside"] == -errno.EACCES
    (create,) = [c for c in run.log if classify(c) == "create"]
    assert create["continue"] is True
    assert create["handled_access_fs"] == fs_mask(abi)
    if abi < 4:
        assert create["size"] == 8
        assert "handled_access_net" not in create and "scoped" not in create
    check_nothing_newer(run.log, abi)
    assert all(c.get("continue") for c in run.log if classify(c) in ("rule", "restrict"))
    llemu.COUNTS["matrix_passed"] += 1


def test_continue_unprivileged():
    """The same, as nobody (docs/HACKING.md, section "How the sandbox is
    tested"): the library's no_new_privs path and real enforcement without
    root's capabilities. The emulator itself needs no privilege either."""
    import os
    import shutil
    import tempfile

    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to switch to user 65534")
    if llemu.real_abi() < 3:
        pytest.skip("the running kernel has no Landlock ABI 3")
    probe_ok = llemu.emulate([], llemu.UNPRIVILEGED + ["test", "-x", llemu.PROBE])
    if probe_ok.returncode != 0:
        pytest.skip("user 65534 cannot reach %s" % llemu.PROBE)
    llemu.COUNTS["matrix"] += 1
    work = tempfile.mkdtemp(prefix="ll-emulate-nobody-")
    try:
        os.chmod(work, 0o777)
        run = llemu.emulate(["--abi", 3, "--continue"],
                            [llemu.PROBE, "--real", "--workdir", os.path.join(work, "w")],
                            wrapper=llemu.UNPRIVILEGED)
        assert run.returncode == 0, run.stderr
        out = run.json
        assert out["ok"] and out["status_code"] == FULLY_ENFORCED, out
        assert (out["read_allowed"], out["read_outside"]) == (0, -errno.EACCES)
    finally:
        shutil.rmtree(work)
    llemu.COUNTS["matrix_passed"] += 1
