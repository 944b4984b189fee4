/* test-fds.c: no public entry point leaves a file descriptor behind
 *
 * Every public function of landlock-glib is called on its success path and
 * on its failure paths, and the process's open descriptors
 * (/proc/self/fd) are counted before and after. Each case is called once
 * first, so that what GLib opens once for good (the GIO worker's wakeup
 * fd, for one) is not taken for a leak, then three more times: a leak of
 * even one descriptor per call shows as a difference of three.
 *
 * The cases that restrict the process run in a g_test_trap_subprocess()
 * child whose ruleset grants reading /proc, which counting needs. (This
 * also keeps LeakSanitizer working in those children, so that a leak of
 * memory on the successful apply path is caught under -Db_sanitize.)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "ll-test-utils.h"

#define REPEAT 3

typedef struct
{
  const char *name;
  int min_abi;                /* 0: runs without Landlock too */
  gboolean restricts;         /* restricts the process: runs in a child */
  gboolean spawns;            /* starts processes: counts once they settled */
  void (*call) (const char *dir);
} FdCase;

static const char * const *
paths_in (const char *dir,
          const char *name)
{
  /* The cases are called several times; the array lives until exit. */
  static GPtrArray *kept;
  char **paths = g_new0 (char *, 2);

  paths[0] = g_build_filename (dir, name, NULL);
  if (kept == NULL)
    kept = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_ptr_array_add (kept, paths);
  return (const char * const *) paths;
}

/* The failure cases check their error's code where the kernel has
 * Landlock; without it (valgrind answers ENOSYS) they fail earlier, with
 * LL_ERROR_NOT_AVAILABLE, which is just as good for counting. */
static void
clear_expected_error (GError **error,
                      LlError  code)
{
  if (ll_get_abi_version (NULL) > 0)
    g_assert_error (*error, LL_ERROR, (int) code);
  else
    g_assert_nonnull (*error);
  g_clear_error (error);
}

/* ll-abi */

static void
call_abi_queries (const char *dir)
{
  g_autoptr(GError) error = NULL;

  ll_get_abi_version (&error);
  g_clear_error (&error);
  ll_get_errata (&error);
  g_clear_error (&error);
  for (int abi = -1; abi <= LL_ABI_MAX + 1; abi++)
    {
      ll_access_fs_for_abi (abi);
      ll_access_net_for_abi (abi);
      ll_scope_for_abi (abi);
      ll_restrict_flags_for_abi (abi);
      ll_rule_flags_for_abi (abi);
    }
  g_assert_cmpuint (ll_get_thread_count (), >=, 1);
  g_assert_cmpuint (ll_error_quark (), !=, 0);
}

/* ll-sys */

static void
call_sys_create_ruleset_ok (const char *dir)
{
  g_autoptr(GError) error = NULL;
  int fd = ll_sys_create_ruleset (LL_ACCESS_FS_READ_FILE, 0, 0, &error);

  g_assert_no_error (error);
  g_assert_cmpint (fd, >=, 0);
  close (fd);
}

static void
call_sys_create_ruleset_fails (const char *dir)
{
  g_autoptr(GError) error = NULL;

  /* Unknown bits (EINVAL), nothing handled (ENOMSG), quiet masks the
   * kernel does not know (E2BIG below ABI 10). */
  g_assert_cmpint (ll_sys_create_ruleset (1u << 31, 0, 0, &error), ==, -1);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (ll_sys_create_ruleset (0, 0, 0, &error), ==, -1);
  g_assert_nonnull (error);
  g_clear_error (&error);
  if (ll_get_abi_version (NULL) < 10)
    {
      g_assert_cmpint (ll_sys_create_ruleset_full (LL_ACCESS_FS_READ_FILE, 0, 0,
                                                   LL_ACCESS_FS_READ_FILE, 0, 0, &error), ==, -1);
      g_assert_nonnull (error);
    }
}

static void
call_sys_add_rules (const char *dir)
{
  g_autoptr(GError) error = NULL;
  int ruleset_fd, dir_fd, pipe_fds[2];

  ruleset_fd = ll_sys_create_ruleset (LL_ACCESS_FS_READ_FILE | LL_ACCESS_FS_READ_DIR,
                                      ll_access_net_for_abi (ll_get_abi_version (NULL)), 0, &error);
  g_assert_no_error (error);
  dir_fd = open (dir, O_PATH | O_CLOEXEC);
  g_assert_cmpint (dir_fd, >=, 0);
  g_assert_no_errno (pipe2 (pipe_fds, O_CLOEXEC));

  /* Success, then each way to fail. */
  g_assert_true (ll_sys_add_path_rule (ruleset_fd, dir_fd, LL_ACCESS_FS_READ_FILE, 0, &error));
  g_assert_no_error (error);
  g_assert_false (ll_sys_add_path_rule (ruleset_fd, dir_fd, LL_ACCESS_FS_EXECUTE, 0, &error));
  g_clear_error (&error);
  g_assert_false (ll_sys_add_path_rule (pipe_fds[0], dir_fd, LL_ACCESS_FS_READ_FILE, 0, &error));
  g_clear_error (&error);
  g_assert_false (ll_sys_add_path_rule (ruleset_fd, -1, LL_ACCESS_FS_READ_FILE, 0, &error));
  g_clear_error (&error);

  if (ll_get_abi_version (NULL) >= 4)
    {
      g_assert_true (ll_sys_add_net_rule (ruleset_fd, 443, LL_ACCESS_NET_CONNECT_TCP, 0, &error));
      g_assert_no_error (error);
    }
  g_assert_false (ll_sys_add_net_rule (ruleset_fd, 65536, LL_ACCESS_NET_CONNECT_TCP, 0, &error));
  g_clear_error (&error);
  g_assert_false (ll_sys_add_net_rule (pipe_fds[0], 443, LL_ACCESS_NET_CONNECT_TCP, 0, &error));
  g_clear_error (&error);

  close (pipe_fds[0]);
  close (pipe_fds[1]);
  close (dir_fd);
  close (ruleset_fd);
}

static void
call_sys_restrict_fails (const char *dir)
{
  g_autoptr(GError) error = NULL;
  int pipe_fds[2];

  g_assert_no_errno (pipe2 (pipe_fds, O_CLOEXEC));
  /* Unknown flags are refused before anything else is looked at. */
  g_assert_false (ll_sys_restrict_self (pipe_fds[0], 1u << 31, &error));
  g_clear_error (&error);
  g_assert_false (ll_sys_restrict_self (pipe_fds[0], 0, &error));
  g_clear_error (&error);
  close (pipe_fds[0]);
  close (pipe_fds[1]);
}

/* In a child: restricts with the raw calls, keeping /proc readable. */
static void
call_sys_restrict_ok (const char *dir)
{
  g_autoptr(GError) error = NULL;
  int ruleset_fd, proc_fd;

  ruleset_fd = ll_sys_create_ruleset (LL_ACCESS_FS_MAKE_REG, 0, 0, &error);
  g_assert_no_error (error);
  proc_fd = open ("/proc", O_PATH | O_CLOEXEC);
  g_assert_cmpint (proc_fd, >=, 0);
  g_assert_true (ll_sys_add_path_rule (ruleset_fd, proc_fd, LL_ACCESS_FS_MAKE_REG, 0, &error));
  g_assert_no_error (error);
  close (proc_fd);
  g_assert_true (ll_sys_set_no_new_privs (&error));
  g_assert_no_error (error);
  g_assert_true (ll_sys_restrict_self (ruleset_fd, 0, &error));
  g_assert_no_error (error);
  close (ruleset_fd);
}

/* LlRuleset */

static void
call_ruleset_build_and_query (const char *dir)
{
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
  g_autoptr(GError) error = NULL;
  static const guint16 ports[] = { 0, 80, 65535 };

  ll_ruleset_allow_read (ruleset, paths_in (dir, "a"));
  ll_ruleset_allow_write (ruleset, paths_in (dir, "b"));
  ll_ruleset_allow_execute (ruleset, paths_in (dir, "c"));
  ll_ruleset_allow_read_write (ruleset, paths_in (dir, "d"));
  ll_ruleset_add_path_rule (ruleset, paths_in (dir, "e"), LL_ACCESS_FS_READ_FILE);
  ll_ruleset_add_path_rule_full (ruleset, paths_in (dir, "f"), LL_ACCESS_FS_READ_FILE, 0);
  ll_ruleset_allow_network (ruleset, ports, G_N_ELEMENTS (ports), TRUE, TRUE);
  ll_ruleset_allow_udp (ruleset, ports, G_N_ELEMENTS (ports), TRUE, TRUE);
  ll_ruleset_add_net_rule (ruleset, 53, LL_ACCESS_NET_CONNECT_TCP, 0);
  ll_ruleset_allow_scope (ruleset, LL_SCOPE_SIGNAL);
  ll_ruleset_set_quiet_access (ruleset, 0, 0, 0);
  ll_ruleset_set_strict (ruleset, FALSE);
  ll_ruleset_set_ignore_missing (ruleset, TRUE);
  ll_ruleset_set_all_threads (ruleset, FALSE);
  ll_ruleset_set_restrict_flags (ruleset, 0);
  ll_ruleset_get_handled_access_fs (ruleset);
  ll_ruleset_get_handled_access_net (ruleset);
  ll_ruleset_get_scoped (ruleset);
  ll_ruleset_get_strict (ruleset);
  ll_ruleset_get_ignore_missing (ruleset);
  ll_ruleset_get_all_threads (ruleset);
  ll_ruleset_get_restrict_flags (ruleset);
  ll_ruleset_get_abi (ruleset);
  ll_ruleset_get_applied (ruleset);
  ll_ruleset_get_status (ruleset);
  ll_ruleset_get_status_reason (ruleset);
  ll_ruleset_get_unrestricted_threads (ruleset);
  g_assert_true (ll_ruleset_check (ruleset, &error));
  g_assert_no_error (error);
  ll_ruleset_allow_all_network (ruleset);
  ll_ruleset_allow_all_scope (ruleset);
  ll_ruleset_set_handled_access (ruleset, LL_ACCESS_FS_READ_FILE, 0, 0);

  /* A problem kept for check(). */
  ll_ruleset_add_net_rule (ruleset, -1, LL_ACCESS_NET_CONNECT_TCP, 0);
  g_assert_false (ll_ruleset_check (ruleset, &error));
  g_assert_nonnull (error);
}

/* Prepares in this process without restricting it: the ruleset fd and
 * every path fd are opened and must all be closed again. */
static void
call_apply_to_launcher_ok (const char *dir)
{
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (0);
  g_autoptr(GError) error = NULL;
  static const guint16 ports[] = { 80 };

  ll_ruleset_allow_read (ruleset, paths_in (dir, "allowed"));
  ll_ruleset_allow_read (ruleset, paths_in (dir, "allowed/file"));
  ll_ruleset_allow_read_write (ruleset, (const char * const []) { dir, NULL });
  if (ll_get_abi_version (NULL) >= 4)
    ll_ruleset_allow_network (ruleset, ports, 1, FALSE, TRUE);
  g_assert_true (ll_ruleset_apply_to_launcher (ruleset, launcher, &error));
  g_assert_no_error (error);
}

static void
call_apply_to_launcher_fails (const char *dir)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (0);
  g_autoptr(GError) error = NULL;

  /* A missing path after a good one: the ruleset fd and the good path's
   * fd were open when it failed. */
  {
    g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
    const char *paths[] = { dir, "/nonexistent/ll-test-fds", NULL };

    ll_ruleset_allow_read (ruleset, paths);
    g_assert_false (ll_ruleset_apply_to_launcher (ruleset, launcher, &error));
    clear_expected_error (&error, LL_ERROR_PATH);
  }

  /* A strict request the running kernel lacks (UDP needs ABI 10). */
  if (ll_get_abi_version (NULL) < 10)
  {
    g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();

    ll_ruleset_allow_read (ruleset, (const char * const []) { dir, NULL });
    ll_ruleset_add_net_rule (ruleset, 80, LL_ACCESS_NET_BIND_UDP, 0);
    g_assert_false (ll_ruleset_apply_to_launcher (ruleset, launcher, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
  }

  /* A problem found while building. */
  {
    g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();

    ll_ruleset_allow_read (ruleset, (const char * const []) { "", NULL });
    g_assert_false (ll_ruleset_apply_to_launcher (ruleset, launcher, &error));
    clear_expected_error (&error, LL_ERROR_INVALID);
  }
}

static LlRuleset *
program_sandbox_new (const char *dir)
{
  LlRuleset *ruleset = ll_ruleset_new ();

  ll_test_allow_programs (ruleset);
  ll_ruleset_allow_read (ruleset, paths_in (dir, "allowed"));
  return ruleset;
}

static void
wait_ok (GSubprocess *proc)
{
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (proc);
  g_assert_true (g_subprocess_wait (proc, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
}

static void
call_spawn_ok (const char *dir)
{
  g_autoptr(LlRuleset) ruleset = program_sandbox_new (dir);
  g_autoptr(GSubprocess) first = NULL;
  g_autoptr(GSubprocess) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_build_filename (dir, "allowed", "file", NULL);

  first = ll_ruleset_spawnv (ruleset, (const char * const []) { "/bin/cat", file, NULL },
                             G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
  g_assert_no_error (error);
  wait_ok (first);
  g_assert_cmpint (g_subprocess_get_exit_status (first), ==, 0);

  second = ll_ruleset_spawn (ruleset, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                             &error, "/bin/cat", file, NULL);
  g_assert_no_error (error);
  wait_ok (second);
}

static void
call_spawn_fails (const char *dir)
{
  g_autoptr(GError) error = NULL;

  /* Refused in the parent: nothing is started. */
  {
    g_autoptr(LlRuleset) ruleset = program_sandbox_new (dir);
    GSubprocess *proc;

    ll_ruleset_allow_read (ruleset, (const char * const []) { "/nonexistent/ll-test-fds", NULL });
    proc = ll_ruleset_spawnv (ruleset, (const char * const []) { "/bin/true", NULL }, 0, &error);
    g_assert_null (proc);
    clear_expected_error (&error, LL_ERROR_PATH);
  }

  /* The sandbox is set up, and exec fails. */
  {
    g_autoptr(LlRuleset) ruleset = program_sandbox_new (dir);
    GSubprocess *proc;

    proc = ll_ruleset_spawn (ruleset, 0, &error, "/nonexistent/ll-test-fds-program", NULL);
    g_assert_null (proc);
    g_assert_nonnull (error);
    g_clear_error (&error);
  }

  /* The sandboxed program starts and is denied what it was not granted. */
  {
    g_autoptr(LlRuleset) ruleset = program_sandbox_new (dir);
    g_autoptr(GSubprocess) proc = NULL;
    g_autofree char *denied = g_build_filename (dir, "denied", NULL);

    proc = ll_ruleset_spawnv (ruleset, (const char * const []) { "/bin/cat", denied, NULL },
                              G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
    g_assert_no_error (error);
    wait_ok (proc);
    g_assert_cmpint (g_subprocess_get_exit_status (proc), !=, 0);
  }
}

/* In a child: the ruleset grants reading /proc, so the count can be made
 * after the process is restricted. */
static void
call_apply_ok (const char *dir)
{
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
  g_autoptr(GError) error = NULL;
  LlStatus status = LL_STATUS_NOT_ENFORCED;

  ll_ruleset_allow_read (ruleset, (const char * const []) { "/proc", NULL });
  ll_ruleset_allow_read (ruleset, paths_in (dir, "allowed"));
  ll_ruleset_allow_read (ruleset, paths_in (dir, "allowed/file"));
  g_assert_true (ll_ruleset_apply (ruleset, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, !=, LL_STATUS_NOT_ENFORCED);
}

static void
call_restrict_self_ok (const char *dir)
{
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
  g_autoptr(GError) error = NULL;

  ll_ruleset_allow_read (ruleset, (const char * const []) { "/proc", NULL });
  g_assert_cmpint (ll_ruleset_restrict_self (ruleset, &error), !=, LL_STATUS_NOT_ENFORCED);
  g_assert_no_error (error);
}

/* apply() failing before the process is touched, after the ruleset fd and
 * some path fds were opened: the parent can run these. */
static void
call_apply_fails (const char *dir)
{
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();

    ll_ruleset_allow_read (ruleset, (const char * const []) { dir, "/nonexistent/ll-test-fds", NULL });
    g_assert_false (ll_ruleset_apply (ruleset, NULL, &error));
    clear_expected_error (&error, LL_ERROR_PATH);
    g_assert_cmpint (ll_ruleset_restrict_self (ruleset, &error), ==, LL_STATUS_NOT_ENFORCED);
    clear_expected_error (&error, LL_ERROR_PATH);
  }
  {
    g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();

    ll_ruleset_set_handled_access (ruleset, 0, 0, 0);
    g_assert_false (ll_ruleset_apply (ruleset, NULL, &error));
    clear_expected_error (&error, LL_ERROR_INVALID);
  }
}

/* In a child: the 17th layer fails in landlock_restrict_self() itself,
 * the last step, with the ruleset fd open. */
static void
call_apply_layer_limit (const char *dir)
{
  g_autoptr(GError) error = NULL;
  guint layers = 0;

  for (;;)
    {
      g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();

      ll_ruleset_allow_read (ruleset, (const char * const []) { "/proc", NULL });
      if (!ll_ruleset_apply (ruleset, NULL, &error))
        break;
      layers++;
      g_assert_cmpuint (layers, <=, 16);
    }
  g_assert_error (error, LL_ERROR, LL_ERROR_LAYER_LIMIT);
}

static const FdCase cases[] = {
  { "abi-queries", 0, FALSE, FALSE, call_abi_queries },
  { "sys-create-ruleset", 1, FALSE, FALSE, call_sys_create_ruleset_ok },
  { "sys-create-ruleset-fails", 0, FALSE, FALSE, call_sys_create_ruleset_fails },
  { "sys-add-rules", 1, FALSE, FALSE, call_sys_add_rules },
  { "sys-restrict-self-fails", 0, FALSE, FALSE, call_sys_restrict_fails },
  { "sys-restrict-self", 1, TRUE, FALSE, call_sys_restrict_ok },
  { "ruleset-build-and-query", 0, FALSE, FALSE, call_ruleset_build_and_query },
  { "apply-to-launcher", 1, FALSE, FALSE, call_apply_to_launcher_ok },
  { "apply-to-launcher-fails", 0, FALSE, FALSE, call_apply_to_launcher_fails },
  { "spawn", 1, FALSE, TRUE, call_spawn_ok },
  { "spawn-fails", 1, FALSE, TRUE, call_spawn_fails },
  { "apply-fails", 0, FALSE, FALSE, call_apply_fails },
  { "apply", 1, TRUE, FALSE, call_apply_ok },
  { "restrict-self", 1, TRUE, FALSE, call_restrict_self_ok },
  { "apply-layer-limit", 1, TRUE, FALSE, call_apply_layer_limit },
};

static guint
count (const FdCase *fd_case)
{
  return fd_case->spawns ? ll_test_count_fds_settled () : ll_test_count_fds ();
}

static void
prepare_tree (const char *dir)
{
  g_autofree char *allowed = g_build_filename (dir, "allowed", NULL);

  g_assert_no_errno (g_mkdir (allowed, 0755));
  g_free (ll_test_write_file (allowed, "file", "allowed\n"));
  g_free (ll_test_write_file (dir, "denied", "denied\n"));
}

static void
test_fds (gconstpointer data)
{
  const FdCase *fd_case = data;
  guint before, after;

  if (!ll_test_in_child ())
    {
      g_autofree char *dir = NULL;

      if (fd_case->min_abi > 0 && !ll_test_require_abi (fd_case->min_abi))
        return;
      dir = ll_test_make_tmpdir ("fds");
      prepare_tree (dir);
      if (fd_case->restricts)
        {
          ll_test_run_child_with_dir (dir);
          return;
        }

      fd_case->call (dir);
      before = count (fd_case);
      for (guint i = 0; i < REPEAT; i++)
        fd_case->call (dir);
      after = count (fd_case);
      ll_test_rm_rf (dir);
      g_test_message ("%s: %u descriptors before, %u after %d more calls",
                      fd_case->name, before, after, REPEAT);
      g_assert_cmpuint (after, ==, before);
      return;
    }

  /* In the child: the call restricts the process, once. */
  before = ll_test_count_fds ();
  fd_case->call (ll_test_child_dir ());
  after = ll_test_count_fds ();
  g_test_message ("%s: %u descriptors before, %u after, restricted", fd_case->name, before, after);
  g_assert_cmpuint (after, ==, before);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/fds/%s", cases[i].name);

      g_test_add_data_func (path, &cases[i], test_fds);
    }

  return g_test_run ();
}
