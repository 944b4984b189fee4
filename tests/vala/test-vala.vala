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

/* Filesystem rights, each on its own.
 *
 * For each right R of the kernel's ABI, a child sandboxes itself with two
 * rules: a directory "allowed" gets R plus what the operation needs
 * besides R (@also), a directory "denied" gets every right but R. The
 * operations R governs must then succeed beneath "allowed" and fail
 * beneath "denied" with the kernel's errno (through Posix) and with the
 * GLib error that errno becomes (through GLib/GIO). Before applying, the
 * same operations run on an unsandboxed copy and must succeed, so a
 * denial is Landlock's and nothing else's. Denying only R, with everything
 * else granted, proves that R is what the library passes for it.
 */

struct FsRight {
    public string name;      /* the test is /vala/fs/NAME */
    public AccessFs bit;
    public int abi;          /* the Landlock ABI that brought it */
    public AccessFs also;    /* what the allowed side needs besides it */
    public int denied_errno;
    public bool mknod;       /* needs CAP_MKNOD */
}

const int RNDGETENTCNT = (int) 0x80045200; /* _IOR('R', 0, int): a driver ioctl, no privilege */

FsRight[] fs_rights () {
    return {
        FsRight () { name = "execute", bit = AccessFs.EXECUTE, abi = 1,
                     /* execve () opens the program for reading too */
                     also = AccessFs.READ_FILE, denied_errno = Posix.EACCES },
        FsRight () { name = "write_file", bit = AccessFs.WRITE_FILE, abi = 1, denied_errno = Posix.EACCES },
        FsRight () { name = "read_file", bit = AccessFs.READ_FILE, abi = 1, denied_errno = Posix.EACCES },
        FsRight () { name = "read_dir", bit = AccessFs.READ_DIR, abi = 1, denied_errno = Posix.EACCES },
        FsRight () { name = "remove_dir", bit = AccessFs.REMOVE_DIR, abi = 1, denied_errno = Posix.EACCES },
        FsRight () { name = "remove_file", bit = AccessFs.REMOVE_FILE, abi = 1, denied_errno = Posix.EACCES },
        FsRight () { name = "make_char", bit = AccessFs.MAKE_CHAR, abi = 1, denied_errno = Posix.EACCES, mknod = true },
        FsRight () { name = "make_dir", bit = AccessFs.MAKE_DIR, abi = 1, denied_errno = Posix.EACCES },
        FsRight () { name = "make_reg", bit = AccessFs.MAKE_REG, abi = 1, denied_errno = Posix.EACCES },
        FsRight () { name = "make_sock", bit = AccessFs.MAKE_SOCK, abi = 1, denied_errno = Posix.EACCES },
        FsRight () { name = "make_fifo", bit = AccessFs.MAKE_FIFO, abi = 1, denied_errno = Posix.EACCES },
        FsRight () { name = "make_block", bit = AccessFs.MAKE_BLOCK, abi = 1, denied_errno = Posix.EACCES, mknod = true },
        FsRight () { name = "make_sym", bit = AccessFs.MAKE_SYM, abi = 1, denied_errno = Posix.EACCES },
        /* Reparenting: a rename into another directory needs REFER on
         * both sides, besides removing and making the file; EXDEV without
         * (so that mv (1) falls back to copying). */
        FsRight () { name = "refer", bit = AccessFs.REFER, abi = 2,
                     also = AccessFs.MAKE_REG | AccessFs.REMOVE_FILE, denied_errno = Posix.EXDEV },
        /* open (O_WRONLY) for O_TRUNC and ftruncate (), O_RDWR for GIO. */
        FsRight () { name = "truncate", bit = AccessFs.TRUNCATE, abi = 3,
                     also = AccessFs.WRITE_FILE | AccessFs.READ_FILE, denied_errno = Posix.EACCES },
        /* Devices: /dev/urandom allowed, /dev/random denied; both are
         * opened (READ_FILE) inside the sandbox. */
        FsRight () { name = "ioctl_dev", bit = AccessFs.IOCTL_DEV, abi = 5,
                     also = AccessFs.READ_FILE, denied_errno = Posix.EACCES },
    };
}

bool find_fs_right (string name, out FsRight found) {
    foreach (var right in fs_rights ()) {
        if (right.name == name) {
            found = right;
            return true;
        }
    }
    found = FsRight ();
    return false;
}

/* @got, an errno (0: success), must be @want. */
void expect_errno (string what, int got, int want) throws TestError {
    if (got != want)
        throw new TestError.FAILED ("%s: expected %s, got %s".printf (
            what, want == 0 ? "success" : Posix.strerror (want), got == 0 ? "success" : Posix.strerror (got)));
}

/* The errno of a call that returns -1 on failure. */
int errno_of (int result) {
    return result == -1 ? Posix.errno : 0;
}

/* @op must succeed when @want is 0, else fail with @domain and @code. */
void expect_glib (string what, int want, Quark domain, int code, Op op) throws GLib.Error {
    if (want != 0) {
        check_denied (what, domain, code, op);
        return;
    }
    try {
        op ();
    } catch (GLib.Error e) {
        throw new TestError.FAILED ("%s: %s", what, e.message);
    }
}

int open_errno (string file, int flags) {
    var fd = Posix.open (file, flags | Posix.O_CLOEXEC);
    if (fd == -1)
        return Posix.errno;
    Posix.close (fd);
    return 0;
}

int mknod_errno (string file, Posix.mode_t kind, int major, int minor) {
    return errno_of (Posix.mknod (file, kind | 0600, Posix.makedev (major, minor)));
}

/* fork () and execv (): 0 when the program ran and exited 0, else the
 * errno of execv (), as the child's exit status. */
int exec_errno (string program) {
    var pid = Posix.fork ();
    if (pid == 0) {
        Posix.execv (program, { program });
        Posix._exit (Posix.errno);
    }
    if (pid == -1)
        return Posix.errno;
    int status;
    Posix.waitpid (pid, out status, 0);
    return Process.if_exited (status) ? Process.exit_status (status) : 255;
}

/* bind (2) of a Unix socket at @file, through Posix. */
int unix_bind_errno (string file) throws GLib.Error {
    var address = new UnixSocketAddress (file);
    var native = new uint8[address.get_native_size ()];
    address.to_native (native, native.length);
    var fd = Posix.socket (Posix.AF_UNIX, Posix.SOCK_STREAM, 0);
    check (fd != -1, "socket (AF_UNIX)");
    var result = errno_of (Posix.bind (fd, (void*) native, (Posix.socklen_t) native.length));
    Posix.close (fd);
    return result;
}

int rename_errno (string from, string to) {
    return errno_of (Posix.renameat (Posix.AT_FDCWD, from, Posix.AT_FDCWD, to));
}

int ioctl_errno (string device, int request) {
    var fd = Posix.open (device, Posix.O_RDONLY | Posix.O_CLOEXEC);
    if (fd == -1)
        return -1; /* not an errno: opening is not what is tested */
    int value = 0;
    var result = errno_of (Posix.ioctl (fd, request, &value));
    Posix.close (fd);
    return result;
}

bool exists (string file) {
    Posix.Stat st;
    return Posix.lstat (file, out st) == 0;
}

Posix.mode_t file_type (string file) {
    Posix.Stat st;
    if (Posix.lstat (file, out st) != 0)
        return 0;
    return st.st_mode & Posix.S_IFMT;
}

/* What each right's operations need in a side directory. */
void fs_setup (string name, string dir) throws GLib.Error {
    DirUtils.create_with_parents (dir, 0755);
    switch (name) {
    case "execute":
        var copy = File.new_for_path (path (dir, "true"));
        File.new_for_path (Environment.find_program_in_path ("true")).copy (copy, FileCopyFlags.NONE);
        FileUtils.chmod (copy.get_path (), 0755);
        break;
    case "write_file":
        FileUtils.set_contents (path (dir, "file"), "one\n");
        break;
    case "read_file":
        FileUtils.set_contents (path (dir, "file"), "data\n");
        break;
    case "read_dir":
        FileUtils.set_contents (path (dir, "entry"), "");
        break;
    case "remove_dir":
        DirUtils.create (path (dir, "subdir"), 0755);
        DirUtils.create (path (dir, "subdir2"), 0755);
        break;
    case "remove_file":
        FileUtils.set_contents (path (dir, "file"), "");
        FileUtils.set_contents (path (dir, "file2"), "");
        break;
    case "refer":
        DirUtils.create (path (dir, "a"), 0755);
        DirUtils.create (path (dir, "b"), 0755);
        foreach (var file in new string[] { "moved", "gio-moved", "same", "cross" })
            FileUtils.set_contents (path (dir, "a/" + file), "refer\n");
        break;
    case "truncate":
        foreach (var file in new string[] { "otrunc", "truncate", "ftruncate", "gio" })
            FileUtils.set_contents (path (dir, file), "long contents\n");
        break;
    default:
        break;
    }
}

/* Runs the operations of right @r beneath @dir: each must fail with
 * @want, the errno, or succeed when @want is 0. */
void fs_exercise (FsRight r, string dir, int want) throws GLib.Error {
    var allowed = want == 0;
    var what = "%s beneath %s".printf (r.name, dir);
    switch (r.name) {
    case "execute":
        expect_errno (what + ": execv ()", exec_errno (path (dir, "true")), want);
        expect_glib (what + ": Process.spawn_sync ()", want, SpawnError.quark (), SpawnError.ACCES, () => {
            int wait_status;
            Process.spawn_sync (null, { path (dir, "true") }, null, (SpawnFlags) 0, null, null, null,
                                out wait_status);
            Process.check_wait_status (wait_status);
        });
        break;
    case "write_file":
        var fd = Posix.open (path (dir, "file"), Posix.O_WRONLY | Posix.O_APPEND | Posix.O_CLOEXEC);
        expect_errno (what + ": open (O_WRONLY)", errno_of (fd), want);
        if (fd != -1) {
            check (Posix.write (fd, "two\n", 4) == 4, "write ()");
            Posix.close (fd);
        }
        expect_glib (what + ": File.append_to ()", want, IOError.quark (), IOError.PERMISSION_DENIED, () => {
            var stream = File.new_for_path (path (dir, "file")).append_to (FileCreateFlags.NONE);
            stream.write_all ("three\n".data, null);
            stream.close ();
        });
        if (allowed) {
            Posix.Stat st;
            Posix.stat (path (dir, "file"), out st);
            check (st.st_size == "one\ntwo\nthree\n".length, "the size after appending");
        }
        break;
    case "read_file":
        var fd = Posix.open (path (dir, "file"), Posix.O_RDONLY | Posix.O_CLOEXEC);
        expect_errno (what + ": open (O_RDONLY)", errno_of (fd), want);
        if (fd != -1) {
            var buf = new uint8[16];
            check (Posix.read (fd, buf, buf.length) == 5, "read ()");
            Posix.close (fd);
        }
        expect_glib (what + ": FileUtils.get_contents ()", want, FileError.quark (), FileError.ACCES, () => {
            string contents;
            FileUtils.get_contents (path (dir, "file"), out contents);
            check (contents == "data\n", "the contents read");
        });
        break;
    case "read_dir":
        expect_errno (what + ": open (O_DIRECTORY)", open_errno (dir, Posix.O_RDONLY | Posix.O_DIRECTORY), want);
        expect_glib (what + ": Dir.open ()", want, FileError.quark (), FileError.ACCES, () => {
            var listing = Dir.open (dir);
            check (listing.read_name () == "entry", "the entry listed");
        });
        break;
    case "remove_dir":
        expect_errno (what + ": rmdir ()", errno_of (Posix.rmdir (path (dir, "subdir"))), want);
        expect_errno (what + ": DirUtils.remove ()", errno_of (DirUtils.remove (path (dir, "subdir2"))), want);
        check (exists (path (dir, "subdir")) != allowed, what + ": the directory is gone only where allowed");
        break;
    case "remove_file":
        expect_errno (what + ": unlink ()", errno_of (Posix.unlink (path (dir, "file"))), want);
        expect_glib (what + ": File.delete ()", want, IOError.quark (), IOError.PERMISSION_DENIED, () => {
            File.new_for_path (path (dir, "file2")).delete ();
        });
        check (exists (path (dir, "file")) != allowed, what + ": the file is gone only where allowed");
        break;
    case "make_char":
        expect_errno (what + ": mknod (S_IFCHR 1:3)", mknod_errno (path (dir, "null"), Posix.S_IFCHR, 1, 3), want);
        check ((file_type (path (dir, "null")) == Posix.S_IFCHR) == allowed, what + ": the character device");
        break;
    case "make_block":
        expect_errno (what + ": mknod (S_IFBLK 7:0)", mknod_errno (path (dir, "loop"), Posix.S_IFBLK, 7, 0), want);
        check ((file_type (path (dir, "loop")) == Posix.S_IFBLK) == allowed, what + ": the block device");
        break;
    case "make_dir":
        expect_errno (what + ": mkdir ()", errno_of (Posix.mkdir (path (dir, "new-dir"), 0755)), want);
        expect_glib (what + ": File.make_directory ()", want, IOError.quark (), IOError.PERMISSION_DENIED, () => {
            File.new_for_path (path (dir, "gio-dir")).make_directory ();
        });
        expect_errno (what + ": DirUtils.create_with_parents ()",
                      errno_of (DirUtils.create_with_parents (path (dir, "a/b"), 0755)), want);
        check (FileUtils.test (path (dir, "a/b"), FileTest.IS_DIR) == allowed, what + ": the directories");
        break;
    case "make_reg":
        expect_errno (what + ": mknod (S_IFREG)", mknod_errno (path (dir, "new-reg"), Posix.S_IFREG, 0, 0), want);
        check ((file_type (path (dir, "new-reg")) == Posix.S_IFREG) == allowed, what + ": the regular file");
        /* GLib writes a temporary file and renames it: WRITE_FILE,
         * READ_FILE and REMOVE_FILE besides, which the allowed side
         * lacks: only the denial is checked. */
        if (!allowed) {
            expect_glib (what + ": FileUtils.set_contents ()", want, FileError.quark (), FileError.ACCES, () => {
                FileUtils.set_contents (path (dir, "glib-file"), "new\n");
            });
        }
        break;
    case "make_sock":
        expect_errno (what + ": bind (AF_UNIX)", unix_bind_errno (path (dir, "socket")), want);
        check ((file_type (path (dir, "socket")) == Posix.S_IFSOCK) == allowed, what + ": the socket");
        expect_errno (what + ": mknod (S_IFSOCK)", mknod_errno (path (dir, "socket-node"), Posix.S_IFSOCK, 0, 0), want);
        expect_glib (what + ": Socket.bind ()", want, IOError.quark (), IOError.PERMISSION_DENIED, () => {
            var socket = new Socket (SocketFamily.UNIX, SocketType.STREAM, SocketProtocol.DEFAULT);
            try {
                socket.bind (new UnixSocketAddress (path (dir, "gio-socket")), false);
            } finally {
                close_quietly (socket);
            }
        });
        break;
    case "make_fifo":
        expect_errno (what + ": mkfifo ()", errno_of (Posix.mkfifo (path (dir, "fifo"), 0600)), want);
        check ((file_type (path (dir, "fifo")) == Posix.S_IFIFO) == allowed, what + ": the fifo");
        expect_errno (what + ": mknod (S_IFIFO)", mknod_errno (path (dir, "fifo2"), Posix.S_IFIFO, 0, 0), want);
        break;
    case "make_sym":
        expect_errno (what + ": symlink ()", errno_of (Posix.symlink ("file", path (dir, "link"))), want);
        check ((file_type (path (dir, "link")) == Posix.S_IFLNK) == allowed, what + ": the symlink");
        expect_glib (what + ": File.make_symbolic_link ()", want, IOError.quark (), IOError.PERMISSION_DENIED, () => {
            File.new_for_path (path (dir, "gio-link")).make_symbolic_link ("/etc/hostname");
        });
        break;
    case "refer":
        expect_errno (what + ": rename () from a/ to b/",
                      rename_errno (path (dir, "a/moved"), path (dir, "b/moved")), want);
        check (exists (path (dir, "b/moved")) == allowed && exists (path (dir, "a/moved")) != allowed,
               what + ": the file moved only where allowed");
        /* Without NO_FALLBACK_FOR_MOVE, GIO would copy and delete on
         * EXDEV; it reports EXDEV as NOT_SUPPORTED. */
        expect_glib (what + ": File.move ()", want, IOError.quark (), IOError.NOT_SUPPORTED, () => {
            File.new_for_path (path (dir, "a/gio-moved")).move (File.new_for_path (path (dir, "b/gio-moved")),
                                                                FileCopyFlags.NO_FALLBACK_FOR_MOVE);
        });
        /* Renaming within a directory is no reparenting: no REFER. */
        expect_errno (what + ": rename () within a/",
                      rename_errno (path (dir, "a/same"), path (dir, "a/renamed")), 0);
        break;
    case "truncate":
        expect_errno (what + ": open (O_WRONLY | O_TRUNC)",
                      open_errno (path (dir, "otrunc"), Posix.O_WRONLY | Posix.O_TRUNC), want);
        expect_errno (what + ": truncate ()", errno_of (Posix.truncate (path (dir, "truncate"), 1)), want);
        var fd = Posix.open (path (dir, "ftruncate"), Posix.O_WRONLY | Posix.O_CLOEXEC);
        expect_errno (what + ": open (O_WRONLY) without O_TRUNC", errno_of (fd), 0);
        expect_errno (what + ": ftruncate ()", errno_of (Posix.ftruncate (fd, 0)), want);
        Posix.close (fd);
        /* Not FileUtils.set_contents_full (NONE): it writes in place, but
         * GLib 2.74 neither opens with O_TRUNC nor truncates. */
        expect_glib (what + ": FileIOStream.truncate ()", want, IOError.quark (), IOError.PERMISSION_DENIED, () => {
            /* On failure, the last reference closes the stream. */
            var stream = File.new_for_path (path (dir, "gio")).open_readwrite ();
            stream.truncate (0);
            stream.close ();
        });
        Posix.Stat st;
        Posix.stat (path (dir, "truncate"), out st);
        check ((st.st_size == 1) == allowed, what + ": the size after truncate ()");
        break;
    case "ioctl_dev":
        /* dir is a device here. */
        var fd = Posix.open (dir, Posix.O_RDONLY | Posix.O_CLOEXEC);
        expect_errno (what + ": open (O_RDONLY)", errno_of (fd), 0);
        Posix.close (fd);
        expect_errno (what + ": ioctl (RNDGETENTCNT)", ioctl_errno (dir, RNDGETENTCNT), want);
        /* FIONREAD is forwarded to the driver (random's says EINVAL):
         * Landlock stops it first where IOCTL_DEV is denied. */
        var fionread = ioctl_errno (dir, Linux.Termios.FIONREAD);
        if (allowed)
            check (fionread != Posix.EACCES, what + ": ioctl (FIONREAD) reaches the driver");
        else
            expect_errno (what + ": ioctl (FIONREAD)", fionread, want);
        break;
    default:
        throw new TestError.FAILED ("no operation for %s", r.name);
    }
}

void child_fs_right (string name, string tmp) throws GLib.Error {
    FsRight r;
    check (find_fs_right (name, out r), "unknown right " + name);
    require_abi (r.abi, name);
    if (r.mknod && Posix.geteuid () != 0)
        skip_because ("%s: mknod () of a device node needs CAP_MKNOD (root), this is uid %u".printf (
            name, (uint) Posix.geteuid ()));

    string allowed, denied;
    string[] unsandboxed;
    if (r.bit == AccessFs.IOCTL_DEV) {
        allowed = "/dev/urandom";
        denied = "/dev/random";
        unsandboxed = { allowed, denied };
    } else {
        allowed = path (tmp, "allowed");
        denied = path (tmp, "denied");
        unsandboxed = { path (tmp, "unsandboxed") };
        foreach (var dir in new string[] { allowed, denied, unsandboxed[0] })
            fs_setup (name, dir);
    }

    /* Without Landlock the operations work. */
    foreach (var dir in unsandboxed) {
        try {
            fs_exercise (r, dir, 0);
        } catch (TestError.FAILED e) {
            if (r.mknod || r.bit == AccessFs.IOCTL_DEV)
                skip_because ("%s cannot run here at all: %s".printf (name, e.message));
            throw e;
        }
    }

    var ruleset = new Ruleset ();
    if (r.bit == AccessFs.EXECUTE)
        allow_programs (ruleset);
    ruleset.add_path_rule ({ allowed }, r.bit | r.also);
    ruleset.add_path_rule ({ denied }, AccessFs.for_abi (kernel_abi ()) & ~r.bit);
    apply_fully (ruleset);

    fs_exercise (r, allowed, 0);
    fs_exercise (r, denied, r.denied_errno);

    if (r.bit == AccessFs.REFER) {
        /* REFER on one side only is not enough. */
        expect_errno ("rename () from allowed/ to denied/",
                      rename_errno (path (allowed, "a/cross"), path (denied, "b/cross")), Posix.EXDEV);
        expect_errno ("rename () from denied/ to allowed/",
                      rename_errno (path (denied, "a/cross"), path (allowed, "b/cross")), Posix.EXDEV);
    }
}

/* allow_read_write () vs allow_read (), as applications use them. */
void child_groups (string tmp) throws GLib.Error {
    var rw = path (tmp, "rw");
    var ro = path (tmp, "ro");
    var outside = path (tmp, "outside");
    foreach (var dir in new string[] { rw, ro, outside }) {
        DirUtils.create (dir, 0755);
        FileUtils.set_contents (path (dir, "file"), "data\n");
    }
    var ruleset = new Ruleset ();
    ruleset.allow_read_write ({ rw }).allow_read ({ ro });
    apply_fully (ruleset);

    /* Read-write: read, create, rename, remove. */
    string contents;
    FileUtils.get_contents (path (rw, "file"), out contents);
    FileUtils.set_contents (path (rw, "new"), "new\n");
    File.new_for_path (path (rw, "new")).delete ();
    File.new_for_path (path (rw, "dir")).make_directory ();
    check (DirUtils.create_with_parents (path (rw, "a/b"), 0755) == 0, "mkdir_with_parents beneath rw");
    File.new_for_path (path (rw, "link")).make_symbolic_link ("/etc/hostname");

    /* Read-only: read and list, but neither write nor create. */
    FileUtils.get_contents (path (ro, "file"), out contents);
    Dir.open (ro);
    check_denied ("making a file beneath the read-only dir", FileError.quark (), FileError.ACCES, () => {
        FileUtils.set_contents (path (ro, "new"), "new\n");
    });
    check_denied ("making a dir beneath the read-only dir", IOError.quark (), IOError.PERMISSION_DENIED, () => {
        File.new_for_path (path (ro, "dir")).make_directory ();
    });
    check (DirUtils.create_with_parents (path (ro, "a/b"), 0755) == -1 && Posix.errno == Posix.EACCES,
           "mkdir_with_parents beneath the read-only dir is EACCES");
    check_denied ("appending beneath the read-only dir", IOError.quark (), IOError.PERMISSION_DENIED, () => {
        File.new_for_path (path (ro, "file")).append_to (FileCreateFlags.NONE);
    });
    check_denied ("removing beneath the read-only dir", IOError.quark (), IOError.PERMISSION_DENIED, () => {
        File.new_for_path (path (ro, "file")).delete ();
    });

    /* Outside every rule: nothing. */
    check_denied ("reading outside the rules", FileError.quark (), FileError.ACCES, () => {
        FileUtils.get_contents (path (outside, "file"), out contents);
    });
    check_denied ("listing outside the rules", FileError.quark (), FileError.ACCES, () => {
        Dir.open (outside);
    });
    check_denied ("reading /etc/passwd", FileError.quark (), FileError.ACCES, () => {
        FileUtils.get_contents ("/etc/passwd", out contents);
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
        case "fs": child_fs_right (arg1, arg2); break;
        case "groups": child_groups (arg1); break;
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
 * argument unless @args gives them; after them with @with_tmp) and reports
 * its outcome. */
void run_child (string name, string[]? args = null, bool with_tmp = false) {
    string tmp;
    try {
        tmp = DirUtils.make_tmp ("ll-vala-XXXXXX");
    } catch (FileError e) {
        Test.fail_printf ("cannot make a temporary directory: %s", e.message);
        return;
    }
    string[] argv = { self_exe, "--child", name };
    if (args != null) {
        foreach (var arg in args)
            argv += arg;
    }
    if (args == null || with_tmp)
        argv += tmp;
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

/* Every filesystem right up to ABI 7 has its test, each right once, as
 * test_enforce.py checks for the Python suite. */
void test_fs_coverage () {
    AccessFs covered = 0;
    string[] names = {};
    foreach (var right in fs_rights ()) {
        if ((covered & right.bit) != 0)
            Test.fail_printf ("%s is tested twice", right.name);
        if (right.name in names)
            Test.fail_printf ("two tests are named %s", right.name);
        assert_cmpint (AccessFs.for_abi (right.abi) & right.bit, CompareOperator.EQ, right.bit);
        if (right.abi > 1)
            assert_cmpint (AccessFs.for_abi (right.abi - 1) & right.bit, CompareOperator.EQ, 0);
        covered |= right.bit;
        names += right.name;
    }
    assert_cmpuint (covered, CompareOperator.EQ, AccessFs.for_abi (7));
    /* What this kernel handles, up to ABI 7, is all tested. */
    var abi = kernel_abi ();
    if (abi >= 1 && abi <= 7)
        assert_cmpuint (AccessFs.for_abi (abi) & ~covered, CompareOperator.EQ, 0);
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
    Test.add_func ("/vala/fs/coverage", test_fs_coverage);
    foreach (var right in fs_rights ()) {
        var name = right.name;
        /* Not add_data_func_full (): its binding swaps the function and
         * the destroy notify. The closure lives as long as the program. */
        Test.add_data_func ("/vala/fs/" + name, () => run_child ("fs", { name }, true));
    }
    Test.add_func ("/vala/fs/groups", () => run_child ("groups"));
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
