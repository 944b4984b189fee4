/* ll-test-utils.c: what every C test of landlock-glib shares
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "ll-test-utils.h"

#if defined(__SANITIZE_ADDRESS__)
# define LL_TEST_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define LL_TEST_ASAN 1
# endif
#endif

#ifdef LL_TEST_ASAN
#include <stdio.h>

/* LeakSanitizer checks for leaks when the process exits, and it needs
 * /proc to do so (it lists /proc/PID/task and reads the maps). A test
 * child that restricted itself with a ruleset that does not grant /proc
 * cannot give it that: LSan would abort with "LeakSanitizer has
 * encountered a fatal error" and fail a test that passed.
 *
 * So, in such a process only, the exit-time leak check is skipped, and
 * the note says so. The decision is taken at exit, from what the process
 * can really do: the test runner and every child that is not sandboxed,
 * or whose sandbox grants /proc (test-fds' children do), keep the full
 * leak check; AddressSanitizer's and UBSan's checks stay on everywhere.
 *
 * on_exit() handlers run in the reverse order of registration, and the
 * sanitizer runtime registers its own before any constructor of the
 * program: this one runs first, and _exit() skips LSan's. */
static void
skip_leak_check_when_sandboxed (int   status,
                                void *data)
{
  static const char note[] =
    "ll-test-utils: leak check skipped: this process is sandboxed without /proc, "
    "which LeakSanitizer needs\n";
  int fd = open ("/proc/self/task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd >= 0)
    {
      close (fd);
      return;
    }
  if (errno != EACCES)
    return;

  fflush (NULL);
  {
    G_GNUC_UNUSED ssize_t written = write (STDERR_FILENO, note, sizeof note - 1);
  }
  _exit (status);
}

__attribute__((constructor)) static void
install_leak_check_guard (void)
{
  on_exit (skip_leak_check_when_sandboxed, NULL);
}
#endif

gboolean
ll_test_require_abi (int min_abi)
{
  g_autoptr(GError) error = NULL;
  int abi = ll_get_abi_version (&error);

  if (abi == 0)
    {
      g_autofree char *msg = g_strdup_printf ("Landlock is not usable here: %s", error->message);
      g_test_skip (msg);
      return FALSE;
    }
  if (abi < min_abi)
    {
      g_autofree char *msg = g_strdup_printf ("needs Landlock ABI %d, the kernel has ABI %d",
                                              min_abi, abi);
      g_test_skip (msg);
      return FALSE;
    }
  return TRUE;
}

LlError
ll_test_no_landlock_error (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (ll_get_abi_version (&error), ==, 0);
  g_assert_nonnull (error);
  g_assert_true (error->code == LL_ERROR_NOT_AVAILABLE || error->code == LL_ERROR_DISABLED);
  return error->code;
}

void
ll_test_no_landlock (void)
{
  g_autoptr(LlRuleset) strict = NULL;
  g_autoptr(LlRuleset) lenient = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *open = NULL;
  LlStatus status = LL_STATUS_FULLY_ENFORCED;
  gboolean no_new_privs_before;

  if (!ll_test_in_child ())
    {
      if (ll_get_abi_version (NULL) > 0)
        {
          g_test_skip ("this kernel has Landlock: the other tests of this program check it");
          return;
        }
      ll_test_run_child ();
      return;
    }

  no_new_privs_before = ll_test_no_new_privs_is_set ();
  strict = ll_ruleset_new ();
  ll_ruleset_allow_read (strict, (const char *[]) { "/usr", NULL });
  g_assert_false (ll_ruleset_apply (strict, &status, &error));
  g_assert_error (error, LL_ERROR, (int) ll_test_no_landlock_error ());
  g_test_message ("strict: %s", error->message);
  g_assert_cmpint (status, ==, LL_STATUS_NOT_ENFORCED);
  g_assert_false (ll_ruleset_get_applied (strict));
  g_assert_cmpint (ll_test_no_new_privs_is_set (), ==, no_new_privs_before);

  lenient = g_object_new (LL_TYPE_RULESET, "strict", FALSE, NULL);
  ll_ruleset_allow_read (lenient, (const char *[]) { "/usr", NULL });
  g_assert_true (ll_ruleset_apply (lenient, &status, NULL));
  g_assert_cmpint (status, ==, LL_STATUS_NOT_ENFORCED);
  g_assert_nonnull (ll_ruleset_get_status_reason (lenient));
  g_test_message ("best-effort: %s", ll_ruleset_get_status_reason (lenient));
  open = ll_ruleset_describe_unrestricted (lenient);
  g_assert_cmpstr (open, ==, "nothing is restricted: Landlock is not available");

  /* Nothing is restricted, as the status says. */
  ll_test_assert_open ("/etc/passwd", O_RDONLY, 0);
}

void
ll_test_run_child_below_abi (int         abi,
                             const char *covered_by)
{
  if (!ll_test_require_abi (1))
    return;
  if (ll_get_abi_version (NULL) >= abi)
    {
      g_autofree char *message =
        g_strdup_printf ("this kernel has ABI %d, which restricts this (%s checks it)",
                         ll_get_abi_version (NULL), covered_by);
      g_test_skip (message);
      return;
    }
  ll_test_run_child ();
}

guint
ll_test_timeout_seconds (guint seconds)
{
  const char *multiplier = g_getenv ("LL_TEST_TIMEOUT_MULTIPLIER");
  double factor = multiplier != NULL ? g_ascii_strtod (multiplier, NULL) : 1.0;

  return (guint) (seconds * MAX (factor, 1.0));
}

guint
ll_test_iterations (guint iterations)
{
  if (g_getenv ("LL_TEST_QUICK") != NULL)
    return MAX (iterations / 10, 1);
  return iterations;
}

char *
ll_test_make_tmpdir (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template = g_strdup_printf ("ll-test-%s-XXXXXX", name);
  char *path = g_dir_make_tmp (template, &error);

  g_assert_no_error (error);
  return path;
}

void
ll_test_rm_rf (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (children != NULL)
    {
      while ((info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);
          ll_test_rm_rf (child);
          g_object_unref (info);
        }
    }
  g_remove (path);
}

char *
ll_test_write_file (const char *dir,
                    const char *name,
                    const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

int
ll_test_open_errno (const char *path,
                    int         flags)
{
  int fd = open (path, flags | O_CLOEXEC, 0644);

  if (fd < 0)
    return errno;
  close (fd);
  return 0;
}

int
ll_test_errno_result (int errsv)
{
  if (errsv == 0)
    return 0;
  errno = errsv;
  return -1;
}

void
ll_test_apply_expect (LlRuleset *ruleset,
                      LlStatus   expected_status)
{
  g_autoptr(GError) error = NULL;
  LlStatus status = LL_STATUS_NOT_ENFORCED;
  gboolean ok;

  ok = ll_ruleset_apply (ruleset, &status, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  /* Says why, when the status is not the one expected. */
  if (status != expected_status)
    g_printerr ("status reason: %s\n", ll_ruleset_get_status_reason (ruleset));
  g_assert_cmpint (status, ==, expected_status);
}

void
ll_test_allow_programs (LlRuleset *ruleset)
{
  /* /bin and /sbin are symlinks into /usr on merged-/usr systems; the rule
   * then covers their target, which is harmless. */
  static const char * const candidates[] = { "/usr", "/lib", "/lib64", "/bin", "/sbin" };
  g_autoptr(GPtrArray) dirs = g_ptr_array_new ();

  for (gsize i = 0; i < G_N_ELEMENTS (candidates); i++)
    if (g_file_test (candidates[i], G_FILE_TEST_IS_DIR))
      g_ptr_array_add (dirs, (char *) candidates[i]);
  g_ptr_array_add (dirs, NULL);

  ll_ruleset_add_path_rule (ruleset, (const char * const *) dirs->pdata,
                            LL_ACCESS_FS_READ_FILE | LL_ACCESS_FS_READ_DIR |
                            LL_ACCESS_FS_EXECUTE);
  if (g_file_test ("/etc/ld.so.cache", G_FILE_TEST_EXISTS))
    ll_ruleset_allow_read (ruleset, (const char * const []) { "/etc/ld.so.cache", NULL });
}

guint
ll_test_count_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint count = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    count++;
  /* GDir holds one descriptor of its own while it is open. */
  return count - 1;
}

guint
ll_test_count_fds_by_probe (void)
{
  guint count = 0;

  for (int fd = 0; fd < 1024; fd++)
    if (fcntl (fd, F_GETFD) >= 0)
      count++;
  return count;
}

gboolean
ll_test_no_new_privs_is_set (void)
{
  int nnp = prctl (PR_GET_NO_NEW_PRIVS, 0L, 0L, 0L, 0L);

  g_assert_cmpint (nnp, >=, 0);
  return nnp == 1;
}

guint
ll_test_count_fds_settled (void)
{
  guint count = ll_test_count_fds ();
  guint stable = 0;

  /* 20 ms without a change, for at most about 2 s: a descriptor that
   * stays longer is not a transient one. */
  for (guint tries = 0; stable < 10 && tries < ll_test_timeout_seconds (1000); tries++)
    {
      guint now;

      g_usleep (2 * 1000);
      now = ll_test_count_fds ();
      if (now == count)
        {
          stable++;
        }
      else
        {
          count = now;
          stable = 0;
        }
    }
  return count;
}

void
ll_test_run_child (void)
{
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

#define LL_TEST_DIR_ENV "LL_TEST_CHILD_DIR"

void
ll_test_run_child_with_dir (const char *dir)
{
  ll_test_run_child_with_dir_then (dir, NULL, NULL);
}

void
ll_test_run_child_with_dir_then (const char *dir,
                                 GFunc       cleanup,
                                 gpointer    data)
{
  g_setenv (LL_TEST_DIR_ENV, dir, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv (LL_TEST_DIR_ENV);
  ll_test_rm_rf (dir);
  if (cleanup != NULL)
    cleanup (data, NULL);
  g_test_trap_assert_passed ();
}

const char *
ll_test_child_dir (void)
{
  const char *dir = g_getenv (LL_TEST_DIR_ENV);

  g_assert_nonnull (dir);
  return dir;
}

/* "EACCES (Permission denied)", "success" for 0. */
static char *
describe_errno (int errsv)
{
  const char *name = NULL;

  if (errsv == 0)
    return g_strdup ("success");
#if defined(__GLIBC__) && __GLIBC_PREREQ (2, 32)
  name = strerrorname_np (errsv);
#endif
  if (name != NULL)
    return g_strdup_printf ("%s (%s)", name, g_strerror (errsv));
  return g_strdup_printf ("errno %d (%s)", errsv, g_strerror (errsv));
}

static void
check_result (const char *file,
              int         line,
              const char *func,
              const char *what,
              int         got_errno,
              int         expected_errno)
{
  g_autofree char *expected = NULL;
  g_autofree char *got = NULL;
  g_autofree char *msg = NULL;

  if (got_errno == expected_errno)
    return;
  expected = describe_errno (expected_errno);
  got = describe_errno (got_errno);
  msg = g_strdup_printf ("%s: expected %s, got %s", what, expected, got);
  g_assertion_message (G_LOG_DOMAIN, file, line, func, msg);
}

void
ll_test_check_errno (const char *file,
                     int         line,
                     const char *func,
                     const char *expr,
                     long        ret,
                     int         errsv,
                     int         expected_errno)
{
  check_result (file, line, func, expr, ret == -1 ? errsv : 0, expected_errno);
}

void
ll_test_check_open (const char *file,
                    int         line,
                    const char *func,
                    const char *path,
                    int         flags,
                    const char *flags_str,
                    int         expected_errno)
{
  g_autofree char *what = g_strdup_printf ("open (\"%s\", %s)", path, flags_str);

  check_result (file, line, func, what, ll_test_open_errno (path, flags), expected_errno);
}

void
ll_test_tree_clear (LlTestTree *tree)
{
  g_clear_pointer (&tree->root, g_free);
  g_clear_pointer (&tree->inside_dir, g_free);
  g_clear_pointer (&tree->inside_file, g_free);
  g_clear_pointer (&tree->outside_file, g_free);
}

static void
tree_init_paths (LlTestTree *tree,
                 const char *root)
{
  tree->root = g_strdup (root);
  tree->inside_dir = g_build_filename (root, "inside", NULL);
  tree->inside_file = g_build_filename (root, "inside", "file", NULL);
  tree->outside_file = g_build_filename (root, "outside", NULL);
}

void
ll_test_tree_run_child (const char *name)
{
  g_auto(LlTestTree) tree = { 0 };
  g_autofree char *root = ll_test_make_tmpdir (name);
  g_autofree char *inside = NULL;
  g_autofree char *outside = NULL;

  tree_init_paths (&tree, root);
  g_assert_no_errno (g_mkdir (tree.inside_dir, 0755));
  inside = ll_test_write_file (tree.inside_dir, "file", "inside\n");
  outside = ll_test_write_file (tree.root, "outside", "outside\n");

  /* Passes the tree to the child, removes it, then asserts the child's
   * result, so that a failure leaves nothing behind. */
  ll_test_run_child_with_dir (tree.root);
}

void
ll_test_tree_from_child (LlTestTree *tree)
{
  tree_init_paths (tree, ll_test_child_dir ());
}
