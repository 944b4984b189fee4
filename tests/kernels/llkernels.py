# llkernels.py: what fetch, run-kernel and matrix share: the kernel table,
# the cache, the private apt state, the initramfs.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

ARCHIVE = "http://deb.debian.org/debian"
KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg"
METAPACKAGE = "linux-image-cloud-amd64"

# name -> Debian suite, and what the guest's kernel command line adds.
# "disabled" is trixie's kernel booted with an LSM list without landlock:
# landlock_create_ruleset() then answers EOPNOTSUPP.
KERNELS = {
    "5.10": {"suite": "bullseye"},
    "6.1": {"suite": "bookworm"},
    "6.12": {"suite": "trixie"},
    "7.2": {"suite": "sid"},
    "7.3": {"suite": "experimental"},
    "disabled": {"suite": "trixie", "cmdline": ["lsm=lockdown,capability,yama"]},
}
ORDER = ["5.10", "6.1", "6.12", "7.2", "7.3", "disabled"]

# What the guest needs to mount the host's root over virtiofs and to talk
# to the host over virtio-serial, in load order. A kernel whose config has
# one built in (=y), or that does not have it as a module at all (5.10
# has no virtio_pci_*_dev), skips it.
BOOT_MODULES = [
    ("virtio_ring", "CONFIG_VIRTIO"),
    ("virtio", "CONFIG_VIRTIO"),
    ("virtio_pci_legacy_dev", "CONFIG_VIRTIO_PCI_LIB_LEGACY"),
    ("virtio_pci_modern_dev", "CONFIG_VIRTIO_PCI_LIB"),
    ("virtio_pci", "CONFIG_VIRTIO_PCI"),
    ("fuse", "CONFIG_FUSE_FS"),
    ("virtiofs", "CONFIG_VIRTIO_FS"),
    ("virtio_console", "CONFIG_VIRTIO_CONSOLE"),
]

INITRAMFS_VERSION = "1"  # bump when the initramfs layout or init changes


class Error(Exception):
    pass


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def cache_dir():
    d = os.environ.get("LL_KERNEL_CACHE")
    if not d:
        d = os.path.join(os.path.expanduser("~"), ".cache", "landlock-glib", "kernels")
    return d


def suite_of(name):
    if name not in KERNELS:
        raise Error("unknown kernel %r: one of %s" % (name, " ".join(ORDER)))
    return KERNELS[name]["suite"]


# --- apt, with state of its own ------------------------------------------

def apt_dir(suite):
    return os.path.join(cache_dir(), "apt", suite)


def apt_options(suite):
    d = apt_dir(suite)
    return [
        "-o", "Dir::Etc::sourcelist=" + os.path.join(d, "sources.list"),
        "-o", "Dir::Etc::sourceparts=-",
        "-o", "Dir::Etc::preferences=" + os.path.join(d, "preferences"),
        "-o", "Dir::Etc::preferencesparts=" + os.path.join(d, "preferences.d"),
        "-o", "Dir::State=" + os.path.join(d, "state"),
        "-o", "Dir::State::Lists=" + os.path.join(d, "lists"),
        "-o", "Dir::State::status=" + os.path.join(d, "status"),
        "-o", "Dir::Cache=" + os.path.join(d, "cache"),
        "-o", "APT::Architecture=amd64",
        "-o", "APT::Architectures::=amd64",
        "-o", "APT::Sandbox::User=root",
        "-o", "Debug::NoLocking=1",
        "-o", "APT::Update::Error-Mode=any",
        "-o", "Acquire::Languages=none",
        "-q",
    ]


def apt_prepare(suite):
    d = apt_dir(suite)
    for sub in ("lists/partial", "cache/archives/partial", "state", "preferences.d"):
        os.makedirs(os.path.join(d, sub), exist_ok=True)
    with open(os.path.join(d, "sources.list"), "w") as f:
        f.write("deb [signed-by=%s] %s %s main\n" % (KEYRING, ARCHIVE, suite))
    for name in ("status", "preferences"):
        open(os.path.join(d, name), "a").close()


def apt_run(suite, args, cwd=None, what=None):
    cmd = ["apt-get"] + apt_options(suite) + args
    r = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    bad = [l for l in r.stdout.splitlines() if re.match(r"^(E|W|Err):", l)]
    if r.returncode != 0 or bad:
        raise Error("%s failed for %s (%s %s):\n%s\nthe kernels cannot be fetched "
                    "(is the Debian archive reachable?)"
                    % (what or "apt-get", suite, ARCHIVE, suite, r.stdout.strip()))
    return r.stdout


def apt_show(suite, package):
    cmd = ["apt-cache"] + apt_options(suite) + ["show", "--no-all-versions", package]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0 or not r.stdout.strip():
        raise Error("%s: no package %s in %s: %s" % (suite, package, suite, r.stderr.strip()))
    fields = {}
    for line in r.stdout.split("\n\n")[0].splitlines():
        m = re.match(r"^([A-Za-z-]+): ?(.*)$", line)
        if m:
            fields[m.group(1)] = m.group(2)
    return fields


def resolve(suite):
    """The metapackage's version, and the packages that make up the kernel:
    every linux-* package the metapackage (and each of those) depends on at
    exactly its own version. Older suites: one linux-image-X package; newer
    ones split it into linux-binary-X, linux-modules-X and so on."""
    meta = apt_show(suite, METAPACKAGE)
    version = meta["Version"]
    seen, todo = [], [METAPACKAGE]
    while todo:
        fields = apt_show(suite, todo.pop(0))
        for dep in fields.get("Depends", "").split(","):
            for alt in dep.split("|"):
                m = re.match(r"^\s*(linux-[^\s(]+)\s*\(=\s*([^)\s]+)\)", alt)
                if m and m.group(2) == version and m.group(1) not in seen:
                    seen.append(m.group(1))
                    todo.append(m.group(1))
    if not seen:
        raise Error("%s: %s %s depends on no kernel package" % (suite, METAPACKAGE, version))
    return version, seen


# --- the cache -------------------------------------------------------------

def suite_dir(suite):
    return os.path.join(cache_dir(), suite)


def installed(suite):
    """The metadata of the cached kernel of SUITE (the one `current` points
    to), or None."""
    cur = os.path.join(suite_dir(suite), "current")
    try:
        with open(os.path.join(cur, "meta.json")) as f:
            meta = json.load(f)
    except (OSError, ValueError):
        return None
    meta["dir"] = os.path.realpath(cur)
    return meta


def find_kernel(root):
    """(kver, vmlinuz, config), paths relative to the extracted ROOT: in
    boot/ (vmlinuz-KVER, config-KVER) up to trixie, in usr/lib/modules/KVER/
    (vmlinuz, config) in the split packages of sid and experimental."""
    boot = os.path.join(root, "boot")
    if os.path.isdir(boot):
        for f in sorted(os.listdir(boot)):
            if f.startswith("vmlinuz-"):
                kver = f[len("vmlinuz-"):]
                return kver, "boot/" + f, "boot/config-" + kver
    for d in ("usr/lib/modules", "lib/modules"):
        p = os.path.join(root, d)
        if os.path.isdir(p):
            for kver in sorted(os.listdir(p)):
                if os.path.exists(os.path.join(p, kver, "vmlinuz")):
                    return kver, "%s/%s/vmlinuz" % (d, kver), "%s/%s/config" % (d, kver)
    raise Error("no kernel image (boot/vmlinuz-*, usr/lib/modules/*/vmlinuz) in %s" % root)


def modules_dir(root, kver):
    for d in ("lib/modules", "usr/lib/modules"):
        p = os.path.join(root, d, kver)
        if os.path.isdir(p):
            return p
    return None


def fetch(suite, update=False):
    """Make sure SUITE's kernel is in the cache. With a cached kernel and
    without UPDATE, the network is not used."""
    meta = installed(suite)
    if meta and not update:
        return meta
    apt_prepare(suite)
    log("fetch: %s: updating the package lists from %s" % (suite, ARCHIVE))
    apt_run(suite, ["update"], what="apt-get update")
    version, packages = resolve(suite)
    vdir = os.path.join(suite_dir(suite), version)
    if meta and os.path.realpath(meta["dir"]) == os.path.realpath(vdir):
        log("fetch: %s: %s is the newest, cached" % (suite, version))
        return meta
    if not os.path.exists(os.path.join(vdir, "meta.json")):
        log("fetch: %s: downloading %s %s" % (suite, version, " ".join(packages)))
        os.makedirs(suite_dir(suite), exist_ok=True)
        tmp = tempfile.mkdtemp(prefix=".fetch-", dir=suite_dir(suite))
        try:
            debs = os.path.join(tmp, "debs")
            root = os.path.join(tmp, "root")
            os.makedirs(debs)
            os.chmod(tmp, 0o755)
            apt_run(suite, ["download"] + ["%s=%s" % (p, version) for p in packages],
                    cwd=debs, what="apt-get download")
            for deb in sorted(os.listdir(debs)):
                subprocess.run(["dpkg-deb", "-x", os.path.join(debs, deb), root], check=True)
            kver, vmlinuz, config = find_kernel(root)
            new = {
                "suite": suite,
                "version": version,
                "kver": kver,
                "vmlinuz": "root/" + vmlinuz,
                "config": "root/" + config,
                "packages": sorted(os.listdir(debs)),
            }
            shutil.rmtree(debs)
            with open(os.path.join(tmp, "meta.json"), "w") as f:
                json.dump(new, f, indent=1)
            if os.path.exists(vdir):
                shutil.rmtree(vdir)
            os.rename(tmp, vdir)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    cur = os.path.join(suite_dir(suite), "current")
    tmplink = cur + ".new"
    if os.path.lexists(tmplink):
        os.unlink(tmplink)
    os.symlink(version, tmplink)
    os.replace(tmplink, cur)
    meta = installed(suite)
    log("fetch: %s: %s (kernel %s) in %s" % (suite, version, meta["kver"], meta["dir"]))
    return meta


# --- the initramfs ---------------------------------------------------------

def kernel_config(meta):
    cfg = {}
    path = os.path.join(meta["dir"], meta["config"])
    with open(path) as f:
        for line in f:
            m = re.match(r"^(CONFIG_[A-Z0-9_]+)=(.*)$", line.strip())
            if m:
                cfg[m.group(1)] = m.group(2)
    return cfg


def find_module(mdir, name):
    """The file of module NAME (dashes and underscores are the same)."""
    want = name.replace("-", "_")
    for dirpath, _, files in os.walk(mdir):
        for f in files:
            m = re.match(r"^(.*)\.ko(\.xz|\.zst|\.gz)?$", f)
            if m and m.group(1).replace("-", "_") == want:
                return os.path.join(dirpath, f)
    return None


def decompress(src, dst):
    if src.endswith(".xz"):
        cmd = ["xz", "-dc", src]
    elif src.endswith(".zst"):
        cmd = ["zstd", "-qdc", src]
    elif src.endswith(".gz"):
        cmd = ["gzip", "-dc", src]
    else:
        shutil.copyfile(src, dst)
        return
    with open(dst, "wb") as out:
        subprocess.run(cmd, stdout=out, check=True)


def initramfs(meta):
    """The initramfs for this kernel (built once, kept beside it): busybox,
    the init script, and the boot modules this kernel has as modules,
    uncompressed (busybox insmod reads plain .ko files)."""
    init = os.path.join(HERE, "init")
    busybox = "/bin/busybox"
    with open(init, "rb") as f:
        stamp = "%s %s %d" % (INITRAMFS_VERSION, hashlib.sha256(f.read()).hexdigest(),
                              os.path.getmtime(busybox))
    out = os.path.join(meta["dir"], "initramfs.cpio")
    stampfile = out + ".stamp"
    try:
        if open(stampfile).read() == stamp and os.path.exists(out):
            return out
    except OSError:
        pass
    if not os.path.exists(busybox):
        raise Error("%s is missing: install busybox-static (.ci/install-deps)" % busybox)
    cfg = kernel_config(meta)
    mdir = modules_dir(os.path.join(meta["dir"], "root"), meta["kver"])
    stage = tempfile.mkdtemp(prefix=".initramfs-", dir=meta["dir"])
    try:
        for d in ("bin", "dev", "proc", "sys", "newroot", "ctl", "modules"):
            os.makedirs(os.path.join(stage, d))
        shutil.copy(busybox, os.path.join(stage, "bin", "busybox"))
        applets = subprocess.run([busybox, "--list"], stdout=subprocess.PIPE, text=True,
                                 check=True).stdout.split()
        for a in applets:
            if a != "busybox":
                os.symlink("busybox", os.path.join(stage, "bin", a))
        shutil.copy(init, os.path.join(stage, "init"))
        os.chmod(os.path.join(stage, "init"), 0o755)
        order = []
        for name, option in BOOT_MODULES:
            if cfg.get(option) != "m":
                continue
            src = find_module(mdir, name) if mdir else None
            if src is None:
                continue
            decompress(src, os.path.join(stage, "modules", name + ".ko"))
            order.append(name)
        with open(os.path.join(stage, "modules", "order"), "w") as f:
            f.write("".join(n + "\n" for n in order))
        files = subprocess.run(["find", "."], cwd=stage, stdout=subprocess.PIPE,
                               check=True).stdout
        with open(out + ".tmp", "wb") as f:
            subprocess.run(["cpio", "--quiet", "-o", "-H", "newc", "-R", "0:0"], cwd=stage,
                           input=files, stdout=f, check=True)
        os.replace(out + ".tmp", out)
        with open(stampfile, "w") as f:
            f.write(stamp)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return out
