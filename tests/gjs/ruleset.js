// ruleset.js: LlRuleset's properties, notifications, honest status and
// sandboxed subprocesses, from GJS
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import Landlock from 'gi://Landlock?version=1';

import * as H from './harness.js';

const PROPERTY_DEFAULTS = {
    strict: true,
    ignore_missing: false,
    all_threads: true,
    restrict_flags: Landlock.RestrictFlags.NONE,
    applied: false,
    status: Landlock.Status.NOT_ENFORCED,
    status_reason: null,
    unrestricted_threads: 0,
};

function testDefaults() {
    const ruleset = new Landlock.Ruleset();
    for (const [name, value] of Object.entries(PROPERTY_DEFAULTS))
        H.assertEqual(ruleset[name], value, `default of ${name}`);
    H.assertEqual(ruleset.abi, H.ABI, 'abi');
    H.assertEqual(ruleset.handled_access_fs, Landlock.access_fs_for_abi(H.ABI), 'handled_access_fs');
    H.assertEqual(ruleset.handled_access_net, Landlock.access_net_for_abi(H.ABI), 'handled_access_net');
    H.assertEqual(ruleset.scoped, Landlock.scope_for_abi(H.ABI), 'scoped');
    // The getters agree with the properties.
    H.assertEqual(ruleset.get_strict(), true, 'get_strict()');
    H.assertEqual(ruleset.get_handled_access_fs(), ruleset.handled_access_fs, 'get_handled_access_fs()');
    H.assertEqual(ruleset.get_status(), ruleset.status, 'get_status()');
    if (H.ABI === 7) {
        H.assertEqual(ruleset.handled_access_fs, 0xFFFF, 'every FS right of ABI 7');
        H.assertEqual(ruleset.handled_access_net,
            Landlock.AccessNet.BIND_TCP | Landlock.AccessNet.CONNECT_TCP, 'TCP on ABI 7');
    }
}

function testConstructProperties() {
    const ruleset = new Landlock.Ruleset({
        strict: false,
        ignore_missing: true,
        all_threads: false,
        restrict_flags: Landlock.RestrictFlags.LOG_NEW_EXEC_ON,
    });
    H.assertEqual(ruleset.strict, false, 'strict');
    H.assertEqual(ruleset.ignore_missing, true, 'ignore_missing');
    H.assertEqual(ruleset.all_threads, false, 'all_threads');
    H.assertEqual(ruleset.restrict_flags, Landlock.RestrictFlags.LOG_NEW_EXEC_ON, 'restrict_flags');
    let threw = false;
    try {
        ruleset.abi = 1;
    } catch {
        threw = true;
    }
    H.assert(threw && ruleset.abi === H.ABI, 'abi is read-only');
}

function testNotify() {
    const ruleset = new Landlock.Ruleset();
    const seen = [];
    ruleset.connect('notify', (_object, pspec) => seen.push(pspec.get_name()));
    let strictNotified = 0;
    const id = ruleset.connect('notify::strict', () => strictNotified++);

    ruleset.strict = false;
    H.assertEqual(strictNotified, 1, 'notify::strict after a change');
    ruleset.strict = false;
    H.assertEqual(strictNotified, 1, 'notify::strict after setting the same value (explicit notify)');
    ruleset.set_strict(true);
    H.assertEqual(strictNotified, 2, 'notify::strict after set_strict()');
    ruleset.disconnect(id);

    ruleset.ignore_missing = true;
    ruleset.all_threads = false;
    ruleset.restrict_flags = Landlock.RestrictFlags.LOG_SUBDOMAINS_OFF;
    ruleset.allow_all_network();
    ruleset.allow_all_network();
    ruleset.allow_scope(Landlock.Scope.SIGNAL);
    ruleset.set_handled_access(Landlock.AccessFs.READ_FILE, 0, 0);
    // set_handled_access() notifies under g_object_freeze_notify(), which
    // does not keep the order: compare the sets of names.
    // A handled set and what the sandbox leaves open notify together.
    H.assertEqual(seen.slice(0, 9).join(' '),
        'strict strict ignore-missing all-threads restrict-flags handled-access-net ' +
        'unrestricted-access-net scoped unrestricted-scopes',
        'notifications, in order, once per change');
    H.assertEqual(seen.slice(9).sort().join(' '),
        'handled-access-fs scoped unrestricted-access-fs unrestricted-scopes',
        'notifications of set_handled_access() (the network was already unhandled)');
}

function testChaining() {
    const ruleset = new Landlock.Ruleset();
    const chained = ruleset.allow_read(['/usr']).allow_write(['/tmp']).allow_execute(['/usr/bin'])
        .allow_read_write(['/var/tmp']).add_path_rule(['/etc'], Landlock.AccessFs.READ_FILE)
        .allow_network([80, 443], false, true).add_net_rule(8080, Landlock.AccessNet.BIND_TCP, 0)
        .allow_scope(Landlock.Scope.SIGNAL);
    H.assert(chained === ruleset, 'every builder returns the same JS object');
    ruleset.check();
}

// The status of a GJS process (helper threads) is partial below ABI 8; the
// sandbox still holds for the main thread, which runs the script.
function childHonestStatus(tmp) {
    H.requireLandlock();
    const allowed = GLib.build_filenamev([tmp, 'allowed']);
    const denied = GLib.build_filenamev([tmp, 'denied']);
    H.writeFile(allowed, 'yes\n');
    H.writeFile(denied, 'no\n');

    const threads = Landlock.get_thread_count();
    H.assert(threads > 1, `GJS runs helper threads: ${threads} threads`);

    const ruleset = new Landlock.Ruleset();
    const notified = new Set();
    ruleset.connect('notify', (_object, pspec) => notified.add(pspec.get_name()));
    ruleset.allow_read([allowed]);
    const status = H.applyInGjs(ruleset);
    if (H.ABI < 8) {
        H.assertEqual(status, Landlock.Status.PARTIALLY_ENFORCED, 'status');
        // Threads may come and go, but not many between the two counts.
        H.assert(Math.abs(ruleset.unrestricted_threads - (threads - 1)) <= 2,
            `unrestricted_threads ${ruleset.unrestricted_threads} for ${threads} threads`);
        for (const name of ['applied', 'status', 'status-reason', 'unrestricted-threads'])
            H.assert(notified.has(name), `notify::${name} on apply() (got ${[...notified]})`);
    }
    print(`# status ${status}, ${ruleset.unrestricted_threads} unrestricted threads: ${ruleset.status_reason}`);

    // The main thread is sandboxed.
    GLib.file_get_contents(allowed);
    H.assertThrows(() => GLib.file_get_contents(denied), GLib.FileError, GLib.FileError.ACCES, 'the denied file');
    H.assertThrows(() => GLib.file_set_contents(GLib.build_filenamev([tmp, 'new']), 'x'),
        GLib.FileError, GLib.FileError.ACCES, 'creating a file');
}

function childAllThreadsOff() {
    H.requireLandlock();
    const ruleset = new Landlock.Ruleset({all_threads: false}).allow_read(['/usr']);
    const status = ruleset.apply();
    H.assertEqual(status, Landlock.Status.PARTIALLY_ENFORCED, 'status with all_threads = false');
    H.assert(ruleset.unrestricted_threads > 0, 'unrestricted threads');
    H.assert(ruleset.status_reason.includes('all-threads'), `the reason names all-threads: ${ruleset.status_reason}`);
    H.assertThrows(() => GLib.file_get_contents('/etc/passwd'), GLib.FileError, GLib.FileError.ACCES, '/etc/passwd');
}

function testTsyncFull() {
    H.requireAbi(8, 'restricting every thread (TSYNC)');
    H.runChild('tsync-full');
}

function childTsyncFull() {
    const ruleset = new Landlock.Ruleset().allow_read(['/usr']);
    H.assertEqual(ruleset.apply(), Landlock.Status.FULLY_ENFORCED, 'status with TSYNC');
    H.assertEqual(ruleset.unrestricted_threads, 0, 'unrestricted threads');
}

// spawnv(): the forked child is single-threaded, so FULLY_ENFORCED, and
// GJS itself stays free.
function sandboxForCat() {
    const ruleset = new Landlock.Ruleset();
    ruleset.allow_read(H.systemDirs().filter(dir => dir !== '/etc'));
    ruleset.allow_execute(H.systemDirs());
    return ruleset;
}

function cat(spawn, path) {
    const proc = spawn(['/bin/cat', path]);
    const [, stdout, stderr] = proc.communicate_utf8(null, null);
    return {status: proc.get_if_exited() ? proc.get_exit_status() : -1, stdout, stderr};
}

function checkCat(ruleset, spawn, deniedFile) {
    const usrFile = GLib.find_program_in_path('gjs');
    const ok = cat(spawn, usrFile);
    H.assertEqual(ok.status, 0, `cat of ${usrFile} in the sandbox: ${ok.stderr}`);
    const denied = cat(spawn, deniedFile);
    H.assert(denied.status !== 0 && denied.stderr.includes('Permission denied'),
        `cat of ${deniedFile} in the sandbox is denied: status ${denied.status}, ${denied.stderr}`);
    H.assertEqual(ruleset.status, Landlock.Status.FULLY_ENFORCED, 'status of a sandboxed child');
    H.assertEqual(ruleset.unrestricted_threads, 0, 'unrestricted threads of a sandboxed child');
    H.assertEqual(ruleset.status_reason, null, 'no reason for a full sandbox');
    H.assertEqual(ruleset.applied, false, 'this process is not restricted');
    // GJS itself is not restricted.
    const [, contents] = GLib.file_get_contents(deniedFile);
    H.assert(contents.length > 0, 'the parent reads the file denied to the child');
}

function testSpawnv() {
    H.requireLandlock();
    H.withTempDir(tmp => {
        const deniedFile = GLib.build_filenamev([tmp, 'secret']);
        H.writeFile(deniedFile, 'secret\n');
        const ruleset = sandboxForCat();
        const flags = Gio.SubprocessFlags.STDOUT_PIPE | Gio.SubprocessFlags.STDERR_PIPE;
        checkCat(ruleset, argv => ruleset.spawnv(argv, flags), deniedFile);

        // As the brief of the API shows it: only stderr piped.
        const proc = ruleset.spawnv(['/bin/cat', deniedFile], Gio.SubprocessFlags.STDERR_PIPE);
        const [, , stderr] = proc.communicate_utf8(null, null);
        H.assert(!proc.get_successful() && stderr.includes('Permission denied'),
            `cat with STDERR_PIPE: ${stderr}`);
        H.assertEqual(ruleset.status, Landlock.Status.FULLY_ENFORCED, 'status');
    });
}

function testApplyToLauncher() {
    H.requireLandlock();
    H.withTempDir(tmp => {
        const deniedFile = GLib.build_filenamev([tmp, 'secret']);
        H.writeFile(deniedFile, 'secret\n');
        const ruleset = sandboxForCat();
        const launcher = new Gio.SubprocessLauncher({
            flags: Gio.SubprocessFlags.STDOUT_PIPE | Gio.SubprocessFlags.STDERR_PIPE,
        });
        H.assertEqual(ruleset.apply_to_launcher(launcher), true, 'apply_to_launcher()');
        checkCat(ruleset, argv => launcher.spawnv(argv), deniedFile);
    });
}

function testSpawnvErrors() {
    H.requireLandlock();
    const ruleset = new Landlock.Ruleset().allow_read(['/nonexistent/ll-gjs-spawn']);
    H.assertThrows(() => ruleset.spawnv(['/bin/true'], Gio.SubprocessFlags.NONE),
        Landlock.Error, Landlock.Error.PATH, 'spawnv() with a missing path');
    H.assertThrows(() => new Landlock.Ruleset().add_net_rule(70000, Landlock.AccessNet.BIND_TCP, 0)
        .spawnv(['/bin/true'], Gio.SubprocessFlags.NONE),
    Landlock.Error, Landlock.Error.INVALID, 'spawnv() with port 70000');
    // Still unrestricted.
    GLib.file_get_contents('/etc/passwd');
}

H.main(import.meta.url, {
    tests: [
        ['property defaults', testDefaults],
        ['construct properties, read-only abi', testConstructProperties],
        ['notify, once per change', testNotify],
        ['builders chain', testChaining],
        ['honest status in GJS: PARTIALLY_ENFORCED, main thread sandboxed',
            () => H.withTempDir(tmp => H.runChild('honest-status', tmp))],
        ['all_threads = false', () => H.runChild('all-threads-off')],
        ['FULLY_ENFORCED with TSYNC', testTsyncFull],
        ['spawnv(): child denied, FULLY_ENFORCED, GJS free', testSpawnv],
        ['apply_to_launcher()', testApplyToLauncher],
        ['spawnv() errors leave GJS free', testSpawnvErrors],
    ],
    cases: {
        'honest-status': childHonestStatus,
        'all-threads-off': childAllThreadsOff,
        'tsync-full': childTsyncFull,
    },
});
