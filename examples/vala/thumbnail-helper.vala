/* thumbnail-helper.vala: a thumbnail made by a sandboxed gdk-pixbuf-thumbnailer
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   thumbnail-helper [--size N] [--try-read FILE]... [--try-write FILE]... INPUT OUTPUT_DIR
 *
 * The thumbnailer runs in a child process that may read INPUT and write
 * beneath OUTPUT_DIR, and read and run the system's libraries; nothing
 * else that the kernel can restrict. The program stays unrestricted; a
 * forked child has one thread, so the child's sandbox is FULLY_ENFORCED on
 * every kernel with Landlock. It makes OUTPUT_DIR/NAME.png (NAME: INPUT's
 * name without its extension); with --try-read and --try-write it then
 * runs the thumbnailer again, in the same sandbox, with FILE as its input
 * or its output, to show the kernel refusing.
 *
 * What the thumbnailer needs, and why each path, is in the C version of
 * this example (examples/c/thumbnail-helper.c). The ruleset is strict: on
 * a kernel without Landlock the thumbnailer is not run at all, and on an
 * older one the program prints what that kernel leaves open rather than
 * claim it.
 */

/* The sandbox of the thumbnailer: read and run the program and the
 * system's libraries, read the MIME database and the input, write beneath
 * the output directory. Paths must be absolute: a ruleset for a child
 * refuses relative ones. */
Landlock.Ruleset thumbnailer_ruleset (string thumbnailer, string input, string output_dir) {
    string[] system = { thumbnailer, "/usr/lib" };
    if (FileUtils.test ("/usr/lib64", FileTest.IS_DIR))   /* on some distributions */
        system += "/usr/lib64";

    var ruleset = new Landlock.Ruleset ();   /* strict: no Landlock, no thumbnail */
    ruleset.allow_execute (system)
        .allow_read (system)
        .allow_read ({ "/usr/share/mime", input })
        .allow_write ({ output_dir });
    return ruleset;
}

/* Runs the thumbnailer in the ruleset's sandbox: true if it made output,
 * else false with its last line in message. Throws if it could not be
 * started (a strict ruleset without Landlock, for one). */
bool make_thumbnail (Landlock.Ruleset ruleset, string thumbnailer, int size,
                     string input, string output, out string? message) throws Error {
    var child = ruleset.spawnv ({ thumbnailer, "-s", size.to_string (), input, output },
                                SubprocessFlags.STDERR_PIPE);
    string errors;
    child.communicate_utf8 (null, null, null, out errors);
    message = null;
    if (child.get_successful ())
        return true;
    var lines = (errors ?? "").strip ().split ("\n");
    message = lines[lines.length - 1] != "" ? lines[lines.length - 1] : "(no message)";
    return false;
}

/* The rest is the demonstration around it. */

string thumbnail_path (string output_dir, string input) {
    var name = Path.get_basename (input);
    var dot = name.last_index_of_char ('.');
    if (dot > 0)
        name = name.substring (0, dot);
    return Path.build_filename (output_dir, name + ".png");
}

/* The same sandbox, asked for what it does not grant: the thumbnailer
 * must fail. */
bool try_outside (Landlock.Ruleset ruleset, string what, string thumbnailer, int size,
                  string input, string output, string path) {
    string? message;
    try {
        if (make_thumbnail (ruleset, thumbnailer, size, input, output, out message)) {
            print ("thumbnail-helper: %s %s: done: the sandbox did not hold\n", what, path);
            return false;
        }
    } catch (Error e) {
        print ("thumbnail-helper: %s %s: cannot run the thumbnailer: %s\n", what, path, e.message);
        return false;
    }
    print ("thumbnail-helper: %s %s: refused: %s\n", what, path, message);
    return true;
}

int size = 128;
[CCode (array_length = false, array_null_terminated = true)]
string[]? try_read = null;
[CCode (array_length = false, array_null_terminated = true)]
string[]? try_write = null;

const OptionEntry[] ENTRIES = {
    { "size", 's', OptionFlags.NONE, OptionArg.INT, ref size, "Make the thumbnail at most N pixels wide and high", "N" },
    { "try-read", 0, OptionFlags.NONE, OptionArg.FILENAME_ARRAY, ref try_read,
      "Then ask the sandboxed thumbnailer to read FILE, which the sandbox does not allow", "FILE" },
    { "try-write", 0, OptionFlags.NONE, OptionArg.FILENAME_ARRAY, ref try_write,
      "Then ask the sandboxed thumbnailer to write FILE, which the sandbox does not allow", "FILE" },
    { null }
};

int main (string[] args) {
    var context = new OptionContext ("INPUT OUTPUT_DIR - make a thumbnail in a sandboxed child process");
    context.add_main_entries (ENTRIES, null);
    try {
        context.parse (ref args);
    } catch (OptionError e) {
        printerr ("%s\n", e.message);
        return 1;
    }
    if (args.length != 3) {
        printerr ("Usage: %s [--size N] [--try-read FILE]... [--try-write FILE]... INPUT OUTPUT_DIR\n", args[0]);
        return 1;
    }

    var thumbnailer = Environment.find_program_in_path ("gdk-pixbuf-thumbnailer");
    if (thumbnailer == null) {
        printerr ("thumbnail-helper: gdk-pixbuf-thumbnailer is not installed (Debian: package libgdk-pixbuf2.0-bin)\n");
        return 1;
    }
    var input = Filename.canonicalize (args[1]);
    var output_dir = Filename.canonicalize (args[2]);
    var output = thumbnail_path (output_dir, input);

    var ruleset = thumbnailer_ruleset (thumbnailer, input, output_dir);
    print ("thumbnail-helper: sandboxing %s: read %s, write beneath %s\n", thumbnailer, input, output_dir);
    bool made;
    string? message;
    try {
        made = make_thumbnail (ruleset, thumbnailer, size, input, output, out message);
    } catch (Error e) {
        print ("thumbnail-helper: cannot sandbox the thumbnailer, not running it: %s\n", e.message);
        return 1;
    }

    /* What the child got, and what this kernel cannot restrict. */
    print ("thumbnail-helper: sandbox status: %s\n", ruleset.status.to_string ());
    print ("thumbnail-helper: %s\n",
           ruleset.describe_unrestricted () ?? "this kernel restricts every right landlock-glib knows");
    if (!made) {
        print ("thumbnail-helper: no thumbnail: %s\n", message);
        return 1;
    }
    print ("thumbnail-helper: made %s\n", output);

    var held = true;
    foreach (unowned string given in try_read ?? new string[0]) {
        var path = Filename.canonicalize (given);
        held = try_outside (ruleset, "try-read", thumbnailer, size, path, thumbnail_path (output_dir, path), path) && held;
    }
    foreach (unowned string given in try_write ?? new string[0]) {
        var path = Filename.canonicalize (given);
        held = try_outside (ruleset, "try-write", thumbnailer, size, input, path, path) && held;
    }
    return held ? 0 : 1;
}
