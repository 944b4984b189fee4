// harness.js: what every GJS test script of landlock-glib shares
//
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// A test script is run as `gjs -m script.js` by meson. Its tests run in
// that process (the parent), which prints TAP. A Landlock restriction
// cannot be undone, so every check that applies a ruleset runs in a child,
// `gjs -m script.js <case> [args...]`, started by runChild(): the child
// throws on failure and prints "ok child <case>" on success, and the parent
// checks both the exit status and that line.
//
// Usage:
//
//   import * as H from './harness.js';
//   H.main(import.meta.url, {
//       tests: [['name', () => { ... H.runChild('case', arg); }]],
//       cases: {'case': (arg) => { ... }},
//   });

import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import Landlock from 'gi://Landlock?version=1';
import System from 'system';

export class AssertionError extends Error {}

// Thrown (by skip()) to report a test as skipped, with a reason.
export class SkipError extends Error {}

// Exit status of a child that skips; it prints "skip child <reason>".
const CHILD_SKIP = 77;

export function assert(condition, message) {
    if (!condition)
        throw new AssertionError(message);
}

export function assertEqual(actual, expected, what) {
    assert(actual === expected, `${what}: expected ${expected}, got ${actual}`);
}

export function skip(reason) {
    throw new SkipError(reason);
}

// Calls fn(), which must throw a GLib.Error of @domain and @code; returns it.
// Domains are given as GJS has them: GLib.FileError, Gio.IOErrorEnum,
// Landlock.Error...
export function assertThrows(fn, domain, code, what) {
    try {
        fn();
    } catch (e) {
        if (e instanceof AssertionError)
            throw e;
        assert(e instanceof GLib.Error && e.matches(domain, code),
            `${what}: expected error code ${code} of ${domain.name ?? domain}, got ${e}` +
            (e instanceof GLib.Error ? ` (domain ${GLib.quark_to_string(e.domain)}, code ${e.code})` : ''));
        return e;
    }
    throw new AssertionError(`${what}: succeeded, but should have failed`);
}

// The running kernel's Landlock ABI (0 without Landlock).
export const ABI = (() => {
    try {
        return Landlock.get_abi_version();
    } catch {
        return 0;
    }
})();

export function requireLandlock() {
    if (ABI < 1)
        skip('the kernel has no usable Landlock');
}

export function requireAbi(abi, what) {
    requireLandlock();
    if (ABI < abi)
        skip(`${what} needs Landlock ABI ${abi}, the kernel has ABI ${ABI}`);
}

export function requireRoot(what) {
    if (new Gio.Credentials().get_unix_user() !== 0)
        skip(`${what} needs root`);
}

// Every filesystem right of the running kernel.
export function allFs() {
    return Landlock.access_fs_for_abi(ABI);
}

// Applies @ruleset in a GJS process and checks that the status it reports
// is the honest one. GJS runs helper threads of its own (SpiderMonkey's GC
// and JIT helpers, GLib's workers) before any script runs. Below ABI 8 the
// kernel restricts only the calling thread, so the library must say
// PARTIALLY_ENFORCED, count the threads it left out and explain; from ABI 8
// it covers them all with TSYNC. @expectDropped: the ruleset is best-effort
// and asks for something the kernel lacks, so even TSYNC leaves it partial.
// Returns the status.
export function applyInGjs(ruleset, {expectDropped = false} = {}) {
    const status = ruleset.apply();
    assert(ruleset.applied, 'the ruleset says it was applied');
    assertEqual(ruleset.status, status, 'Ruleset.status matches what apply() returned');
    if (ABI < 8 && ruleset.all_threads) {
        assertEqual(status, Landlock.Status.PARTIALLY_ENFORCED, 'status of a GJS process (helper threads, ABI < 8)');
        assert(ruleset.unrestricted_threads > 0,
            `unrestricted_threads > 0 in GJS, got ${ruleset.unrestricted_threads}`);
        const reason = ruleset.status_reason;
        assert(reason && reason.includes('not restricted') && reason.includes('ABI 8'),
            `status_reason explains the unrestricted threads: ${reason}`);
    } else if (expectDropped) {
        assertEqual(status, Landlock.Status.PARTIALLY_ENFORCED, 'status of a best-effort ruleset with dropped features');
    } else if (ABI >= 8) {
        assertEqual(status, Landlock.Status.FULLY_ENFORCED, 'status with TSYNC (ABI >= 8)');
        assertEqual(ruleset.unrestricted_threads, 0, 'unrestricted_threads with TSYNC');
    }
    return status;
}

// Runs argv synchronously; returns {status, stdout, stderr} (status as the
// exit code, or -1 if killed by a signal).
export function runCommand(argv) {
    const proc = Gio.Subprocess.new(argv,
        Gio.SubprocessFlags.STDOUT_PIPE | Gio.SubprocessFlags.STDERR_PIPE);
    const [, stdout, stderr] = proc.communicate_utf8(null, null);
    return {
        status: proc.get_if_exited() ? proc.get_exit_status() : -1,
        stdout: stdout ?? '',
        stderr: stderr ?? '',
    };
}

// Temporary directories. The parent creates them and removes them (a
// sandboxed child usually cannot), the child fills them before applying.

export function makeTempDir(prefix = 'll-gjs') {
    return GLib.dir_make_tmp(`${prefix}-XXXXXX`);
}

export function removeTree(path) {
    const file = Gio.File.new_for_path(path);
    let info;
    try {
        info = file.query_info('standard::type', Gio.FileQueryInfoFlags.NOFOLLOW_SYMLINKS, null);
    } catch {
        return;
    }
    if (info.get_file_type() === Gio.FileType.DIRECTORY) {
        const children = file.enumerate_children('standard::name',
            Gio.FileQueryInfoFlags.NOFOLLOW_SYMLINKS, null);
        let child;
        while ((child = children.next_file(null)) !== null)
            removeTree(GLib.build_filenamev([path, child.get_name()]));
        children.close(null);
    }
    file.delete(null);
}

export function withTempDir(fn) {
    const dir = makeTempDir();
    try {
        return fn(dir);
    } finally {
        removeTree(dir);
    }
}

export function writeFile(path, contents = 'landlock-glib\n') {
    GLib.file_set_contents(path, contents);
}

export function exists(path) {
    return GLib.file_test(path, GLib.FileTest.EXISTS) ||
        GLib.file_test(path, GLib.FileTest.IS_SYMLINK);
}

// Directories a dynamically linked program needs to start (its libraries
// and loader); the sandboxes that spawn programs allow reading and
// executing them.
export function systemDirs() {
    return ['/usr', '/lib', '/lib64', '/bin', '/sbin', '/etc']
        .filter(path => GLib.file_test(path, GLib.FileTest.IS_DIR));
}

// The children.

let scriptPath = null;

// Runs `gjs -m <this script> <name> <args>` and checks that it succeeded;
// a child that skipped makes the calling test skip. Returns its output.
export function runChild(name, ...args) {
    const gjs = GLib.find_program_in_path('gjs') ?? 'gjs';
    const proc = Gio.Subprocess.new([gjs, '-m', scriptPath, name, ...args.map(String)],
        Gio.SubprocessFlags.STDOUT_PIPE | Gio.SubprocessFlags.STDERR_MERGE);
    const [, stdout] = proc.communicate_utf8(null, null);
    const exitStatus = proc.get_if_exited() ? proc.get_exit_status() : -1;
    if (exitStatus === CHILD_SKIP) {
        const match = /^skip child (.*)$/m.exec(stdout);
        skip(match ? match[1] : `child "${name}" skipped`);
    }
    assert(exitStatus === 0, `child "${name}" failed (exit status ${exitStatus}):\n${stdout}`);
    assert(stdout.includes(`ok child ${name}`),
        `child "${name}" did not report success:\n${stdout}`);
    return stdout;
}

// Runs the child case args[0], or every test with TAP output.
function run(tests, cases, args) {
    if (args.length > 0) {
        const childCase = cases[args[0]];
        if (!childCase) {
            printerr(`unknown case ${args[0]}`);
            return 2;
        }
        try {
            childCase(...args.slice(1));
        } catch (e) {
            if (e instanceof SkipError) {
                print(`skip child ${e.message}`);
                return CHILD_SKIP;
            }
            throw e;
        }
        print(`ok child ${args[0]}`);
        return 0;
    }

    print(`1..${tests.length}`);
    let failed = 0;
    tests.forEach(([name, test], i) => {
        try {
            test();
            print(`ok ${i + 1} - ${name}`);
        } catch (e) {
            if (e instanceof SkipError) {
                print(`ok ${i + 1} - ${name} # SKIP ${e.message.replace(/\n/g, ' ')}`);
                return;
            }
            failed++;
            print(`not ok ${i + 1} - ${name}`);
            for (const line of `${e}\n${e.stack ?? ''}`.split('\n'))
                print(`# ${line}`);
        }
    });
    return failed > 0 ? 1 : 0;
}

// With LL_TEST_DROP_PRIVILEGES set, a script run as root runs again as
// nobody (setpriv), so that the library's no_new_privs path and the
// sandbox without root's DAC bypass are exercised too.
const NOBODY = 65534;

function runUnprivileged() {
    const setpriv = GLib.find_program_in_path('setpriv');
    if (!setpriv) {
        print('1..0 # SKIP setpriv not found: cannot drop privileges');
        return 0;
    }
    const gjs = GLib.find_program_in_path('gjs') ?? 'gjs';
    const launcher = new Gio.SubprocessLauncher({flags: Gio.SubprocessFlags.NONE});
    launcher.unsetenv('LL_TEST_DROP_PRIVILEGES');
    const proc = launcher.spawnv([setpriv, `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups',
        gjs, '-m', scriptPath]);
    proc.wait(null);
    return proc.get_if_exited() ? proc.get_exit_status() : 1;
}

export function main(scriptUrl, {tests, cases = {}}) {
    scriptPath = GLib.filename_from_uri(scriptUrl)[0];
    let exitCode;
    try {
        if (GLib.getenv('LL_TEST_DROP_PRIVILEGES') && System.programArgs.length === 0 &&
            new Gio.Credentials().get_unix_user() === 0)
            exitCode = runUnprivileged();
        else
            exitCode = run(tests, cases, System.programArgs);
    } catch (e) {
        printerr(`${e}\n${e.stack ?? ''}`);
        exitCode = 1;
    }
    System.exit(exitCode);
}
