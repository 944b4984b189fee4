# SPDX-License-Identifier: LGPL-2.1-or-later
"""Session glue for the emulator suite: counts and the skip exit status."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import llemu  # noqa: E402


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    counts = llemu.COUNTS
    terminalreporter.write_line(
        "emulated cases: %d ABI-matrix cases run, %d passed; %d commands run under ll-emulate in all"
        % (counts["matrix"], counts["matrix_passed"], counts["runs"]))


def pytest_sessionfinish(session, exitstatus):
    # meson reads exit status 77 as "skipped": report a session where every
    # test skipped (no seccomp user notification here) as such, not as a pass.
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or exitstatus not in (0, 5):   # 5: nothing collected
        return
    stats = reporter.stats
    passed = len(stats.get("passed", []))
    skipped = len(stats.get("skipped", []))
    if passed == 0 and skipped > 0:
        session.exitstatus = 77
