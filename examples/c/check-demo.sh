#!/bin/sh
# check-demo.sh: run landlock-demo and check that its output shows what it
# claims: the kernel's support and the kernel's denials, with EACCES.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

set -u

demo="$1"
output=$("$demo" 2>&1)
status=$?
printf '%s\n' "$output"

case $status in
  0) ;;
  77) echo "check-demo: skipped: no usable Landlock on this kernel"; exit 77 ;;
  *) echo "check-demo: landlock-demo exited with $status"; exit 1 ;;
esac

failed=0
expect () {
  if ! printf '%s\n' "$output" | grep -q -e "$1"; then
    echo "check-demo: missing from the output: $1"
    failed=1
  fi
}

# Without Landlock the demo says that nothing is enforced, and shows it.
if printf '%s\n' "$output" | grep -q '^Landlock ABI: none'; then
  expect '^  status: not-enforced'
  expect '\[ ok \] not enforced, as the status says: read /etc/passwd: succeeded'
  expect ' 0 failed'
  exit $failed
fi

expect '^Landlock ABI: [0-9]'
expect '^Errata fixed:'
expect '^Filesystem rights'
expect '^  execute  *needs ABI  1   available'
expect '^Network rights'
expect '^IPC scopes'
expect 'tsync  *needs ABI  8'
expect '^  status: \(fully\|partially\)-enforced'
expect '\[ ok \] allowed: read .*hello.txt: succeeded'
expect '\[ ok \] denied: read /etc/passwd: failed: EACCES (Permission denied)'
expect '\[ ok \] denied: create .*: failed: EACCES (Permission denied)'
expect '\[ ok \] denied: write .*: failed: EACCES (Permission denied)'
# TCP rules need ABI 4: older kernels let the connection through, and the
# demo must say that TCP is open instead of claiming a denial.
if printf '%s\n' "$output" | grep -q '^Landlock ABI: [123]$'; then
  expect '^  left open: not restricted by this kernel .*TCP (ABI 4)'
  expect '\[ ok \] not restricted by this kernel (TCP needs Landlock ABI 4): TCP connect to 127.0.0.1:[0-9]* reaches the port: failed: ECONNREFUSED'
else
  expect '\[ ok \] denied: TCP connect to 127.0.0.1:[0-9]*: failed: EACCES (Permission denied)'
fi
expect '^  left open: '
expect ' 0 failed'

if printf '%s\n' "$output" | grep -q '\[FAIL\]'; then
  echo "check-demo: a claim failed"
  failed=1
fi

exit $failed
