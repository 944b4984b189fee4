# test_pitfalls.py: the pitfalls of restricting yourself, as the docs name them
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The overview's "Restricting yourself: pitfalls" and the README's quick
# start name what surprises a program that applies a ruleset to itself.
# Each is shown here on the real kernel, both sides: what breaks, and what
# the docs say to do about it.

import errno
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from lltest import ABI, Landlock, errno_of, in_child, needs_abi, needs_landlock, timeout

SIGNAL_SCOPE_ABI = 6


def signal_children(allow_signal_scope):
    """Starts a child, restricts this process, starts another child; then
    signals both. Returns the errno of each kill()."""
    # cat exits when its stdin closes, so that a child we cannot signal
    # still ends with us; pipes, since the sandbox denies /dev/null.
    earlier = subprocess.Popen(["cat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    ruleset = Landlock.Ruleset().allow_read("/usr").allow_execute("/usr")
    if allow_signal_scope:
        ruleset.allow_scope(Landlock.Scope.SIGNAL)
    ruleset.apply()
    later = subprocess.Popen(["cat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    to_earlier = errno_of(os.kill, earlier.pid, signal.SIGTERM)
    to_later = errno_of(os.kill, later.pid, signal.SIGTERM)
    for child in (earlier, later):
        child.stdin.close()
        child.wait(timeout(30))
        child.stdout.close()
    return to_earlier, to_later


@needs_landlock
def test_signalling_a_child_started_before_apply():
    """From ABI 6 a sandbox cannot signal processes outside it, and a child
    started before apply() is outside: EPERM. One started after is inside."""
    to_earlier, to_later = in_child(signal_children, False)
    if ABI >= SIGNAL_SCOPE_ABI:
        assert to_earlier == errno.EPERM
    else:
        assert to_earlier == 0, "below ABI 6 the kernel does not restrict signals"
    assert to_later == 0


@needs_abi(SIGNAL_SCOPE_ABI)
def test_signalling_a_child_started_before_apply_with_the_signal_scope():
    """allow_scope(SIGNAL) is the way out the docs give."""
    assert in_child(signal_children, True) == (0, 0)


SCRIPT = textwrap.dedent('''\
    import sys
    import traceback

    import gi
    gi.require_version("Landlock", "1")
    from gi.repository import Landlock

    import early_module  # imported before the sandbox: it stays usable

    readable = ["/usr"] + sys.argv[1:]
    Landlock.Ruleset().allow_read(*readable).apply()


    def fail():
        raise RuntimeError("the line a traceback shows")


    try:
        fail()
    except RuntimeError:
        shown = 'raise RuntimeError(' in traceback.format_exc()
    print("source:", "shown" if shown else "lost")
    print("early:", early_module.VALUE)
    try:
        import late_module  # noqa: F401
        print("late: imported")
    except (ImportError, OSError) as error:
        print("late:", type(error).__name__)
    ''')


def run_script(directory, *readable):
    (directory / "script.py").write_text(SCRIPT)
    (directory / "early_module.py").write_text("VALUE = 'imported'\n")
    (directory / "late_module.py").write_text("VALUE = 'imported'\n")
    # -B: no __pycache__ (it could not be written anyway).
    result = subprocess.run([sys.executable, "-B", str(directory / "script.py"), *readable],
                            capture_output=True, text=True, timeout=timeout(60), check=False)
    assert result.returncode == 0, result.stderr
    return dict(line.split(": ", 1) for line in result.stdout.splitlines())


@needs_landlock
def test_a_script_that_cannot_read_its_own_directory(tmp_path):
    """A script restricted to /usr loses its own source (tracebacks show no
    lines) and cannot import a module beside it that it had not imported
    before; a module imported before apply() keeps working."""
    seen = run_script(tmp_path)
    # Python listed the directory when it imported early_module, so it finds
    # late_module.py, and opening it is refused: an import statement raises
    # PermissionError.
    assert seen == {"source": "lost", "early": "imported", "late": "PermissionError"}


@needs_landlock
def test_a_script_that_may_read_its_own_directory(tmp_path):
    """The fix the docs give: allow reading the script's directory (or
    import everything before apply())."""
    seen = run_script(tmp_path, str(tmp_path))
    assert seen == {"source": "shown", "early": "imported", "late": "imported"}


if __name__ == "__main__":
    sys.exit(pytest.main([__file__]))
