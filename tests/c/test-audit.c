/* test-audit.c: Landlock's audit records, read back from the kernel log
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * From ABI 7 the kernel logs denials as audit records; without auditd, and
 * booted with audit=1, they go to the kernel log (type=1423 for the access,
 * 1424 for the domain), which root can read from /dev/kmsg. These tests
 * deny an open() of a file with a name of its own and look for that name
 * in the records that follow: the restrict flags (ABI 7) and quiet rules
 * and masks (ABI 10) must change exactly what is logged, both ways. The
 * kernel runs of tests/kernels/ boot with audit=1; elsewhere (no audit, or
 * a log this user cannot read) the tests skip and say why.
 *
 * The kernel rate-limits these records when nobody consumes them: each
 * case waits a little before its denial, which is enough in practice
 * (tests/kernels/README.md, "Audit").
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ll-test-utils.h"

/* How long records take to reach the log, and the pause that keeps the
 * kernel's rate limit from dropping them. */
#define RECORD_DELAY_US (300 * 1000)
#define RATE_PAUSE_US   (600 * 1000)

/* /dev/kmsg from now on: records already there are skipped. */
static int
open_kernel_log (void)
{
  int fd = open ("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

  if (fd >= 0)
    lseek (fd, 0, SEEK_END);
  return fd;
}

/* Whether a Landlock access record naming @needle arrived on @fd. */
static gboolean
kernel_log_has_denial (int         fd,
                       const char *needle)
{
  char record[8192];
  gboolean found = FALSE;

  g_usleep (ll_test_timeout_seconds (1) * RECORD_DELAY_US);
  for (;;)
    {
      ssize_t n = read (fd, record, sizeof record - 1);

      if (n < 0 && errno == EPIPE)
        continue;   /* records were overwritten: go on with the next */
      if (n <= 0)
        break;
      record[n] = '\0';
      if (strstr (record, "type=1423") != NULL && strstr (record, needle) != NULL)
        found = TRUE;
    }
  return found;
}

typedef struct
{
  LlRestrictFlags flags;
  gboolean quiet;           /* a quiet rule on the directory, quiet masks */
  gboolean exec;            /* the denial happens after an exec */
  const char *file;         /* denied */
} Case;

/* In a forked process: restricts itself as @c says, then tries to open
 * @c->file, directly or from a program it executes. */
static void
run_case (const char *dir,
          const Case *c)
{
  g_autoptr(LlRuleset) ruleset = ll_ruleset_new ();
  g_autoptr(GError) error = NULL;

  ll_test_allow_programs (ruleset);
  ll_ruleset_set_restrict_flags (ruleset, c->flags);
  if (c->quiet)
    {
      ll_ruleset_add_path_rule_full (ruleset, (const char *[]) { dir, NULL }, 0,
                                     LL_RULE_FLAGS_QUIET);
      ll_ruleset_set_quiet_access (ruleset, LL_ACCESS_FS_READ_FILE, 0, 0);
    }
  if (!ll_ruleset_apply (ruleset, NULL, &error))
    {
      g_printerr ("cannot apply: %s\n", error->message);
      _exit (2);
    }
  if (c->exec)
    {
      execl ("/bin/cat", "cat", c->file, NULL);
      _exit (3);
    }
  /* A failed assertion aborts: the parent sees no normal exit. */
  ll_test_assert_open (c->file, O_RDONLY, EACCES);
  _exit (0);
}

/* Runs @c and returns whether its denial was logged. */
static gboolean
denial_logged (const char *dir,
               const Case *c)
{
  int log = open_kernel_log ();
  gboolean logged;
  int status;
  pid_t pid;

  g_assert_cmpint (log, >=, 0);
  g_usleep (RATE_PAUSE_US);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    run_case (dir, c);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  /* cat(1) fails with 1 when the open is denied. */
  g_assert_cmpint (WEXITSTATUS (status), ==, c->exec ? 1 : 0);
  logged = kernel_log_has_denial (log, c->file);
  close (log);
  g_test_message ("flags 0x%x%s%s: %s", c->flags, c->quiet ? ", quiet" : "",
                  c->exec ? ", after exec" : "", logged ? "logged" : "not logged");
  return logged;
}

/* The kernel drops records under its rate limit, so absence proves little
 * alone: a record expected is looked for a few times, pausing longer each
 * time, and each absence is followed by a denial that must be logged, to
 * show that records were reaching the log at that moment. */
#define ATTEMPTS 4

static void
assert_logged (const char *dir,
               const Case *c)
{
  for (guint attempt = 1; attempt <= ATTEMPTS; attempt++)
    {
      if (denial_logged (dir, c))
        return;
      g_test_message ("not logged on attempt %u; pausing longer", attempt);
      g_usleep (attempt * RATE_PAUSE_US);
    }
  g_error ("the denial of %s was never logged", c->file);
}

static void
assert_not_logged (const char *dir,
                   const Case *c,
                   const Case *control)
{
  g_assert_false (denial_logged (dir, c));
  assert_logged (dir, control);
}

/* Skips unless the kernel logs Landlock's records where this process can
 * read them: ABI @abi, /dev/kmsg readable, and a plain denial logged. */
static gboolean
require_audit (int         abi,
               const char *dir,
               const char *file)
{
  int log;
  const Case plain = { 0, FALSE, FALSE, file };

  if (!ll_test_require_abi (abi))
    return FALSE;
  log = open_kernel_log ();
  if (log < 0)
    {
      g_autofree char *message = g_strdup_printf ("cannot read the kernel log (/dev/kmsg): %s",
                                                  g_strerror (errno));
      g_test_skip (message);
      return FALSE;
    }
  close (log);
  if (!denial_logged (dir, &plain) && !denial_logged (dir, &plain))
    {
      g_test_skip ("no Landlock audit record reaches the kernel log here "
                   "(boot with audit=1 and no auditd to have them)");
      return FALSE;
    }
  return TRUE;
}

static char *
denied_file (const char *dir,
             const char *name)
{
  g_autofree char *unique = g_strdup_printf ("%s-%d-%d", name, (int) getpid (),
                                             g_random_int_range (0, G_MAXINT));

  return ll_test_write_file (dir, unique, "secret\n");
}

/* The kernel's printk rate limit (5 s, bursts of 10) drops the records of
 * a test that denies several things in a row. Where this process may (it
 * is root), it is lifted while the cases run, and put back after. */
#define PRINTK_RATELIMIT "/proc/sys/kernel/printk_ratelimit"

static gboolean
write_sysctl (const char *path,
              const char *value)
{
  int fd = open (path, O_WRONLY | O_CLOEXEC);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = write (fd, value, strlen (value)) == (ssize_t) strlen (value);
  close (fd);
  return ok;
}

static void
restore_printk_ratelimit (gpointer value,
                          gpointer unused)
{
  if (value != NULL)
    write_sysctl (PRINTK_RATELIMIT, value);
}

/* In the test runner: skips unless records reach the log, else runs the
 * current test's cases in a child, with the rate limit lifted. */
static void
run_audit_cases (int         abi,
                 const char *name)
{
  g_autofree char *dir = ll_test_make_tmpdir (name);
  g_autofree char *baseline = denied_file (dir, "baseline");
  g_autofree char *saved = NULL;

  if (!require_audit (abi, dir, baseline))
    {
      ll_test_rm_rf (dir);
      return;
    }
  if (g_file_get_contents (PRINTK_RATELIMIT, &saved, NULL, NULL) &&
      !write_sysctl (PRINTK_RATELIMIT, "0"))
    g_clear_pointer (&saved, g_free);
  g_test_message ("printk rate limit %s", saved != NULL ? "lifted" : "left as it is");
  ll_test_run_child_with_dir_then (dir, restore_printk_ratelimit, saved);
}

/* /audit/restrict-flags: a denial is logged by default; LOG_SAME_EXEC_OFF
 * silences the sandboxed program itself; after an exec nothing is logged
 * unless LOG_NEW_EXEC_ON. */
static void
test_audit_restrict_flags (void)
{
  const char *dir;

  if (!ll_test_in_child ())
    {
      run_audit_cases (7, "audit");
      return;
    }

  dir = ll_test_child_dir ();
  {
    g_autofree char *baseline = denied_file (dir, "baseline");
    g_autofree char *same_exec_file = denied_file (dir, "same-exec-off");
    g_autofree char *after_exec_file = denied_file (dir, "after-exec");
    g_autofree char *new_exec_file = denied_file (dir, "new-exec-on");
    const Case control = { 0, FALSE, FALSE, baseline };
    const Case same_exec_off = { LL_RESTRICT_FLAGS_LOG_SAME_EXEC_OFF, FALSE, FALSE,
                                 same_exec_file };
    const Case after_exec = { 0, FALSE, TRUE, after_exec_file };
    const Case new_exec_on = { LL_RESTRICT_FLAGS_LOG_NEW_EXEC_ON, FALSE, TRUE, new_exec_file };

    assert_not_logged (dir, &same_exec_off, &control);
    assert_not_logged (dir, &after_exec, &control);
    assert_logged (dir, &new_exec_on);
  }
}

/* /audit/quiet: a quiet rule and mask keep the denial out of the log, and
 * only beneath the quiet rule; they grant nothing (the open is still
 * denied: run_case() checks it). */
static void
test_audit_quiet (void)
{
  const char *dir;

  if (!ll_test_in_child ())
    {
      run_audit_cases (10, "audit-quiet");
      return;
    }

  dir = ll_test_child_dir ();
  {
    g_autofree char *quiet_dir = g_build_filename (dir, "quiet", NULL);
    g_autofree char *loud_dir = g_build_filename (dir, "loud", NULL);
    g_autofree char *quiet_file = NULL;
    g_autofree char *loud_file = NULL;

    g_assert_no_errno (g_mkdir (quiet_dir, 0700));
    g_assert_no_errno (g_mkdir (loud_dir, 0700));
    quiet_file = denied_file (quiet_dir, "quiet");
    loud_file = denied_file (loud_dir, "loud");
    {
      const Case quiet = { 0, TRUE, FALSE, quiet_file };
      const Case loud = { 0, TRUE, FALSE, loud_file };

      /* The quiet rule is on quiet/: beneath loud/ the denial is logged. */
      assert_not_logged (quiet_dir, &quiet, &loud);
    }
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/audit/restrict-flags", test_audit_restrict_flags);
  g_test_add_func ("/audit/quiet", test_audit_quiet);
  g_test_add_func ("/audit/no-landlock", ll_test_no_landlock);

  return g_test_run ();
}
