#!/bin/sh
# run-unprivileged.sh: the exe_wrapper of the `unprivileged` test setup.
# Runs the test command as uid/gid 65534 (nobody) with no capability and no
# supplementary group, so that restricting needs no_new_privs, as it does
# for every ordinary program. Root bypasses DAC and its CAP_SYS_ADMIN would
# let landlock_restrict_self() through without no_new_privs: a suite run
# only as root never exercises that path.
#
# As another user the command already runs unprivileged: it is run as it
# is. Nothing is printed on stdout, which carries the tests' TAP output.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

set -eu

nobody=65534

if [ "$(id -u)" -ne 0 ]; then
  exec "$@"
fi

# The build tree must be readable by nobody: a checkout in a private
# directory (a home directory of mode 700) would make every test fail with
# a puzzling ENOENT or EACCES; say so instead.
build_dir="${G_TEST_BUILDDIR:-$PWD}"
if ! setpriv --reuid=$nobody --regid=$nobody --clear-groups --inh-caps=-all \
     sh -c 'test -x "$1" && test -r "$2" && test -x "$2"' sh "$1" "$build_dir"; then
  echo "run-unprivileged.sh: uid $nobody cannot run $1 in $build_dir;" \
       "put the source and build trees where every user can read them (directories 755)" >&2
  exit 1
fi

exec setpriv --reuid=$nobody --regid=$nobody --clear-groups --inh-caps=-all -- "$@"
