#!/usr/bin/env -S gjs -m
// restrict-self.js: a GJS script that sandboxes itself with Landlock
//
// SPDX-License-Identifier: LGPL-2.1-or-later
//
//   gjs -m restrict-self.js DIRECTORY
//
// The script writes DIRECTORY/hello.txt, then restricts itself to reading
// /usr and DIRECTORY, and shows the kernel at work: reading is allowed
// there, and reading /etc/passwd, creating a file and connecting to a
// local TCP port are denied with EACCES, which GIO reports as
// Gio.IOErrorEnum.PERMISSION_DENIED. DIRECTORY must exist: once
// sandboxed, the script could not remove it, so whoever made it cleans up.
//
// It exits 0 when every claim held, and 1 when one did not or when the
// ruleset cannot be applied: strict, it refuses to go on unsandboxed on a
// kernel without Landlock.

import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import Landlock from 'gi://Landlock?version=1';
import System from 'system';

// The name of a GEnum value, as a reader would write it in GJS.
function enumName(enumObject, prefix, value) {
    const entry = Object.entries(enumObject).find(([, v]) => v === value);
    return `${prefix}.${entry ? entry[0] : value}`;
}

function describe(error) {
    if (error instanceof GLib.Error && error.domain === Gio.io_error_quark())
        return `${enumName(Gio.IOErrorEnum, 'Gio.IOErrorEnum', error.code)}: ${error.message}`;
    return `${error}`;
}

let failed = 0;

function claim(held, message) {
    if (!held)
        failed++;
    print(`  [${held ? ' ok ' : 'FAIL'}] ${message}`);
}

function checkAllowed(what, operation) {
    try {
        operation();
        claim(true, `allowed: ${what}: succeeded`);
    } catch (e) {
        claim(false, `allowed: ${what}: ${describe(e)}`);
    }
}

// A Landlock denial is EACCES; GIO maps it to PERMISSION_DENIED (and its
// message carries the kernel's strerror, "Permission denied").
function checkDenied(what, operation) {
    try {
        operation();
        claim(false, `denied: ${what}: succeeded, but the sandbox should deny it`);
    } catch (e) {
        claim(e instanceof GLib.Error && e.matches(Gio.IOErrorEnum, Gio.IOErrorEnum.PERMISSION_DENIED),
            `denied: ${what}: ${describe(e)}`);
    }
}

function readText(path) {
    const [, contents] = Gio.File.new_for_path(path).load_contents(null);
    return new TextDecoder().decode(contents);
}

function tcpSocket() {
    return Gio.Socket.new(Gio.SocketFamily.IPV4, Gio.SocketType.STREAM, Gio.SocketProtocol.TCP);
}

// A port nobody listens on, so that unsandboxed a connection is refused:
// PERMISSION_DENIED then can only come from the sandbox.
function findClosedPort() {
    const socket = tcpSocket();
    socket.bind(Gio.InetSocketAddress.new_from_string('127.0.0.1', 0), false);
    const port = socket.get_local_address().get_port();
    socket.close();
    return port;
}

function connectTcp(port) {
    const socket = tcpSocket();
    try {
        socket.connect(Gio.InetSocketAddress.new_from_string('127.0.0.1', port), null);
    } finally {
        socket.close();
    }
}

function main([directory]) {
    if (!directory || !GLib.file_test(directory, GLib.FileTest.IS_DIR)) {
        printerr('Usage: gjs -m restrict-self.js DIRECTORY (an existing directory)');
        return 2;
    }

    // Everything that needs more than the sandbox allows happens first.
    const hello = GLib.build_filenamev([directory, 'hello.txt']);
    const helloText = 'written before the sandbox, read back inside it\n';
    GLib.file_set_contents(hello, helloText);
    const created = GLib.build_filenamev([directory, 'created.txt']);
    const usrFile = ['/usr/lib/os-release', '/usr/share/common-licenses/GPL', '/usr/include/stdio.h']
        .find(path => GLib.file_test(path, GLib.FileTest.IS_REGULAR));
    const port = findClosedPort();
    try {
        connectTcp(port);
    } catch (e) {
        print(`Before the sandbox: TCP connect to 127.0.0.1:${port}: ${describe(e)}`);
    }

    // Strict (the default): fail on a kernel that cannot enforce it.
    const ruleset = new Landlock.Ruleset();
    ruleset.allow_read(['/usr', directory]);
    print(`Applying a ruleset: read /usr and ${directory}; every other file, TCP and IPC right denied`);
    let status;
    try {
        status = ruleset.apply();
    } catch (e) {
        print(`Cannot sandbox: ${e.message}`);
        return 1;
    }

    // GJS starts threads of its own before any script runs: SpiderMonkey's
    // garbage collector and JIT helpers, GLib's worker. Below Landlock ABI
    // 8 the kernel restricts only the calling thread (and what it starts
    // later), so those threads stay unrestricted and the library says so.
    // They never run this script's code, but an exploit that took one over
    // would not be sandboxed: for full coverage, sandbox a child process
    // (Landlock.Ruleset.spawnv()), or run on ABI 8, where the library
    // restricts every thread at once (TSYNC).
    const abi = Landlock.get_abi_version();
    print(`  status: ${enumName(Landlock.Status, 'Landlock.Status', status)}`);
    print(`  threads left unrestricted: ${ruleset.unrestricted_threads}`);
    print(`  reason: ${ruleset.status_reason ?? 'none: everything asked for is enforced'}`);
    if (abi < 8) {
        claim(status === Landlock.Status.PARTIALLY_ENFORCED && ruleset.unrestricted_threads > 0,
            `honest status: PARTIALLY_ENFORCED on ABI ${abi}, GJS's own threads are not restricted`);
    } else {
        claim(status === Landlock.Status.FULLY_ENFORCED,
            `honest status: FULLY_ENFORCED on ABI ${abi}, every thread restricted (TSYNC)`);
    }

    print('Inside the sandbox:');
    checkAllowed(`read ${hello}`, () => {
        if (readText(hello) !== helloText)
            throw new Error('unexpected contents');
    });
    if (usrFile)
        checkAllowed(`read ${usrFile}`, () => readText(usrFile));
    checkDenied('read /etc/passwd', () => readText('/etc/passwd'));
    checkDenied(`create ${created}`,
        () => Gio.File.new_for_path(created).create(Gio.FileCreateFlags.NONE, null).close(null));
    checkDenied(`write ${hello}`,
        () => Gio.File.new_for_path(hello).append_to(Gio.FileCreateFlags.NONE, null).close(null));
    if (ruleset.handled_access_net & Landlock.AccessNet.CONNECT_TCP)
        checkDenied(`TCP connect to 127.0.0.1:${port}`, () => connectTcp(port));
    else
        print(`  [skip] denied: TCP connect: needs Landlock ABI 4, this kernel has ${abi}`);

    print(failed === 0 ? 'Every claim held.' : `${failed} claims failed.`);
    return failed === 0 ? 0 : 1;
}

System.exit(main(System.programArgs));
