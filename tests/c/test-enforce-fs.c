/* test-enforce-fs.c: the filesystem rights, enforced by the running kernel
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Each test prepares a directory in the parent (as the test user, before
 * anything is restricted), then a g_test_trap_subprocess() child applies a
 * ruleset and checks both sides: what the rules grant works, and what they
 * do not grant fails with the errno Landlock gives. Restricting cannot be
 * undone, so the test runner itself is never restricted.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/random.h>

#include <glib/gstdio.h>

#include "ll-test-utils.h"

typedef void (*PrepareFunc) (const char    *dir,
                             gconstpointer  data);
typedef void (*ChildFunc)   (const char    *dir,
                             gconstpointer  data);

/* The common shape of every test here: the parent checks the ABI (a skip in
 * the child would not reach the test report), prepares @name's directory,
 * and runs @child in a subprocess that gets the directory's path. */
static void
run_enforce_test (int            min_abi,
                  const char    *name,
                  PrepareFunc    prepare,
                  ChildFunc      child,
                  gconstpointer  data)
{
  g_autofree char *dir = NULL;

  if (ll_test_in_child ())
    {
      child (ll_test_child_dir (), data);
      return;
    }

  if (!ll_test_require_abi (min_abi))
    return;

  dir = ll_test_make_tmpdir (name);
  if (prepare != NULL)
    prepare (dir, data);
  ll_test_run_child_with_dir (dir);
}

static char *
path_in (const char *dir,
         const char *name)
{
  return g_build_filename (dir, name, NULL);
}

static void
make_subdir (const char *dir,
             const char *name)
{
  g_autofree char *path = path_in (dir, name);

  g_assert_no_errno (g_mkdir (path, 0755));
}

/* Two sibling directories, "allowed" and "denied", each with a "file": the
 * tests grant a right beneath the first and not the second. */
static void
prepare_two_dirs (const char    *dir,
                  gconstpointer  data)
{
  g_autofree char *allowed = path_in (dir, "allowed");
  g_autofree char *denied = path_in (dir, "denied");
  g_autofree char *file1 = NULL;
  g_autofree char *file2 = NULL;

  make_subdir (dir, "allowed");
  make_subdir (dir, "denied");
  file1 = ll_test_write_file (allowed, "file", "hello");
  file2 = ll_test_write_file (denied, "file", "hello");
}

/* Every filesystem right of the running kernel: with it, a rule grants all
 * but the right under test, which shows that this right alone decides. */
static LlAccessFs
all_fs_rights (void)
{
  int abi = ll_get_abi_version (NULL);

  g_assert_cmpint (abi, >, 0);
  return ll_access_fs_for_abi (abi);
}

/* Applies the sandbox of a one-right test: @granted beneath @allowed, and
 * every right but @withheld beneath @denied. */
static void
apply_one_right_sandbox (const char *allowed,
                         LlAccessFs  granted,
                         const char *denied,
                         LlAccessFs  withheld)
{
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();

  ll_ruleset_add_path_rule (ruleset, (const char *[]) { allowed, NULL }, granted);
  ll_ruleset_add_path_rule (ruleset, (const char *[]) { denied, NULL },
                            all_fs_rights () & ~withheld);
  ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);
}

static void
assert_file_contents (const char *path,
                      const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, expected);
}

static void
assert_file_size (const char *path,
                  goffset     expected)
{
  struct stat st;

  /* stat(2) is not restricted by Landlock. */
  g_assert_no_errno (stat (path, &st));
  g_assert_cmpint (st.st_size, ==, expected);
}

/* opendir(3) and closedir(3) of @path, reported like a system call: 0, or
 * -1 with errno set. */
static int
opendir_close (const char *path)
{
  DIR *d = opendir (path);

  if (d == NULL)
    return -1;
  closedir (d);
  return 0;
}

/* /enforce/fs/read-file */

static void
child_read_file (const char    *dir,
                 gconstpointer  data)
{
  g_autofree char *allowed = path_in (dir, "allowed");
  g_autofree char *allowed_file = path_in (allowed, "file");
  g_autofree char *denied_file = g_build_filename (dir, "denied", "file", NULL);
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();

  ll_ruleset_allow_read (ruleset, (const char *[]) { allowed, NULL });
  ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);

  assert_file_contents (allowed_file, "hello");
  ll_test_assert_open (allowed_file, O_RDONLY, 0);
  ll_test_assert_open (denied_file, O_RDONLY, EACCES);
  /* Reading is all that was granted. */
  ll_test_assert_open (allowed_file, O_WRONLY, EACCES);
}

static void
test_read_file (void)
{
  run_enforce_test (1, "read-file", prepare_two_dirs, child_read_file, NULL);
}

/* /enforce/fs/read-dir */

static void
child_read_dir (const char    *dir,
                gconstpointer  data)
{
  g_autofree char *allowed = path_in (dir, "allowed");
  g_autofree char *denied = path_in (dir, "denied");
  g_autofree char *denied_file = path_in (denied, "file");
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) gdir = NULL;

  ll_ruleset_add_path_rule (ruleset, (const char *[]) { allowed, NULL },
                            LL_ACCESS_FS_READ_DIR);
  /* READ_FILE beneath "denied": its file can be read, but without
   * READ_DIR the directory itself cannot be listed. */
  ll_ruleset_add_path_rule (ruleset, (const char *[]) { denied, NULL },
                            LL_ACCESS_FS_READ_FILE);
  ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);

  gdir = g_dir_open (allowed, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_dir_read_name (gdir), ==, "file");
  g_assert_null (g_dir_read_name (gdir));

  ll_test_assert_errno (opendir_close (allowed), 0);
  ll_test_assert_errno (opendir_close (denied), EACCES);
  ll_test_assert_open (denied_file, O_RDONLY, 0);
}

static void
test_read_dir (void)
{
  run_enforce_test (1, "read-dir", prepare_two_dirs, child_read_dir, NULL);
}

/* /enforce/fs/write-file */

static void
child_write_file (const char    *dir,
                  gconstpointer  data)
{
  g_autofree char *allowed = path_in (dir, "allowed");
  g_autofree char *denied = path_in (dir, "denied");
  g_autofree char *allowed_file = path_in (allowed, "file");
  g_autofree char *denied_file = path_in (denied, "file");
  int fd;

  apply_one_right_sandbox (allowed, LL_ACCESS_FS_WRITE_FILE, denied, LL_ACCESS_FS_WRITE_FILE);

  fd = open (allowed_file, O_WRONLY | O_APPEND | O_CLOEXEC);
  g_assert_no_errno (fd);
  g_assert_cmpint (write (fd, " world", 6), ==, 6);
  g_assert_no_errno (close (fd));
  assert_file_size (allowed_file, 11);
  ll_test_assert_open (allowed_file, O_RDONLY, EACCES);

  ll_test_assert_open (denied_file, O_WRONLY, EACCES);
  ll_test_assert_open (denied_file, O_RDWR, EACCES);
  ll_test_assert_open (denied_file, O_RDONLY, 0);
  assert_file_size (denied_file, 5);
}

static void
test_write_file (void)
{
  run_enforce_test (1, "write-file", prepare_two_dirs, child_write_file, NULL);
}

/* /enforce/fs/truncate */

static void
child_truncate (const char    *dir,
                gconstpointer  data)
{
  g_autofree char *allowed = path_in (dir, "allowed");
  g_autofree char *denied = path_in (dir, "denied");
  g_autofree char *allowed_file = path_in (allowed, "file");
  g_autofree char *denied_file = path_in (denied, "file");
  int early_fd;
  int fd;

  /* TRUNCATE is decided when a file is opened: a descriptor opened before
   * the sandbox keeps the right to truncate. */
  early_fd = open (denied_file, O_WRONLY | O_CLOEXEC);
  g_assert_no_errno (early_fd);

  apply_one_right_sandbox (allowed,
                           LL_ACCESS_FS_READ_FILE | LL_ACCESS_FS_WRITE_FILE | LL_ACCESS_FS_TRUNCATE,
                           denied, LL_ACCESS_FS_TRUNCATE);

  /* Granted: truncate(2), open(O_TRUNC) and ftruncate(2). */
  ll_test_assert_errno (truncate (allowed_file, 3), 0);
  assert_file_size (allowed_file, 3);
  ll_test_assert_open (allowed_file, O_WRONLY | O_TRUNC, 0);
  assert_file_size (allowed_file, 0);
  fd = open (allowed_file, O_RDWR | O_CLOEXEC);
  g_assert_no_errno (fd);
  ll_test_assert_errno (ftruncate (fd, 7), 0);
  g_assert_no_errno (close (fd));
  assert_file_size (allowed_file, 7);

  /* Not granted: the file can be written, not truncated. */
  ll_test_assert_errno (truncate (denied_file, 3), EACCES);
  ll_test_assert_open (denied_file, O_WRONLY | O_TRUNC, EACCES);
  ll_test_assert_open (denied_file, O_RDONLY | O_TRUNC, EACCES);
  fd = open (denied_file, O_WRONLY | O_CLOEXEC);
  g_assert_no_errno (fd);
  ll_test_assert_errno (ftruncate (fd, 0), EACCES);
  g_assert_no_errno (close (fd));
  assert_file_size (denied_file, 5);

  ll_test_assert_errno (ftruncate (early_fd, 1), 0);
  g_assert_no_errno (close (early_fd));
  assert_file_size (denied_file, 1);
}

static void
test_truncate (void)
{
  run_enforce_test (3, "truncate", prepare_two_dirs, child_truncate, NULL);
}

/* /enforce/fs/make-* */

typedef struct
{
  const char *path;        /* the test path */
  const char *name;        /* what the test creates */
  LlAccessFs  right;
  mode_t      type;        /* S_IFMT of what it creates */
  gboolean    needs_root;  /* CAP_MKNOD for devices */
  int       (*make)        (const char *path);
} MakeTest;

static int
make_reg (const char *path)
{
  return mknod (path, S_IFREG | 0644, 0);
}

static int
make_dir (const char *path)
{
  return mkdir (path, 0755);
}

static int
make_sym (const char *path)
{
  return symlink ("file", path);
}

static int
make_fifo (const char *path)
{
  return mkfifo (path, 0644);
}

/* Binding a UNIX socket to a path creates the socket file. */
static int
make_sock (const char *path)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd;
  int errsv = 0;

  g_assert_cmpuint (strlen (path), <, sizeof addr.sun_path);
  strcpy (addr.sun_path, path);
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_assert_no_errno (fd);
  if (bind (fd, (struct sockaddr *) &addr, sizeof addr) != 0)
    errsv = errno;
  close (fd);
  return ll_test_errno_result (errsv);
}

static int
make_char (const char *path)
{
  /* The same device as /dev/null. */
  return mknod (path, S_IFCHR | 0600, makedev (1, 3));
}

static int
make_block (const char *path)
{
  /* The same device as /dev/loop0; nothing opens it. */
  return mknod (path, S_IFBLK | 0600, makedev (7, 0));
}

static const MakeTest make_tests[] = {
  { "/enforce/fs/make-reg", "reg", LL_ACCESS_FS_MAKE_REG, S_IFREG, FALSE, make_reg },
  { "/enforce/fs/make-dir", "dir", LL_ACCESS_FS_MAKE_DIR, S_IFDIR, FALSE, make_dir },
  { "/enforce/fs/make-sym", "sym", LL_ACCESS_FS_MAKE_SYM, S_IFLNK, FALSE, make_sym },
  { "/enforce/fs/make-fifo", "fifo", LL_ACCESS_FS_MAKE_FIFO, S_IFIFO, FALSE, make_fifo },
  { "/enforce/fs/make-sock", "sock", LL_ACCESS_FS_MAKE_SOCK, S_IFSOCK, FALSE, make_sock },
  { "/enforce/fs/make-char", "char", LL_ACCESS_FS_MAKE_CHAR, S_IFCHR, TRUE, make_char },
  { "/enforce/fs/make-block", "block", LL_ACCESS_FS_MAKE_BLOCK, S_IFBLK, TRUE, make_block },
};

static void
child_make (const char    *dir,
            gconstpointer  data)
{
  const MakeTest *test = data;
  g_autofree char *allowed = path_in (dir, "allowed");
  g_autofree char *denied = path_in (dir, "denied");
  g_autofree char *allowed_new = path_in (allowed, test->name);
  g_autofree char *denied_new = path_in (denied, test->name);
  struct stat st;

  apply_one_right_sandbox (allowed, test->right, denied, test->right);

  ll_test_assert_errno (test->make (allowed_new), 0);
  g_assert_no_errno (lstat (allowed_new, &st));
  g_assert_cmpint (st.st_mode & S_IFMT, ==, test->type);

  ll_test_assert_errno (test->make (denied_new), EACCES);
  ll_test_assert_errno (lstat (denied_new, &st), ENOENT);
}

static void
test_make (gconstpointer data)
{
  const MakeTest *test = data;

  /* Without CAP_MKNOD the allowed side would fail with EPERM, whatever
   * Landlock says. */
  if (test->needs_root && !ll_test_in_child () && geteuid () != 0)
    {
      g_test_skip ("creating a device node needs CAP_MKNOD (run as root)");
      return;
    }
  run_enforce_test (1, test->name, prepare_two_dirs, child_make, data);
}

/* /enforce/fs/remove-file, /enforce/fs/remove-dir */

static void
prepare_remove (const char    *dir,
                gconstpointer  data)
{
  g_autofree char *allowed = path_in (dir, "allowed");
  g_autofree char *denied = path_in (dir, "denied");

  prepare_two_dirs (dir, data);
  make_subdir (allowed, "subdir");
  make_subdir (denied, "subdir");
}

static void
child_remove_file (const char    *dir,
                   gconstpointer  data)
{
  g_autofree char *allowed = path_in (dir, "allowed");
  g_autofree char *denied = path_in (dir, "denied");
  g_autofree char *allowed_file = path_in (allowed, "file");
  g_autofree char *denied_file = path_in (denied, "file");

  apply_one_right_sandbox (allowed, LL_ACCESS_FS_REMOVE_FILE, denied, LL_ACCESS_FS_REMOVE_FILE);

  ll_test_assert_errno (unlink (allowed_file), 0);
  g_assert_false (g_file_test (allowed_file, G_FILE_TEST_EXISTS));

  ll_test_assert_errno (unlink (denied_file), EACCES);
  g_assert_true (g_file_test (denied_file, G_FILE_TEST_EXISTS));
}

static void
test_remove_file (void)
{
  run_enforce_test (1, "remove-file", prepare_remove, child_remove_file, NULL);
}

static void
child_remove_dir (const char    *dir,
                  gconstpointer  data)
{
  g_autofree char *allowed = path_in (dir, "allowed");
  g_autofree char *denied = path_in (dir, "denied");
  g_autofree char *allowed_sub = path_in (allowed, "subdir");
  g_autofree char *denied_sub = path_in (denied, "subdir");

  apply_one_right_sandbox (allowed, LL_ACCESS_FS_REMOVE_DIR, denied, LL_ACCESS_FS_REMOVE_DIR);

  ll_test_assert_errno (rmdir (allowed_sub), 0);
  g_assert_false (g_file_test (allowed_sub, G_FILE_TEST_EXISTS));

  ll_test_assert_errno (rmdir (denied_sub), EACCES);
  g_assert_true (g_file_test (denied_sub, G_FILE_TEST_IS_DIR));
}

static void
test_remove_dir (void)
{
  run_enforce_test (1, "remove-dir", prepare_remove, child_remove_dir, NULL);
}

/* /enforce/fs/execute */

static void
prepare_execute (const char    *dir,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  const char * const subdirs[] = { "allowed", "denied" };

  g_file_get_contents ("/bin/true", &contents, &length, &error);
  g_assert_no_error (error);

  for (gsize i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *sub = path_in (dir, subdirs[i]);
      g_autofree char *prog = path_in (sub, "true");

      make_subdir (dir, subdirs[i]);
      g_file_set_contents (prog, contents, length, &error);
      g_assert_no_error (error);
      g_assert_no_errno (g_chmod (prog, 0755));
    }
}

/* Spawns @prog and returns 0 when it ran and exited with 0, else -1 with
 * errno set to what execve(2) failed with (posix_spawn() reports it). */
static int
spawn_wait (const char *prog)
{
  char *argv[] = { (char *) prog, NULL };
  pid_t pid;
  int status;
  int err;

  err = posix_spawn (&pid, prog, NULL, NULL, argv, environ);
  if (err != 0)
    return ll_test_errno_result (err);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  return 0;
}

static void
child_execute (const char    *dir,
               gconstpointer  data)
{
  g_autofree char *allowed = path_in (dir, "allowed");
  g_autofree char *denied = path_in (dir, "denied");
  g_autofree char *allowed_prog = path_in (allowed, "true");
  g_autofree char *denied_prog = path_in (denied, "true");
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
  g_autoptr(GPtrArray) system_dirs = g_ptr_array_new ();
  const char * const candidates[] = { "/usr", "/bin", "/sbin", "/lib", "/lib64",
                                      "/lib32", "/libx32" };

  /* The dynamic loader and libc must be readable and executable for any
   * dynamically linked program to start; which of these directories exist
   * (or are symbolic links into /usr) depends on the distribution. */
  for (gsize i = 0; i < G_N_ELEMENTS (candidates); i++)
    if (g_file_test (candidates[i], G_FILE_TEST_IS_DIR))
      g_ptr_array_add (system_dirs, (gpointer) candidates[i]);
  g_ptr_array_add (system_dirs, NULL);

  ll_ruleset_allow_read (ruleset, (const char * const *) system_dirs->pdata);
  ll_ruleset_allow_execute (ruleset, (const char * const *) system_dirs->pdata);
  ll_ruleset_allow_read (ruleset, (const char *[]) { "/etc", allowed, denied, NULL });
  ll_ruleset_allow_execute (ruleset, (const char *[]) { allowed, NULL });
  ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);

  ll_test_assert_errno (spawn_wait (allowed_prog), 0);

  /* Both copies can be read; only EXECUTE differs. */
  ll_test_assert_open (denied_prog, O_RDONLY, 0);
  ll_test_assert_errno (spawn_wait (denied_prog), EACCES);
}

static void
test_execute (void)
{
  run_enforce_test (1, "execute", prepare_execute, child_execute, NULL);
}

/* /enforce/fs/refer/denied, /enforce/fs/refer/allowed */

/* "src" and "dst" with a few files to move, and "nomake" for a destination
 * that grants REFER but not MAKE_REG. */
static void
prepare_refer (const char    *dir,
               gconstpointer  data)
{
  g_autofree char *src = path_in (dir, "src");
  g_autofree char *dst = path_in (dir, "dst");
  const char * const names[] = { "f1", "f2", "f3", "f4" };

  make_subdir (dir, "src");
  make_subdir (dir, "dst");
  make_subdir (dir, "nomake");
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *f = ll_test_write_file (src, names[i], names[i]);
    }
  g_free (ll_test_write_file (dst, "g1", "g1"));
}

#define REFER_BASE_RIGHTS (LL_ACCESS_FS_READ_FILE | LL_ACCESS_FS_WRITE_FILE | \
                           LL_ACCESS_FS_READ_DIR | LL_ACCESS_FS_REMOVE_FILE | \
                           LL_ACCESS_FS_MAKE_REG)

static void
child_refer_denied (const char    *dir,
                    gconstpointer  data)
{
  g_autofree char *src = path_in (dir, "src");
  g_autofree char *dst = path_in (dir, "dst");
  g_autofree char *src_f1 = path_in (src, "f1");
  g_autofree char *src_f1_renamed = path_in (src, "f1-renamed");
  g_autofree char *src_f2 = path_in (src, "f2");
  g_autofree char *dst_f2 = path_in (dst, "f2");
  g_autofree char *dst_link = path_in (dst, "link");
  g_autofree char *dst_g1 = path_in (dst, "g1");
  g_autofree char *src_g1 = path_in (src, "g1");
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();

  /* REFER on the source only: both sides need it. */
  ll_ruleset_add_path_rule (ruleset, (const char *[]) { src, NULL },
                            REFER_BASE_RIGHTS | LL_ACCESS_FS_REFER);
  ll_ruleset_add_path_rule (ruleset, (const char *[]) { dst, NULL },
                            REFER_BASE_RIGHTS);
  ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);

  /* Within one directory, REFER is not needed. */
  ll_test_assert_errno (rename (src_f1, src_f1_renamed), 0);
  g_assert_true (g_file_test (src_f1_renamed, G_FILE_TEST_EXISTS));

  /* Reparenting is denied with EXDEV, so that mv(1) falls back to copying. */
  ll_test_assert_errno (rename (src_f2, dst_f2), EXDEV);
  ll_test_assert_errno (link (src_f1_renamed, dst_link), EXDEV);
  ll_test_assert_errno (rename (dst_g1, src_g1), EXDEV);
  g_assert_true (g_file_test (src_f2, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (dst_f2, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (dst_g1, G_FILE_TEST_EXISTS));
}

static void
test_refer_denied (void)
{
  run_enforce_test (2, "refer-denied", prepare_refer, child_refer_denied, NULL);
}

static void
child_refer_allowed (const char    *dir,
                     gconstpointer  data)
{
  g_autofree char *src = path_in (dir, "src");
  g_autofree char *dst = path_in (dir, "dst");
  g_autofree char *nomake = path_in (dir, "nomake");
  g_autofree char *src_f1 = path_in (src, "f1");
  g_autofree char *src_f2 = path_in (src, "f2");
  g_autofree char *src_f3 = path_in (src, "f3");
  g_autofree char *dst_f2 = path_in (dst, "f2");
  g_autofree char *dst_link = path_in (dst, "link");
  g_autofree char *nomake_f3 = path_in (nomake, "f3");
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();

  ll_ruleset_add_path_rule (ruleset, (const char *[]) { src, dst, NULL },
                            REFER_BASE_RIGHTS | LL_ACCESS_FS_REFER);
  ll_ruleset_add_path_rule (ruleset, (const char *[]) { nomake, NULL },
                            (REFER_BASE_RIGHTS | LL_ACCESS_FS_REFER) & ~LL_ACCESS_FS_MAKE_REG);
  ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);

  ll_test_assert_errno (rename (src_f2, dst_f2), 0);
  assert_file_contents (dst_f2, "f2");
  g_assert_false (g_file_test (src_f2, G_FILE_TEST_EXISTS));
  ll_test_assert_errno (link (src_f1, dst_link), 0);
  assert_file_contents (dst_link, "f1");

  /* REFER on both sides, but the destination lacks MAKE_REG: a missing
   * right, not a widening, hence EACCES. */
  ll_test_assert_errno (rename (src_f3, nomake_f3), EACCES);
  g_assert_true (g_file_test (src_f3, G_FILE_TEST_EXISTS));
}

static void
test_refer_allowed (void)
{
  run_enforce_test (2, "refer-allowed", prepare_refer, child_refer_allowed, NULL);
}

/* /enforce/fs/ioctl-dev */

/* ioctl(RNDGETENTCNT) on @fd: 0 (with a sane count), or -1 with errno
 * set. */
static int
ioctl_entropy (int fd)
{
  int count = -1;

  if (ioctl (fd, RNDGETENTCNT, &count) != 0)
    return -1;
  g_assert_cmpint (count, >=, 0);
  return 0;
}

static void
child_ioctl_dev (const char    *dir,
                 gconstpointer  data)
{
  g_autofree char *file = path_in (dir, "file");
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
  int early_fd;
  int fd;
  int n = -1;

  /* IOCTL_DEV is decided when the device is opened, like TRUNCATE. */
  early_fd = open ("/dev/random", O_RDONLY | O_CLOEXEC);
  g_assert_no_errno (early_fd);

  /* The rule on the device file adds IOCTL_DEV to what /dev grants. */
  ll_ruleset_add_path_rule (ruleset, (const char *[]) { "/dev", dir, NULL },
                            LL_ACCESS_FS_READ_FILE);
  ll_ruleset_add_path_rule (ruleset, (const char *[]) { "/dev/urandom", NULL },
                            LL_ACCESS_FS_IOCTL_DEV);
  ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);

  /* RNDGETENTCNT needs no privilege and is a driver's ioctl, the kind
   * IOCTL_DEV governs. */
  fd = open ("/dev/urandom", O_RDONLY | O_CLOEXEC);
  g_assert_no_errno (fd);
  ll_test_assert_errno (ioctl_entropy (fd), 0);
  g_assert_no_errno (close (fd));

  fd = open ("/dev/random", O_RDONLY | O_CLOEXEC);
  g_assert_no_errno (fd);
  ll_test_assert_errno (ioctl_entropy (fd), EACCES);
  /* The fd flags commands stay available whatever IOCTL_DEV says. */
  ll_test_assert_errno (ioctl (fd, FIOCLEX), 0);
  g_assert_no_errno (close (fd));

  ll_test_assert_errno (ioctl_entropy (early_fd), 0);
  g_assert_no_errno (close (early_fd));

  /* IOCTL_DEV is about devices: a regular file's ioctls are not affected. */
  fd = open (file, O_RDONLY | O_CLOEXEC);
  g_assert_no_errno (fd);
  ll_test_assert_errno (ioctl (fd, FIONREAD, &n), 0);
  g_assert_cmpint (n, ==, 5);
  g_assert_no_errno (close (fd));
}

static void
prepare_ioctl_dev (const char    *dir,
                   gconstpointer  data)
{
  g_free (ll_test_write_file (dir, "file", "hello"));
}

static void
test_ioctl_dev (void)
{
  if (!ll_test_in_child () &&
      (!g_file_test ("/dev/urandom", G_FILE_TEST_EXISTS) ||
       !g_file_test ("/dev/random", G_FILE_TEST_EXISTS)))
    {
      g_test_skip ("needs /dev/random and /dev/urandom");
      return;
    }
  run_enforce_test (5, "ioctl-dev", prepare_ioctl_dev, child_ioctl_dev, NULL);
}

/* /enforce/fs/file-rule */

static void
prepare_file_rule (const char    *dir,
                   gconstpointer  data)
{
  g_free (ll_test_write_file (dir, "file", "hello"));
  g_free (ll_test_write_file (dir, "sibling", "hello"));
}

static void
child_file_rule (const char    *dir,
                 gconstpointer  data)
{
  g_autofree char *file = path_in (dir, "file");
  g_autofree char *sibling = path_in (dir, "sibling");
  g_autofree char *new_file = path_in (dir, "new");
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
  int fd;

  /* allow_read_write() grants directory-only rights too (READ_DIR,
   * MAKE_*, REMOVE_*): on a file they must be masked, not rejected. */
  ll_ruleset_allow_read_write (ruleset, (const char *[]) { file, NULL });
  ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);

  fd = open (file, O_RDWR | O_APPEND | O_CLOEXEC);
  g_assert_no_errno (fd);
  g_assert_cmpint (write (fd, "!", 1), ==, 1);
  g_assert_no_errno (close (fd));
  assert_file_contents (file, "hello!");
  ll_test_assert_open (file, O_WRONLY | O_TRUNC, 0);
  assert_file_size (file, 0);

  ll_test_assert_open (sibling, O_RDONLY, EACCES);
  ll_test_assert_open (sibling, O_WRONLY, EACCES);
  ll_test_assert_errno (opendir_close (dir), EACCES);
  ll_test_assert_errno (mknod (new_file, S_IFREG | 0644, 0), EACCES);
  ll_test_assert_errno (unlink (file), EACCES);
}

static void
test_file_rule (void)
{
  run_enforce_test (1, "file-rule", prepare_file_rule, child_file_rule, NULL);
}

/* /enforce/fs/read-only-dir */

static void
child_read_only_dir (const char    *dir,
                     gconstpointer  data)
{
  g_autofree char *allowed = path_in (dir, "allowed");
  g_autofree char *file = path_in (allowed, "file");
  g_autofree char *new_file = path_in (allowed, "new");
  g_autofree char *new_dir = path_in (allowed, "newdir");
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();

  ll_ruleset_allow_read (ruleset, (const char *[]) { allowed, NULL });
  ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);

  assert_file_contents (file, "hello");
  ll_test_assert_errno (opendir_close (allowed), 0);

  ll_test_assert_open (file, O_WRONLY, EACCES);
  ll_test_assert_open (file, O_RDWR, EACCES);
  ll_test_assert_open (new_file, O_WRONLY | O_CREAT | O_EXCL, EACCES);
  ll_test_assert_errno (mkdir (new_dir, 0755), EACCES);
  ll_test_assert_errno (unlink (file), EACCES);
  assert_file_contents (file, "hello");

  /* Truncating is a right of its own from ABI 3; below, Landlock cannot
   * restrict it at all (LL_ACCESS_FS_TRUNCATE), and the ruleset says so. */
  if (ll_get_abi_version (NULL) >= 3)
    {
      ll_test_assert_open (file, O_RDONLY | O_TRUNC, EACCES);
      ll_test_assert_errno (truncate (file, 0), EACCES);
      assert_file_contents (file, "hello");
    }
  else
    {
      g_assert_true (ll_ruleset_get_unrestricted_access_fs (ruleset) & LL_ACCESS_FS_TRUNCATE);
      ll_test_assert_errno (truncate (file, 0), 0);
      assert_file_size (file, 0);
    }
}

static void
test_read_only_dir (void)
{
  run_enforce_test (1, "read-only-dir", prepare_two_dirs, child_read_only_dir, NULL);
}

/* /enforce/fs/allow-write */

static void
child_allow_write (const char    *dir,
                   gconstpointer  data)
{
  g_autofree char *allowed = path_in (dir, "allowed");
  g_autofree char *denied = path_in (dir, "denied");
  g_autofree char *file = path_in (allowed, "file");
  g_autofree char *new_file = path_in (allowed, "new");
  g_autofree char *new_dir = path_in (allowed, "newdir");
  g_autofree char *moved_file = path_in (new_dir, "moved");
  g_autofree char *denied_new = path_in (denied, "new");
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();

  ll_ruleset_allow_write (ruleset, (const char *[]) { allowed, NULL });
  ll_ruleset_allow_read (ruleset, (const char *[]) { denied, NULL });
  ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);

  /* Write, create, remove, truncate, and move between directories (REFER,
   * where the kernel knows it). */
  ll_test_assert_open (file, O_WRONLY | O_TRUNC, 0);
  assert_file_size (file, 0);
  ll_test_assert_open (new_file, O_WRONLY | O_CREAT | O_EXCL, 0);
  ll_test_assert_errno (mkdir (new_dir, 0755), 0);
  ll_test_assert_errno (rename (new_file, moved_file), 0);
  ll_test_assert_errno (unlink (moved_file), 0);
  ll_test_assert_errno (rmdir (new_dir), 0);

  /* Reading is not part of it. */
  ll_test_assert_open (file, O_RDONLY, EACCES);
  ll_test_assert_errno (opendir_close (allowed), EACCES);

  /* Nothing of that where only allow_read() applies. */
  ll_test_assert_open (denied_new, O_WRONLY | O_CREAT | O_EXCL, EACCES);
  g_assert_false (g_file_test (denied_new, G_FILE_TEST_EXISTS));
}

static void
test_allow_write (void)
{
  run_enforce_test (1, "allow-write", prepare_two_dirs, child_allow_write, NULL);
}

/* /enforce/fs/deny-by-default */

static void
child_deny_by_default (const char    *dir,
                       gconstpointer  data)
{
  g_autofree char *allowed = path_in (dir, "allowed");
  g_autofree char *file = path_in (allowed, "file");
  g_autofree char *new_file = path_in (allowed, "new");
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();

  /* Before: the child can do what its user may. */
  ll_test_assert_open (file, O_RDWR, 0);
  ll_test_assert_open ("/etc/passwd", O_RDONLY, 0);

  ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);

  ll_test_assert_open (file, O_RDONLY, EACCES);
  ll_test_assert_open (file, O_WRONLY, EACCES);
  ll_test_assert_open ("/etc/passwd", O_RDONLY, EACCES);
  ll_test_assert_open ("/", O_RDONLY | O_DIRECTORY, EACCES);
  ll_test_assert_errno (mknod (new_file, S_IFREG | 0644, 0), EACCES);
  /* What Landlock does not restrict still works. */
  g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
}

static void
test_deny_by_default (void)
{
  run_enforce_test (1, "deny-by-default", prepare_two_dirs, child_deny_by_default, NULL);
}

/* /enforce/fs/resolve-unix: connecting to a UNIX socket bound to a path
 * (ABI 9), inside and outside the tree that grants it. Both listeners exist
 * before the sandbox, so a refusal can only be Landlock's. */

static int
unix_listener (const char *path)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

  g_assert_no_errno (fd);
  g_assert_cmpuint (strlen (path), <, sizeof addr.sun_path);
  strcpy (addr.sun_path, path);
  g_assert_no_errno (bind (fd, (struct sockaddr *) &addr, sizeof addr));
  g_assert_no_errno (listen (fd, 4));
  return fd;
}

/* connect(2) of a new socket to @path: 0, or -1 with errno set. */
static int
unix_connect (const char *path)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int errsv = 0;

  g_assert_no_errno (fd);
  strcpy (addr.sun_path, path);
  if (connect (fd, (struct sockaddr *) &addr, sizeof addr) < 0)
    errsv = errno;
  close (fd);
  return ll_test_errno_result (errsv);
}

static void
child_resolve_unix (const char    *dir,
                    gconstpointer  data)
{
  g_autofree char *allowed = path_in (dir, "allowed");
  g_autofree char *inside = path_in (allowed, "sock");
  g_autofree char *outside = path_in (dir, "denied/sock");
  int listener_inside = unix_listener (inside);
  int listener_outside = unix_listener (outside);
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();

  ll_test_assert_errno (unix_connect (outside), 0);
  ll_ruleset_add_path_rule (ruleset, (const char *[]) { allowed, NULL },
                            LL_ACCESS_FS_RESOLVE_UNIX);
  ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);

  ll_test_assert_errno (unix_connect (inside), 0);
  ll_test_assert_errno (unix_connect (outside), EACCES);
  g_assert_no_errno (close (listener_inside));
  g_assert_no_errno (close (listener_outside));
}

static void
test_resolve_unix (void)
{
  run_enforce_test (9, "resolve-unix", prepare_two_dirs, child_resolve_unix, NULL);
}

/* /enforce/fs/quiet: quiet rules and masks (ABI 10) change only what is
 * audit-logged. A quiet rule granting nothing is accepted and grants
 * nothing; quiet masks on a ruleset leave its rules as they are. */

static void
child_quiet (const char    *dir,
             gconstpointer  data)
{
  g_autofree char *allowed = path_in (dir, "allowed");
  g_autofree char *denied = path_in (dir, "denied");
  g_autofree char *allowed_file = path_in (allowed, "file");
  g_autofree char *denied_file = path_in (denied, "file");
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();

  ll_ruleset_allow_read (ruleset, (const char *[]) { allowed, NULL });
  ll_ruleset_add_path_rule_full (ruleset, (const char *[]) { denied, NULL }, 0,
                                 LL_RULE_FLAGS_QUIET);
  ll_ruleset_add_path_rule_full (ruleset, (const char *[]) { allowed, NULL },
                                 LL_ACCESS_FS_READ_FILE, LL_RULE_FLAGS_QUIET);
  ll_ruleset_set_quiet_access (ruleset, LL_ACCESS_FS_READ_FILE | LL_ACCESS_FS_WRITE_FILE,
                               LL_ACCESS_NET_BIND_TCP, LL_SCOPE_SIGNAL);
  ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);

  ll_test_assert_open (allowed_file, O_RDONLY, 0);
  ll_test_assert_open (allowed_file, O_WRONLY, EACCES);
  ll_test_assert_open (denied_file, O_RDONLY, EACCES);
  ll_test_assert_open (denied_file, O_WRONLY, EACCES);
}

static void
test_quiet (void)
{
  run_enforce_test (10, "quiet", prepare_two_dirs, child_quiet, NULL);
}

/* /enforce/fs/symlinks: a rule on a path through a symbolic link grants
 * the link's target (what another user could redirect by planting a
 * link); follow-symlinks FALSE refuses such a path, in any component. */

static void
prepare_symlinks (const char    *dir,
                  gconstpointer  data)
{
  g_autofree char *link = path_in (dir, "link");
  g_autofree char *via = path_in (dir, "via");

  prepare_two_dirs (dir, data);
  g_assert_no_errno (symlink ("denied", link));
  g_assert_no_errno (symlink (".", via));
}

static void
child_symlinks (const char    *dir,
                gconstpointer  data)
{
  g_autofree char *link = path_in (dir, "link");
  g_autofree char *through = path_in (dir, "via/allowed");
  g_autofree char *allowed = path_in (dir, "allowed");
  g_autofree char *allowed_file = path_in (dir, "allowed/file");
  g_autofree char *denied_file = path_in (dir, "denied/file");
  const char * const refused[] = { link, through, NULL };

  for (gsize i = 0; refused[i] != NULL; i++)
    {
      g_autoptr(LlRuleset) strict_paths = ll_ruleset_new ();
      g_autoptr(GError) error = NULL;

      ll_ruleset_set_follow_symlinks (strict_paths, FALSE);
      ll_ruleset_allow_read (strict_paths, (const char *[]) { refused[i], NULL });
      g_assert_false (ll_ruleset_apply (strict_paths, NULL, &error));
      g_assert_error (error, LL_ERROR, LL_ERROR_PATH);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, "symbolic link"));
    }
  /* Nothing was applied; a path without links is accepted. */
  ll_test_assert_open (denied_file, O_RDONLY, 0);
  {
    g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();

    /* The link's rule, followed (the default), grants its target. */
    g_assert_true (ll_ruleset_get_follow_symlinks (ruleset));
    ll_ruleset_allow_read (ruleset, (const char *[]) { link, NULL });
    ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);
  }
  ll_test_assert_open (denied_file, O_RDONLY, 0);
  ll_test_assert_open (allowed_file, O_RDONLY, EACCES);
  /* A second layer, of paths without links, is accepted. */
  {
    g_autoptr(LlRuleset) ruleset = g_object_new (LL_TYPE_RULESET, "follow-symlinks", FALSE, NULL);

    ll_ruleset_allow_read (ruleset, (const char *[]) { allowed, dir, NULL });
    ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);
  }
  ll_test_assert_open (denied_file, O_RDONLY, 0);
}

static void
test_symlinks (void)
{
  run_enforce_test (1, "symlinks", prepare_symlinks, child_symlinks, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/enforce/fs/read-file", test_read_file);
  g_test_add_func ("/enforce/fs/read-dir", test_read_dir);
  g_test_add_func ("/enforce/fs/write-file", test_write_file);
  g_test_add_func ("/enforce/fs/truncate", test_truncate);
  for (gsize i = 0; i < G_N_ELEMENTS (make_tests); i++)
    g_test_add_data_func (make_tests[i].path, &make_tests[i], test_make);
  g_test_add_func ("/enforce/fs/remove-file", test_remove_file);
  g_test_add_func ("/enforce/fs/remove-dir", test_remove_dir);
  g_test_add_func ("/enforce/fs/execute", test_execute);
  g_test_add_func ("/enforce/fs/refer/denied", test_refer_denied);
  g_test_add_func ("/enforce/fs/refer/allowed", test_refer_allowed);
  g_test_add_func ("/enforce/fs/ioctl-dev", test_ioctl_dev);
  g_test_add_func ("/enforce/fs/file-rule", test_file_rule);
  g_test_add_func ("/enforce/fs/read-only-dir", test_read_only_dir);
  g_test_add_func ("/enforce/fs/allow-write", test_allow_write);
  g_test_add_func ("/enforce/fs/deny-by-default", test_deny_by_default);
  g_test_add_func ("/enforce/fs/resolve-unix", test_resolve_unix);
  g_test_add_func ("/enforce/fs/quiet", test_quiet);
  g_test_add_func ("/enforce/fs/symlinks", test_symlinks);

  g_test_add_func ("/enforce/fs/no-landlock", ll_test_no_landlock);

  return g_test_run ();
}
