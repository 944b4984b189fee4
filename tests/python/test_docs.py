# SPDX-License-Identifier: LGPL-2.1-or-later
"""The documentation's tables of what each Landlock ABI brings agree with
the library's own table (ll-abi.c, read here through the *_for_abi()
functions of the typelib).

A right of a new ABI is added in one place, ll-abi.c; these tests then
fail until the README and the reference's overview say it too, in the
right row."""

import pathlib
import re

import gi

gi.require_version("Landlock", "1")
from gi.repository import Landlock  # noqa: E402

SOURCE = pathlib.Path(__file__).resolve().parents[2]

KINDS = [
    (Landlock.AccessFs, Landlock.access_fs_for_abi),
    (Landlock.AccessNet, Landlock.access_net_for_abi),
    (Landlock.Scope, Landlock.scope_for_abi),
    (Landlock.RestrictFlags, Landlock.restrict_flags_for_abi),
    (Landlock.RuleFlags, Landlock.rule_flags_for_abi),
]

# Rows may say what a bit is in words rather than by its constant: the
# words, one of which the row of the bit's ABI must hold.
WORDS = {
    "LL_ACCESS_FS_EXECUTE": ["filesystem"],
    "LL_ACCESS_NET_BIND_TCP": ["TCP"],
    "LL_ACCESS_NET_CONNECT_TCP": ["TCP"],
    "LL_ACCESS_NET_BIND_UDP": ["UDP"],
    "LL_ACCESS_NET_CONNECT_SEND_UDP": ["UDP"],
    "LL_SCOPE_ABSTRACT_UNIX_SOCKET": ["abstract UNIX"],
    "LL_SCOPE_SIGNAL": ["signal"],
    "LL_RESTRICT_FLAGS_LOG_SAME_EXEC_OFF": ["audit"],
    "LL_RESTRICT_FLAGS_LOG_NEW_EXEC_ON": ["audit"],
    "LL_RESTRICT_FLAGS_LOG_SUBDOMAINS_OFF": ["audit"],
    "LL_RULE_FLAGS_QUIET": ["quiet"],
}
# The other rights of ABI 1 are "filesystem" too.
ABI_1_FS_WORD = "filesystem"


def bit_names(flags_type, bits):
    """The constants (LL_ACCESS_FS_REFER) of each bit of bits."""
    names = []
    for value, flag in sorted(flags_type.__flags_values__.items()):
        if value != 0 and value & (value - 1) == 0 and bits & value:
            names.append([n for n in flag.value_names if not n.endswith("_NONE")][0])
    return names


def introduced_by(abi):
    """The constants of every bit that ABI abi brings."""
    names = []
    for flags_type, for_abi in KINDS:
        new = int(for_abi(abi)) & ~int(for_abi(abi - 1))
        names += bit_names(flags_type, new)
    return names


def introducing_abi(name):
    for abi in range(1, Landlock.ABI_MAX + 1):
        if name in introduced_by(abi):
            return abi
    return None


def readme_rows():
    text = (SOURCE / "README.md").read_text()
    start = text.index("| Landlock ABI | Linux | adds |")
    rows = {}
    for line in text[start:].splitlines()[2:]:
        match = re.match(r"^\| (\d+) \| [\d.]+ \| (.*) \|$", line)
        if match is None:
            break
        rows[int(match.group(1))] = match.group(2)
    return rows


def overview_rows():
    text = (SOURCE / "docs" / "reference" / "overview.xml").read_text()
    start = text.index("<entry>ABI</entry><entry>Linux</entry><entry>What it adds</entry>")
    end = text.index("</tbody>", start)
    rows = {}
    for match in re.finditer(r"<row><entry>(\d+)</entry><entry>[\d.]+</entry><entry>(.*?)</entry></row>",
                             text[start:end]):
        rows[int(match.group(1))] = match.group(2)
    return rows


def check_table(rows, where, every_constant_from):
    assert sorted(rows) == list(range(1, Landlock.ABI_MAX + 1)), \
        f"{where}: one row per ABI from 1 to {Landlock.ABI_MAX}, found {sorted(rows)}"
    for abi, text in rows.items():
        # Every constant a row names came with that row's ABI.
        for name in re.findall(r"LL_[A-Z_]+", text):
            if name.startswith("LL_ABI"):
                continue
            assert introducing_abi(name) == abi, \
                f"{where}: the row of ABI {abi} names {name}, which ABI {introducing_abi(name)} brought"
        # Every bit the ABI brought is in its row, by name or in words.
        for name in introduced_by(abi):
            if name in text:
                continue
            assert abi < every_constant_from, \
                f"{where}: the row of ABI {abi} does not name {name}"
            words = WORDS.get(name, [ABI_1_FS_WORD] if abi == 1 else [])
            assert any(w.lower() in text.lower() for w in words), \
                f"{where}: the row of ABI {abi} says nothing of {name} (neither the name nor {words})"


def test_readme_table():
    check_table(readme_rows(), "README.md", every_constant_from=Landlock.ABI_MAX + 1)


def test_overview_table():
    # From ABI 2 the reference names every constant, for the links.
    check_table(overview_rows(), "docs/reference/overview.xml", every_constant_from=2)


def test_every_bit_has_an_abi():
    """The library's table covers every bit of the public flags."""
    for flags_type, for_abi in KINDS:
        every = 0
        for value in flags_type.__flags_values__:
            every |= value
        assert int(for_abi(Landlock.ABI_MAX)) == every, flags_type
        assert int(for_abi(0)) == 0
        for abi in range(1, Landlock.ABI_MAX + 1):
            assert int(for_abi(abi - 1)) & ~int(for_abi(abi)) == 0, "an ABI never loses a bit"
