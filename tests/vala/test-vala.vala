/* test-vala.vala: landlock-glib through its Vala bindings
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Compiled against the generated landlock-glib-1.vapi. Run without
 * arguments (meson adds --tap), it is a GLib.Test program. Each test that
 * restricts runs in a child, `test-vala --child CASE ARGS...`, since a
 * Landlock restriction cannot be undone: the child prints "ok child CASE"
 * and exits 0 on success, exits 77 with "skip child REASON" to skip, and
 * anything else is a failure.
 *
 * A Vala program starts no thread by itself, so unlike GJS (whose
 * JavaScript engine runs helper threads) it gets FULLY_ENFORCED from
 * apply () on any kernel: every child checks that.
 */

using Landlock;

const int CHILD_SKIP = 77;

errordomain TestError {
    FAILED,
    SKIPPED
}

/* Helpers shared by the parent and the children */

void check (bool condition, string what) throws TestError {
    if (!condition)
        throw new TestError.FAILED ("%s", what);
}

void skip_because (string reason) throws TestError {
    throw new TestError.SKIPPED ("%s", reason);
}

int kernel_abi () {
    try {
        return Landlock.get_abi_version ();
    } catch (GLib.Error e) {
        return 0;
    }
}

void require_abi (int abi, string what) throws TestError {
    var running = kernel_abi ();
    if (running < abi)
        skip_because ("%s needs Landlock ABI %d, the kernel has ABI %d".printf (what, abi, running));
}

string path (string dir, string name) {
    return Path.build_filename (dir, name);
}

/* Applies @ruleset in this single-threaded process: FULLY_ENFORCED. */
void apply_fully (Ruleset ruleset) throws GLib.Error {
    var threads = Landlock.get_thread_count ();
    check (threads == 1, "a Vala program is single-threaded before apply (): %u threads".printf (threads));
    Landlock.Status status = ruleset.apply ();
    check (status == Landlock.Status.FULLY_ENFORCED,
           "apply () in a single-threaded Vala program: expected FULLY_ENFORCED, got %s (%s)".printf (
               status.to_string (), ruleset.status_reason ?? "no reason"));
    check (ruleset.applied, "the ruleset says it was applied");
    check (ruleset.unrestricted_threads == 0, "no unrestricted thread");
    check (ruleset.status_reason == null, "no reason for a full sandbox");
}

/* Runs @op, which must fail with @domain and @code. */
delegate void Op () throws GLib.Error;

void check_denied (string what, Quark domain, int code, Op op) throws TestError {
    try {
        op ();
    } catch (GLib.Error e) {
        check (e.domain == domain && e.code == code,
               "%s: expected %s %d, got %s %d: %s".printf (what, domain.to_string (), code,
                                                         e.domain.to_string (), e.code, e.message));
        return;
    }
    throw new TestError.FAILED ("%s: succeeded, but should have been denied", what);
}

struct Result {
    int status;
    string stderr;
}

Result run_command (string[] argv) throws GLib.Error {
    var proc = new Subprocess.newv (argv, SubprocessFlags.STDOUT_PIPE | SubprocessFlags.STDERR_PIPE);
    string stdout_buf, stderr_buf;
    proc.communicate_utf8 (null, null, out stdout_buf, out stderr_buf);
    return Result () {
        status = proc.get_if_exited () ? proc.get_exit_status () : -1,
        stderr = stderr_buf ?? ""
    };
}

string[] system_dirs () {
    string[] dirs = {};
    foreach (var dir in new string[] { "/usr", "/lib", "/lib64", "/bin", "/etc" }) {
        if (FileUtils.test (dir, FileTest.IS_DIR))
            dirs += dir;
    }
    return dirs;
}

/* Lets the sandbox run programs: their files, loader, libraries, and the
 * /dev/null that GLib gives them as standard input. */
void allow_programs (Ruleset ruleset) {
    ruleset.add_path_rule (system_dirs (), AccessFs.READ_FILE | AccessFs.READ_DIR | AccessFs.EXECUTE);
    ruleset.add_path_rule ({ "/dev/null" }, AccessFs.READ_FILE | AccessFs.WRITE_FILE);
}

void close_quietly (Socket socket) {
    try {
        socket.close ();
    } catch (GLib.Error e) {
    }
}

int tcp_listen (out Socket socket) throws GLib.Error {
    socket = new Socket (SocketFamily.IPV4, SocketType.STREAM, SocketProtocol.TCP);
    socket.bind (new InetSocketAddress.from_string ("127.0.0.1", 0), true);
    socket.listen ();
    return ((InetSocketAddress) socket.get_local_address ()).get_port ();
}

int free_port () throws GLib.Error {
    Socket socket;
    var port = tcp_listen (out socket);
    socket.close ();
    return port;
}

void tcp_bind (int port) throws GLib.Error {
    var socket = new Socket (SocketFamily.IPV4, SocketType.STREAM, SocketProtocol.TCP);
    try {
        socket.bind (new InetSocketAddress.from_string ("127.0.0.1", (uint) port), true);
    } finally {
        close_quietly (socket);
    }
}

void tcp_connect (int port) throws GLib.Error {
    var socket = new Socket (SocketFamily.IPV4, SocketType.STREAM, SocketProtocol.TCP);
    try {
        socket.connect (new InetSocketAddress.from_string ("127.0.0.1", (uint) port));
    } finally {
        close_quietly (socket);
    }
}

Socket unix_listen (string name) throws GLib.Error {
    var socket = new Socket (SocketFamily.UNIX, SocketType.STREAM, SocketProtocol.DEFAULT);
    socket.bind (new UnixSocketAddress.with_type (name, -1, UnixSocketAddressType.ABSTRACT), false);
    socket.listen ();
    return socket;
}

void unix_connect (string name) throws GLib.Error {
    var socket = new Socket (SocketFamily.UNIX, SocketType.STREAM, SocketProtocol.DEFAULT);
    try {
        socket.connect (new UnixSocketAddress.with_type (name, -1, UnixSocketAddressType.ABSTRACT));
    } finally {
        close_quietly (socket);
    }
}

int my_pid () throws GLib.Error {
    return new Credentials ().get_unix_pid ();
}

/* Children: each gets a fresh directory, made by the parent */

void child_read (string tmp) throws GLib.Error {
    var allowed = path (tmp, "allowed");
    var denied = path (tmp, "denied");
    foreach (var dir in new string[] { allowed, denied }) {
        DirUtils.create (dir, 0755);
        FileUtils.set_contents (path (dir, "file"), "data\n");
    }
    var ruleset = new Ruleset ();
    ruleset.add_path_rule ({ allowed }, AccessFs.READ_FILE);
    ruleset.add_path_rule ({ denied }, AccessFs.for_abi (kernel_abi ()) & ~AccessFs.READ_FILE);
    apply_fully (ruleset);

    string contents;
    FileUtils.get_contents (path (allowed, "file"), out contents);
    check (contents == "data\n", "the contents read");
    check_denied ("reading beneath the denied dir", FileError.quark (), FileError.ACCES, () => {
        string unused;
        FileUtils.get_contents (path (denied, "file"), out unused);
    });
    check_denied ("reading /etc/passwd", FileError.quark (), FileError.ACCES, () => {
        string unused;
        FileUtils.get_contents ("/etc/passwd", out unused);
    });
}

void child_read_dir (string tmp) throws GLib.Error {
    var allowed = path (tmp, "allowed");
    var denied = path (tmp, "denied");
    foreach (var dir in new string[] { allowed, denied }) {
        DirUtils.create (dir, 0755);
        FileUtils.set_contents (path (dir, "entry"), "");
    }
    var ruleset = new Ruleset ();
    ruleset.add_path_rule ({ allowed }, AccessFs.READ_DIR);
    ruleset.add_path_rule ({ denied }, AccessFs.for_abi (kernel_abi ()) & ~AccessFs.READ_DIR);
    apply_fully (ruleset);

    var dir = Dir.open (allowed);
    check (dir.read_name () == "entry", "the entry listed");
    check_denied ("listing the denied dir", FileError.quark (), FileError.ACCES, () => {
        Dir.open (denied);
    });
}

void child_write (string tmp) throws GLib.Error {
    var allowed = path (tmp, "allowed");
    var denied = path (tmp, "denied");
    foreach (var dir in new string[] { allowed, denied }) {
        DirUtils.create (dir, 0755);
        FileUtils.set_contents (path (dir, "file"), "one\n");
    }
    var ruleset = new Ruleset ();
    ruleset.add_path_rule ({ allowed }, AccessFs.WRITE_FILE | AccessFs.READ_FILE);
    ruleset.add_path_rule ({ denied }, AccessFs.for_abi (kernel_abi ()) & ~AccessFs.WRITE_FILE);
    apply_fully (ruleset);

    var stream = File.new_for_path (path (allowed, "file")).append_to (FileCreateFlags.NONE);
    stream.write_all ("two\n".data, null);
    stream.close ();
    string contents;
    FileUtils.get_contents (path (allowed, "file"), out contents);
    check (contents == "one\ntwo\n", "the appended file");
    check_denied ("appending beneath the denied dir", IOError.quark (), IOError.PERMISSION_DENIED, () => {
        File.new_for_path (path (denied, "file")).append_to (FileCreateFlags.NONE);
    });
}

/* allow_read_write () vs allow_read (): making files, dirs and symlinks. */
void child_make (string tmp) throws GLib.Error {
    var allowed = path (tmp, "allowed");
    var denied = path (tmp, "denied");
    DirUtils.create (allowed, 0755);
    DirUtils.create (denied, 0755);
    var ruleset = new Ruleset ();
    ruleset.allow_read_write ({ allowed }).allow_read ({ denied });
    apply_fully (ruleset);

    FileUtils.set_contents (path (allowed, "file"), "new\n");
    File.new_for_path (path (allowed, "dir")).make_directory ();
    check (DirUtils.create_with_parents (path (allowed, "a/b"), 0755) == 0, "mkdir_with_parents beneath allowed");
    File.new_for_path (path (allowed, "link")).make_symbolic_link ("/etc/hostname");
    check (FileUtils.test (path (allowed, "link"), FileTest.IS_SYMLINK), "the symlink exists");

    check_denied ("making a file beneath the read-only dir", FileError.quark (), FileError.ACCES, () => {
        FileUtils.set_contents (path (denied, "file"), "new\n");
    });
    check_denied ("making a dir beneath the read-only dir", IOError.quark (), IOError.PERMISSION_DENIED, () => {
        File.new_for_path (path (denied, "dir")).make_directory ();
    });
    check (DirUtils.create_with_parents (path (denied, "a/b"), 0755) == -1, "mkdir_with_parents beneath denied");
    check_denied ("making a symlink beneath the read-only dir", IOError.quark (), IOError.PERMISSION_DENIED, () => {
        File.new_for_path (path (denied, "link")).make_symbolic_link ("/etc/hostname");
    });
}

void child_remove (string tmp) throws GLib.Error {
    var allowed = path (tmp, "allowed");
    var denied = path (tmp, "denied");
    foreach (var dir in new string[] { allowed, denied }) {
        DirUtils.create (dir, 0755);
        FileUtils.set_contents (path (dir, "file"), "");
        DirUtils.create (path (dir, "subdir"), 0755);
    }
    var ruleset = new Ruleset ();
    ruleset.add_path_rule ({ allowed }, AccessFs.REMOVE_FILE | AccessFs.REMOVE_DIR);
    ruleset.add_path_rule ({ denied }, AccessFs.for_abi (kernel_abi ())
                                       & ~(AccessFs.REMOVE_FILE | AccessFs.REMOVE_DIR));
    apply_fully (ruleset);

    File.new_for_path (path (allowed, "file")).delete ();
    check (DirUtils.remove (path (allowed, "subdir")) == 0, "rmdir beneath allowed");
    check (!FileUtils.test (path (allowed, "file"), FileTest.EXISTS), "the file was removed");
    check_denied ("removing a file beneath denied", IOError.quark (), IOError.PERMISSION_DENIED, () => {
        File.new_for_path (path (denied, "file")).delete ();
    });
    check (DirUtils.remove (path (denied, "subdir")) == -1 && errno == Posix.EACCES,
           "rmdir beneath denied is EACCES");
    check (FileUtils.test (path (denied, "subdir"), FileTest.IS_DIR), "the dir is still there");
}

void child_execute (string tmp) throws GLib.Error {
    var allowed = path (tmp, "allowed");
    var denied = path (tmp, "denied");
    var true_path = Environment.find_program_in_path ("true");
    foreach (var dir in new string[] { allowed, denied }) {
        DirUtils.create (dir, 0755);
        var copy = File.new_for_path (path (dir, "true"));
        File.new_for_path (true_path).copy (copy, FileCopyFlags.NONE);
        FileUtils.chmod (copy.get_path (), 0755);
    }
    var ruleset = new Ruleset ();
    allow_programs (ruleset);
    /* execve () opens the program for reading too. */
    ruleset.add_path_rule ({ allowed }, AccessFs.EXECUTE | AccessFs.READ_FILE);
    ruleset.add_path_rule ({ denied }, AccessFs.for_abi (kernel_abi ()) & ~AccessFs.EXECUTE);
    apply_fully (ruleset);

    int wait_status;
    Process.spawn_sync (null, { path (allowed, "true") }, null, (SpawnFlags) 0, null, null, null, out wait_status);
    Process.check_wait_status (wait_status);
    check_denied ("executing beneath denied", SpawnError.quark (), SpawnError.ACCES, () => {
        int unused;
        Process.spawn_sync (null, { path (denied, "true") }, null, (SpawnFlags) 0, null, null, null, out unused);
    });
}

void child_tcp (string unused_tmp) throws GLib.Error {
    require_abi (4, "TCP rules");
    Socket listener_a, listener_b;
    var connect_ok = tcp_listen (out listener_a);
    var connect_denied = tcp_listen (out listener_b);
    var bind_ok = free_port ();
    var bind_denied = free_port ();
    if (bind_denied == bind_ok)
        bind_denied = free_port ();

    var ruleset = new Ruleset ();
    ruleset.allow_network ({ (uint16) bind_ok }, true, false)
           .allow_network ({ (uint16) connect_ok }, false, true);
    apply_fully (ruleset);

    tcp_bind (bind_ok);
    check_denied ("binding port %d".printf (bind_denied), IOError.quark (), IOError.PERMISSION_DENIED, () => {
        tcp_bind (bind_denied);
    });
    tcp_connect (connect_ok);
    check_denied ("connecting to port %d".printf (connect_denied), IOError.quark (), IOError.PERMISSION_DENIED, () => {
        tcp_connect (connect_denied);
    });
    /* A bind-only port cannot be connected to (nothing listens there, but
     * Landlock says EACCES before TCP could refuse). */
    check_denied ("connecting to a bind-only port", IOError.quark (), IOError.PERMISSION_DENIED, () => {
        tcp_connect (bind_ok);
    });
    listener_a.close ();
    listener_b.close ();
}

void child_scope_abstract (string mode) throws GLib.Error {
    require_abi (6, "IPC scopes");
    var outside_name = "landlock-glib-vala-%d-%u".printf (my_pid (), Random.next_int ());
    var outside = unix_listen (outside_name);
    var ruleset = new Ruleset ();
    if (mode == "allowed")
        ruleset.allow_scope (Scope.ABSTRACT_UNIX_SOCKET);
    apply_fully (ruleset);

    if (mode == "allowed") {
        unix_connect (outside_name);
    } else {
        check_denied ("connecting to an abstract socket outside", IOError.quark (), IOError.PERMISSION_DENIED, () => {
            unix_connect (outside_name);
        });
        var inside_name = outside_name + "-inside";
        var inside = unix_listen (inside_name);
        unix_connect (inside_name);
        inside.close ();
    }
    outside.close ();
}

void child_scope_signal (string mode, string outside_pid) throws GLib.Error {
    require_abi (6, "IPC scopes");
    var ruleset = new Ruleset ();
    allow_programs (ruleset);
    if (mode == "allowed")
        ruleset.allow_scope (Scope.SIGNAL);
    apply_fully (ruleset);

    var self_kill = run_command ({ "kill", "-0", my_pid ().to_string () });
    check (self_kill.status == 0, "kill -0 of this sandboxed process: " + self_kill.stderr);
    var outside_kill = run_command ({ "kill", "-0", outside_pid });
    if (mode == "allowed")
        check (outside_kill.status == 0, "kill -0 of the test runner, signals allowed: " + outside_kill.stderr);
    else
        check (outside_kill.status != 0 && "Operation not permitted" in outside_kill.stderr,
               "kill -0 of the test runner is EPERM: " + outside_kill.stderr);
}

void child_errors (string tmp) throws GLib.Error {
    /* PATH, caught by its own domain. */
    var missing = path (tmp, "missing");
    var caught = false;
    try {
        new Ruleset ().allow_read ({ "/usr", missing }).apply ();
    } catch (Landlock.Error e) {
        check (e is Landlock.Error.PATH, "a missing path is Landlock.Error.PATH: " + e.message);
        check (missing in e.message, "the message names the path: " + e.message);
        caught = true;
    }
    check (caught, "apply () with a missing path threw");

    /* INVALID from apply (). */
    caught = false;
    try {
        new Ruleset ().add_net_rule (70000, AccessNet.BIND_TCP, RuleFlags.NONE).apply ();
    } catch (Landlock.Error e) {
        check (e is Landlock.Error.INVALID, "port 70000 is Landlock.Error.INVALID: " + e.message);
        caught = true;
    }
    check (caught, "apply () with port 70000 threw");

    /* INCOMPATIBLE: what ABI 7 lacks, in strict mode. */
    var abi = kernel_abi ();
    if (abi < 9) {
        caught = false;
        try {
            new Ruleset ().add_path_rule ({ tmp }, AccessFs.RESOLVE_UNIX).apply ();
        } catch (Landlock.Error e) {
            check (e is Landlock.Error.INCOMPATIBLE, "strict RESOLVE_UNIX is INCOMPATIBLE: " + e.message);
            check ("ABI 9" in e.message, "the message names ABI 9: " + e.message);
            caught = true;
        }
        check (caught, "strict RESOLVE_UNIX threw");
    }
    if (abi < 10) {
        caught = false;
        try {
            new Ruleset ().allow_udp ({ 53 }, true, true).apply ();
        } catch (Landlock.Error e) {
            check (e is Landlock.Error.INCOMPATIBLE, "strict UDP is INCOMPATIBLE: " + e.message);
            caught = true;
        }
        check (caught, "strict UDP threw");
    }
    if (abi < 8) {
        caught = false;
        try {
            var ruleset = new Ruleset ();
            ruleset.restrict_flags = RestrictFlags.TSYNC;
            ruleset.apply ();
        } catch (Landlock.Error e) {
            check (e is Landlock.Error.INCOMPATIBLE, "strict TSYNC is INCOMPATIBLE: " + e.message);
            caught = true;
        }
        check (caught, "strict TSYNC threw");
    }

    /* Nothing was applied by the failures. */
    string contents;
    FileUtils.get_contents ("/etc/passwd", out contents);

    /* Best-effort drops what the kernel lacks: PARTIALLY_ENFORCED, even
     * in a single-threaded program, with a reason. */
    var best_effort = new Ruleset () { strict = false };
    best_effort.allow_udp ({ 53 }, true, true).allow_read ({ "/usr" });
    var status = best_effort.apply ();
    if (abi < 10) {
        check (status == Landlock.Status.PARTIALLY_ENFORCED, "best-effort UDP on ABI < 10 is partial");
        check (best_effort.status_reason != null && "dropped" in best_effort.status_reason,
               "the reason says what was dropped: " + (best_effort.status_reason ?? "(null)"));
    } else {
        check (status == Landlock.Status.FULLY_ENFORCED, "best-effort UDP on ABI >= 10 is full");
    }
    check_denied ("reading /etc/passwd after best-effort", FileError.quark (), FileError.ACCES, () => {
        string unused;
        FileUtils.get_contents ("/etc/passwd", out unused);
    });

    /* Applying twice is INVALID. */
    caught = false;
    try {
        best_effort.apply ();
    } catch (Landlock.Error e) {
        check (e is Landlock.Error.INVALID, "applying twice is INVALID: " + e.message);
        caught = true;
    }
    check (caught, "applying twice threw");
}

void child_layer_limit (string unused_tmp) throws GLib.Error {
    var layers = 0;
    for (var i = 0; i < 20; i++) {
        try {
            new Ruleset ().allow_read ({ "/" }).apply ();
            layers++;
        } catch (Landlock.Error e) {
            check (e is Landlock.Error.LAYER_LIMIT, "expected LAYER_LIMIT, got " + e.message);
            check (layers == 16, "layers before the limit: %d".printf (layers));
            return;
        }
    }
    throw new TestError.FAILED ("%d layers without LAYER_LIMIT", layers);
}

int run_child_case (string[] args) {
    var name = args[2];
    var arg1 = args.length > 3 ? args[3] : "";
    var arg2 = args.length > 4 ? args[4] : "";
    try {
        if (kernel_abi () < 1)
            skip_because ("the kernel has no usable Landlock");
        switch (name) {
        case "read": child_read (arg1); break;
        case "read-dir": child_read_dir (arg1); break;
        case "write": child_write (arg1); break;
        case "make": child_make (arg1); break;
        case "remove": child_remove (arg1); break;
        case "execute": child_execute (arg1); break;
        case "tcp": child_tcp (arg1); break;
        case "scope-abstract": child_scope_abstract (arg1); break;
        case "scope-signal": child_scope_signal (arg1, arg2); break;
        case "errors": child_errors (arg1); break;
        case "layer-limit": child_layer_limit (arg1); break;
        default:
            printerr ("unknown case %s\n", name);
            return 2;
        }
    } catch (TestError.SKIPPED e) {
        print ("skip child %s\n", e.message);
        return CHILD_SKIP;
    } catch (GLib.Error e) {
        print ("child %s failed: %s\n", name, e.message);
        return 1;
    }
    print ("ok child %s\n", name);
    return 0;
}

/* The parent: GLib.Test */

string self_exe;

void remove_tree (string dir_path) {
    try {
        var dir = Dir.open (dir_path);
        string? name;
        while ((name = dir.read_name ()) != null) {
            var child = path (dir_path, name);
            if (FileUtils.test (child, FileTest.IS_DIR) && !FileUtils.test (child, FileTest.IS_SYMLINK))
                remove_tree (child);
            else
                FileUtils.unlink (child);
        }
    } catch (FileError e) {
    }
    DirUtils.remove (dir_path);
}

/* Runs a child case in a fresh temporary directory (passed as the first
 * argument unless @args gives them) and reports its outcome. */
void run_child (string name, string[]? args = null) {
    string tmp;
    try {
        tmp = DirUtils.make_tmp ("ll-vala-XXXXXX");
    } catch (FileError e) {
        Test.fail_printf ("cannot make a temporary directory: %s", e.message);
        return;
    }
    string[] argv = { self_exe, "--child", name };
    if (args == null) {
        argv += tmp;
    } else {
        foreach (var arg in args)
            argv += arg;
    }
    try {
        var proc = new Subprocess.newv (argv, SubprocessFlags.STDOUT_PIPE | SubprocessFlags.STDERR_MERGE);
        string output;
        proc.communicate_utf8 (null, null, out output, null);
        var status = proc.get_if_exited () ? proc.get_exit_status () : -1;
        if (status == CHILD_SKIP) {
            Test.skip (output.strip ().replace ("skip child ", ""));
        } else if (status != 0 || !("ok child " + name in output)) {
            foreach (var line in output.strip ().split ("\n"))
                Test.message ("%s", line);
            Test.fail_printf ("child %s: exit status %d", name, status);
        }
    } catch (GLib.Error e) {
        Test.fail_printf ("cannot run child %s: %s", name, e.message);
    }
    remove_tree (tmp);
}

void test_enums () {
    assert_cmpint (AccessFs.READ_FILE, CompareOperator.EQ, 1 << 2);
    assert_cmpint (AccessFs.RESOLVE_UNIX, CompareOperator.EQ, 1 << 16);
    assert_cmpint (AccessNet.CONNECT_TCP, CompareOperator.EQ, 1 << 1);
    assert_cmpint (Scope.SIGNAL, CompareOperator.EQ, 1 << 1);
    assert_cmpint (Landlock.Status.FULLY_ENFORCED, CompareOperator.EQ, 2);
    assert_cmpint (Landlock.Error.PATH, CompareOperator.EQ, 3);
    assert_cmpint (AccessFs.for_abi (7), CompareOperator.EQ, 0xFFFF);
    assert_cmpint (Landlock.ABI_MAX, CompareOperator.GE, 7);
    assert_cmpstr (Landlock.Error.quark ().to_string (), CompareOperator.EQ, "ll-error-quark");
}

void test_properties () {
    var abi = kernel_abi ();
    var ruleset = new Ruleset ();
    assert_true (ruleset.strict);
    assert_false (ruleset.ignore_missing);
    assert_true (ruleset.all_threads);
    assert_false (ruleset.applied);
    assert_cmpint (ruleset.abi, CompareOperator.EQ, abi);
    assert_cmpint (ruleset.handled_access_fs, CompareOperator.EQ, AccessFs.for_abi (abi));
    assert_cmpint (ruleset.handled_access_net, CompareOperator.EQ, AccessNet.for_abi (abi));
    assert_cmpint (ruleset.scoped, CompareOperator.EQ, Scope.for_abi (abi));
    assert_cmpint (ruleset.status, CompareOperator.EQ, Landlock.Status.NOT_ENFORCED);
    assert_null (ruleset.status_reason);

    var notified = 0;
    ruleset.notify["strict"].connect (() => notified++);
    ruleset.strict = false;
    ruleset.strict = false;
    assert_cmpint (notified, CompareOperator.EQ, 1);
    var lenient = new Ruleset () { strict = false, ignore_missing = true };
    assert_false (lenient.strict);
    assert_true (lenient.ignore_missing);

    /* The builders return the ruleset (unowned), so calls chain. */
    unowned Ruleset chained = ruleset.allow_read ({ "/usr" }).allow_execute ({ "/usr/bin" })
                                     .allow_network ({ 443 }, false, true).allow_scope (Scope.SIGNAL);
    assert_true (chained == ruleset);
}

void test_invalid () {
    foreach (var port in new int[] { 70000, -1 }) {
        var caught = false;
        try {
            new Ruleset ().add_net_rule (port, AccessNet.BIND_TCP, RuleFlags.NONE).check ();
        } catch (Landlock.Error e) {
            assert_true (e is Landlock.Error.INVALID);
            assert_true (port.to_string () in e.message);
            caught = true;
        }
        assert_true (caught);
    }
}

void test_spawnv () {
    if (kernel_abi () < 1) {
        Test.skip ("the kernel has no usable Landlock");
        return;
    }
    try {
        var tmp = DirUtils.make_tmp ("ll-vala-XXXXXX");
        var secret = path (tmp, "secret");
        FileUtils.set_contents (secret, "secret\n");
        var ruleset = new Ruleset ();
        ruleset.allow_read ({ "/usr" }).allow_execute ({ "/usr" });
        var proc = ruleset.spawnv ({ "/bin/cat", secret }, SubprocessFlags.STDOUT_PIPE | SubprocessFlags.STDERR_PIPE);
        string out_buf, err_buf;
        proc.communicate_utf8 (null, null, out out_buf, out err_buf);
        assert_false (proc.get_successful ());
        assert_true ("Permission denied" in err_buf);
        assert_cmpint (ruleset.status, CompareOperator.EQ, Landlock.Status.FULLY_ENFORCED);
        assert_false (ruleset.applied);
        /* This process is not restricted. */
        string contents;
        FileUtils.get_contents (secret, out contents);
        assert_cmpstr (contents, CompareOperator.EQ, "secret\n");
        remove_tree (tmp);
    } catch (GLib.Error e) {
        Test.fail_printf ("%s", e.message);
    }
}

public int main (string[] args) {
    if (args.length > 2 && args[1] == "--child")
        return run_child_case (args);

    try {
        self_exe = FileUtils.read_link ("/proc/self/exe");
    } catch (FileError e) {
        self_exe = args[0];
    }
    Test.init (ref args);

    Test.add_func ("/vala/enums", test_enums);
    Test.add_func ("/vala/properties", test_properties);
    Test.add_func ("/vala/errors/invalid-port", test_invalid);
    Test.add_func ("/vala/errors/apply", () => run_child ("errors"));
    Test.add_func ("/vala/errors/layer-limit", () => run_child ("layer-limit"));
    Test.add_func ("/vala/fs/read", () => run_child ("read"));
    Test.add_func ("/vala/fs/read-dir", () => run_child ("read-dir"));
    Test.add_func ("/vala/fs/write", () => run_child ("write"));
    Test.add_func ("/vala/fs/make", () => run_child ("make"));
    Test.add_func ("/vala/fs/remove", () => run_child ("remove"));
    Test.add_func ("/vala/fs/execute", () => run_child ("execute"));
    Test.add_func ("/vala/net/tcp", () => run_child ("tcp"));
    Test.add_func ("/vala/scope/abstract-unix/scoped", () => run_child ("scope-abstract", { "scoped" }));
    Test.add_func ("/vala/scope/abstract-unix/allowed", () => run_child ("scope-abstract", { "allowed" }));
    Test.add_func ("/vala/scope/signal/scoped", () => {
        run_child ("scope-signal", { "scoped", ((int) Posix.getpid ()).to_string () });
    });
    Test.add_func ("/vala/scope/signal/allowed", () => {
        run_child ("scope-signal", { "allowed", ((int) Posix.getpid ()).to_string () });
    });
    Test.add_func ("/vala/spawn/spawnv", test_spawnv);

    return Test.run ();
}
