/* restrict-self.vala: a Vala program that sandboxes itself with Landlock
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   restrict-self DIRECTORY
 *
 * The program writes DIRECTORY/hello.txt, then restricts itself to reading
 * /usr and DIRECTORY, and shows the kernel at work: reading is allowed
 * there, and reading /etc/passwd, creating a file and connecting to a
 * local TCP port are denied with EACCES, which GIO reports as
 * IOError.PERMISSION_DENIED. DIRECTORY must exist: once sandboxed, the
 * program could not remove it, so whoever made it cleans up.
 *
 * A Vala program starts no thread unless it asks for one, so applied
 * first thing in main (), the sandbox covers the whole process:
 * FULLY_ENFORCED on any Landlock ABI.
 *
 * It exits 0 when every claim held, and 1 when one did not or when the
 * ruleset cannot be applied: strict, it refuses to go on unsandboxed on a
 * kernel without Landlock.
 */

const string HELLO_TEXT = "written before the sandbox, read back inside it\n";

int failed = 0;

void claim (bool held, string message) {
    if (!held)
        failed++;
    print ("  [%s] %s\n", held ? " ok " : "FAIL", message);
}

/* The name of a GEnum value, as a reader would write it in Vala. */
string enum_name (Type enum_type, string prefix, int value) {
    var enum_class = (EnumClass) enum_type.class_ref ();
    unowned EnumValue? enum_value = enum_class.get_value (value);
    return "%s.%s".printf (prefix, enum_value != null ? enum_value.value_nick.up ().replace ("-", "_") : value.to_string ());
}

/* typeof (IOError) is GError's type: an error domain has no GType in
 * Vala, but GIO registers its codes as the GIOErrorEnum enumeration. */
[CCode (cname = "g_io_error_enum_get_type")]
extern Type io_error_enum_get_type ();

string describe (Error error) {
    if (error.domain == IOError.quark ())
        return "%s: %s".printf (enum_name (io_error_enum_get_type (), "IOError", error.code), error.message);
    return error.message;
}

delegate void Operation () throws Error;

void check_allowed (string what, Operation operation) {
    try {
        operation ();
        claim (true, "allowed: %s: succeeded".printf (what));
    } catch (Error e) {
        claim (false, "allowed: %s: %s".printf (what, describe (e)));
    }
}

/* A Landlock denial is EACCES; GIO maps it to PERMISSION_DENIED (and its
 * message carries the kernel's strerror, "Permission denied"). */
void check_denied (string what, Operation operation) {
    try {
        operation ();
        claim (false, "denied: %s: succeeded, but the sandbox should deny it".printf (what));
    } catch (Error e) {
        claim (e is IOError.PERMISSION_DENIED, "denied: %s: %s".printf (what, describe (e)));
    }
}

string read_text (string path) throws Error {
    uint8[] contents;
    File.new_for_path (path).load_contents (null, out contents, null);
    return (string) contents;
}

Socket tcp_socket () throws Error {
    return new Socket (SocketFamily.IPV4, SocketType.STREAM, SocketProtocol.TCP);
}

/* A port nobody listens on, so that unsandboxed a connection is refused:
 * PERMISSION_DENIED then can only come from the sandbox. */
uint16 find_closed_port () throws Error {
    var socket = tcp_socket ();
    socket.bind (new InetSocketAddress.from_string ("127.0.0.1", 0), false);
    var port = ((InetSocketAddress) socket.get_local_address ()).get_port ();
    socket.close ();
    return port;
}

/* The socket is closed when its last reference goes, at the end. */
void connect_tcp (uint16 port) throws Error {
    var socket = tcp_socket ();
    socket.connect (new InetSocketAddress.from_string ("127.0.0.1", port));
}

int main (string[] args) {
    Intl.setlocale ();
    if (args.length != 2 || !FileUtils.test (args[1], FileTest.IS_DIR)) {
        printerr ("Usage: %s DIRECTORY (an existing directory)\n", args[0]);
        return 2;
    }
    var directory = args[1];
    var hello = Path.build_filename (directory, "hello.txt");
    var created = Path.build_filename (directory, "created.txt");
    string? usr_file = null;
    uint16 port;

    /* Everything that needs more than the sandbox allows happens first. */
    try {
        FileUtils.set_contents (hello, HELLO_TEXT);
        port = find_closed_port ();
    } catch (Error e) {
        printerr ("Cannot prepare the demo: %s\n", e.message);
        return 1;
    }
    foreach (var candidate in new string[] { "/usr/lib/os-release", "/usr/share/common-licenses/GPL", "/usr/include/stdio.h" }) {
        if (FileUtils.test (candidate, FileTest.IS_REGULAR)) {
            usr_file = candidate;
            break;
        }
    }
    try {
        connect_tcp (port);
    } catch (Error e) {
        print ("Before the sandbox: TCP connect to 127.0.0.1:%u: %s\n", port, describe (e));
    }

    /* Strict (the default): fail on a kernel that cannot enforce it. */
    var ruleset = new Landlock.Ruleset ();
    ruleset.allow_read ({ "/usr", directory });
    print ("Applying a ruleset: read /usr and %s; every other file, TCP and IPC right denied\n", directory);
    Landlock.Status status;
    try {
        status = ruleset.apply ();
    } catch (Error e) {
        print ("Cannot sandbox: %s\n", e.message);
        return 1;
    }

    print ("  status: %s\n", enum_name (typeof (Landlock.Status), "Landlock.Status", status));
    print ("  threads left unrestricted: %u\n", ruleset.unrestricted_threads);
    print ("  reason: %s\n", ruleset.status_reason ?? "none: everything asked for is enforced");
    claim (status == Landlock.Status.FULLY_ENFORCED,
           "FULLY_ENFORCED: a Vala program has no other thread to leave unrestricted");

    print ("Inside the sandbox:\n");
    check_allowed ("read %s".printf (hello), () => {
        if (read_text (hello) != HELLO_TEXT)
            throw new IOError.FAILED ("unexpected contents");
    });
    if (usr_file != null)
        check_allowed ("read %s".printf (usr_file), () => { read_text (usr_file); });
    check_denied ("read /etc/passwd", () => { read_text ("/etc/passwd"); });
    check_denied ("create %s".printf (created), () => {
        File.new_for_path (created).create (FileCreateFlags.NONE).close ();
    });
    check_denied ("write %s".printf (hello), () => {
        File.new_for_path (hello).append_to (FileCreateFlags.NONE).close ();
    });
    if (Landlock.AccessNet.CONNECT_TCP in ruleset.handled_access_net)
        check_denied ("TCP connect to 127.0.0.1:%u".printf (port), () => { connect_tcp (port); });
    else
        print ("  [skip] denied: TCP connect: needs Landlock ABI 4\n");

    print ("%s\n", failed == 0 ? "Every claim held." : "%d claims failed.".printf (failed));
    return failed == 0 ? 0 : 1;
}
