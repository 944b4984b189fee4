// errors.js: every LlError that GJS can reach, caught as GLib.Error
//
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Problems found while building a ruleset are checked with check() in this
// process (it never restricts anything); the errors that only apply()
// reports run in children, which then prove that nothing was restricted.
// NOT_AVAILABLE, DISABLED, RULESET, RESTRICT and NETWORK_DISABLED need a
// kernel that refuses: the C suite covers them by emulating the kernel.

import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import Landlock from 'gi://Landlock?version=1';

import * as H from './harness.js';

const E = Landlock.Error;
const MISSING_PATH = '/nonexistent/ll-gjs-errors-missing';

// After a failed apply(): the process must be as free as before.
function assertNotRestricted() {
    GLib.file_get_contents('/etc/passwd');
}

function assertApplyFails(ruleset, code, what) {
    const error = H.assertThrows(() => ruleset.apply(), E, code, what);
    H.assert(!ruleset.applied, `${what}: the ruleset is not applied after the error`);
    assertNotRestricted();
    return error;
}

// In this process.

function testErrorDomain() {
    H.assertEqual(GLib.quark_to_string(Landlock.Error.quark()), 'll-error-quark', 'the error quark');
    H.assertEqual(E.NOT_AVAILABLE, 0, 'Error.NOT_AVAILABLE');
    H.assertEqual(E.NETWORK_DISABLED, 8, 'Error.NETWORK_DISABLED');
}

function testInvalidPorts() {
    for (const port of [70000, 65536, -1]) {
        const ruleset = new Landlock.Ruleset();
        ruleset.add_net_rule(port, Landlock.AccessNet.BIND_TCP, Landlock.RuleFlags.NONE);
        const error = H.assertThrows(() => ruleset.check(), E, E.INVALID, `add_net_rule(${port}, ...)`);
        H.assert(error.message.includes(String(port)) && error.message.includes('65535'),
            `the message names the port and the range: ${error.message}`);
    }
    // The limits themselves are fine.
    new Landlock.Ruleset().add_net_rule(0, Landlock.AccessNet.BIND_TCP, 0)
        .add_net_rule(65535, Landlock.AccessNet.CONNECT_TCP, 0).check();
}

function testInvalidRules() {
    H.assertThrows(() => new Landlock.Ruleset().add_path_rule([''], Landlock.AccessFs.READ_FILE).check(),
        E, E.INVALID, 'an empty path');
    H.assertThrows(() => new Landlock.Ruleset().add_net_rule(80, Landlock.AccessNet.NONE, 0).check(),
        E, E.INVALID, 'a network rule granting nothing');
    // GJS itself refuses bits that are no value of the flags type.
    let threw = false;
    try {
        new Landlock.Ruleset().add_path_rule(['/usr'], 1 << 20);
    } catch (e) {
        threw = !(e instanceof GLib.Error);
    }
    H.assert(threw, 'GJS refuses an unknown AccessFs bit before calling the library');
}

function testFirstProblemWins() {
    const ruleset = new Landlock.Ruleset();
    ruleset.add_net_rule(70000, Landlock.AccessNet.BIND_TCP, 0)
        .add_net_rule(-5, Landlock.AccessNet.BIND_TCP, 0);
    const error = H.assertThrows(() => ruleset.check(), E, E.INVALID, 'two bad ports');
    H.assert(error.message.includes('70000') && error.message.includes('more problems'),
        `the first problem is reported, with a note about the others: ${error.message}`);
}

// Children.

function childPath() {
    H.requireLandlock();
    const ruleset = new Landlock.Ruleset();
    ruleset.allow_read(['/usr', MISSING_PATH]);
    const error = assertApplyFails(ruleset, E.PATH, 'a missing path');
    H.assert(error.message.includes(MISSING_PATH), `the message names the path: ${error.message}`);

    // With ignore-missing, the path is skipped and listed; it grants less,
    // so it lowers no status (only GJS's own threads can, below ABI 8).
    const lenient = new Landlock.Ruleset({ignore_missing: true});
    lenient.allow_read(['/usr', MISSING_PATH]);
    const status = lenient.apply();
    H.assertEqual(lenient.skipped_paths.join(' '), MISSING_PATH, 'skipped-paths lists the path');
    H.assertEqual(status, lenient.unrestricted_threads === 0
        ? Landlock.Status.FULLY_ENFORCED : Landlock.Status.PARTIALLY_ENFORCED,
    'status with a skipped path: as without it');
    H.assert(!(lenient.status_reason ?? '').includes(MISSING_PATH),
        `the reason is about protection, not the skipped path: ${lenient.status_reason}`);
    H.assertThrows(() => GLib.file_get_contents('/etc/passwd'), GLib.FileError, GLib.FileError.ACCES,
        'reading /etc/passwd in the sandbox');
}

function childInvalidApply() {
    H.requireLandlock();
    // The port problem is reported by apply() too, before anything happens.
    assertApplyFails(new Landlock.Ruleset().add_net_rule(70000, Landlock.AccessNet.BIND_TCP, 0),
        E.INVALID, 'apply() with port 70000');
    assertApplyFails(new Landlock.Ruleset().add_net_rule(-1, Landlock.AccessNet.CONNECT_TCP, 0),
        E.INVALID, 'apply() with port -1');
    // A ruleset that handles nothing would restrict nothing.
    assertApplyFails(new Landlock.Ruleset().set_handled_access(0, 0, 0), E.INVALID,
        'apply() of a ruleset that handles nothing');

    // A ruleset applies once.
    const ruleset = new Landlock.Ruleset().allow_read(['/usr']);
    H.applyInGjs(ruleset);
    const error = H.assertThrows(() => ruleset.apply(), E, E.INVALID, 'applying twice');
    H.assert(error.message.includes('already applied'), `the message says why: ${error.message}`);
    H.assertThrows(() => ruleset.check(), E, E.INVALID, 'check() after apply()');
}

// Strict mode and what ABI 7 lacks; best-effort drops it.
const NEWER = {
    'resolve-unix': {
        abi: 9,
        name: 'RESOLVE_UNIX',
        add: (ruleset, dir) => ruleset.add_path_rule([dir], Landlock.AccessFs.RESOLVE_UNIX),
    },
    'udp': {
        abi: 10,
        name: 'UDP',
        add: ruleset => ruleset.allow_udp([5353], true, true),
    },
    'tsync': {
        abi: 8,
        name: 'TSYNC',
        add: ruleset => {
            ruleset.restrict_flags = Landlock.RestrictFlags.TSYNC;
            return ruleset;
        },
    },
    'quiet': {
        abi: 10,
        name: 'QUIET',
        add: (ruleset, dir) => ruleset.add_path_rule_full([dir], Landlock.AccessFs.READ_FILE,
            Landlock.RuleFlags.QUIET),
    },
};

function childIncompatible(feature, tmp) {
    const newer = NEWER[feature];
    H.requireLandlock();
    if (H.ABI >= newer.abi)
        H.skip(`the kernel has ABI ${H.ABI}, which has ${newer.name} (ABI ${newer.abi})`);

    const strict = new Landlock.Ruleset();
    newer.add(strict, tmp);
    const error = assertApplyFails(strict, E.INCOMPATIBLE, `strict ${newer.name}`);
    H.assert(error.message.includes(`ABI ${newer.abi}`) && error.message.includes(`ABI ${H.ABI}`),
        `the message names the ABI needed and the ABI present: ${error.message}`);

    const bestEffort = new Landlock.Ruleset({strict: false});
    H.assertEqual(newer.add(bestEffort, tmp), bestEffort, 'the builder returns the ruleset');
    H.applyInGjs(bestEffort, {expectDropped: true});
    H.assert(bestEffort.status_reason.includes('dropped') &&
        bestEffort.status_reason.includes(`ABI ${newer.abi}`),
        `the reason says what was dropped: ${bestEffort.status_reason}`);
    H.assertThrows(() => GLib.file_get_contents('/etc/passwd'),
        GLib.FileError, GLib.FileError.ACCES, 'the rest is enforced');
}

function childLayerLimit() {
    H.requireLandlock();
    let layers = 0;
    let error = null;
    for (let i = 0; i < 20 && error === null; i++) {
        try {
            new Landlock.Ruleset().allow_read(['/']).allow_write(['/tmp']).apply();
            layers++;
        } catch (e) {
            error = e;
        }
    }
    H.assert(error !== null, `${layers} layers applied without an error`);
    H.assert(error.matches(E, E.LAYER_LIMIT), `expected Landlock.Error.LAYER_LIMIT, got ${error}`);
    H.assertEqual(layers, 16, 'layers applied before the limit (an unsandboxed test runner)');
    // The layers still hold: nothing outside /tmp can be written.
    H.assertThrows(() => GLib.file_set_contents('/var/tmp/ll-gjs-layers', 'x'), GLib.FileError, GLib.FileError.ACCES,
        'writing outside /tmp');
}

// POLICY: from a string, and from GLib.Bytes, which may hold what a
// JavaScript string cannot pass (a NUL byte).
function testPolicy() {
    const policy = '{"ruleset": [{"scoped": ["signal"]}]}';
    const fromString = Landlock.Ruleset.new_from_data(policy, -1);
    H.assertEqual(fromString.scoped, Landlock.Scope.SIGNAL, 'scoped of a policy string');
    const fromBytes = Landlock.Ruleset.new_from_bytes(new GLib.Bytes(new TextEncoder().encode(policy)));
    H.assertEqual(fromBytes.to_json(), fromString.to_json(), 'the same policy through GLib.Bytes');

    let e = H.assertThrows(() => Landlock.Ruleset.new_from_data('{"ruleset": [{"scoped": ["signals"]}]}', -1),
        Landlock.Error, Landlock.Error.POLICY, 'an unknown scope');
    H.assert(e.message.includes("did you mean 'signal'?"), e.message);
    const nul = new TextEncoder().encode(`${policy}\n\0`);
    e = H.assertThrows(() => Landlock.Ruleset.new_from_bytes(new GLib.Bytes(nul)),
        Landlock.Error, Landlock.Error.POLICY, 'a NUL byte');
    H.assert(e.message.startsWith('<data>:2:1: the document holds a NUL byte'), e.message);
    H.assertThrows(() => Landlock.Ruleset.new_from_resource('/org/gnome/LandlockGlib/missing.json'),
        Landlock.Error, Landlock.Error.POLICY, 'a missing resource');
}

H.main(import.meta.url, {
    tests: [
        ['the error domain', testErrorDomain],
        ['INVALID: ports out of range (70000, 65536, -1)', testInvalidPorts],
        ['INVALID: empty path, rule granting nothing, unknown bits', testInvalidRules],
        ['INVALID: the first problem is reported', testFirstProblemWins],
        ['PATH: missing path; ignore-missing skips it', () => H.runChild('path')],
        ['INVALID from apply(), applying twice', () => H.runChild('invalid-apply')],
        ...Object.entries(NEWER).map(([feature, newer]) => [
            `INCOMPATIBLE: strict ${newer.name} (ABI ${newer.abi}); best-effort drops it`,
            () => H.withTempDir(tmp => H.runChild('incompatible', feature, tmp)),
        ]),
        ['LAYER_LIMIT after 16 layers', () => H.runChild('layer-limit')],
        ['POLICY: from a string, GLib.Bytes and a resource', testPolicy],
        ['NOT_AVAILABLE, DISABLED, RULESET, RESTRICT, NETWORK_DISABLED', () =>
            H.skip('need a kernel that refuses Landlock: covered by the C suite\'s kernel emulation')],
    ],
    cases: {
        'path': childPath,
        'invalid-apply': childInvalidApply,
        'incompatible': childIncompatible,
        'layer-limit': childLayerLimit,
    },
});
