#!/bin/sh
# check-uninstalled-pc.sh BUILDDIR VERSION CONSUMER.c CC...: builds and runs
# CONSUMER.c as a project outside this tree would against the build tree,
# with nothing but
#
#   PKG_CONFIG_PATH=BUILDDIR/meson-uninstalled
#   cc consumer.c $(pkg-config --cflags --libs landlock-glib-1)
#
# and LD_LIBRARY_PATH, taken from the .pc file's -L, to run it. The
# compiler is CC... (meson's); the program is built in a temporary
# directory, with the variables that could add include or library paths
# of their own unset.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

set -eu

builddir="$1"
version="$2"
consumer="$3"
shift 3

work=$(mktemp -d "${TMPDIR:-/tmp}/ll-uninstalled-pc-XXXXXX")
trap 'rm -rf "$work"' EXIT
cp "$consumer" "$work/consumer.c"
cd "$work"

unset CPATH C_INCLUDE_PATH LIBRARY_PATH LD_LIBRARY_PATH PKG_CONFIG_LIBDIR
PKG_CONFIG_PATH="$builddir/meson-uninstalled"
export PKG_CONFIG_PATH
pkg_config="${PKG_CONFIG:-pkg-config}"

echo "1..3"

# Only the -uninstalled file sets srcdir: an installed copy does not count.
srcdir=$("$pkg_config" --variable=srcdir landlock-glib-1 || true)
if [ -z "$srcdir" ]; then
  echo "not ok 1 - pkg-config finds landlock-glib-1-uninstalled.pc in $PKG_CONFIG_PATH"
  exit 1
fi
flags=$("$pkg_config" --cflags --libs landlock-glib-1)
echo "ok 1 - pkg-config finds landlock-glib-1-uninstalled.pc (srcdir $srcdir)"
echo "# $flags"

# shellcheck disable=SC2086 # the flags are words
if ! "$@" consumer.c $flags -o consumer 2>compile.log; then
  echo "not ok 2 - a consumer compiles and links with those flags alone"
  sed 's/^/#   /' compile.log
  exit 1
fi
echo "ok 2 - a consumer compiles and links with those flags alone"

libdirs=$("$pkg_config" --libs-only-L landlock-glib-1 | sed 's/^-L//; s/ -L/:/g; s/ *$//')
# Its stderr apart: under `meson test --setup valgrind` the consumer runs
# under memcheck too, whose report is no line of this TAP stream.
if ! output=$(LD_LIBRARY_PATH="$libdirs" ./consumer "$version" 2>consumer.err); then
  echo "not ok 3 - the consumer runs against the build tree's library"
  cat consumer.err | sed 's/^/#   /'
  printf '%s\n' "$output" | sed 's/^/#   /'
  exit 1
fi
# And the library it ran with is the build tree's, not an installed one.
if command -v ldd >/dev/null 2>&1; then
  loaded=$(LD_LIBRARY_PATH="$libdirs" ldd ./consumer | awk '/liblandlock-glib-1\.so/ { print $3 }')
  case "$loaded" in
    "$builddir"/*) ;;
    *)
      echo "not ok 3 - the consumer runs against the build tree's library, not ${loaded:-none}"
      exit 1
      ;;
  esac
fi
echo "ok 3 - the consumer runs against the build tree's library: $output"
