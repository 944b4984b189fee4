#!/usr/bin/env -S gjs -m
// thumbnail-helper.js: a thumbnail made by a sandboxed gdk-pixbuf-thumbnailer
//
// SPDX-License-Identifier: LGPL-2.1-or-later
//
//   gjs -m thumbnail-helper.js [--size N] [--try-read FILE]... [--try-write FILE]... INPUT OUTPUT_DIR
//
// The thumbnailer runs in a child process that may read INPUT and write
// beneath OUTPUT_DIR, and read and run the system's libraries; nothing
// else that the kernel can restrict. The script stays unrestricted, and
// GJS's own threads do not matter here: a forked child has one thread, so
// the child's sandbox is FULLY_ENFORCED on every kernel with Landlock (a
// GJS script that restricts itself is PARTIALLY_ENFORCED below ABI 8: see
// restrict-self.js). It makes OUTPUT_DIR/NAME.png (NAME: INPUT's name
// without its extension); with --try-read and --try-write it then runs the
// thumbnailer again, in the same sandbox, with FILE as its input or its
// output, to show the kernel refusing.
//
// Every process that a Gio.SubprocessLauncher starts after
// apply_to_launcher() gets the sandbox; Landlock.Ruleset.spawnv() does the
// same for one process. What the thumbnailer needs, and why each path, is
// in the C version of this example (examples/c/thumbnail-helper.c). The
// ruleset is strict: on a kernel without Landlock the thumbnailer is not
// run at all, and on an older one the script prints what that kernel
// leaves open rather than claim it.

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Landlock from 'gi://Landlock?version=1';
import System from 'system';

// A launcher whose children get the sandbox of the thumbnailer: read and
// run the program and the system's libraries, read the MIME database and
// the input, write beneath the output directory. Paths must be absolute:
// a ruleset for a child refuses relative ones. Throws if the sandbox
// cannot be set up (a strict ruleset without Landlock, for one).
function thumbnailerLauncher(thumbnailer, input, outputDir) {
    const system = [thumbnailer, '/usr/lib'];
    if (GLib.file_test('/usr/lib64', GLib.FileTest.IS_DIR))   // on some distributions
        system.push('/usr/lib64');
    const ruleset = new Landlock.Ruleset()   // strict: no Landlock, no thumbnail
        .allow_execute(system)
        .allow_read([...system, '/usr/share/mime', input])
        .allow_write([outputDir]);
    const launcher = new Gio.SubprocessLauncher({flags: Gio.SubprocessFlags.STDERR_PIPE});
    ruleset.apply_to_launcher(launcher);
    return [launcher, ruleset];
}

// Runs the thumbnailer from the sandboxed launcher: [true, null] if it
// made `output`, else [false, its last line].
function makeThumbnail(launcher, thumbnailer, size, input, output) {
    const child = launcher.spawnv([thumbnailer, '-s', `${size}`, input, output]);
    const [, , errors] = child.communicate_utf8(null, null);
    if (child.get_successful())
        return [true, null];
    const lines = (errors ?? '').trim().split('\n');
    return [false, lines[lines.length - 1] || '(no message)'];
}

// The rest is the demonstration around it.

function thumbnailPath(outputDir, input) {
    const name = GLib.path_get_basename(input).replace(/(.)\.[^.]*$/, '$1');
    return GLib.build_filenamev([outputDir, `${name}.png`]);
}

// The same sandbox, asked for what it does not grant: the thumbnailer
// must fail.
function tryOutside(launcher, what, thumbnailer, size, input, output, path) {
    let made, message;
    try {
        [made, message] = makeThumbnail(launcher, thumbnailer, size, input, output);
    } catch (e) {
        print(`thumbnail-helper: ${what} ${path}: cannot run the thumbnailer: ${e.message}`);
        return false;
    }
    if (made) {
        print(`thumbnail-helper: ${what} ${path}: done: the sandbox did not hold`);
        return false;
    }
    print(`thumbnail-helper: ${what} ${path}: refused: ${message}`);
    return true;
}

function parseArguments(argv) {
    const options = {size: 128, tryRead: [], tryWrite: [], paths: []};
    for (let i = 0; i < argv.length; i++) {
        const option = {'--size': 'size', '-s': 'size', '--try-read': 'tryRead', '--try-write': 'tryWrite'}[argv[i]];
        if (option === undefined)
            options.paths.push(argv[i]);
        else if (i + 1 >= argv.length)
            return null;
        else if (option === 'size')
            options.size = parseInt(argv[++i], 10);
        else
            options[option].push(argv[++i]);
    }
    return options.paths.length === 2 && options.size > 0 ? options : null;
}

function main(argv) {
    const options = parseArguments(argv);
    if (options === null) {
        printerr('Usage: gjs -m thumbnail-helper.js [--size N] [--try-read FILE]... [--try-write FILE]... INPUT OUTPUT_DIR');
        return 1;
    }
    const thumbnailer = GLib.find_program_in_path('gdk-pixbuf-thumbnailer');
    if (thumbnailer === null) {
        printerr('thumbnail-helper: gdk-pixbuf-thumbnailer is not installed (Debian: package libgdk-pixbuf2.0-bin)');
        return 1;
    }
    const input = GLib.canonicalize_filename(options.paths[0], null);
    const outputDir = GLib.canonicalize_filename(options.paths[1], null);
    const output = thumbnailPath(outputDir, input);

    print(`thumbnail-helper: sandboxing ${thumbnailer}: read ${input}, write beneath ${outputDir}`);
    let launcher, ruleset, made, message;
    try {
        [launcher, ruleset] = thumbnailerLauncher(thumbnailer, input, outputDir);
        [made, message] = makeThumbnail(launcher, thumbnailer, options.size, input, output);
    } catch (e) {
        print(`thumbnail-helper: cannot sandbox the thumbnailer, not running it: ${e.message}`);
        return 1;
    }

    // What the children get, and what this kernel cannot restrict. The
    // status is a number in GJS; GObject.enum_to_string() names it.
    print(`thumbnail-helper: sandbox status: ${GObject.enum_to_string(Landlock.Status, ruleset.status)}`);
    print(`thumbnail-helper: ${ruleset.describe_unrestricted() ??
        'this kernel restricts every right landlock-glib knows'}`);
    if (!made) {
        print(`thumbnail-helper: no thumbnail: ${message}`);
        return 1;
    }
    print(`thumbnail-helper: made ${output}`);

    let held = true;
    for (const path of options.tryRead.map(p => GLib.canonicalize_filename(p, null))) {
        held = tryOutside(launcher, 'try-read', thumbnailer, options.size, path,
            thumbnailPath(outputDir, path), path) && held;
    }
    for (const path of options.tryWrite.map(p => GLib.canonicalize_filename(p, null)))
        held = tryOutside(launcher, 'try-write', thumbnailer, options.size, input, path, path) && held;
    return held ? 0 : 1;
}

System.exit(main(System.programArgs));
