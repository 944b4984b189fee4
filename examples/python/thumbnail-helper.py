#!/usr/bin/env python3
# thumbnail-helper.py: a thumbnail made by a sandboxed gdk-pixbuf-thumbnailer
#
# SPDX-License-Identifier: LGPL-2.1-or-later

"""Makes a thumbnail with gdk-pixbuf-thumbnailer running in a Landlock sandbox.

    thumbnail-helper.py [--size N] [--try-read FILE]... [--try-write FILE]... INPUT OUTPUT_DIR

The thumbnailer runs in a child process that may read INPUT and write
beneath OUTPUT_DIR, and read and run the system's libraries; nothing else
that the kernel can restrict. This script stays unrestricted, and its
threads do not matter: a forked child has one thread, so the child's
sandbox is FULLY_ENFORCED on every kernel with Landlock. It makes
OUTPUT_DIR/NAME.png (NAME: INPUT's name without its extension); with
--try-read and --try-write it then runs the thumbnailer again, in the same
sandbox, with FILE as its input or its output, to show the kernel refusing.

What the thumbnailer needs, and why each path, is in the C version of this
example (examples/c/thumbnail-helper.c). The ruleset is strict: on a kernel
without Landlock the thumbnailer is not run at all, and on an older one the
script prints what that kernel leaves open rather than claim it.

Run it with /usr/bin/python3 (which has PyGObject) and the library's
typelib and Python overrides: from a build tree, through `meson devenv`.
"""

import argparse
import os
import shutil
import sys

import gi

gi.require_version("Gio", "2.0")
gi.require_version("Landlock", "1")
from gi.repository import Gio, GLib, Landlock  # noqa: E402


def thumbnailer_ruleset(thumbnailer, input_path, output_dir):
    """The sandbox of the thumbnailer: read and run the program and the
    system's libraries, read the MIME database and the input, write
    beneath the output directory. Paths must be absolute: a ruleset for a
    child refuses relative ones."""
    system = [thumbnailer, "/usr/lib"]
    if os.path.isdir("/usr/lib64"):   # 64-bit libraries, on some distributions
        system.append("/usr/lib64")
    return (Landlock.Ruleset()        # strict: no Landlock, no thumbnail
            .allow_execute(*system)
            .allow_read(*system, "/usr/share/mime", input_path)
            .allow_write(output_dir))


def make_thumbnail(ruleset, thumbnailer, size, input_path, output):
    """Runs the thumbnailer in the ruleset's sandbox: (True, None) if it
    made @output, else (False, its last line). Raises GLib.Error if it
    could not be started (a strict ruleset without Landlock, for one)."""
    child = ruleset.spawn(thumbnailer, "-s", str(size), input_path, output,
                          flags=Gio.SubprocessFlags.STDERR_PIPE)
    _, _, errors = child.communicate_utf8(None, None)
    if child.get_successful():
        return True, None
    lines = (errors or "").strip().splitlines()
    return False, lines[-1] if lines else "(no message)"


# The rest is the demonstration around it.


def thumbnail_path(output_dir, input_path):
    name = os.path.splitext(os.path.basename(input_path))[0]
    return os.path.join(output_dir, name + ".png")


def try_outside(ruleset, what, thumbnailer, size, input_path, output, path):
    """The same sandbox, asked for what it does not grant: the thumbnailer
    must fail."""
    try:
        made, message = make_thumbnail(ruleset, thumbnailer, size, input_path, output)
    except GLib.Error as error:
        print(f"thumbnail-helper: {what} {path}: cannot run the thumbnailer: {error.message}")
        return False
    if made:
        print(f"thumbnail-helper: {what} {path}: done: the sandbox did not hold")
        return False
    print(f"thumbnail-helper: {what} {path}: refused: {message}")
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", "-s", type=int, default=128, metavar="N",
                        help="make the thumbnail at most N pixels wide and high")
    parser.add_argument("--try-read", action="append", default=[], metavar="FILE",
                        help="then ask the sandboxed thumbnailer to read FILE")
    parser.add_argument("--try-write", action="append", default=[], metavar="FILE",
                        help="then ask the sandboxed thumbnailer to write FILE")
    parser.add_argument("input")
    parser.add_argument("output_dir")
    args = parser.parse_args()

    thumbnailer = shutil.which("gdk-pixbuf-thumbnailer")
    if thumbnailer is None:
        sys.exit("thumbnail-helper: gdk-pixbuf-thumbnailer is not installed "
                 "(Debian: package libgdk-pixbuf2.0-bin)")
    input_path = os.path.abspath(args.input)
    output_dir = os.path.abspath(args.output_dir)
    output = thumbnail_path(output_dir, input_path)

    ruleset = thumbnailer_ruleset(thumbnailer, input_path, output_dir)
    print(f"thumbnail-helper: sandboxing {thumbnailer}: read {input_path}, write beneath {output_dir}")
    try:
        made, message = make_thumbnail(ruleset, thumbnailer, args.size, input_path, output)
    except GLib.Error as error:
        print(f"thumbnail-helper: cannot sandbox the thumbnailer, not running it: {error.message}")
        return 1

    # What the child got, and what this kernel cannot restrict.
    print(f"thumbnail-helper: sandbox status: {ruleset.props.status.value_name}")
    print("thumbnail-helper: " + (ruleset.describe_unrestricted() or
                                  "this kernel restricts every right landlock-glib knows"))
    if not made:
        print(f"thumbnail-helper: no thumbnail: {message}")
        return 1
    print(f"thumbnail-helper: made {output}")

    held = True
    for path in map(os.path.abspath, args.try_read):
        held &= try_outside(ruleset, "try-read", thumbnailer, args.size, path,
                            thumbnail_path(output_dir, path), path)
    for path in map(os.path.abspath, args.try_write):
        held &= try_outside(ruleset, "try-write", thumbnailer, args.size, input_path, path, path)
    return 0 if held else 1


if __name__ == "__main__":
    sys.exit(main())
