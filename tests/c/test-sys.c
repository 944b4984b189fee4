/* test-sys.c: the raw ll_sys_* wrappers of the Landlock system calls
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ll-test-utils.h"

static int
open_path (const char *path)
{
  int fd = open (path, O_PATH | O_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  return fd;
}

static void
test_sys_restrict_read_file (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(LlTestTree) tree = { 0 };
  int ruleset_fd, dir_fd;
  guint fds_before;

  if (!ll_test_in_child ())
    {
      if (ll_test_require_abi (1))
        ll_test_tree_run_child ("sys");
      return;
    }

  ll_test_tree_from_child (&tree);

  /* Before: both readable, so the denial below is Landlock's doing. */
  ll_test_assert_open (tree.inside_file, O_RDONLY, 0);
  ll_test_assert_open (tree.outside_file, O_RDONLY, 0);

  fds_before = ll_test_count_fds_by_probe ();
  ruleset_fd = ll_sys_create_ruleset (LL_ACCESS_FS_READ_FILE, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ruleset_fd, >=, 0);
  g_assert_cmpint (fcntl (ruleset_fd, F_GETFD), ==, FD_CLOEXEC);

  dir_fd = open_path (tree.inside_dir);
  g_assert_true (ll_sys_add_path_rule (ruleset_fd, dir_fd, LL_ACCESS_FS_READ_FILE, 0, &error));
  g_assert_no_error (error);
  close (dir_fd);

  g_assert_false (ll_test_no_new_privs_is_set ());
  g_assert_true (ll_sys_set_no_new_privs (&error));
  g_assert_no_error (error);
  g_assert_true (ll_test_no_new_privs_is_set ());

  g_assert_true (ll_sys_restrict_self (ruleset_fd, 0, &error));
  g_assert_no_error (error);
  close (ruleset_fd);
  g_assert_cmpuint (ll_test_count_fds_by_probe (), ==, fds_before);

  ll_test_assert_open (tree.inside_file, O_RDONLY, 0);
  ll_test_assert_open (tree.outside_file, O_RDONLY, EACCES);
  /* Only READ_FILE is handled: writing outside stays allowed. */
  ll_test_assert_open (tree.outside_file, O_WRONLY, 0);
}

static void
test_sys_net_rule (void)
{
  g_autoptr(GError) error = NULL;
  guint fds_before = ll_test_count_fds ();
  int ruleset_fd;

  if (!ll_test_require_abi (4))
    return;

  ruleset_fd = ll_sys_create_ruleset (0, LL_ACCESS_NET_BIND_TCP | LL_ACCESS_NET_CONNECT_TCP,
                                      0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ruleset_fd, >=, 0);

  /* Both ends of the valid range are accepted. */
  g_assert_true (ll_sys_add_net_rule (ruleset_fd, 0, LL_ACCESS_NET_CONNECT_TCP, 0, &error));
  g_assert_no_error (error);
  g_assert_true (ll_sys_add_net_rule (ruleset_fd, 65535, LL_ACCESS_NET_BIND_TCP, 0, &error));
  g_assert_no_error (error);

  g_assert_false (ll_sys_add_net_rule (ruleset_fd, 65536, LL_ACCESS_NET_BIND_TCP, 0, &error));
  g_assert_error (error, LL_ERROR, LL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "65536"));
  g_clear_error (&error);

  g_assert_false (ll_sys_add_net_rule (ruleset_fd, -1, LL_ACCESS_NET_BIND_TCP, 0, &error));
  g_assert_error (error, LL_ERROR, LL_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (ll_sys_add_net_rule (ruleset_fd, G_MAXINT64, LL_ACCESS_NET_BIND_TCP, 0, &error));
  g_assert_error (error, LL_ERROR, LL_ERROR_INVALID);
  g_clear_error (&error);

  /* A rule granting nothing is the kernel's ENOMSG. */
  g_assert_false (ll_sys_add_net_rule (ruleset_fd, 443, 0, 0, &error));
  g_assert_error (error, LL_ERROR, LL_ERROR_INVALID);
  g_clear_error (&error);

  close (ruleset_fd);
  g_assert_cmpuint (ll_test_count_fds (), ==, fds_before);
}

static void
test_sys_path_rule_bad_fds (void)
{
  g_autoptr(GError) error = NULL;
  guint fds_before = ll_test_count_fds ();
  int ruleset_fd, closed_fd, dir_fd;
  int pipe_fds[2];

  if (!ll_test_require_abi (1))
    return;

  dir_fd = open_path (g_get_tmp_dir ());

  /* A closed descriptor (EBADF). Nothing opens between close() and the
   * call, so the number is not reused. */
  closed_fd = ll_sys_create_ruleset (LL_ACCESS_FS_READ_FILE, 0, 0, &error);
  g_assert_no_error (error);
  close (closed_fd);
  g_assert_false (ll_sys_add_path_rule (closed_fd, dir_fd, LL_ACCESS_FS_READ_FILE, 0, &error));
  g_assert_error (error, LL_ERROR, LL_ERROR_INVALID);
  g_test_message ("closed fd: %s", error->message);
  g_clear_error (&error);

  /* A descriptor that is not a ruleset (EBADFD). */
  g_assert_no_errno (pipe (pipe_fds));
  g_assert_false (ll_sys_add_path_rule (pipe_fds[0], dir_fd, LL_ACCESS_FS_READ_FILE, 0, &error));
  g_assert_error (error, LL_ERROR, LL_ERROR_INVALID);
  g_test_message ("pipe: %s", error->message);
  g_clear_error (&error);
  close (pipe_fds[0]);
  close (pipe_fds[1]);

  /* A right the ruleset does not handle (EINVAL). */
  ruleset_fd = ll_sys_create_ruleset (LL_ACCESS_FS_READ_FILE, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_false (ll_sys_add_path_rule (ruleset_fd, dir_fd, LL_ACCESS_FS_WRITE_FILE, 0, &error));
  g_assert_error (error, LL_ERROR, LL_ERROR_INVALID);
  g_clear_error (&error);

  /* A bad parent descriptor. */
  g_assert_false (ll_sys_add_path_rule (ruleset_fd, -1, LL_ACCESS_FS_READ_FILE, 0, &error));
  g_assert_error (error, LL_ERROR, LL_ERROR_INVALID);
  g_clear_error (&error);

  /* The rule itself is fine: the errors above come from the bad input. */
  g_assert_true (ll_sys_add_path_rule (ruleset_fd, dir_fd, LL_ACCESS_FS_READ_FILE, 0, &error));
  g_assert_no_error (error);

  close (ruleset_fd);
  close (dir_fd);
  g_assert_cmpuint (ll_test_count_fds (), ==, fds_before);
}

static void
test_sys_create_ruleset_errors (void)
{
  g_autoptr(GError) error = NULL;
  guint fds_before = ll_test_count_fds ();
  int abi;

  if (!ll_test_require_abi (1))
    return;
  abi = ll_get_abi_version (NULL);

  /* Nothing handled: the kernel's ENOMSG, which ll-error.c maps to a
   * refusal of the ruleset. */
  g_assert_cmpint (ll_sys_create_ruleset (0, 0, 0, &error), ==, -1);
  g_assert_error (error, LL_ERROR, LL_ERROR_RULESET);
  g_test_message ("nothing handled: %s", error->message);
  g_clear_error (&error);

  /* A right from an ABI above the running one: EINVAL. */
  if (abi < 9)
    {
      g_assert_cmpint (ll_sys_create_ruleset (LL_ACCESS_FS_READ_FILE | LL_ACCESS_FS_RESOLVE_UNIX,
                                              0, 0, &error), ==, -1);
      g_assert_error (error, LL_ERROR, LL_ERROR_INVALID);
      g_test_message ("RESOLVE_UNIX at ABI %d: %s", abi, error->message);
      g_clear_error (&error);
    }
  else
    g_test_message ("ABI %d knows RESOLVE_UNIX: unknown-right case not checked", abi);

  /* Bits no ABI has. */
  g_assert_cmpint (ll_sys_create_ruleset (1u << 30, 0, 0, &error), ==, -1);
  g_assert_error (error, LL_ERROR, LL_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_cmpuint (ll_test_count_fds (), ==, fds_before);
}

static void
test_sys_restrict_self_bad_fd (void)
{
  g_autoptr(GError) error = NULL;
  int pipe_fds[2];

  if (!ll_test_in_child ())
    {
      if (ll_test_require_abi (1))
        ll_test_run_child ();
      return;
    }

  /* With no_new_privs set, the kernel gets as far as checking the
   * descriptor; a pipe is not a ruleset (EBADFD), a closed one is EBADF. */
  g_assert_true (ll_sys_set_no_new_privs (&error));
  g_assert_no_error (error);

  g_assert_no_errno (pipe (pipe_fds));
  g_assert_false (ll_sys_restrict_self (pipe_fds[0], 0, &error));
  g_assert_error (error, LL_ERROR, LL_ERROR_INVALID);
  g_clear_error (&error);
  close (pipe_fds[0]);
  close (pipe_fds[1]);

  g_assert_false (ll_sys_restrict_self (pipe_fds[0], 0, &error));
  g_assert_error (error, LL_ERROR, LL_ERROR_INVALID);
}

static void
test_sys_restrict_self_log_subdomains_off (void)
{
  g_autoptr(GError) error = NULL;

  if (!ll_test_in_child ())
    {
      if (ll_test_require_abi (7))
        ll_test_run_child ();
      return;
    }

  /* From ABI 7 a ruleset fd of -1 with LOG_SUBDOMAINS_OFF alone is valid:
   * the wrapper must pass it through, not reject -1 itself. */
  g_assert_true (ll_sys_set_no_new_privs (&error));
  g_assert_no_error (error);
  g_assert_true (ll_sys_restrict_self (-1, LL_RESTRICT_FLAGS_LOG_SUBDOMAINS_OFF, &error));
  g_assert_no_error (error);

  /* Any other flag with -1 is EINVAL. */
  g_assert_false (ll_sys_restrict_self (-1, LL_RESTRICT_FLAGS_LOG_NEW_EXEC_ON, &error));
  g_assert_error (error, LL_ERROR, LL_ERROR_INVALID);
}

#define NOBODY 65534

/* Forks a throwaway process to see whether dropping to nobody works here
 * (it may not in some containers); the answer decides skip or run, which
 * a g_test_trap_subprocess() child could not decide for its parent. */
static gboolean
can_become_nobody (void)
{
  pid_t pid = fork ();
  int status = 0;

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    _exit (setresgid (NOBODY, NOBODY, NOBODY) == 0 &&
           setresuid (NOBODY, NOBODY, NOBODY) == 0 ? 0 : 1);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  return WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

static void
test_sys_restrict_self_needs_no_new_privs (void)
{
  g_autoptr(GError) error = NULL;
  int ruleset_fd;

  if (!ll_test_in_child ())
    {
      if (!ll_test_require_abi (1))
        return;
      if (ll_test_no_new_privs_is_set ())
        {
          g_test_skip ("no_new_privs is already set on the test runner: the EPERM path cannot be reached");
          return;
        }
      if (geteuid () == 0 && !can_become_nobody ())
        {
          g_test_skip ("running as root and cannot drop to uid 65534 here: root's CAP_SYS_ADMIN "
                       "would make restrict_self succeed without no_new_privs");
          return;
        }
      ll_test_run_child ();
      return;
    }

  /* Root has CAP_SYS_ADMIN, which replaces no_new_privs: drop every
   * capability by leaving uid 0 for good (no SECBIT_KEEP_CAPS). */
  if (geteuid () == 0)
    {
      g_assert_no_errno (setresgid (NOBODY, NOBODY, NOBODY));
      g_assert_no_errno (setresuid (NOBODY, NOBODY, NOBODY));
    }
  g_assert_false (ll_test_no_new_privs_is_set ());

  ruleset_fd = ll_sys_create_ruleset (LL_ACCESS_FS_READ_FILE, 0, 0, &error);
  g_assert_no_error (error);

  g_assert_false (ll_sys_restrict_self (ruleset_fd, 0, &error));
  g_assert_error (error, LL_ERROR, LL_ERROR_RESTRICT);
  g_test_message ("without no_new_privs: %s", error->message);
  g_assert_nonnull (strstr (error->message, "no_new_privs"));
  g_clear_error (&error);

  /* And with it, the same call goes through. */
  g_assert_true (ll_sys_set_no_new_privs (&error));
  g_assert_no_error (error);
  g_assert_true (ll_sys_restrict_self (ruleset_fd, 0, &error));
  g_assert_no_error (error);
  close (ruleset_fd);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sys/restrict-read-file", test_sys_restrict_read_file);
  g_test_add_func ("/sys/net-rule", test_sys_net_rule);
  g_test_add_func ("/sys/path-rule-bad-fds", test_sys_path_rule_bad_fds);
  g_test_add_func ("/sys/create-ruleset-errors", test_sys_create_ruleset_errors);
  g_test_add_func ("/sys/restrict-self-bad-fd", test_sys_restrict_self_bad_fd);
  g_test_add_func ("/sys/restrict-self-log-subdomains-off",
                   test_sys_restrict_self_log_subdomains_off);
  g_test_add_func ("/sys/restrict-self-needs-no-new-privs",
                   test_sys_restrict_self_needs_no_new_privs);

  g_test_add_func ("/sys/no-landlock", ll_test_no_landlock);

  return g_test_run ();
}
