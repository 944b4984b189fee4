#!/bin/sh
# check-exports.sh LIBRARY: fails when the shared library exports a symbol
# outside the ll_ namespace. The library is built with hidden visibility
# and LL_AVAILABLE_IN_* marks what is public, so a private helper that
# shows up here was exported by mistake and would become ABI.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

set -eu

library="$1"
# A coverage build (-Db_coverage=true) links libgcov in, which exports
# its __gcov_* entry points and mangle_path: instrumentation, not our ABI.
exports=$(nm -D --defined-only "$library" | awk '{ print $3 }' | grep -Ev '^(__gcov_.*|mangle_path)$' || true)
count=$(printf '%s\n' "$exports" | grep -c '^ll_' || true)
strays=$(printf '%s\n' "$exports" | grep -v '^ll_' || true)

if [ -n "$strays" ]; then
  echo "not ok 1 - only ll_* symbols are exported; these are not:"
  printf '%s\n' "$strays" | sed 's/^/#   /'
  echo "1..1"
  exit 1
fi
echo "ok 1 - $count symbols exported, all ll_*"
echo "1..1"
