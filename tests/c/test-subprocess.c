/* test-subprocess.c: sandboxed child processes, and the threads of a
 * process that restricts itself
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * ll_ruleset_spawnv(), ll_ruleset_spawn() and ll_ruleset_apply_to_launcher()
 * restrict a child between fork() and exec() and leave the caller free.
 * Each test proves both: the child's program is denied what the ruleset
 * does not grant (with the error the kernel gives, as the program reports
 * it) and allowed what it grants, while the caller still reads what the
 * child could not. Spawning is not supposed to restrict the caller, but a
 * bug could, so every test body runs in a g_test_trap_subprocess() child
 * all the same.
 *
 * The /threads/ tests cover what test-threads.c leaves out: all-threads
 * set to FALSE, and TSYNC asked for best-effort on a kernel that lacks it.
 *
 * The paths start with /spawn, not /subprocess: GTest skips every test
 * whose path contains "/subprocess" unless it is named with -p (its
 * convention for the bodies of g_test_trap_subprocess() children).
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "ll-test-utils.h"

#define PIPES (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE)

/* The kernel's limit on stacked layers. */
#define LANDLOCK_MAX_LAYERS 16

static char *
path_in (const char *dir,
         const char *name)
{
  return g_build_filename (dir, name, NULL);
}

/* The tree every test uses: "allowed/file" and "denied/file", whose
 * contents name them. The rulesets grant reading beneath "allowed" only. */
static void
prepare_tree (const char *dir)
{
  const char * const names[] = { "allowed", "denied" };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *sub = path_in (dir, names[i]);
      g_autofree char *contents = g_strdup_printf ("%s\n", names[i]);

      g_assert_no_errno (g_mkdir (sub, 0755));
      g_free (ll_test_write_file (sub, "file", contents));
    }
}

/* In the test runner: skips below @min_abi, or makes the tree and runs
 * the current test in a child that finds it with ll_test_child_dir(). */
static void
run_in_child_with_tree (int min_abi)
{
  g_autofree char *dir = NULL;

  if (!ll_test_require_abi (min_abi))
    return;

  dir = ll_test_make_tmpdir ("subprocess");
  prepare_tree (dir);
  ll_test_run_child_with_dir (dir);
}

/* What a sandboxed program needs to start at all, plus reading beneath
 * @dir/allowed. Everything else is denied. */
static LlRuleset *
sandbox_new (const char *dir)
{
  LlRuleset *ruleset = ll_ruleset_new ();
  g_autofree char *allowed = path_in (dir, "allowed");

  ll_test_allow_programs (ruleset);
  ll_ruleset_allow_read (ruleset, (const char * const []) { allowed, NULL });
  return ruleset;
}

/* In the child: the programs run by the tests report errors in English,
 * which the assertions match. A sandboxed program could not read another
 * locale's catalogues from outside /usr anyway. */
static void
use_c_locale (void)
{
  g_setenv ("LC_ALL", "C", TRUE);
}

/* How a child ended, and what it printed. */
typedef struct
{
  int   exit_status;
  char *out;
  char *err;
} Outcome;

static void
outcome_clear (Outcome *outcome)
{
  g_clear_pointer (&outcome->out, g_free);
  g_clear_pointer (&outcome->err, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Outcome, outcome_clear)

/* Waits for @proc (spawned with PIPES) and collects its outcome; a child
 * killed by a signal fails the test. */
static void
wait_outcome (GSubprocess *proc,
              Outcome     *outcome)
{
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (proc);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &outcome->out, &outcome->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  outcome->exit_status = g_subprocess_get_exit_status (proc);
  g_test_message ("child exited with %d, stdout \"%s\", stderr \"%s\"",
                  outcome->exit_status, outcome->out, outcome->err);
}

/* cat(1) of @path was denied by the sandbox: it failed with EACCES, as
 * its message says, and printed nothing of the file. */
static void
assert_cat_denied (GSubprocess *proc,
                   const char  *path)
{
  g_auto(Outcome) outcome = { 0 };
  g_autofree char *expected = g_strdup_printf ("%s: %s", path, g_strerror (EACCES));

  wait_outcome (proc, &outcome);
  g_assert_cmpint (outcome.exit_status, ==, 1);
  g_assert_cmpstr (outcome.out, ==, "");
  g_assert_nonnull (strstr (outcome.err, expected));
}

/* cat(1) printed @expected and nothing went wrong. */
static void
assert_cat_allowed (GSubprocess *proc,
                    const char  *expected)
{
  g_auto(Outcome) outcome = { 0 };

  wait_outcome (proc, &outcome);
  g_assert_cmpint (outcome.exit_status, ==, 0);
  g_assert_cmpstr (outcome.out, ==, expected);
  g_assert_cmpstr (outcome.err, ==, "");
}

/* Spawning restricts nobody but the child: the ruleset is not marked
 * applied, and the caller reads what the child could not. */
static void
assert_caller_unrestricted (LlRuleset  *ruleset,
                            const char *dir,
                            gboolean    no_new_privs_before)
{
  g_autofree char *denied_file = path_in (dir, "denied/file");

  g_assert_false (ll_ruleset_get_applied (ruleset));
  ll_test_assert_open (denied_file, O_RDONLY, 0);
  ll_test_assert_open (denied_file, O_WRONLY | O_APPEND, 0);
  g_assert_cmpint (ll_test_no_new_privs_is_set (), ==, no_new_privs_before);
}

/* /spawn/spawnv */

static void
test_spawnv (void)
{
  const char *dir;
  g_autofree char *allowed_file = NULL;
  g_autofree char *denied_file = NULL;
  g_autofree char *created = NULL;
  g_autofree char *write_command = NULL;
  g_autoptr(LlRuleset) ruleset = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) denied = NULL;
  g_autoptr(GSubprocess) allowed = NULL;
  g_autoptr(GSubprocess) writer = NULL;
  g_auto(Outcome) outcome = { 0 };
  gboolean no_new_privs_before;

  if (!ll_test_in_child ())
    {
      run_in_child_with_tree (1);
      return;
    }

  dir = ll_test_child_dir ();
  use_c_locale ();
  allowed_file = path_in (dir, "allowed/file");
  denied_file = path_in (dir, "denied/file");
  created = path_in (dir, "allowed/created");
  no_new_privs_before = ll_test_no_new_privs_is_set ();
  ruleset = sandbox_new (dir);

  denied = ll_ruleset_spawnv (ruleset, (const char * const []) { "/bin/cat", denied_file, NULL },
                              PIPES, &error);
  g_assert_no_error (error);
  assert_cat_denied (denied, denied_file);
  /* What the child got, said in the caller. */
  g_assert_cmpint (ll_ruleset_get_status (ruleset), ==, LL_STATUS_FULLY_ENFORCED);
  g_assert_null (ll_ruleset_get_status_reason (ruleset));
  g_assert_cmpuint (ll_ruleset_get_unrestricted_threads (ruleset), ==, 0);

  allowed = ll_ruleset_spawnv (ruleset, (const char * const []) { "/bin/cat", allowed_file, NULL },
                               PIPES, &error);
  g_assert_no_error (error);
  assert_cat_allowed (allowed, "allowed\n");

  /* Deny by default: the rule on "allowed" grants reading, not writing. */
  write_command = g_strdup_printf ("echo x > '%s'", created);
  writer = ll_ruleset_spawnv (ruleset,
                              (const char * const []) { "/bin/sh", "-c", write_command, NULL },
                              PIPES, &error);
  g_assert_no_error (error);
  wait_outcome (writer, &outcome);
  g_assert_cmpint (outcome.exit_status, !=, 0);
  g_assert_nonnull (strstr (outcome.err, g_strerror (EACCES)));
  g_assert_false (g_file_test (created, G_FILE_TEST_EXISTS));

  assert_caller_unrestricted (ruleset, dir, no_new_privs_before);
  ll_test_assert_open (created, O_WRONLY | O_CREAT, 0);
}

/* /spawn/spawn */

static void
test_spawn (void)
{
  const char *dir;
  g_autofree char *allowed_file = NULL;
  g_autofree char *denied_file = NULL;
  g_autoptr(LlRuleset) ruleset = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) denied = NULL;
  g_autoptr(GSubprocess) allowed = NULL;
  gboolean no_new_privs_before;

  if (!ll_test_in_child ())
    {
      run_in_child_with_tree (1);
      return;
    }

  dir = ll_test_child_dir ();
  use_c_locale ();
  allowed_file = path_in (dir, "allowed/file");
  denied_file = path_in (dir, "denied/file");
  no_new_privs_before = ll_test_no_new_privs_is_set ();
  ruleset = sandbox_new (dir);

  denied = ll_ruleset_spawn (ruleset, PIPES, &error, "/bin/cat", denied_file, NULL);
  g_assert_no_error (error);
  assert_cat_denied (denied, denied_file);

  allowed = ll_ruleset_spawn (ruleset, PIPES, &error, "/bin/cat", allowed_file, NULL);
  g_assert_no_error (error);
  assert_cat_allowed (allowed, "allowed\n");

  g_assert_cmpint (ll_ruleset_get_status (ruleset), ==, LL_STATUS_FULLY_ENFORCED);
  assert_caller_unrestricted (ruleset, dir, no_new_privs_before);
}

/* /spawn/launcher/flags-cwd-env */

/* Runs a shell in @launcher that shows its environment and working
 * directory are the launcher's, then reads both files by relative paths. */
static void
assert_launcher_sandboxed (GSubprocessLauncher *launcher)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_auto(Outcome) outcome = { 0 };
  g_autofree char *expected_err = g_strdup_printf ("denied/file: %s", g_strerror (EACCES));

  proc = g_subprocess_launcher_spawn (launcher, &error, "/bin/sh", "-c",
                                      "echo \"$LL_TEST_GREETING\"; "
                                      "/bin/cat allowed/file; /bin/cat denied/file",
                                      NULL);
  g_assert_no_error (error);
  wait_outcome (proc, &outcome);
  /* sh exits with the last cat's status. */
  g_assert_cmpint (outcome.exit_status, ==, 1);
  g_assert_cmpstr (outcome.out, ==, "hello from the launcher\nallowed\n");
  g_assert_nonnull (strstr (outcome.err, expected_err));
}

static GSubprocessLauncher *
launcher_new (const char *dir)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (PIPES);
  const char * const env[] = {
    "LC_ALL=C",
    "PATH=/usr/bin:/bin",
    "LL_TEST_GREETING=hello from the launcher",
    NULL
  };

  g_subprocess_launcher_set_cwd (launcher, dir);
  g_subprocess_launcher_set_environ (launcher, (char **) env);
  return launcher;
}

static void
test_launcher (void)
{
  const char *dir;
  g_autofree char *allowed_file = NULL;
  g_autofree char *denied_file = NULL;
  g_autoptr(LlRuleset) ruleset = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) first = NULL;
  g_autoptr(GSubprocessLauncher) second = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  gboolean no_new_privs_before;

  if (!ll_test_in_child ())
    {
      run_in_child_with_tree (1);
      return;
    }

  dir = ll_test_child_dir ();
  allowed_file = path_in (dir, "allowed/file");
  denied_file = path_in (dir, "denied/file");
  no_new_privs_before = ll_test_no_new_privs_is_set ();
  ruleset = sandbox_new (dir);

  first = launcher_new (dir);
  g_assert_true (ll_ruleset_apply_to_launcher (ruleset, first, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ll_ruleset_get_status (ruleset), ==, LL_STATUS_FULLY_ENFORCED);
  g_assert_false (ll_ruleset_get_applied (ruleset));
  assert_launcher_sandboxed (first);
  /* A launcher restricts every child it spawns, not only the first. */
  assert_launcher_sandboxed (first);

  /* The same ruleset, applied again to another launcher. */
  second = launcher_new (dir);
  g_assert_true (ll_ruleset_apply_to_launcher (ruleset, second, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ll_ruleset_get_status (ruleset), ==, LL_STATUS_FULLY_ENFORCED);
  g_assert_false (ll_ruleset_get_applied (ruleset));
  assert_launcher_sandboxed (second);

  /* Each launcher owns its ruleset: the second still works once the first
   * is gone, and the first was not disturbed by the second. */
  assert_launcher_sandboxed (first);
  g_clear_object (&first);
  assert_launcher_sandboxed (second);

  proc = g_subprocess_launcher_spawn (second, &error, "/bin/cat", allowed_file, NULL);
  g_assert_no_error (error);
  assert_cat_allowed (proc, "allowed\n");
  g_clear_object (&proc);
  proc = g_subprocess_launcher_spawn (second, &error, "/bin/cat", denied_file, NULL);
  g_assert_no_error (error);
  assert_cat_denied (proc, denied_file);

  assert_caller_unrestricted (ruleset, dir, no_new_privs_before);
}

/* /spawn/launcher/later-changes: the ruleset is built when it is
 * applied to the launcher; what is added afterwards only counts for the
 * launchers it is applied to next. */
static void
test_launcher_later_changes (void)
{
  const char *dir;
  g_autofree char *denied_dir = NULL;
  g_autofree char *denied_file = NULL;
  g_autoptr(LlRuleset) ruleset = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) before = NULL;
  g_autoptr(GSubprocessLauncher) after = NULL;
  g_autoptr(GSubprocess) proc = NULL;

  if (!ll_test_in_child ())
    {
      run_in_child_with_tree (1);
      return;
    }

  dir = ll_test_child_dir ();
  use_c_locale ();
  denied_dir = path_in (dir, "denied");
  denied_file = path_in (dir, "denied/file");
  ruleset = sandbox_new (dir);

  before = g_subprocess_launcher_new (PIPES);
  g_assert_true (ll_ruleset_apply_to_launcher (ruleset, before, &error));
  g_assert_no_error (error);

  ll_ruleset_allow_read (ruleset, (const char * const []) { denied_dir, NULL });
  after = g_subprocess_launcher_new (PIPES);
  g_assert_true (ll_ruleset_apply_to_launcher (ruleset, after, &error));
  g_assert_no_error (error);

  proc = g_subprocess_launcher_spawn (before, &error, "/bin/cat", denied_file, NULL);
  g_assert_no_error (error);
  assert_cat_denied (proc, denied_file);
  g_clear_object (&proc);

  proc = g_subprocess_launcher_spawn (after, &error, "/bin/cat", denied_file, NULL);
  g_assert_no_error (error);
  assert_cat_allowed (proc, "denied\n");
}

/* /spawn/no-fd-leak/child-fds */

static char *
list_child_fds (GSubprocess *proc)
{
  g_auto(Outcome) outcome = { 0 };

  wait_outcome (proc, &outcome);
  g_assert_cmpint (outcome.exit_status, ==, 0);
  g_assert_cmpstr (outcome.err, ==, "");
  return g_steal_pointer (&outcome.out);
}

static void
test_child_fds (void)
{
  const char * const argv[] = { "/bin/sh", "-c", "ls /proc/self/fd", NULL };
  const char *dir;
  g_autoptr(LlRuleset) ruleset = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) sandboxed = NULL;
  g_autoptr(GSubprocess) plain = NULL;
  g_autofree char *sandboxed_fds = NULL;
  g_autofree char *plain_fds = NULL;
  g_auto(GStrv) lines = NULL;
  int inheritable_fd;

  if (!ll_test_in_child ())
    {
      run_in_child_with_tree (1);
      return;
    }

  dir = ll_test_child_dir ();
  use_c_locale ();
  ruleset = sandbox_new (dir);
  ll_ruleset_allow_read (ruleset, (const char * const []) { "/proc", NULL });

  /* A descriptor without O_CLOEXEC in the caller: GSubprocess closes it in
   * its children, and a sandboxed child must be no different. */
  inheritable_fd = open ("/dev/null", O_RDONLY);
  g_assert_cmpint (inheritable_fd, >=, 3);

  sandboxed = ll_ruleset_spawnv (ruleset, argv, PIPES, &error);
  g_assert_no_error (error);
  sandboxed_fds = list_child_fds (sandboxed);

  plain = g_subprocess_newv (argv, PIPES, &error);
  g_assert_no_error (error);
  plain_fds = list_child_fds (plain);

  /* The ruleset's descriptor (and any O_PATH one of its rules) never
   * reaches the program: it sees what an unsandboxed child sees, that is
   * stdin, stdout, stderr and the directory ls is reading. */
  g_assert_cmpstr (sandboxed_fds, ==, plain_fds);
  lines = g_strsplit (g_strstrip (sandboxed_fds), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_cmpstr (lines[0], ==, "0");
  g_assert_cmpstr (lines[1], ==, "1");
  g_assert_cmpstr (lines[2], ==, "2");

  close (inheritable_fd);
}

/* /spawn/no-fd-leak/many-spawns */

#define N_SPAWNS 1000

static void
spawn_true (LlRuleset *ruleset)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;

  proc = ll_ruleset_spawnv (ruleset, (const char * const []) { "/bin/true", NULL },
                            G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (proc, NULL, &error);
  g_assert_no_error (error);
}

static void
test_many_spawns (void)
{
  g_autoptr(LlRuleset) ruleset = NULL;
  g_autoptr(GTimer) timer = NULL;
  guint n_spawns = ll_test_iterations (N_SPAWNS);
  guint fds_before;

  if (!ll_test_in_child ())
    {
      run_in_child_with_tree (1);
      return;
    }

  ruleset = sandbox_new (ll_test_child_dir ());
  /* GLib opens descriptors of its own on the first spawn (the worker
   * context that watches children), which it keeps: count after one. Its
   * worker thread closes a finished child's pidfd a moment after the
   * waiter returns, so count once that is done. */
  spawn_true (ruleset);
  fds_before = ll_test_count_fds_settled ();

  timer = g_timer_new ();
  for (guint i = 0; i < n_spawns; i++)
    spawn_true (ruleset);
  g_test_message ("%u sandboxed spawns took %.2f s", n_spawns, g_timer_elapsed (timer, NULL));

  g_assert_cmpuint (ll_test_count_fds_settled (), ==, fds_before);
  g_assert_cmpint (ll_ruleset_get_status (ruleset), ==, LL_STATUS_FULLY_ENFORCED);
  g_assert_false (ll_ruleset_get_applied (ruleset));
}

/* /spawn/errors/... */

/* No child was forked at all: there is none to wait for. Nothing else in
 * the test child spawns processes. */
static void
assert_no_child_started (void)
{
  int status;

  ll_test_assert_errno (waitpid (-1, &status, WNOHANG), ECHILD);
}

static void
test_error_missing_path (void)
{
  const char *dir;
  g_autofree char *missing = NULL;
  g_autofree char *marker = NULL;
  g_autoptr(LlRuleset) ruleset = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  guint fds_before;

  if (!ll_test_in_child ())
    {
      run_in_child_with_tree (1);
      return;
    }

  dir = ll_test_child_dir ();
  missing = path_in (dir, "missing");
  marker = path_in (dir, "marker");
  ruleset = sandbox_new (dir);
  /* Should the program run after all, it can leave its marker. */
  ll_ruleset_allow_read_write (ruleset, (const char * const []) { dir, NULL });
  ll_ruleset_allow_read (ruleset, (const char * const []) { missing, NULL });
  fds_before = ll_test_count_fds ();

  proc = ll_ruleset_spawnv (ruleset, (const char * const []) { "/bin/touch", marker, NULL },
                            G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_null (proc);
  g_assert_error (error, LL_ERROR, LL_ERROR_PATH);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);

  /* The same through a launcher, which is left as it was. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_assert_false (ll_ruleset_apply_to_launcher (ruleset, launcher, &error));
  g_assert_error (error, LL_ERROR, LL_ERROR_PATH);

  assert_no_child_started ();
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (ll_test_count_fds (), ==, fds_before);
  g_assert_cmpint (ll_ruleset_get_status (ruleset), ==, LL_STATUS_NOT_ENFORCED);
  g_assert_false (ll_ruleset_get_applied (ruleset));
}

typedef enum
{
  NEWER_UDP,
  NEWER_TSYNC,
} NewerFeature;

typedef struct
{
  NewerFeature feature;
  int          abi_needed;
} NewerCase;

static const NewerCase newer_udp = { NEWER_UDP, 10 };
static const NewerCase newer_tsync = { NEWER_TSYNC, 8 };

static void
test_error_incompatible (gconstpointer data)
{
  const NewerCase *nc = data;
  const char *dir;
  g_autofree char *marker = NULL;
  g_autoptr(LlRuleset) ruleset = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  guint fds_before;

  if (!ll_test_in_child ())
    {
      int abi = ll_get_abi_version (NULL);

      if (abi >= nc->abi_needed)
        {
          g_autofree char *msg = g_strdup_printf ("the kernel has ABI %d, which has this feature "
                                                  "(ABI %d): nothing is missing to report",
                                                  abi, nc->abi_needed);
          g_test_skip (msg);
          return;
        }
      run_in_child_with_tree (1);
      return;
    }

  dir = ll_test_child_dir ();
  marker = path_in (dir, "marker");
  ruleset = sandbox_new (dir);
  ll_ruleset_allow_read_write (ruleset, (const char * const []) { dir, NULL });
  g_assert_true (ll_ruleset_get_strict (ruleset));
  switch (nc->feature)
    {
    case NEWER_UDP:
      {
        static const guint16 dns_port = 53;

        ll_ruleset_allow_udp (ruleset, &dns_port, 1, FALSE, TRUE);
      }
      break;
    case NEWER_TSYNC:
      /* Pointless for a single-threaded child, but asked for in strict
       * mode all the same: refused, as ll_ruleset_apply() refuses it. */
      ll_ruleset_set_restrict_flags (ruleset, LL_RESTRICT_FLAGS_TSYNC);
      break;
    default:
      g_assert_not_reached ();
    }
  fds_before = ll_test_count_fds ();

  proc = ll_ruleset_spawnv (ruleset, (const char * const []) { "/bin/touch", marker, NULL },
                            G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_null (proc);
  g_assert_error (error, LL_ERROR, LL_ERROR_INCOMPATIBLE);
  g_test_message ("%s", error->message);

  assert_no_child_started ();
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (ll_test_count_fds (), ==, fds_before);
  g_assert_false (ll_ruleset_get_applied (ruleset));
}

/* /spawn/threaded-parent */

/* Threads that sit blocked until released, so that the process has more
 * than one thread while it spawns. */
typedef struct
{
  GMutex   lock;
  GCond    cond;
  gboolean release;
} Blocker;

static gpointer
blocker_run (gpointer user_data)
{
  Blocker *blocker = user_data;

  g_mutex_lock (&blocker->lock);
  while (!blocker->release)
    g_cond_wait (&blocker->cond, &blocker->lock);
  g_mutex_unlock (&blocker->lock);
  return NULL;
}

static void
test_threaded_parent (void)
{
  const char *dir;
  g_autofree char *allowed_file = NULL;
  g_autofree char *denied_file = NULL;
  g_autoptr(LlRuleset) ruleset = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) denied = NULL;
  g_autoptr(GSubprocess) allowed = NULL;
  Blocker blocker = { 0 };
  GThread *threads[2];
  gboolean no_new_privs_before;

  if (!ll_test_in_child ())
    {
      run_in_child_with_tree (1);
      return;
    }

  dir = ll_test_child_dir ();
  use_c_locale ();
  allowed_file = path_in (dir, "allowed/file");
  denied_file = path_in (dir, "denied/file");
  no_new_privs_before = ll_test_no_new_privs_is_set ();

  g_mutex_init (&blocker.lock);
  g_cond_init (&blocker.cond);
  for (gsize i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("ll-test-blocked", blocker_run, &blocker);
  g_assert_cmpuint (ll_get_thread_count (), >=, 3);

  ruleset = sandbox_new (dir);
  denied = ll_ruleset_spawnv (ruleset, (const char * const []) { "/bin/cat", denied_file, NULL },
                              PIPES, &error);
  g_assert_no_error (error);

  /* The threads of the caller do not matter: the forked child has one. */
  g_assert_cmpint (ll_ruleset_get_status (ruleset), ==, LL_STATUS_FULLY_ENFORCED);
  g_assert_cmpuint (ll_ruleset_get_unrestricted_threads (ruleset), ==, 0);
  g_assert_null (ll_ruleset_get_status_reason (ruleset));

  assert_cat_denied (denied, denied_file);
  allowed = ll_ruleset_spawnv (ruleset, (const char * const []) { "/bin/cat", allowed_file, NULL },
                               PIPES, &error);
  g_assert_no_error (error);
  assert_cat_allowed (allowed, "allowed\n");
  assert_caller_unrestricted (ruleset, dir, no_new_privs_before);

  g_mutex_lock (&blocker.lock);
  blocker.release = TRUE;
  g_cond_broadcast (&blocker.cond);
  g_mutex_unlock (&blocker.lock);
  for (gsize i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  g_mutex_clear (&blocker.lock);
  g_cond_clear (&blocker.cond);
}

/* /spawn/child-setup-failed */

static void
test_child_setup_failed (void)
{
  const char *dir;
  g_autoptr(LlRuleset) ruleset = NULL;
  g_autoptr(LlRuleset) in_process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_auto(Outcome) outcome = { 0 };

  if (!ll_test_in_child ())
    {
      run_in_child_with_tree (1);
      return;
    }

  dir = ll_test_child_dir ();
  use_c_locale ();

  /* Fill the process's domain up to the kernel's limit with layers that
   * leave reading and running everything possible, so that only the
   * number of layers can stop the child. */
  for (guint i = 0; i < LANDLOCK_MAX_LAYERS; i++)
    {
      g_autoptr(LlRuleset) layer = ll_ruleset_new ();

      ll_ruleset_allow_read (layer, (const char * const []) { "/", NULL });
      ll_ruleset_allow_execute (layer, (const char * const []) { "/", NULL });
      ll_test_apply_expect (layer, LL_STATUS_FULLY_ENFORCED);
    }

  /* The 17th layer cannot be added here, as apply() says... */
  in_process = sandbox_new (dir);
  g_assert_false (ll_ruleset_apply (in_process, NULL, &error));
  g_assert_error (error, LL_ERROR, LL_ERROR_LAYER_LIMIT);
  g_clear_error (&error);

  /* ...nor in a child, which inherits the 16 layers. The caller cannot
   * know before the fork: the child must exit rather than run its program
   * without the sandbox it was spawned with. */
  ruleset = sandbox_new (dir);
  proc = ll_ruleset_spawnv (ruleset, (const char * const []) { "/bin/sh", "-c", "echo ran", NULL },
                            PIPES, &error);
  g_assert_no_error (error);
  wait_outcome (proc, &outcome);
  g_assert_cmpint (outcome.exit_status, ==, LL_CHILD_SETUP_FAILED);
  g_assert_cmpstr (outcome.out, ==, "");
  g_assert_nonnull (strstr (outcome.err, "could not restrict itself"));
}

/* /threads/...: a process restricting itself while other
 * threads run. */

/* A thread started before the ruleset is applied, which opens a file on
 * request and reports the errno it got. */
typedef struct
{
  GMutex      lock;
  GCond       cond;
  const char *path;       /* a request, NULL once answered */
  gboolean    quit;
  int         result;
} Worker;

static gpointer
worker_run (gpointer user_data)
{
  Worker *worker = user_data;

  g_mutex_lock (&worker->lock);
  for (;;)
    {
      while (worker->path == NULL && !worker->quit)
        g_cond_wait (&worker->cond, &worker->lock);
      if (worker->quit)
        break;
      worker->result = ll_test_open_errno (worker->path, O_RDONLY);
      worker->path = NULL;
      g_cond_broadcast (&worker->cond);
    }
  g_mutex_unlock (&worker->lock);
  return NULL;
}

static GThread *
worker_start (Worker *worker)
{
  g_mutex_init (&worker->lock);
  g_cond_init (&worker->cond);
  return g_thread_new ("ll-test-worker", worker_run, worker);
}

/* Has @worker open @path; reports what it got like open(2) would (0, or
 * -1 with errno set), for ll_test_assert_errno(). */
static int
worker_open (Worker     *worker,
             const char *path)
{
  int result;

  g_mutex_lock (&worker->lock);
  worker->path = path;
  g_cond_broadcast (&worker->cond);
  while (worker->path != NULL)
    g_cond_wait (&worker->cond, &worker->lock);
  result = worker->result;
  g_mutex_unlock (&worker->lock);
  return ll_test_errno_result (result);
}

static void
worker_stop (Worker  *worker,
             GThread *thread)
{
  g_mutex_lock (&worker->lock);
  worker->quit = TRUE;
  g_cond_broadcast (&worker->cond);
  g_mutex_unlock (&worker->lock);
  g_thread_join (thread);
  g_mutex_clear (&worker->lock);
  g_cond_clear (&worker->cond);
}

static gpointer
open_thread (gpointer path)
{
  return GINT_TO_POINTER (ll_test_open_errno (path, O_RDONLY));
}

/* Opens @path in a thread started now, and reports what it got like
 * open(2) would (0, or -1 with errno set), for ll_test_assert_errno(). */
static int
open_in_new_thread (const char *path)
{
  GThread *thread = g_thread_new ("ll-test-late", open_thread, (gpointer) path);

  return ll_test_errno_result (GPOINTER_TO_INT (g_thread_join (thread)));
}

/* Below, "allowed/file" is readable under the ruleset, "denied/file" not. */
static void
assert_thread_restricted (const char *allowed_file,
                          const char *denied_file)
{
  ll_test_assert_open (allowed_file, O_RDONLY, 0);
  ll_test_assert_open (denied_file, O_RDONLY, EACCES);
}

static void
assert_mentions (const char *text,
                 const char *what)
{
  g_assert_nonnull (text);
  if (strstr (text, what) == NULL)
    g_error ("\"%s\" does not mention \"%s\"", text, what);
}

static void
test_threads_all_threads_false (void)
{
  const char *dir;
  g_autofree char *allowed_file = NULL;
  g_autofree char *denied_file = NULL;
  g_autoptr(LlRuleset) ruleset = NULL;
  Worker worker = { 0 };
  GThread *thread;
  const char *reason;

  if (!ll_test_in_child ())
    {
      run_in_child_with_tree (1);
      return;
    }

  dir = ll_test_child_dir ();
  allowed_file = path_in (dir, "allowed/file");
  denied_file = path_in (dir, "denied/file");
  thread = worker_start (&worker);
  g_assert_cmpuint (ll_get_thread_count (), ==, 2);

  /* all-threads FALSE asks for the calling thread only, on every ABI (no
   * TSYNC even where the kernel has it). */
  ruleset = sandbox_new (dir);
  ll_ruleset_set_all_threads (ruleset, FALSE);
  ll_test_apply_expect (ruleset, LL_STATUS_PARTIALLY_ENFORCED);
  g_assert_cmpuint (ll_ruleset_get_unrestricted_threads (ruleset), ==, 1);
  reason = ll_ruleset_get_status_reason (ruleset);
  g_test_message ("reason: %s", reason);
  assert_mentions (reason, "all-threads");

  /* The calling thread is restricted, both ways... */
  assert_thread_restricted (allowed_file, denied_file);
  /* ...the worker really is not, as the status says... */
  ll_test_assert_errno (worker_open (&worker, denied_file), 0);
  ll_test_assert_errno (worker_open (&worker, allowed_file), 0);
  /* ...and a thread started from now on inherits the restriction. */
  ll_test_assert_errno (open_in_new_thread (denied_file), EACCES);
  ll_test_assert_errno (open_in_new_thread (allowed_file), 0);

  worker_stop (&worker, thread);
}

static void
test_threads_all_threads_false_alone (void)
{
  const char *dir;
  g_autofree char *allowed_file = NULL;
  g_autofree char *denied_file = NULL;
  g_autoptr(LlRuleset) ruleset = NULL;

  if (!ll_test_in_child ())
    {
      run_in_child_with_tree (1);
      return;
    }

  dir = ll_test_child_dir ();
  allowed_file = path_in (dir, "allowed/file");
  denied_file = path_in (dir, "denied/file");
  g_assert_cmpuint (ll_get_thread_count (), ==, 1);

  /* With no other thread, the calling thread is the whole process. */
  ruleset = sandbox_new (dir);
  ll_ruleset_set_all_threads (ruleset, FALSE);
  ll_test_apply_expect (ruleset, LL_STATUS_FULLY_ENFORCED);
  g_assert_cmpuint (ll_ruleset_get_unrestricted_threads (ruleset), ==, 0);
  g_assert_null (ll_ruleset_get_status_reason (ruleset));
  assert_thread_restricted (allowed_file, denied_file);
}

static void
test_threads_best_effort_tsync (void)
{
  const char *dir;
  g_autofree char *allowed_file = NULL;
  g_autofree char *denied_file = NULL;
  g_autoptr(LlRuleset) ruleset = NULL;
  Worker worker = { 0 };
  GThread *thread;
  const char *reason;

  if (!ll_test_in_child ())
    {
      int abi = ll_get_abi_version (NULL);

      if (abi >= 8)
        {
          g_autofree char *msg = g_strdup_printf ("ABI %d has TSYNC: the worker would be "
                                                  "restricted (checked by emulation)", abi);
          g_test_skip (msg);
          return;
        }
      run_in_child_with_tree (1);
      return;
    }

  dir = ll_test_child_dir ();
  allowed_file = path_in (dir, "allowed/file");
  denied_file = path_in (dir, "denied/file");
  thread = worker_start (&worker);
  g_assert_cmpuint (ll_get_thread_count (), ==, 2);

  /* TSYNC asked for explicitly, best-effort, on a kernel without it: it is
   * dropped, and the status owns up to both the drop and the thread that
   * stays free as a result. */
  ruleset = sandbox_new (dir);
  ll_ruleset_set_strict (ruleset, FALSE);
  ll_ruleset_set_restrict_flags (ruleset, LL_RESTRICT_FLAGS_TSYNC);
  ll_test_apply_expect (ruleset, LL_STATUS_PARTIALLY_ENFORCED);
  g_assert_cmpuint (ll_ruleset_get_unrestricted_threads (ruleset), ==, 1);
  reason = ll_ruleset_get_status_reason (ruleset);
  g_test_message ("reason: %s", reason);
  assert_mentions (reason, "tsync");
  assert_mentions (reason, "thread");

  assert_thread_restricted (allowed_file, denied_file);
  ll_test_assert_errno (worker_open (&worker, denied_file), 0);

  worker_stop (&worker, thread);
}

/* /spawn/fd-mapping/stdin-closed: a parent started with stdin closed. The
 * ruleset fd was descriptor 0 then, which GLib's dup2() of /dev/null onto
 * the child's stdin replaced: every child failed. */
static void
test_fd_mapping_stdin_closed (void)
{
  const char *dir;
  g_autofree char *allowed_file = NULL;
  g_autoptr(LlRuleset) ruleset = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *denied_file = NULL;

  if (!ll_test_in_child ())
    {
      run_in_child_with_tree (1);
      return;
    }

  dir = ll_test_child_dir ();
  use_c_locale ();
  allowed_file = path_in (dir, "allowed/file");
  denied_file = path_in (dir, "denied/file");
  g_assert_no_errno (close (STDIN_FILENO));
  ruleset = sandbox_new (dir);

  proc = ll_ruleset_spawnv (ruleset, (const char * const []) { "/bin/cat", allowed_file, NULL },
                            PIPES, &error);
  g_assert_no_error (error);
  assert_cat_allowed (proc, "allowed\n");
  g_clear_object (&proc);
  proc = ll_ruleset_spawnv (ruleset, (const char * const []) { "/bin/cat", denied_file, NULL },
                            PIPES, &error);
  g_assert_no_error (error);
  assert_cat_denied (proc, denied_file);
}

/* /spawn/fd-mapping/take-fd: a take_fd() target with the number the
 * ruleset fd would have had (the lowest free one). */
static void
test_fd_mapping_take_fd (void)
{
  const char *dir;
  g_autofree char *denied_file = NULL;
  g_autofree char *script = NULL;
  g_autoptr(LlRuleset) ruleset = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_auto(Outcome) outcome = { 0 };
  int pipe_fds[2];
  int lowest_free;

  if (!ll_test_in_child ())
    {
      run_in_child_with_tree (1);
      return;
    }

  dir = ll_test_child_dir ();
  use_c_locale ();
  denied_file = path_in (dir, "denied/file");
  ruleset = sandbox_new (dir);
  g_assert_no_errno (pipe2 (pipe_fds, O_CLOEXEC));
  lowest_free = dup (STDERR_FILENO);
  g_assert_no_errno (lowest_free);
  g_assert_no_errno (close (lowest_free));

  launcher = g_subprocess_launcher_new (PIPES);
  g_assert_true (ll_ruleset_apply_to_launcher (ruleset, launcher, &error));
  g_assert_no_error (error);
  g_subprocess_launcher_take_fd (launcher, pipe_fds[1], lowest_free);

  /* The child writes to the mapped fd, and is sandboxed all the same. */
  script = g_strdup_printf ("echo mapped >&%d; cat '%s'", lowest_free, denied_file);
  proc = g_subprocess_launcher_spawnv (launcher,
                                       (const char * const []) { "/bin/sh", "-c", script, NULL },
                                       &error);
  g_assert_no_error (error);
  wait_outcome (proc, &outcome);
  g_assert_cmpint (outcome.exit_status, ==, 1);
  g_assert_nonnull (strstr (outcome.err, g_strerror (EACCES)));
  g_assert_null (strstr (outcome.err, "could not restrict itself"));
  g_clear_object (&launcher);
  {
    char buffer[16] = { 0 };

    g_assert_cmpint (read (pipe_fds[0], buffer, sizeof buffer - 1), ==, 7);
    g_assert_cmpstr (buffer, ==, "mapped\n");
  }
  close (pipe_fds[0]);
}

/* /spawn/child-paths: the rules of a child are resolved in the parent,
 * which cannot name the child: a relative path and a path to this
 * process's own /proc entry are refused, not silently resolved here. */
static void
test_child_paths (void)
{
  g_autofree char *own_proc = g_strdup_printf ("/proc/%d/fd", (int) getpid ());
  g_autofree char *link = NULL;
  g_autofree char *dir = ll_test_make_tmpdir ("child-paths");
  const char *refused[] = { "relative/path", ".", "/proc/self/fd", "/proc//self/",
                            "/proc/thread-self", "/dev/fd", "/dev/stdin", own_proc, NULL };

  if (!ll_test_require_abi (1))
    {
      ll_test_rm_rf (dir);
      return;
    }

  link = path_in (dir, "link-to-self");
  g_assert_no_errno (symlink ("/proc/self/fd", link));

  for (gsize i = 0; refused[i] != NULL || link != NULL; i++)
    {
      g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
      g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (0);
      g_autoptr(GError) error = NULL;
      const char *path = refused[i] != NULL ? refused[i] : link;

      ll_test_allow_programs (ruleset);
      ll_ruleset_allow_read (ruleset, (const char * const []) { path, NULL });
      g_assert_false (ll_ruleset_apply_to_launcher (ruleset, launcher, &error));
      g_assert_error (error, LL_ERROR, LL_ERROR_PATH);
      g_test_message ("%s: %s", path, error->message);
      if (refused[i] == NULL)
        break;
    }

  /* Absolute paths elsewhere in /proc are fine. */
  {
    g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
    g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (0);
    g_autoptr(GError) error = NULL;

    ll_ruleset_allow_read (ruleset, (const char * const []) { "/proc/sys/kernel", NULL });
    g_assert_true (ll_ruleset_apply_to_launcher (ruleset, launcher, &error));
    g_assert_no_error (error);
  }
  ll_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/spawn/spawnv", test_spawnv);
  g_test_add_func ("/spawn/spawn", test_spawn);
  g_test_add_func ("/spawn/launcher/flags-cwd-env", test_launcher);
  g_test_add_func ("/spawn/launcher/later-changes", test_launcher_later_changes);
  g_test_add_func ("/spawn/no-fd-leak/child-fds", test_child_fds);
  g_test_add_func ("/spawn/no-fd-leak/many-spawns", test_many_spawns);
  g_test_add_func ("/spawn/errors/missing-path", test_error_missing_path);
  g_test_add_data_func ("/spawn/errors/incompatible/udp", &newer_udp,
                        test_error_incompatible);
  g_test_add_data_func ("/spawn/errors/incompatible/tsync", &newer_tsync,
                        test_error_incompatible);
  g_test_add_func ("/spawn/threaded-parent", test_threaded_parent);
  g_test_add_func ("/spawn/child-setup-failed", test_child_setup_failed);
  g_test_add_func ("/spawn/fd-mapping/stdin-closed", test_fd_mapping_stdin_closed);
  g_test_add_func ("/spawn/fd-mapping/take-fd", test_fd_mapping_take_fd);
  g_test_add_func ("/spawn/child-paths", test_child_paths);
  g_test_add_func ("/threads/all-threads-false", test_threads_all_threads_false);
  g_test_add_func ("/threads/all-threads-false-alone",
                   test_threads_all_threads_false_alone);
  g_test_add_func ("/threads/best-effort-tsync", test_threads_best_effort_tsync);

  g_test_add_func ("/spawn/no-landlock", ll_test_no_landlock);

  return g_test_run ();
}
