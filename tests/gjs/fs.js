// fs.js: every filesystem right of Landlock, allowed and denied, from GJS
//
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// For each right R the kernel knows, a child sandboxes itself with two
// rules: a directory "allowed" gets R (plus what the operation needs
// besides R), a directory "denied" gets every right but R. The operation
// that R governs must then succeed beneath "allowed" and fail beneath
// "denied" with the error the kernel's EACCES (or EXDEV) becomes in GLib.
// Denying only R, with everything else granted, proves that R is what the
// library passes to the kernel for it.

import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import Landlock from 'gi://Landlock?version=1';

import * as H from './harness.js';

const A = Landlock.AccessFs;
const PERMISSION_DENIED = [Gio.IOErrorEnum, Gio.IOErrorEnum.PERMISSION_DENIED];
const FILE_ACCES = [GLib.FileError, GLib.FileError.ACCES];

function p(...parts) {
    return GLib.build_filenamev(parts);
}

// A command's failure, for the rights exercised through a program.
class CommandError extends Error {}

function command(argv, deniedMessage = 'Permission denied') {
    const result = H.runCommand(argv);
    if (result.status !== 0) {
        const error = new CommandError(`${argv.join(' ')}: exit status ${result.status}: ${result.stderr.trim()}`);
        error.denied = result.stderr.includes(deniedMessage);
        throw error;
    }
    return result;
}

function commandDenied(e) {
    return e instanceof CommandError && e.denied;
}

// Each right: what the allowed directory needs besides it (`also`), how to
// prepare a directory (`setup`, run before applying, for both), the
// operation (`op`, throws on failure), an optional check after a success
// (`verify`), and how a denial shows (`denied`: [domain, code], or a
// predicate on the error). `roots` replaces the two directories, for rights
// on devices; `spawns`: the operation runs a program.
const RIGHTS = {
    EXECUTE: {
        spawns: true,
        setup(dir) {
            const copy = Gio.File.new_for_path(p(dir, 'true'));
            Gio.File.new_for_path(GLib.find_program_in_path('true')).copy(copy,
                Gio.FileCopyFlags.NONE, null, null);
            copy.set_attribute_uint32('unix::mode', 0o755, Gio.FileQueryInfoFlags.NONE, null);
        },
        op(dir) {
            const [, , , waitStatus] = GLib.spawn_sync(null, [p(dir, 'true')], null,
                GLib.SpawnFlags.DEFAULT, null);
            GLib.spawn_check_wait_status(waitStatus);
        },
        // execve(2) opens the program for reading too: Landlock checks
        // READ_FILE as well as EXECUTE on it.
        also: A.READ_FILE,
        denied: [GLib.SpawnError, GLib.SpawnError.ACCES],
    },
    WRITE_FILE: {
        setup(dir) {
            H.writeFile(p(dir, 'file'), 'one\n');
        },
        op(dir) {
            const stream = Gio.File.new_for_path(p(dir, 'file')).append_to(Gio.FileCreateFlags.NONE, null);
            stream.write_all('two\n', null);
            stream.close(null);
        },
        verify(dir) {
            const [, contents] = GLib.file_get_contents(p(dir, 'file'));
            H.assertEqual(new TextDecoder().decode(contents), 'one\ntwo\n', 'the appended file');
        },
        also: A.READ_FILE,
        denied: PERMISSION_DENIED,
    },
    READ_FILE: {
        setup(dir) {
            H.writeFile(p(dir, 'file'), 'secret\n');
        },
        op(dir) {
            const [, contents] = GLib.file_get_contents(p(dir, 'file'));
            H.assertEqual(new TextDecoder().decode(contents), 'secret\n', 'the contents read');
        },
        denied: FILE_ACCES,
    },
    READ_DIR: {
        setup(dir) {
            H.writeFile(p(dir, 'entry'));
        },
        op(dir) {
            const children = Gio.File.new_for_path(dir).enumerate_children('standard::name',
                Gio.FileQueryInfoFlags.NONE, null);
            const info = children.next_file(null);
            children.close(null);
            H.assertEqual(info?.get_name(), 'entry', 'the directory entry listed');
        },
        denied: PERMISSION_DENIED,
    },
    REMOVE_DIR: {
        setup(dir) {
            GLib.mkdir_with_parents(p(dir, 'subdir'), 0o755);
        },
        op(dir) {
            Gio.File.new_for_path(p(dir, 'subdir')).delete(null);
        },
        verify(dir) {
            H.assert(!H.exists(p(dir, 'subdir')), 'the directory was removed');
        },
        // g_file_delete() calls remove(3), which tries unlink(2) first and
        // falls back to rmdir(2) only on EISDIR; Landlock checks unlink(2)
        // for REMOVE_FILE before the kernel says EISDIR, so removing a
        // directory with GIO needs REMOVE_FILE too.
        also: A.REMOVE_FILE,
        denied: PERMISSION_DENIED,
    },
    REMOVE_FILE: {
        setup(dir) {
            H.writeFile(p(dir, 'file'));
        },
        op(dir) {
            Gio.File.new_for_path(p(dir, 'file')).delete(null);
        },
        verify(dir) {
            H.assert(!H.exists(p(dir, 'file')), 'the file was removed');
        },
        denied: PERMISSION_DENIED,
    },
    MAKE_CHAR: {
        spawns: true,
        root: true,
        op(dir) {
            command(['mknod', p(dir, 'null'), 'c', '1', '3']);
        },
        verify(dir) {
            H.assert(GLib.file_test(p(dir, 'null'), GLib.FileTest.EXISTS), 'the character device exists');
        },
        denied: commandDenied,
    },
    MAKE_DIR: {
        op(dir) {
            Gio.File.new_for_path(p(dir, 'newdir')).make_directory(null);
            H.assertEqual(GLib.mkdir_with_parents(p(dir, 'a', 'b'), 0o755), 0,
                'GLib.mkdir_with_parents()');
        },
        verify(dir) {
            H.assert(GLib.file_test(p(dir, 'a', 'b'), GLib.FileTest.IS_DIR), 'the directories exist');
        },
        denied(e, dir) {
            H.assertEqual(GLib.mkdir_with_parents(p(dir, 'a', 'b'), 0o755), -1,
                'GLib.mkdir_with_parents() where MAKE_DIR is denied');
            H.assert(!H.exists(p(dir, 'a')), 'no directory was made');
            return e.matches(...PERMISSION_DENIED);
        },
    },
    MAKE_REG: {
        op(dir) {
            // Writes a temporary file, then renames it: also needs
            // WRITE_FILE, READ_FILE (O_RDWR) and REMOVE_FILE (the rename).
            GLib.file_set_contents(p(dir, 'new-file'), 'new\n');
        },
        verify(dir) {
            H.assert(GLib.file_test(p(dir, 'new-file'), GLib.FileTest.IS_REGULAR), 'the file exists');
        },
        also: A.WRITE_FILE | A.READ_FILE | A.REMOVE_FILE,
        denied: FILE_ACCES,
    },
    MAKE_SOCK: {
        op(dir) {
            const socket = Gio.Socket.new(Gio.SocketFamily.UNIX, Gio.SocketType.STREAM,
                Gio.SocketProtocol.DEFAULT);
            try {
                socket.bind(Gio.UnixSocketAddress.new(p(dir, 'socket')), false);
            } finally {
                socket.close();
            }
        },
        verify(dir) {
            H.assert(H.exists(p(dir, 'socket')), 'the socket exists');
        },
        denied: PERMISSION_DENIED,
    },
    MAKE_FIFO: {
        spawns: true,
        op(dir) {
            command(['mkfifo', p(dir, 'fifo')]);
        },
        verify(dir) {
            H.assert(H.exists(p(dir, 'fifo')), 'the fifo exists');
        },
        denied: commandDenied,
    },
    MAKE_BLOCK: {
        spawns: true,
        root: true,
        op(dir) {
            command(['mknod', p(dir, 'loop'), 'b', '7', '0']);
        },
        verify(dir) {
            H.assert(H.exists(p(dir, 'loop')), 'the block device exists');
        },
        denied: commandDenied,
    },
    MAKE_SYM: {
        op(dir) {
            Gio.File.new_for_path(p(dir, 'link')).make_symbolic_link('/etc/hostname', null);
        },
        verify(dir) {
            H.assert(GLib.file_test(p(dir, 'link'), GLib.FileTest.IS_SYMLINK), 'the symlink exists');
        },
        denied: PERMISSION_DENIED,
    },
    REFER: {
        setup(dir) {
            GLib.mkdir_with_parents(p(dir, 'src'), 0o755);
            GLib.mkdir_with_parents(p(dir, 'dst'), 0o755);
            H.writeFile(p(dir, 'src', 'file'));
        },
        op(dir) {
            // Without NO_FALLBACK_FOR_MOVE, GIO would copy and delete on EXDEV.
            Gio.File.new_for_path(p(dir, 'src', 'file')).move(Gio.File.new_for_path(p(dir, 'dst', 'file')),
                Gio.FileCopyFlags.NO_FALLBACK_FOR_MOVE, null, null);
        },
        verify(dir) {
            H.assert(H.exists(p(dir, 'dst', 'file')) && !H.exists(p(dir, 'src', 'file')), 'the file moved');
        },
        also: A.MAKE_REG | A.REMOVE_FILE,
        // GIO reports rename()'s EXDEV as "not supported".
        denied(e, dir) {
            H.assert(H.exists(p(dir, 'src', 'file')), 'the file stayed in place');
            return e.matches(Gio.IOErrorEnum, Gio.IOErrorEnum.NOT_SUPPORTED);
        },
    },
    TRUNCATE: {
        setup(dir) {
            H.writeFile(p(dir, 'file'), 'long contents\n');
        },
        op(dir) {
            const stream = Gio.File.new_for_path(p(dir, 'file')).open_readwrite(null);
            try {
                stream.truncate(0, null);
            } finally {
                stream.close(null);
            }
        },
        verify(dir) {
            const [, contents] = GLib.file_get_contents(p(dir, 'file'));
            H.assertEqual(contents.length, 0, 'the size after truncating');
        },
        also: A.READ_FILE | A.WRITE_FILE,
        denied: PERMISSION_DENIED,
    },
    IOCTL_DEV: {
        spawns: true,
        // Devices: /dev/null allowed, /dev/zero denied. stty asks each for
        // terminal attributes: ENOTTY where the ioctl reaches the driver,
        // EACCES where Landlock stops it first.
        roots: ['/dev/null', '/dev/zero'],
        op(device) {
            command(['stty', '-F', device]);
        },
        allowedFailure(e) {
            return e instanceof CommandError && e.message.includes('Inappropriate ioctl');
        },
        also: A.READ_FILE,
        denied: commandDenied,
    },
};

// The child: sandbox, then the operation beneath both roots.
function childRight(name, tmp) {
    const right = RIGHTS[name];
    const bit = A[name];
    H.requireLandlock();
    if ((H.allFs() & bit) === 0)
        H.skip(`${name} needs a newer Landlock ABI than ${H.ABI}`);

    let [allowed, denied] = right.roots ?? [p(tmp, 'allowed'), p(tmp, 'denied')];
    if (!right.roots) {
        for (const dir of [allowed, denied]) {
            GLib.mkdir_with_parents(dir, 0o755);
            right.setup?.(dir);
        }
    }

    const ruleset = new Landlock.Ruleset();
    if (right.spawns) {
        // The programs, their loader and libraries.
        ruleset.add_path_rule(H.systemDirs(), A.READ_FILE | A.READ_DIR | A.EXECUTE);
        // GLib gives the program /dev/null as its standard input.
        ruleset.add_path_rule(['/dev/null'], A.READ_FILE | A.WRITE_FILE);
    }
    ruleset.add_path_rule([allowed], bit | (right.also ?? 0));
    ruleset.add_path_rule([denied], H.allFs() & ~bit);
    H.applyInGjs(ruleset);

    // Allowed.
    try {
        right.op(allowed);
    } catch (e) {
        if (!right.allowedFailure?.(e))
            throw new H.AssertionError(`${name} beneath ${allowed}, where it is granted: ${e}`);
    }
    right.verify?.(allowed);

    // Denied.
    let error = null;
    try {
        right.op(denied);
    } catch (e) {
        error = e;
    }
    H.assert(error !== null, `${name} beneath ${denied}, where it is denied, succeeded`);
    const ok = typeof right.denied === 'function'
        ? right.denied(error, denied) : error.matches?.(...right.denied);
    H.assert(ok, `${name} beneath ${denied}: the denial shows differently: ${error}`);
}

// The convenience groups, as applications use them.
function childGroups(tmp) {
    H.requireLandlock();
    const rw = p(tmp, 'rw');
    const ro = p(tmp, 'ro');
    const outside = p(tmp, 'outside');
    for (const dir of [rw, ro, outside]) {
        GLib.mkdir_with_parents(dir, 0o755);
        H.writeFile(p(dir, 'file'), 'data\n');
    }
    const ruleset = new Landlock.Ruleset();
    H.assert(ruleset.allow_read([ro]) === ruleset, 'allow_read() chains');
    H.assert(ruleset.allow_read_write([rw]) === ruleset, 'allow_read_write() chains');
    H.applyInGjs(ruleset);

    // Read-write: read, create, rename, remove.
    GLib.file_get_contents(p(rw, 'file'));
    GLib.file_set_contents(p(rw, 'new'), 'new\n');
    Gio.File.new_for_path(p(rw, 'new')).delete(null);
    Gio.File.new_for_path(p(rw, 'dir')).make_directory(null);

    // Read-only: read and list, but neither write nor create.
    GLib.file_get_contents(p(ro, 'file'));
    Gio.File.new_for_path(ro).enumerate_children('standard::name', Gio.FileQueryInfoFlags.NONE, null).close(null);
    H.assertThrows(() => GLib.file_set_contents(p(ro, 'new'), 'x'), ...FILE_ACCES, 'creating in a read-only dir');
    H.assertThrows(() => Gio.File.new_for_path(p(ro, 'file')).append_to(Gio.FileCreateFlags.NONE, null),
        ...PERMISSION_DENIED, 'writing in a read-only dir');
    H.assertThrows(() => Gio.File.new_for_path(p(ro, 'file')).delete(null), ...PERMISSION_DENIED,
        'removing in a read-only dir');

    // Outside every rule: nothing.
    H.assertThrows(() => GLib.file_get_contents(p(outside, 'file')), ...FILE_ACCES, 'reading outside the rules');
    H.assertThrows(() => Gio.File.new_for_path(outside).enumerate_children('standard::name',
        Gio.FileQueryInfoFlags.NONE, null), ...PERMISSION_DENIED, 'listing outside the rules');
    H.assertThrows(() => GLib.file_get_contents('/etc/passwd'), ...FILE_ACCES, 'reading /etc/passwd');
}

const tests = Object.entries(RIGHTS).map(([name, right]) => [
    `${name} allowed and denied`,
    () => {
        if (right.root)
            H.requireRoot(`creating a device node (${name})`);
        H.withTempDir(tmp => H.runChild('right', name, tmp));
    },
]);
tests.push(['convenience groups: allow_read, allow_read_write',
    () => H.withTempDir(tmp => H.runChild('groups', tmp))]);

H.main(import.meta.url, {
    tests,
    cases: {
        right: childRight,
        groups: childGroups,
    },
});
