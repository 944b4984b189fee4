// smoke.js: landlock-glib through GJS and the typelib
//
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Run as `gjs -m smoke.js`: the checks that do not restrict anything run
// here, and each check that applies a ruleset runs in a child, `gjs -m
// smoke.js <case>`, since a Landlock restriction cannot be undone. Prints
// TAP; exits non-zero on the first failure.

import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import Landlock from 'gi://Landlock?version=1';
import System from 'system';

const MISSING_PATH = '/nonexistent/ll-gjs-smoke-missing';

class AssertionError extends Error {}

function assert(condition, message) {
    if (!condition)
        throw new AssertionError(message);
}

function assertEqual(actual, expected, what) {
    assert(actual === expected, `${what}: expected ${expected}, got ${actual}`);
}

// A file that exists under /usr whatever the distribution: gjs itself.
function fileUnderUsr() {
    const gjs = GLib.find_program_in_path('gjs');
    const candidates = [gjs, '/usr/bin/gjs', '/usr/lib/os-release', '/usr/share/dict/words'];
    for (const candidate of candidates) {
        if (candidate && candidate.startsWith('/usr/') &&
            GLib.file_test(candidate, GLib.FileTest.IS_REGULAR))
            return candidate;
    }
    throw new AssertionError('no readable file found under /usr');
}

// Child cases: each throws on failure; main() prints "ok child <case>" after.

function childBestEffortRead() {
    const usrFile = fileUnderUsr();
    const ruleset = new Landlock.Ruleset({strict: false});
    assert(ruleset.allow_read(['/usr']) === ruleset, 'allow_read() returns the ruleset');

    // GJS starts helper threads of its own (SpiderMonkey's GC and JIT
    // helpers) before any script runs. Below Landlock ABI 8 the kernel
    // restricts only the calling thread, so the library must report
    // PARTIALLY_ENFORCED and count the threads it left out; from ABI 8 it
    // uses TSYNC and covers them all.
    const status = ruleset.apply();
    const abi = Landlock.get_abi_version();
    if (abi < 8) {
        assertEqual(status, Landlock.Status.PARTIALLY_ENFORCED, 'status with GJS helper threads');
        assert(ruleset.get_unrestricted_threads() > 0,
            `unrestricted threads: ${ruleset.get_unrestricted_threads()}`);
        assert(ruleset.get_status_reason(), 'a PARTIALLY_ENFORCED status has a reason');
    } else {
        assertEqual(status, Landlock.Status.FULLY_ENFORCED, 'status with TSYNC');
    }

    // Allowed: reading under /usr.
    const [ok, contents] = GLib.file_get_contents(usrFile);
    assert(ok && contents.length > 0, `reading ${usrFile}`);

    // Denied: everything else, with EACCES.
    try {
        GLib.file_get_contents('/etc/passwd');
        throw new AssertionError('/etc/passwd was readable in the sandbox');
    } catch (e) {
        if (e instanceof AssertionError)
            throw e;
        assert(e.matches(GLib.FileError, GLib.FileError.ACCES),
            `reading /etc/passwd: expected GLib.FileError.ACCES, got ${e}`);
    }
}

function childStrictMissingPath() {
    const ruleset = new Landlock.Ruleset();
    assert(ruleset.strict, 'a new ruleset is strict');
    ruleset.allow_read([MISSING_PATH]);
    try {
        ruleset.apply();
        throw new AssertionError('apply() with a missing path did not throw');
    } catch (e) {
        if (e instanceof AssertionError)
            throw e;
        assert(e.matches(Landlock.Error, Landlock.Error.PATH),
            `expected Landlock.Error.PATH, got ${e}`);
        assert(e.message.includes(MISSING_PATH), `the message names the path: ${e.message}`);
    }
    // Nothing was applied: /etc/passwd is still readable.
    GLib.file_get_contents('/etc/passwd');
}

const CHILD_CASES = {
    'best-effort-read': childBestEffortRead,
    'strict-missing-path': childStrictMissingPath,
};

// Parent: checks in this process, and spawns the children.

const thisFile = GLib.filename_from_uri(import.meta.url)[0];

function runChild(name) {
    const gjs = GLib.find_program_in_path('gjs') ?? 'gjs';
    const proc = Gio.Subprocess.new([gjs, '-m', thisFile, name],
        Gio.SubprocessFlags.STDOUT_PIPE | Gio.SubprocessFlags.STDERR_MERGE);
    const [, stdout] = proc.communicate_utf8(null, null);
    assert(proc.get_if_exited() && proc.get_exit_status() === 0,
        `child "${name}" failed:\n${stdout}`);
    assert(stdout.includes(`ok child ${name}`),
        `child "${name}" did not report success:\n${stdout}`);
}

function testAbi() {
    const abi = Landlock.get_abi_version();
    assert(Number.isInteger(abi) && abi >= 1 && abi <= Landlock.ABI_MAX,
        `ABI ${abi} is between 1 and ${Landlock.ABI_MAX}`);
    // A new ruleset targets the running ABI and handles all of its rights.
    const ruleset = new Landlock.Ruleset();
    assertEqual(ruleset.abi, abi, 'Ruleset.abi');
    assertEqual(ruleset.get_handled_access_fs(), Landlock.access_fs_for_abi(abi),
        'a new ruleset handles every FS right of the running ABI');
    print(`# Landlock ABI ${abi}`);
}

function testEnums() {
    assertEqual(Landlock.AccessFs.READ_FILE, 1 << 2, 'AccessFs.READ_FILE');
    assertEqual(Landlock.AccessFs.RESOLVE_UNIX, 1 << 16, 'AccessFs.RESOLVE_UNIX');
    assertEqual(Landlock.AccessNet.CONNECT_TCP, 1 << 1, 'AccessNet.CONNECT_TCP');
    assertEqual(Landlock.Scope.SIGNAL, 1 << 1, 'Scope.SIGNAL');
    assertEqual(Landlock.Status.FULLY_ENFORCED, 2, 'Status.FULLY_ENFORCED');
    assertEqual(Landlock.Error.PATH, 3, 'Error.PATH');
    assertEqual(Landlock.access_fs_for_abi(7), 0xFFFF, 'access_fs_for_abi(7)');
}

function testProperties() {
    const ruleset = new Landlock.Ruleset({strict: false});
    assertEqual(ruleset.strict, false, 'strict set at construction');
    assertEqual(new Landlock.Ruleset().strict, true, 'strict by default');
    assertEqual(ruleset.abi, Landlock.get_abi_version(), 'the abi property');
}

function main(args) {
    if (args.length > 0) {
        const childCase = CHILD_CASES[args[0]];
        if (!childCase) {
            printerr(`unknown case ${args[0]}`);
            return 2;
        }
        childCase();
        print(`ok child ${args[0]}`);
        return 0;
    }

    const tests = [
        ['abi', testAbi],
        ['enums', testEnums],
        ['properties', testProperties],
        ['best-effort read in a child', () => runChild('best-effort-read')],
        ['strict missing path in a child', () => runChild('strict-missing-path')],
    ];
    print(`1..${tests.length}`);
    let failed = 0;
    tests.forEach(([name, test], i) => {
        try {
            test();
            print(`ok ${i + 1} - ${name}`);
        } catch (e) {
            failed++;
            print(`not ok ${i + 1} - ${name}`);
            for (const line of `${e}\n${e.stack ?? ''}`.split('\n'))
                print(`# ${line}`);
        }
    });
    return failed > 0 ? 1 : 0;
}

let exitCode;
try {
    exitCode = main(System.programArgs);
} catch (e) {
    printerr(`${e}\n${e.stack ?? ''}`);
    exitCode = 1;
}
System.exit(exitCode);
