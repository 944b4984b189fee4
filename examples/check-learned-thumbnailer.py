#!/usr/bin/env python3
# check-learned-thumbnailer.py: learn the thumbnailer's policy, then use it
#
# SPDX-License-Identifier: LGPL-2.1-or-later

"""Checks examples/c/learned-thumbnailer.c end to end.

    check-learned-thumbnailer.py LANDLOCK-RUN LEARNED-THUMBNAILER

In a fresh directory: two PNG pictures; `landlock-run --learn` runs
gdk-pixbuf-thumbnailer on the first and writes its policy; the example
loads that policy (ll_ruleset_new_from_file()) and runs the thumbnailer in
it (ll_ruleset_spawnv()): the same thumbnail comes out, byte for byte,
while the second picture, which learning never saw, is refused (EACCES).

Without Landlock, a policy is best-effort (as landlockconfig applies it):
the example must say that nothing is restricted, and then the second
picture is thumbnailed too; that is checked instead.

Exit status: 0 when all of that held, 77 (meson's "skipped") without
seccomp user notification or without the thumbnailer (Debian package
libgdk-pixbuf2.0-bin), and 1 otherwise.
"""

import os
import shutil
import subprocess
import sys
import tempfile

from llcheck import SKIPPED, kernel_abi, png

TIMEOUT = 120


def fail(message, result=None):
    print("FAILED:", message)
    if result is not None:
        print(result.stdout, result.stderr, sep="\n")
    sys.exit(1)


def main():
    landlock_run, example = sys.argv[1:3]
    no_landlock = kernel_abi() < 1
    if shutil.which("gdk-pixbuf-thumbnailer") is None:
        print("skipped: gdk-pixbuf-thumbnailer is not installed (libgdk-pixbuf2.0-bin)")
        return SKIPPED

    with tempfile.TemporaryDirectory(prefix="learned-thumbnailer-") as work:
        pictures = os.path.join(work, "Pictures")
        thumbnails = os.path.join(work, "thumbnails")
        os.mkdir(pictures)
        os.mkdir(thumbnails)
        photo, private = os.path.join(pictures, "photo.png"), os.path.join(pictures, "private.png")
        for path, width, height, seed in ((photo, 1024, 768, 7), (private, 640, 480, 3)):
            with open(path, "wb") as f:
                f.write(png(width, height,
                            lambda y: bytes(((x * seed + y * 5) & 255) for x in range(width * 3))))
        policy = os.path.join(work, "thumbnailer.json")
        thumbnail = os.path.join(thumbnails, "photo.png")
        env = dict(os.environ, HOME=work, XDG_CACHE_HOME=os.path.join(work, "cache"))

        learned = subprocess.run([landlock_run, "--learn", policy, "--", "gdk-pixbuf-thumbnailer",
                                  "-s", "128", photo, thumbnail],
                                 capture_output=True, text=True, env=env, timeout=TIMEOUT)
        if learned.returncode == 125 and "seccomp user notification is unavailable" in learned.stderr:
            print("skipped:", learned.stderr.strip().splitlines()[-1])
            return SKIPPED
        if learned.returncode != 0 or not os.path.exists(thumbnail):
            fail("landlock-run --learn", learned)
        print(learned.stderr, end="")
        with open(thumbnail, "rb") as f:
            expected = f.read()
        os.unlink(thumbnail)

        made = subprocess.run([example, policy, "128", photo, thumbnail],
                              capture_output=True, text=True, env=env, timeout=TIMEOUT)
        print(made.stdout, made.stderr, sep="", end="")
        if made.returncode != 0:
            fail("the example with the learned policy", made)
        if no_landlock and "nothing is restricted: Landlock is not available" not in made.stdout:
            fail("without Landlock, the example did not say that nothing is restricted", made)
        with open(thumbnail, "rb") as f:
            if f.read() != expected:
                fail("the thumbnail made in the sandbox differs from the one made while learning")

        refused = subprocess.run([example, policy, "128", private, os.path.join(thumbnails, "private.png")],
                                 capture_output=True, text=True, env=env, timeout=TIMEOUT)
        print(refused.stdout, refused.stderr, sep="", end="")
        if no_landlock:
            if refused.returncode != 0 or not os.path.exists(os.path.join(thumbnails, "private.png")):
                fail("without Landlock, the best-effort sandbox did not run the helper", refused)
            print("learned-thumbnailer: without Landlock the learned policy runs the helper unsandboxed, "
                  "and says so")
            return 0
        if refused.returncode == 0 or "Permission denied" not in refused.stderr:
            fail("a picture that learning never saw was not refused", refused)
        if os.path.exists(os.path.join(thumbnails, "private.png")):
            fail("a thumbnail of the unseen picture was made")
    print("learned-thumbnailer: the learned policy makes the same thumbnail, and refuses an unseen picture")
    return 0


if __name__ == "__main__":
    sys.exit(main())
