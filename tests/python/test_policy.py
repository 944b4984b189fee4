# test_policy.py: policy files (the landlockconfig JSON format) through the
# typelib: Landlock.Ruleset.new_from_data(), new_from_bytes(), new_from_file(),
# new_from_resource(), to_json(),
# the LL_ERROR_POLICY messages, and a policy enforced in a child.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import errno
import json
import os

from lltest import ABI, GLib, Landlock, errno_of, in_child, needs_landlock

import pytest

VIEWER = """{
  "abi": 4,
  "variable": [ { "name": "data", "literal": [ "/usr/share", "/etc" ] } ],
  "ruleset": [ { "handledAccessFs": [ "abi.all" ], "handledAccessNet": [ "bind_tcp" ] } ],
  "pathBeneath": [
    { "allowedAccess": [ "abi.read_execute" ], "parent": [ "/usr" ] },
    { "allowedAccess": [ "read_file", "read_dir" ], "parent": [ "${data}/./" ] }
  ],
  "netPort": [ { "allowedAccess": [ "bind_tcp" ], "port": [ 8080, 8080 ] } ]
}
"""


def normalised(text):
    return Landlock.Ruleset.to_json(Landlock.Ruleset.new_from_data(text, -1))


def test_load_from_data():
    ruleset = Landlock.Ruleset.new_from_data(VIEWER, -1)
    assert isinstance(ruleset, Landlock.Ruleset)
    document = json.loads(ruleset.to_json())
    # Normalised: explicit rights, no groups, no variables, paths cleaned,
    # duplicates gone.
    assert "variable" not in document
    parents = {p for rule in document["pathBeneath"] for p in rule["parent"]}
    assert parents == {"/usr", "/usr/share", "/etc"}
    assert [rule["port"] for rule in document["netPort"]] == [[8080]]
    for rule in document["ruleset"]:
        for rights in rule.values():
            assert not any(r.startswith("abi.") for r in rights)
    assert "read_file" in document["ruleset"][0]["handledAccessFs"]
    assert document["ruleset"][0]["handledAccessNet"] == ["bind_tcp"]


def test_load_from_file(tmp_path):
    path = tmp_path / "viewer.json"
    path.write_text(VIEWER)
    from_file = Landlock.Ruleset.new_from_file(str(path))
    assert from_file.to_json() == normalised(VIEWER)

    with pytest.raises(GLib.Error) as info:
        Landlock.Ruleset.new_from_file(str(tmp_path / "missing.json"))
    assert info.value.matches(Landlock.error_quark(), Landlock.Error.POLICY)
    assert "missing.json" in info.value.message


def test_to_json_round_trip():
    first = normalised(VIEWER)
    again = Landlock.Ruleset.new_from_data(first, -1).to_json()
    assert again == first
    assert json.loads(again) == json.loads(first)


def test_compose_from_files(tmp_path):
    wide = tmp_path / "wide.json"
    narrow = tmp_path / "narrow.json"
    wide.write_text(VIEWER)
    narrow.write_text('{"ruleset": [{"handledAccessFs": ["read_file"]}]}')
    composed = json.loads(Landlock.Ruleset.new_from_files([str(wide), str(narrow)]).to_json())
    # The intersection of what they handle; rights are masked by it.
    assert composed["ruleset"][0]["handledAccessFs"] == ["read_file"]
    assert "handledAccessNet" not in composed["ruleset"][0]
    for rule in composed.get("pathBeneath", []):
        assert rule["allowedAccess"] == ["read_file"]


def test_error_has_path_position_and_suggestion(tmp_path):
    path = tmp_path / "typo.json"
    path.write_text(VIEWER.replace('[ "read_file", "read_dir" ]', '[ "read_files", "read_dir" ]'))
    with pytest.raises(GLib.Error) as info:
        Landlock.Ruleset.new_from_file(str(path))
    error = info.value
    assert error.matches(Landlock.error_quark(), Landlock.Error.POLICY)
    assert error.domain == "ll-error-quark"
    message = error.message
    assert "typo.json:7:" in message, message
    assert "pathBeneath[1].allowedAccess[0]" in message, message
    assert "unknown filesystem access right 'read_files'" in message, message
    assert "did you mean 'read_file'?" in message, message


@pytest.mark.parametrize("document, words", [
    ('{"ruleset": [{"handledAccesFs": ["execute"]}]}', ["ruleset[0]", "handledAccesFs", "handledAccessFs"]),
    ('{"netPort": [{"allowedAccess": ["bind_tcp"], "port": [-1]}]}', ["netPort[0].port[0]"]),
    ('{"pathBeneath": [{"allowedAccess": [], "parent": ["/"]}]}', ["pathBeneath[0].allowedAccess"]),
    ('{"pathBeneath": [{"allowedAccess": ["execute"], "parent": ["${nope}"]}]}', ["nope"]),
    ('{"ruleset": [{"scoped": ["signal"]}]} trailing', ["<data>:1:"]),
])
def test_rejected_documents(document, words):
    with pytest.raises(GLib.Error) as info:
        Landlock.Ruleset.new_from_data(document, -1)
    assert info.value.matches(Landlock.error_quark(), Landlock.Error.POLICY)
    for word in words:
        assert word in info.value.message, info.value.message


def test_load_from_bytes():
    # GLib.Bytes carries what a str cannot: a NUL byte, invalid UTF-8.
    ruleset = Landlock.Ruleset.new_from_bytes(GLib.Bytes.new(VIEWER.encode()))
    assert ruleset.to_json() == normalised(VIEWER)
    for document, message in [
        (b'{"ruleset": [{"scoped": ["signal"]}]}\n\0', "<data>:2:1: the document holds a NUL byte"),
        (b'{"pathBeneath": [{"allowedAccess": ["execute"], "parent": ["/caf\xe9"]}]}',
         "<data>:1:65: the document is not valid UTF-8"),
    ]:
        with pytest.raises(GLib.Error) as info:
            Landlock.Ruleset.new_from_bytes(GLib.Bytes.new(document))
        assert info.value.matches(Landlock.error_quark(), Landlock.Error.POLICY)
        assert info.value.message.startswith(message), info.value.message


def test_missing_resource():
    with pytest.raises(GLib.Error) as info:
        Landlock.Ruleset.new_from_resource("/org/gnome/LandlockGlib/missing.json")
    assert info.value.matches(Landlock.error_quark(), Landlock.Error.POLICY)
    assert "Cannot read the policy resource" in info.value.message


def test_explosion_is_bounded():
    values = ", ".join(f'"{i}"' for i in range(20))
    document = ('{"variable": [{"name": "a", "literal": [%s]}], "pathBeneath": '
                '[{"allowedAccess": ["execute"], "parent": ["/${a}/${a}/${a}/${a}/${a}"]}]}' % values)
    with pytest.raises(GLib.Error) as info:
        Landlock.Ruleset.new_from_data(document, -1)
    assert info.value.matches(Landlock.error_quark(), Landlock.Error.POLICY)
    assert "more than 65536 paths" in info.value.message


@needs_landlock
@pytest.mark.skipif(ABI < 1, reason="needs Landlock")
def test_policy_enforced_in_child(tmp_path):
    allowed = tmp_path / "allowed"
    denied = tmp_path / "denied"
    allowed.mkdir()
    denied.mkdir()
    (allowed / "file").write_text("yes")
    (denied / "file").write_text("no")
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({
        "ruleset": [{"handledAccessFs": ["execute", "read_file", "read_dir", "write_file"]}],
        "variable": [{"name": "data", "literal": [str(allowed)]}],
        "pathBeneath": [{"allowedAccess": ["read_file", "read_dir"], "parent": ["${data}"]}],
    }))

    def child():
        ruleset = Landlock.Ruleset.new_from_file(str(policy))
        ruleset.apply()
        with open(allowed / "file") as f:
            content = f.read()
        return {
            "content": content,
            "listdir_allowed": errno_of(os.listdir, str(allowed)),
            "read_denied": errno_of(os.open, str(denied / "file"), os.O_RDONLY),
            "listdir_denied": errno_of(os.listdir, str(denied)),
            "write_allowed": errno_of(os.open, str(allowed / "file"), os.O_WRONLY),
        }

    seen = in_child(child)
    assert seen == {
        "content": "yes",
        "listdir_allowed": 0,
        "read_denied": errno.EACCES,
        "listdir_denied": errno.EACCES,
        "write_allowed": errno.EACCES,
    }
